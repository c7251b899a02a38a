// A ClientInvoker for the admin handlers that also reaches clients without a Remoting connection (gRPC clients)
// through the broker's ClientCommandRelay, as Apache's proxy turns relayed requests into Telemetry commands:
// GET_CONSUMER_RUNNING_INFO with jstackEnable → the client's thread stacks in a ConsumerRunningInfo, and
// CONSUME_MESSAGE_DIRECTLY → a trial consumption answered as a ConsumeMessageDirectlyResult. Depends on the
// relay interface, the record decoder and ts/remoting.

import { optionalBoolean } from '../../protocol/header-fields.js';
import { decodeStoredRecord } from '../../protocol/record-decoder.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { RemotingError, RemotingErrorCode } from '../../remoting/remoting-error.js';
import type { ClientCommandRelay, RelayAnswer } from '../services/client-command-relay.js';
import type { ClientInvoker } from './client-invoker.js';

export class RelayingClientInvoker implements ClientInvoker {
  constructor(
    private readonly connections: ClientInvoker,
    private readonly relay: ClientCommandRelay,
  ) {}

  invoke(connectionId: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (!this.relay.reaches(connectionId)) return this.connections.invoke(connectionId, request, timeoutMs);
    switch (request.code) {
      case RequestCode.GET_CONSUMER_RUNNING_INFO:
        return this.runningInfo(connectionId, request, timeoutMs);
      case RequestCode.CONSUME_MESSAGE_DIRECTLY:
        return this.consumeDirectly(connectionId, request, timeoutMs);
      default:
        return Promise.resolve(
          createResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `${request.code} is not relayed to gRPC`),
        );
    }
  }

  /** A oneway push (e.g. NOTIFY_CONSUMER_IDS_CHANGED) means nothing to a gRPC client: not sent. */
  invokeOneway(connectionId: string, request: RemotingCommand): boolean {
    return this.relay.reaches(connectionId) ? false : this.connections.invokeOneway(connectionId, request);
  }

  /**
   * Apache's proxy asks a gRPC client only for its thread stacks (PrintThreadStackTraceCommand), and only with
   * jstackEnable; the answer is a ConsumerRunningInfo holding them. Compat: without jstackEnable Apache's proxy
   * never answers (the admin times out); we answer an empty ConsumerRunningInfo at once.
   */
  private async runningInfo(connectionId: string, request: RemotingCommand, timeoutMs: number) {
    if (optionalBoolean(request, 'jstackEnable') !== true) return runningInfoResponse(request, undefined);
    const answer = await this.relay.threadStackTrace(connectionId, timeoutMs);
    return answer.ok ? runningInfoResponse(request, answer.value) : failure(request, answer);
  }

  /** The message in the body goes to the client as a VerifyMessageCommand; its status is the CMResult. */
  private async consumeDirectly(connectionId: string, request: RemotingCommand, timeoutMs: number) {
    const record = decodeStoredRecord(request.body ?? Buffer.alloc(0));
    const answer = await this.relay.verifyMessage(connectionId, record, timeoutMs);
    if (!answer.ok) return failure(request, answer);
    const result = {
      order: false,
      autoCommit: true,
      consumeResult: answer.value,
      remark: 'from gRPC client',
      spentTimeMills: 0,
    };
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify(result)));
  }
}

/** Java `ConsumerRunningInfo` as fastjson writes it: empty tables, and `jstack` when there is one. */
function runningInfoResponse(request: RemotingCommand, jstack: string | undefined): RemotingCommand {
  const info = { jstack, mqTable: {}, properties: {}, statusTable: {}, subscriptionSet: [], userConsumerInfo: {} };
  return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify(info)));
}

/** No answer in time is the invoker's timeout (the handler's CONSUME_MSG_TIMEOUT); a refusal is Apache's reply. */
function failure(request: RemotingCommand, answer: Extract<RelayAnswer<unknown>, { ok: false }>): RemotingCommand {
  if (answer.kind === 'timeout') throw new RemotingError(RemotingErrorCode.TIMEOUT, answer.remark);
  const code = answer.kind === 'refused' ? ResponseCode.NO_PERMISSION : ResponseCode.SYSTEM_ERROR;
  return createResponse(request, code, answer.remark);
}
