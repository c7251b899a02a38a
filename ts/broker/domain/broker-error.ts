// BrokerError: why the broker refused a request, as a stable code named after RocketMQ's concept and
// a readable message (Java's remark text). Services throw it; each protocol front maps the code once
// (the Remoting front: api/broker-error-responses.ts). Depends on nothing.

/** One code per failure kind. A front maps every one of them (its table is exhaustive). */
export const BrokerErrorCode = {
  SYSTEM_ERROR: 'SYSTEM_ERROR',
  SYSTEM_BUSY: 'SYSTEM_BUSY',
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  /** SYNC_MASTER: stored, not confirmed by a slave in time. */
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  MESSAGE_ILLEGAL: 'MESSAGE_ILLEGAL',
  SERVICE_NOT_AVAILABLE: 'SERVICE_NOT_AVAILABLE',
  NO_PERMISSION: 'NO_PERMISSION',
  /** A commit or rollback the broker will not apply (e.g. past the half's check immunity time). */
  ILLEGAL_OPERATION: 'ILLEGAL_OPERATION',
  /** A write (e.g. END_TRANSACTION) sent to a slave. */
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
  TOPIC_NOT_EXIST: 'TOPIC_NOT_EXIST',
  QUERY_NOT_FOUND: 'QUERY_NOT_FOUND',
  SUBSCRIPTION_PARSE_FAILED: 'SUBSCRIPTION_PARSE_FAILED',
  SUBSCRIPTION_NOT_EXIST: 'SUBSCRIPTION_NOT_EXIST',
  SUBSCRIPTION_NOT_LATEST: 'SUBSCRIPTION_NOT_LATEST',
  SUBSCRIPTION_GROUP_NOT_EXIST: 'SUBSCRIPTION_GROUP_NOT_EXIST',
  FILTER_DATA_NOT_EXIST: 'FILTER_DATA_NOT_EXIST',
  INVALID_PARAMETER: 'INVALID_PARAMETER',
  CONSUMER_NOT_ONLINE: 'CONSUMER_NOT_ONLINE',
  /** An ack or invisible-time change for an offset the queue does not hold. */
  NO_MESSAGE: 'NO_MESSAGE',
} as const;

export type BrokerErrorCode = (typeof BrokerErrorCode)[keyof typeof BrokerErrorCode];

export class BrokerError extends Error {
  override readonly name = 'BrokerError';

  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isBrokerError(error: unknown): error is BrokerError {
  return error instanceof BrokerError;
}

/** A check's outcome: `{ ok: true }`, or the failure's code and Java's remark. */
export type CheckResult = { ok: true } | { ok: false; code: BrokerErrorCode; remark: string };

/** Throws the failure of a check as a BrokerError. */
export function throwIfFailed(check: CheckResult): void {
  if (!check.ok) throw new BrokerError(check.code, check.remark);
}
