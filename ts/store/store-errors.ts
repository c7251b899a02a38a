// Typed store errors: the stable codes the native store throws (its `error.code`), and the one
// function that turns a native error into a StoreError. Depends on nothing.

export const StoreErrorCode = {
  /** Body over maxMessageSizeBytes, malformed draft, topic too long for its magic, bad magic. */
  MESSAGE_ILLEGAL: 'ERR_MESSAGE_ILLEGAL',
  /** PROPERTIESLENGTH over 32767 bytes. */
  PROPERTIES_SIZE_EXCEEDED: 'ERR_PROPERTIES_SIZE_EXCEEDED',
  /** queueId outside [0, maxQueuesPerTopic). */
  QUEUE_ID_ILLEGAL: 'ERR_QUEUE_ID_ILLEGAL',
  /** A physical offset past the end or not at a record start. */
  OFFSET_ILLEGAL: 'ERR_OFFSET_ILLEGAL',
  STORE_CLOSED: 'ERR_STORE_CLOSED',
  /** A record failing validation on read. */
  CORRUPT: 'ERR_CORRUPT',
  /** An OS error. */
  IO: 'ERR_IO',
  CREATE_MAPPED_FILE_FAILED: 'ERR_CREATE_MAPPED_FILE_FAILED',
  INVALID_ARG: 'ERR_INVALID_ARG',
  /** The disk is full, or past diskSpaceWarningLevelRatio: writes are refused (RocketMQ SERVICE_NOT_AVAILABLE). */
  DISK_FULL: 'ERR_DISK_FULL',
  /** A slave's store takes only its master's bytes (docs/replication.md): RocketMQ's SERVICE_NOT_AVAILABLE. */
  REPLICA_READ_ONLY: 'ERR_REPLICA_READ_ONLY',
  /** Stored, but not on disk within syncFlushTimeout (RocketMQ FLUSH_DISK_TIMEOUT); raised in TypeScript. */
  FLUSH_DISK_TIMEOUT: 'ERR_FLUSH_DISK_TIMEOUT',
  /** SYNC_MASTER: stored, no slave confirmed it within slaveTimeout (FLUSH_SLAVE_TIMEOUT); raised in TypeScript. */
  FLUSH_SLAVE_TIMEOUT: 'ERR_FLUSH_SLAVE_TIMEOUT',
  /** SYNC_MASTER: stored, no slave is connected and in sync (SLAVE_NOT_AVAILABLE); raised in TypeScript. */
  SLAVE_NOT_AVAILABLE: 'ERR_SLAVE_NOT_AVAILABLE',
} as const;

export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

const knownCodes: ReadonlySet<string> = new Set(Object.values(StoreErrorCode));

/**
 * napi-rs's own statuses, thrown when an argument fails conversion before the store is reached
 * (e.g. a string where a number is expected): all of them are invalid arguments.
 */
const napiArgumentStatuses: ReadonlySet<string> = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
  'DateExpected',
  'ArrayBufferExpected',
  'DetachableArraybufferExpected',
]);

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

/**
 * Turns an error thrown by the native store into a StoreError (the original is the `cause`).
 * An error that is neither a store code nor an argument conversion failure is returned unchanged:
 * it is a bug, and renaming it would hide it.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError || !(error instanceof Error)) return error;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (knownCodes.has(code)) return new StoreError(code as StoreErrorCode, error.message, { cause: error });
  if (napiArgumentStatuses.has(code)) {
    return new StoreError(StoreErrorCode.INVALID_ARG, error.message, { cause: error });
  }
  return error;
}
