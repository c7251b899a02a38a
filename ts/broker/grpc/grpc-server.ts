// The broker's gRPC endpoint (HTTP/2, grpc-js; plaintext, or TLS from a PEM certificate and key) as one lifecycle
// component: binds `grpcServerPort` on the broker's listen address, serves MessagingService, and at stop refuses
// new calls, ends the Telemetry streams and waits for unary calls. Depends on grpc-js and messaging-service.ts.

import { readFileSync } from 'node:fs';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Component } from '../../common/lifecycle.js';
import { installGrpcDeadlineFix } from './grpc-deadline-fix.js';
import { GRPC_MAX_RECEIVE_MESSAGE_BYTES } from './grpc-limits.js';
import { messagingServiceDefinition, type MessagingServiceHandlers } from './messaging-service.js';

export interface GrpcServerOptions {
  readonly host: string;
  readonly port: number;
  /** PEM files of the server's certificate chain and private key: TLS; absent: plaintext. */
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
  /** Runs while the server does (the receipt handle renewal). */
  readonly companion?: { start(): void; stop(): void };
}

/** How long a graceful stop waits for open calls before it cancels them. */
const GRACEFUL_STOP_MS = 2_000;

export class GrpcServer implements Component {
  readonly name = 'grpc-server';
  private server: Server | null = null;
  private boundPort = -1;

  constructor(
    private readonly options: GrpcServerOptions,
    private readonly service: MessagingServiceHandlers,
  ) {}

  /** The listening port (the real one when the configured port was 0). Throws before start(). */
  get port(): number {
    if (this.boundPort < 0) throw new Error('the gRPC server is not listening');
    return this.boundPort;
  }

  async start(): Promise<void> {
    installGrpcDeadlineFix();
    const server = new Server({
      'grpc.max_receive_message_length': GRPC_MAX_RECEIVE_MESSAGE_BYTES,
      'grpc.max_send_message_length': -1,
    });
    server.addService(messagingServiceDefinition(), this.service.handlers);
    const address = `${this.options.host}:${this.options.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, serverCredentials(this.options.tls), (error, port) =>
        error === null ? resolve(port) : reject(error),
      );
    });
    this.server = server;
    this.options.companion?.start();
  }

  /** Stop accepting calls, end the Telemetry streams, let unary calls finish (cancelled after 2 s). */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    this.options.companion?.stop();
    const timer = setTimeout(() => server.forceShutdown(), GRACEFUL_STOP_MS);
    const stopped = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    this.service.endStreams();
    await stopped;
    clearTimeout(timer);
  }
}

/** TLS from the PEM files (read at start, so a missing file fails the start), else plaintext. */
function serverCredentials(tls: GrpcServerOptions['tls']): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const keyPair = { cert_chain: readFileSync(tls.certPath), private_key: readFileSync(tls.keyPath) };
  return ServerCredentials.createSsl(null, [keyPair], false);
}
