// The Remoting front's one table from the broker's failure kinds (BrokerErrorCode, and store errors
// through send-response.ts's exhaustive mapping) to RocketMQ response codes and remarks. Handlers
// answer every BrokerError through here; anything else is rethrown and the server answers
// SYSTEM_ERROR (1) with its message. Depends on ts/remoting, the broker error and the send reply.

import { ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { withReplyCause } from '../../remoting/reply-cause.js';
import type { StoreErrorCode } from '../../store/store-errors.js';
import { BrokerError, type BrokerErrorCode } from '../domain/broker-error.js';
import { storeErrorToSendResponse, type SendErrorContext } from '../domain/send/send-response.js';

/** Every failure kind's response code; a missing kind does not compile. */
export const BROKER_ERROR_RESPONSE_CODES: Readonly<Record<BrokerErrorCode, number>> = {
  SYSTEM_ERROR: ResponseCode.SYSTEM_ERROR,
  SYSTEM_BUSY: ResponseCode.SYSTEM_BUSY,
  FLUSH_DISK_TIMEOUT: ResponseCode.FLUSH_DISK_TIMEOUT,
  FLUSH_SLAVE_TIMEOUT: ResponseCode.FLUSH_SLAVE_TIMEOUT,
  MESSAGE_ILLEGAL: ResponseCode.MESSAGE_ILLEGAL,
  SERVICE_NOT_AVAILABLE: ResponseCode.SERVICE_NOT_AVAILABLE,
  NO_PERMISSION: ResponseCode.NO_PERMISSION,
  ILLEGAL_OPERATION: ResponseCode.ILLEGAL_OPERATION,
  SLAVE_NOT_AVAILABLE: ResponseCode.SLAVE_NOT_AVAILABLE,
  TOPIC_NOT_EXIST: ResponseCode.TOPIC_NOT_EXIST,
  QUERY_NOT_FOUND: ResponseCode.QUERY_NOT_FOUND,
  SUBSCRIPTION_PARSE_FAILED: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
  SUBSCRIPTION_NOT_EXIST: ResponseCode.SUBSCRIPTION_NOT_EXIST,
  SUBSCRIPTION_NOT_LATEST: ResponseCode.SUBSCRIPTION_NOT_LATEST,
  SUBSCRIPTION_GROUP_NOT_EXIST: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
  FILTER_DATA_NOT_EXIST: ResponseCode.FILTER_DATA_NOT_EXIST,
  INVALID_PARAMETER: ResponseCode.INVALID_PARAMETER,
  CONSUMER_NOT_ONLINE: ResponseCode.CONSUMER_NOT_ONLINE,
  NO_MESSAGE: ResponseCode.NO_MESSAGE,
};

export function responseCodeOf(code: BrokerErrorCode): number {
  return BROKER_ERROR_RESPONSE_CODES[code];
}

/**
 * The reply to a failed request: a BrokerError's code and message (the error kept as the reply's cause,
 * which the server logs once); anything else is rethrown.
 */
export function brokerErrorResponse(request: Pick<RemotingCommand, 'opaque'>, error: unknown): RemotingCommand {
  if (error instanceof BrokerError) {
    return withReplyCause(createResponse(request, BROKER_ERROR_RESPONSE_CODES[error.code], error.message), error);
  }
  throw error;
}

/** How a store error is answered on a send (the response code, Java's remark, whether it is stored). */
export function storeErrorToSendReply(
  code: StoreErrorCode,
  context: SendErrorContext,
): { code: number; remark: string | null; stored: boolean } {
  const reply = storeErrorToSendResponse(code, context);
  return { code: BROKER_ERROR_RESPONSE_CODES[reply.code], remark: reply.remark, stored: reply.stored };
}
