// Pop consumption over real TCP against the assembled broker on real files: POP with receipt handles,
// ACK and CHANGE_MESSAGE_INVISIBLETIME, a held pop woken by a send, and a restart in the middle of an
// invisibility (the message comes back once, after its invisible time, through the pop retry topic).

import { afterEach, describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { Broker } from '../../../ts/broker/server/broker.js';
import type { BrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { socketAddress } from '../../../ts/common/socket-address.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingClient } from '../../../ts/remoting/remoting-client.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import {
  decodeChangeInvisibleTimeResponseHeader,
  decodePopMessageResponseHeader,
  encodeAckMessageRequestHeader,
  encodeChangeInvisibleTimeRequestHeader,
  encodePollingInfoRequestHeader,
  encodePopMessageRequestHeader,
} from '../../../ts/protocol/pop-headers.js';
import { buildExtraInfo, parseStartOffsetInfo, popOffsetInfoKey } from '../../../ts/protocol/pop-extra-info.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

function append(broker: Broker, bodies: string[]): void {
  broker.store.append(
    bodies.map((body) => ({
      topic: 'PopTopic',
      queueId: 0,
      body: Buffer.from(body),
      properties: 'TAGS\x01TagA\x02',
      bornTimestamp: Date.now(),
      bornHost: socketAddress('127.0.0.1', 50000),
      storeHost: socketAddress('127.0.0.1', 10911),
    })),
  );
  broker.notifyMessageArriving('PopTopic', 0);
}

function pop(invisibleTime: number, pollTime = 0): RemotingCommand {
  return createRequest(
    RequestCode.POP_MESSAGE,
    encodePopMessageRequestHeader({
      consumerGroup: 'PopGroup',
      topic: 'PopTopic',
      queueId: -1,
      maxMsgNums: 32,
      invisibleTime,
      pollTime,
      bornTime: Date.now(),
      initMode: 0,
      expType: 'TAG',
      exp: '*',
    }),
  );
}

interface Popped {
  readonly body: string;
  readonly topic: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly reconsumeTimes: number;
  readonly receipt: string;
}

/** The popped records with their receipt handles, built as the Java client builds them. */
function popped(reply: RemotingCommand): Popped[] {
  if (reply.code !== ResponseCode.SUCCESS) return [];
  const header = decodePopMessageResponseHeader(reply.extFields);
  const starts = parseStartOffsetInfo(header.startOffsetInfo) ?? new Map<string, number>();
  return decodeStoredRecords(reply.body ?? Buffer.alloc(0)).map((record) => ({
    body: record.body.toString(),
    topic: record.topic,
    queueId: record.queueId,
    queueOffset: record.queueOffset,
    reconsumeTimes: record.reconsumeTimes,
    receipt: buildExtraInfo({
      ckQueueOffset: starts.get(popOffsetInfoKey(record.topic, record.queueId)) ?? -1,
      popTime: header.popTime,
      invisibleTime: header.invisibleTime,
      reviveQid: header.reviveQid,
      topic: record.topic,
      brokerName: 'broker-a',
      queueId: record.queueId,
      queueOffset: record.queueOffset,
    }),
  }));
}

function ack(message: Popped): RemotingCommand {
  const { topic, queueId, receipt: extraInfo, queueOffset: offset } = message;
  return createRequest(
    RequestCode.ACK_MESSAGE,
    encodeAckMessageRequestHeader({ consumerGroup: 'PopGroup', topic, queueId, extraInfo, offset }),
  );
}

function setup(broker: Broker): { remoting: RemotingClient; address: string } {
  broker.topics.createOrUpdate(newTopicConfig('PopTopic', { readQueueNums: 1, writeQueueNums: 1 }));
  return { remoting: testClient(cleanup), address: `127.0.0.1:${broker.port}` };
}

describe('broker: pop over TCP', () => {
  it('pops, extends the invisibility of one message and acks the other; neither comes back', async () => {
    const broker = await startTestBroker(cleanup, { reviveInterval: 200 });
    const { remoting, address } = setup(broker);
    append(broker, ['a', 'b']);
    const messages = popped(await remoting.invoke(address, pop(4_000)));
    expect(messages.map((message) => message.body)).toEqual(['a', 'b']);
    const change = createRequest(
      RequestCode.CHANGE_MESSAGE_INVISIBLETIME,
      encodeChangeInvisibleTimeRequestHeader({
        consumerGroup: 'PopGroup',
        topic: 'PopTopic',
        queueId: 0,
        extraInfo: messages[1]!.receipt,
        offset: messages[1]!.queueOffset,
        invisibleTime: 60_000,
      }),
    );
    const changed = await remoting.invoke(address, change);
    expect(changed.code).toBe(ResponseCode.SUCCESS);
    expect(decodeChangeInvisibleTimeResponseHeader(changed.extFields).invisibleTime).toBe(60_000);
    expect((await remoting.invoke(address, ack(messages[0]!))).code).toBe(ResponseCode.SUCCESS);
    // Past the first deadline (4 s) and many revive passes: neither comes back.
    const later = await remoting.invoke(address, pop(60_000, 6_000), 15_000);
    expect(later.code).toBe(ResponseCode.POLLING_TIMEOUT);
  });

  it('holds a pop until a message arrives', async () => {
    const broker = await startTestBroker(cleanup);
    const { remoting, address } = setup(broker);
    const held = remoting.invoke(address, pop(60_000, 15_000), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    append(broker, ['late']);
    expect(popped(await held).map((message) => message.body)).toEqual(['late']);
  });

  it('answers a held pop when the broker stops, before the connection closes', async () => {
    const broker = await startTestBroker(cleanup);
    const { remoting, address } = setup(broker);
    const held = remoting.invoke(address, pop(60_000, 20_000), 25_000);
    const info = createRequest(
      RequestCode.POLLING_INFO,
      encodePollingInfoRequestHeader({ consumerGroup: 'PopGroup', topic: 'PopTopic', queueId: 0 }),
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await remoting.invoke(address, info)).extFields['pollingNum'] === '1') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await broker.stop();
    expect((await held).code).toBe(ResponseCode.POLLING_TIMEOUT);
  });

  it('keeps an in-flight pop across a restart: the message comes back once, after its invisible time', async () => {
    await expectPopSurvivesRestart({ reviveInterval: 200 });
  }, 60_000);

  it('writes the merge buffer at stop: a buffered checkpoint survives the restart too', async () => {
    await expectPopSurvivesRestart({ reviveInterval: 200, enablePopBufferMerge: true, popCkStayBufferTime: 60_000 });
  }, 60_000);
});

/** Pops a message, restarts the broker on its files, and expects the message back once after its invisible time. */
async function expectPopSurvivesRestart(overrides: Partial<BrokerConfig>): Promise<void> {
  const first = await startTestBroker(cleanup, overrides);
  const { remoting } = setup(first);
  append(first, ['survivor']);
  const [message] = popped(await remoting.invoke(`127.0.0.1:${first.port}`, pop(8_000)));
  expect(message?.body).toBe('survivor');
  await first.stop();
  const second = new Broker({ ...first.config, listenPort: 0 }, createMemoryLogger());
  await second.start();
  cleanup.push(() => second.stop());
  const address = `127.0.0.1:${second.port}`;
  expect((await remoting.invoke(address, pop(60_000))).code).toBe(ResponseCode.POLLING_TIMEOUT);
  let back: Popped[] = [];
  for (let attempt = 0; attempt < 10 && back.length === 0; attempt++) {
    back = popped(await remoting.invoke(address, pop(60_000, 3_000), 10_000));
  }
  expect(back.map((popped) => [popped.body, popped.topic, popped.reconsumeTimes])).toEqual([
    ['survivor', '%RETRY%PopGroup_PopTopic', 1],
  ]);
  expect((await remoting.invoke(address, ack(back[0]!))).code).toBe(ResponseCode.SUCCESS);
  expect((await remoting.invoke(address, pop(60_000, 2_000), 10_000)).code).toBe(ResponseCode.POLLING_TIMEOUT);
}
