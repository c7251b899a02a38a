// The admin's questions to gRPC clients over their Telemetry streams (Apache's proxy `GrpcClientChannel`,
// `ClientActivity#reportThreadStackTrace` / `#reportVerifyMessageResult`): PrintThreadStackTraceCommand and
// VerifyMessageCommand written with a nonce, the client's ThreadStackTrace / VerifyMessageResult matched back by
// it, a question unanswered in time forgotten. Depends on the client activity's streams, the message converter,
// the Scheduler and the protos.

import { create } from '@bufbuild/protobuf';
import type { Scheduler } from '../../common/scheduler.js';
import { Code, type Status } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  PrintThreadStackTraceCommandSchema,
  TelemetryCommandSchema,
  VerifyMessageCommandSchema,
  type TelemetryCommand,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import type { StoredMessage } from '../../protocol/record-decoder.js';
import type { ClientCommandRelay, ConsumeDirectlyResult, RelayAnswer } from '../services/client-command-relay.js';
import type { TelemetryStream } from './client-activity.js';
import { GRPC_CONNECTION_PREFIX } from './grpc-context.js';
import { toGrpcMessage } from './message-converter.js';

type Question = TelemetryCommand['command'];

interface Pending {
  readonly answer: (command: TelemetryCommand) => void;
  readonly timer: unknown;
}

export class TelemetryRelay implements ClientCommandRelay {
  private nextNonce = 1;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly streamOf: (clientId: string) => TelemetryStream | null,
    private readonly scheduler: Scheduler,
  ) {}

  reaches(connectionId: string): boolean {
    return connectionId.startsWith(GRPC_CONNECTION_PREFIX);
  }

  /** The client's thread stacks; Apache's remarks when it answers with another code. */
  threadStackTrace(connectionId: string, timeoutMs: number): Promise<RelayAnswer<string>> {
    const question = (nonce: string): Question => ({
      case: 'printThreadStackTraceCommand',
      value: create(PrintThreadStackTraceCommandSchema, { nonce }),
    });
    return this.ask(connectionId, timeoutMs, question, (command) => {
      const stack = command.command.case === 'threadStackTrace' ? (command.command.value.threadStackTrace ?? '') : '';
      const code = command.status?.code ?? Code.OK;
      if (code === Code.OK) return { ok: true, value: stack };
      if (code === Code.VERIFY_FIFO_MESSAGE_UNSUPPORTED)
        return { ok: false, kind: 'refused', remark: 'forbidden to verify message' };
      return { ok: false, kind: 'failed', remark: 'verify message failed' };
    });
  }

  /** The client's trial consumption of `record`: its status as Apache's proxy maps it to a CMResult. */
  verifyMessage(
    connectionId: string,
    record: StoredMessage,
    timeoutMs: number,
  ): Promise<RelayAnswer<ConsumeDirectlyResult>> {
    const message = toGrpcMessage(record);
    const question = (nonce: string): Question => ({
      case: 'verifyMessageCommand',
      value: create(VerifyMessageCommandSchema, { nonce, message }),
    });
    return this.ask(connectionId, timeoutMs, question, (command) => ({
      ok: true,
      value: consumeResultOf(command.status),
    }));
  }

  /**
   * A report on a Telemetry stream: the answer to the question with its nonce. The official Node.js client
   * answers a VerifyMessageCommand with the command itself (status NOT_IMPLEMENTED); that is matched too.
   */
  onReport(command: TelemetryCommand): void {
    const nonce = nonceOf(command);
    const pending = nonce === undefined ? undefined : this.pending.get(nonce);
    if (nonce === undefined || pending === undefined) return;
    this.pending.delete(nonce);
    this.scheduler.clearTimer(pending.timer);
    pending.answer(command);
  }

  private ask<T>(
    connectionId: string,
    timeoutMs: number,
    question: (nonce: string) => Question,
    read: (command: TelemetryCommand) => RelayAnswer<T>,
  ): Promise<RelayAnswer<T>> {
    const clientId = connectionId.slice(GRPC_CONNECTION_PREFIX.length);
    const stream = this.streamOf(clientId);
    if (stream === null) {
      return Promise.resolve({ ok: false, kind: 'failed', remark: `the client ${clientId} has no Telemetry stream` });
    }
    const nonce = String(this.nextNonce++);
    return new Promise((resolve) => {
      const timer = this.scheduler.setTimer(timeoutMs, () => {
        this.pending.delete(nonce);
        resolve({ ok: false, kind: 'timeout', remark: `no answer from ${clientId} in ${timeoutMs} ms` });
      });
      this.pending.set(nonce, { answer: (command) => resolve(read(command)), timer });
      stream.write(create(TelemetryCommandSchema, { command: question(nonce) }));
    });
  }
}

function nonceOf(command: TelemetryCommand): string | undefined {
  const { case: kind, value } = command.command;
  const answers = kind === 'threadStackTrace' || kind === 'verifyMessageResult' || kind === 'verifyMessageCommand';
  return answers ? value.nonce : undefined;
}

/** Apache's `buildConsumeMessageDirectlyResult`; a code it does not map is CR_THROW_EXCEPTION here (null there). */
function consumeResultOf(status: Status | undefined): ConsumeDirectlyResult {
  const code = status?.code;
  if (code === Code.OK) return 'CR_SUCCESS';
  if (code === Code.FAILED_TO_CONSUME_MESSAGE) return 'CR_LATER';
  return code === Code.MESSAGE_CORRUPTED ? 'CR_RETURN_NULL' : 'CR_THROW_EXCEPTION';
}
