// ClientError: the one error type the SDK raises. `code` is the RocketMQ response code the broker or
// name server answered (ResponseCode), or a client-side code (Java `ClientErrorCode`) when no answer
// came; `remark` is the server's remark. Depends on ts/remoting (codes, RemotingError).

import { responseCodeName, ResponseCode } from '../remoting/codes.js';
import type { RemotingCommand } from '../remoting/remoting-command.js';
import { isRemotingError, RemotingErrorCode } from '../remoting/remoting-error.js';

/** Client-side codes (Java `org.apache.rocketmq.client.common.ClientErrorCode`), plus -1 and -2. */
export const ClientErrorCode = {
  /** The client is not running (Java: "The producer service state not OK"). */
  SERVICE_STATE_NOT_OK: -1,
  /** A bad argument or option: an illegal topic or group name, an empty batch. */
  ILLEGAL_ARGUMENT: -2,
  CONNECT_BROKER_EXCEPTION: 10001,
  ACCESS_BROKER_TIMEOUT: 10002,
  BROKER_NOT_EXIST_EXCEPTION: 10003,
  NO_NAME_SERVER_EXCEPTION: 10004,
  NOT_FOUND_TOPIC_EXCEPTION: 10005,
  REQUEST_TIMEOUT_EXCEPTION: 10006,
  /** A reply to a request message that lacks what a reply needs (Java `MessageUtil.createReplyMessage`). */
  CREATE_REPLY_MESSAGE_EXCEPTION: 10007,
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

const clientCodeNames = new Map<number, string>(Object.entries(ClientErrorCode).map(([name, code]) => [code, name]));

/** The name of a response code or client code, for messages and logs. */
export function errorCodeName(code: number): string {
  return responseCodeName(code) ?? clientCodeNames.get(code) ?? `CODE_${code}`;
}

export interface ClientErrorContext {
  /** The request that failed (a RequestCode). */
  readonly requestCode?: number;
  /** The broker or name server address it went to. */
  readonly address?: string;
  readonly cause?: unknown;
}

export class ClientError extends Error {
  override readonly name = 'ClientError';
  /** The RocketMQ response code, or a ClientErrorCode. */
  readonly code: number;
  /** The server's remark (or the client's explanation). */
  readonly remark: string | null;
  readonly requestCode: number | undefined;
  readonly address: string | undefined;

  constructor(code: number, remark: string | null, context: ClientErrorContext = {}) {
    const where = context.address === undefined ? '' : ` from ${context.address}`;
    super(`${errorCodeName(code)} (${code})${where}: ${remark ?? ''}`.trimEnd(), { cause: context.cause });
    this.code = code;
    this.remark = remark;
    this.requestCode = context.requestCode;
    this.address = context.address;
  }
}

export function isClientError(error: unknown, code?: number): error is ClientError {
  return error instanceof ClientError && (code === undefined || error.code === code);
}

/** An error's message for logs (anything thrown, not only Errors). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** The ClientError of a response whose code is not SUCCESS. */
export function responseError(response: RemotingCommand, requestCode: number, address: string): ClientError {
  return new ClientError(response.code, response.remark, { requestCode, address });
}

/** Throws the response's error unless its code is one of `accepted` (SUCCESS by default). */
export function expectResponse(
  response: RemotingCommand,
  requestCode: number,
  address: string,
  accepted: readonly number[] = [ResponseCode.SUCCESS],
): RemotingCommand {
  if (!accepted.includes(response.code)) throw responseError(response, requestCode, address);
  return response;
}

/** A transport failure (timeout, refused or closed connection) as a ClientError; other errors unchanged. */
export function transportError(error: unknown, requestCode: number, address: string): unknown {
  if (!isRemotingError(error)) return error;
  const code =
    error.code === RemotingErrorCode.TIMEOUT
      ? ClientErrorCode.ACCESS_BROKER_TIMEOUT
      : ClientErrorCode.CONNECT_BROKER_EXCEPTION;
  return new ClientError(code, error.message, { requestCode, address, cause: error });
}
