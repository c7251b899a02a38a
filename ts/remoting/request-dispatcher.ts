// RequestDispatcher: the processor table shared by RemotingServer and RemotingClient. Finds the
// handler of a request code, runs it, and writes its reply (never for oneway requests). Unknown
// codes answer 3, handler failures answer 1 (Java NettyRemotingAbstract#processRequestCommand) with a
// remark free of server paths; every error reply with a cause is logged once, with it.
// Depends on codes.ts, remoting-command.ts, reply-cause.ts, remoting-connection.ts (type only), ts/common/logger.ts.

import type { Logger } from '../common/logger.js';
import { ResponseCode, requestCodeName } from './codes.js';
import { RESPONSE_FLAG, createResponse, isOneway, type RemotingCommand } from './remoting-command.js';
import type { RemotingConnection } from './remoting-connection.js';
import { describeCause, publicRemark, replyCause, withReplyCause } from './reply-cause.js';

/** Handles one request; null means "no reply" (the handler answers later, or never). */
export type RequestHandler = (
  request: RemotingCommand,
  connection: RemotingConnection,
) => Promise<RemotingCommand | null> | RemotingCommand | null;

export class RequestDispatcher {
  private readonly handlers = new Map<number, RequestHandler>();

  constructor(private readonly logger: Logger) {}

  /** Routes `codes` to `handler`. A code registered twice is a programming error and throws. */
  register(codes: readonly number[], handler: RequestHandler): void {
    for (const code of codes) {
      if (!Number.isInteger(code)) throw new RangeError(`request code ${code} is not an integer`);
      if (this.handlers.has(code))
        throw new Error(`request code ${code} (${requestCodeName(code) ?? '?'}) already has a processor`);
    }
    for (const code of codes) this.handlers.set(code, handler);
  }

  /** Runs the request's handler and sends its reply; never rejects (failures are replies or logs). */
  dispatch(request: RemotingCommand, connection: RemotingConnection): void {
    void this.respond(request, connection);
  }

  private async respond(request: RemotingCommand, connection: RemotingConnection): Promise<void> {
    const response = await this.process(request, connection);
    if (response !== null && response.code !== ResponseCode.SUCCESS) this.logCause(response, request, connection);
    if (response === null || isOneway(request)) return;
    // The reply always answers this request, whatever the handler put in opaque and flag.
    const reply: RemotingCommand = {
      code: response.code,
      language: response.language,
      version: response.version,
      opaque: request.opaque,
      flag: response.flag | RESPONSE_FLAG,
      remark: response.remark,
      extFields: response.extFields,
      body: response.body,
      serializeType: response.serializeType,
    };
    const error = this.trySend(reply, request, connection);
    if (error === null) return;
    this.trySend(
      createResponse(request, ResponseCode.SYSTEM_ERROR, `reply could not be encoded: ${message(error)}`),
      request,
      connection,
    );
  }

  /** Sends `reply`; an encoding failure is logged and returned, never thrown (dispatch must not reject). */
  private trySend(reply: RemotingCommand, request: RemotingCommand, connection: RemotingConnection): unknown {
    try {
      connection.send(reply);
      return null;
    } catch (error) {
      this.logger.error('reply could not be encoded', { ...describe(request, connection), error: String(error) });
      return error;
    }
  }

  private async process(request: RemotingCommand, connection: RemotingConnection): Promise<RemotingCommand | null> {
    const handler = this.handlers.get(request.code);
    if (handler === undefined) {
      this.logger.warn('request code not supported', describe(request, connection));
      // Java: " request type " + code + " not supported" (leading space included).
      return createResponse(
        request,
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        ` request type ${request.code} not supported`,
      );
    }
    try {
      return await handler(request, connection);
    } catch (error) {
      return withReplyCause(createResponse(request, ResponseCode.SYSTEM_ERROR, publicRemark(error)), error);
    }
  }

  /** Logs an error reply's cause, once: an error a handler threw, or one behind a refusal. */
  private logCause(response: RemotingCommand, request: RemotingCommand, connection: RemotingConnection): void {
    const cause = replyCause(response);
    if (cause === undefined) return;
    const fields = { ...describe(request, connection), responseCode: response.code, cause: describeCause(cause) };
    const refusal = cause instanceof Error && cause.name === 'BrokerError' && cause.cause === undefined;
    if (refusal) this.logger.info('request refused', fields);
    else this.logger.error('request processor failed', fields);
  }
}

function describe(request: RemotingCommand, connection: RemotingConnection): Record<string, unknown> {
  return {
    code: request.code,
    codeName: requestCodeName(request.code),
    opaque: request.opaque,
    remoteAddress: connection.remoteAddress,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
