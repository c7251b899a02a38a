// The gRPC front's one error table, BrokerErrorCode → `apache.rocketmq.v2.Code` (docs/grpc.md §3), `GrpcError` for
// the front's own refusals, and `statusOf`, the Status of any failure. Depends on the protos and the broker error.

import { create } from '@bufbuild/protobuf';
import { Code, StatusSchema, type Status } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { BrokerError, type BrokerErrorCode } from '../domain/broker-error.js';

/** A refusal by the gRPC front itself, with Apache's Code and message. */
export class GrpcError extends Error {
  override readonly name = 'GrpcError';

  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/** Every failure kind's Code; a missing kind does not compile. */
export const BROKER_ERROR_GRPC_CODES: Readonly<Record<BrokerErrorCode, Code>> = {
  SYSTEM_ERROR: Code.INTERNAL_SERVER_ERROR,
  SYSTEM_BUSY: Code.TOO_MANY_REQUESTS,
  FLUSH_DISK_TIMEOUT: Code.MASTER_PERSISTENCE_TIMEOUT,
  FLUSH_SLAVE_TIMEOUT: Code.SLAVE_PERSISTENCE_TIMEOUT,
  MESSAGE_ILLEGAL: Code.BAD_REQUEST,
  SERVICE_NOT_AVAILABLE: Code.INTERNAL_SERVER_ERROR,
  NO_PERMISSION: Code.FORBIDDEN,
  ILLEGAL_OPERATION: Code.BAD_REQUEST,
  SLAVE_NOT_AVAILABLE: Code.HA_NOT_AVAILABLE,
  TOPIC_NOT_EXIST: Code.TOPIC_NOT_FOUND,
  QUERY_NOT_FOUND: Code.NOT_FOUND,
  SUBSCRIPTION_PARSE_FAILED: Code.ILLEGAL_FILTER_EXPRESSION,
  SUBSCRIPTION_NOT_EXIST: Code.NOT_FOUND,
  SUBSCRIPTION_NOT_LATEST: Code.INTERNAL_SERVER_ERROR,
  SUBSCRIPTION_GROUP_NOT_EXIST: Code.CONSUMER_GROUP_NOT_FOUND,
  FILTER_DATA_NOT_EXIST: Code.INTERNAL_SERVER_ERROR,
  INVALID_PARAMETER: Code.BAD_REQUEST,
  CONSUMER_NOT_ONLINE: Code.NOT_FOUND,
  NO_MESSAGE: Code.MESSAGE_NOT_FOUND,
};

export function okStatus(): Status {
  return status(Code.OK, Code[Code.OK]);
}

export function status(code: Code, message: string): Status {
  return create(StatusSchema, { code, message });
}

/**
 * The Status of a failed call: a GrpcError's or BrokerError's code and message; anything else is an
 * INTERNAL_SERVER_ERROR (Apache's `ResponseBuilder#buildStatus`) with the error's message.
 */
export function statusOf(error: unknown): Status {
  if (error instanceof GrpcError) return status(error.code, error.message);
  if (error instanceof BrokerError) {
    const code = BROKER_ERROR_GRPC_CODES[error.code];
    return status(code, error.message === '' ? Code[code] : error.message);
  }
  return status(Code.INTERNAL_SERVER_ERROR, error instanceof Error ? error.message : String(error));
}
