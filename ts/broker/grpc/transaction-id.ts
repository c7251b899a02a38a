// The transaction id the gRPC front hands a producer for a half message: the half's CommitLog offset
// and half-queue offset, 16 hex digits each, which EndTransaction needs to find it (a Remoting producer
// sends them as header fields). Opaque to clients; no state kept. Depends on the generated Code.

import { Code } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { GrpcError } from './grpc-status.js';

const HEX_DIGITS = 16;
const TRANSACTION_ID = /^[0-9A-F]{32}$/;

export interface HalfLocation {
  readonly commitLogOffset: number;
  readonly queueOffset: number;
}

export function encodeTransactionId(commitLogOffset: number, queueOffset: number): string {
  const hex = (value: number): string => value.toString(16).toUpperCase().padStart(HEX_DIGITS, '0');
  return hex(commitLogOffset) + hex(queueOffset);
}

/** The half a transaction id names; INVALID_TRANSACTION_ID when it is not one of ours. */
export function decodeTransactionId(transactionId: string): HalfLocation {
  if (transactionId.trim() === '') throw new GrpcError(Code.INVALID_TRANSACTION_ID, 'transaction id cannot be empty');
  if (!TRANSACTION_ID.test(transactionId)) {
    throw new GrpcError(Code.INVALID_TRANSACTION_ID, `transaction id is not valid: ${transactionId}`);
  }
  const commitLogOffset = Number.parseInt(transactionId.slice(0, HEX_DIGITS), 16);
  const queueOffset = Number.parseInt(transactionId.slice(HEX_DIGITS), 16);
  if (!Number.isSafeInteger(commitLogOffset) || !Number.isSafeInteger(queueOffset)) {
    throw new GrpcError(Code.INVALID_TRANSACTION_ID, `transaction id is not valid: ${transactionId}`);
  }
  return { commitLogOffset, queueOffset };
}
