// RemotingError: the typed error every remoting module raises or reports (bad frames, bad headers,
// timeouts, closed connections), with a stable `code` callers switch on. Depends on nothing.

export const RemotingErrorCode = {
  /** A frame whose total size (length field + 4) exceeds the decoder's maxFrameSizeBytes. */
  FRAME_TOO_LARGE: 'ERR_FRAME_TOO_LARGE',
  /** A frame whose length or header length is inconsistent, or an unknown serialize type. */
  BAD_FRAME: 'ERR_BAD_FRAME',
  /** A header that does not decode (invalid JSON, a missing code, truncated binary fields). */
  BAD_HEADER: 'ERR_BAD_HEADER',
  /** A header longer than the 24-bit header length allows, or a frame over 2^31-1 bytes. */
  HEADER_TOO_LARGE: 'ERR_HEADER_TOO_LARGE',
  /** A frame or header over a front-door limit (docs/reliability.md), e.g. too many extFields. */
  OVER_LIMIT: 'ERR_OVER_LIMIT',
  /** Bytes held for a connection past its own budget or the process-wide one. */
  BUDGET_EXCEEDED: 'ERR_BUDGET_EXCEEDED',
  /** A value that does not fit its binary field (a code > 32767 in an int16, a key > 32767 bytes). */
  FIELD_OUT_OF_RANGE: 'ERR_FIELD_OUT_OF_RANGE',
  /** No response within timeoutMs (or no connection within connectTimeoutMs). */
  TIMEOUT: 'ERR_TIMEOUT',
  /** The connection closed before the response arrived, or was already closed. */
  CONNECTION_CLOSED: 'ERR_CONNECTION_CLOSED',
  /** The TCP connect failed. */
  CONNECT_FAILED: 'ERR_CONNECT_FAILED',
  /** An address that is not `host:port`. */
  BAD_ADDRESS: 'ERR_BAD_ADDRESS',
} as const;

export type RemotingErrorCode = (typeof RemotingErrorCode)[keyof typeof RemotingErrorCode];

export class RemotingError extends Error {
  override readonly name = 'RemotingError';

  constructor(
    readonly code: RemotingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRemotingError(error: unknown, code?: RemotingErrorCode): error is RemotingError {
  return error instanceof RemotingError && (code === undefined || error.code === code);
}
