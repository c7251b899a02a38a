// The caller of one gRPC call, read from its metadata as Apache's proxy does (`x-mq-client-id`,
// `x-mq-language`, `x-mq-client-version`) and from the HTTP/2 peer. A call without a client id is
// refused with CLIENT_ID_REQUIRED before any work. Depends on the generated Code and grpc-status.ts.

import { Code } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { GrpcError } from './grpc-status.js';

export interface GrpcCallContext {
  readonly clientId: string;
  /** `x-mq-language` (the Node client says HTTP, Java JAVA). */
  readonly language: string;
  readonly clientVersion: string;
  /** The peer's `ip:port`. */
  readonly remoteAddress: string;
}

/** What grpc-js gives a handler: metadata values by key and the peer (e.g. `127.0.0.1:5000`, `ipv4:…`). */
export interface CallMetadataSource {
  metadataValue(key: string): string | undefined;
  readonly peer: string;
}

/** The prefix of the connection ids of gRPC clients in the producer and consumer tables. */
export const GRPC_CONNECTION_PREFIX = 'grpc:';

/** A gRPC client's connection id in the client tables: one per client id (its Telemetry stream). */
export function grpcConnectionId(clientId: string): string {
  return GRPC_CONNECTION_PREFIX + clientId;
}

/** Java `GrpcMessagingApplication#validateContext`: the client id is required on every call. */
export function callContext(source: CallMetadataSource): GrpcCallContext {
  const clientId = source.metadataValue('x-mq-client-id') ?? '';
  if (clientId.trim() === '') throw new GrpcError(Code.CLIENT_ID_REQUIRED, 'client id cannot be empty');
  return {
    clientId,
    language: source.metadataValue('x-mq-language') ?? 'JAVA',
    clientVersion: source.metadataValue('x-mq-client-version') ?? '',
    remoteAddress: peerAddress(source.peer),
  };
}

/** grpc-js peers look like `127.0.0.1:5000`, `ipv4:127.0.0.1:5000` or `[::1]:5000`. */
function peerAddress(peer: string): string {
  const withoutScheme = peer.replace(/^ipv[46]:/, '');
  return withoutScheme === '' || withoutScheme === 'unknown' ? '0.0.0.0:0' : withoutScheme;
}
