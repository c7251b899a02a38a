// TelemetryRelay and RelayingClientInvoker without a network: questions written on a client's Telemetry stream
// with a nonce, answers matched back by it (VerifyMessageResult, or the Node.js client's echoed command), the
// status mapped as Apache's proxy maps it, a silent client timed out on the fake clock, and CONSUME_MESSAGE_DIRECTLY
// answered as a ConsumeMessageDirectlyResult.

import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RelayingClientInvoker } from '../../../ts/broker/api/relaying-client-invoker.js';
import { TelemetryRelay } from '../../../ts/broker/grpc/telemetry-relay.js';
import { ClientCommandRelays } from '../../../ts/broker/services/client-command-relay.js';
import { Code } from '../../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  TelemetryCommandSchema,
  VerifyMessageResultSchema,
  type TelemetryCommand,
} from '../../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { decodeStoredRecord } from '../../../ts/protocol/record-decoder.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { isRemotingError, RemotingErrorCode } from '../../../ts/remoting/remoting-error.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';
import { goldenRecordBytes } from '../../store/store-fixtures.js';

function setup() {
  const clock = new FakeScheduler();
  const written: TelemetryCommand[] = [];
  const stream = { write: (command: TelemetryCommand) => void written.push(command), failInvalidArgument: () => {} };
  const relay = new TelemetryRelay((clientId) => (clientId === 'c1' ? stream : null), clock);
  return { clock, written, relay };
}

function verifyResult(nonce: string, code: Code): TelemetryCommand {
  return create(TelemetryCommandSchema, {
    status: { code, message: Code[code] },
    command: { case: 'verifyMessageResult', value: create(VerifyMessageResultSchema, { nonce }) },
  });
}

describe('grpc: TelemetryRelay', () => {
  it('writes a VerifyMessageCommand with the message and maps the answer status to a CMResult', async () => {
    const { written, relay } = setup();
    const record = decodeStoredRecord(goldenRecordBytes());
    const results = [Code.OK, Code.FAILED_TO_CONSUME_MESSAGE, Code.MESSAGE_CORRUPTED, Code.NOT_IMPLEMENTED].map(
      (code) => {
        const answer = relay.verifyMessage('grpc:c1', record, 5000);
        const question = written.at(-1)?.command;
        expect(question?.case).toBe('verifyMessageCommand');
        if (question?.case !== 'verifyMessageCommand') throw new Error('no question');
        expect(Buffer.from(question.value.message?.body ?? []).toString()).toBe('hello');
        relay.onReport(verifyResult(question.value.nonce, code));
        return answer;
      },
    );
    expect((await Promise.all(results)).map((answer) => answer.ok && answer.value)).toEqual([
      'CR_SUCCESS',
      'CR_LATER',
      'CR_RETURN_NULL',
      'CR_THROW_EXCEPTION',
    ]);
  });

  it('times out a silent client, ignores unknown nonces, and fails a client without a stream', async () => {
    const { clock, relay } = setup();
    const answer = relay.threadStackTrace('grpc:c1', 3000);
    relay.onReport(verifyResult('999', Code.OK));
    clock.advance(3000);
    expect(await answer).toMatchObject({ ok: false, kind: 'timeout' });
    expect(await relay.threadStackTrace('grpc:gone', 3000)).toMatchObject({ ok: false, kind: 'failed' });
    expect(relay.reaches('grpc:c1')).toBe(true);
    expect(relay.reaches('127.0.0.1:5000')).toBe(false);
  });

  it('relays CONSUME_MESSAGE_DIRECTLY to a gRPC client; a timeout is the invoker timeout', async () => {
    const { clock, written, relay } = setup();
    const relays = new ClientCommandRelays();
    relays.register(relay);
    const remoting = { invoke: () => Promise.reject(new Error('not remoting')), invokeOneway: () => true };
    const invoker = new RelayingClientInvoker(remoting, relays);
    const request = createRequest(RequestCode.CONSUME_MESSAGE_DIRECTLY, { consumerGroup: 'g' }, goldenRecordBytes());
    const reply = invoker.invoke('grpc:c1', request, 5000);
    const question = written.at(-1)?.command;
    if (question?.case !== 'verifyMessageCommand') throw new Error('no question');
    relay.onReport(verifyResult(question.value.nonce, Code.OK));
    const answered = await reply;
    expect(answered.code).toBe(ResponseCode.SUCCESS);
    expect(JSON.parse(answered.body?.toString() ?? '')).toMatchObject({
      consumeResult: 'CR_SUCCESS',
      remark: 'from gRPC client',
    });
    const silent = invoker.invoke('grpc:c1', request, 1000);
    clock.advance(1000);
    const error = await silent.catch((caught: unknown) => caught);
    expect(isRemotingError(error, RemotingErrorCode.TIMEOUT)).toBe(true);
    expect(invoker.invokeOneway('grpc:c1', request)).toBe(false);
  });
});
