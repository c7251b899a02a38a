// Pop over raw Remoting (the ts/protocol codecs) against the broker under test, and with
// CLIENT_TEST_TARGET=apache against Apache RocketMQ 5.5.0, so both answer the same: receipt handles
// that ack, a message not acked coming back through the pop retry topic, and the codes of bad input.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../../ts/client/producer/producer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { buildExtraInfo, parseStartOffsetInfo, popOffsetInfoKey } from '../../ts/protocol/pop-extra-info.js';
import {
  decodePopMessageResponseHeader,
  encodeAckMessageRequestHeader,
  encodeChangeInvisibleTimeRequestHeader,
  encodePopMessageRequestHeader,
  type PopMessageRequestHeader,
} from '../../ts/protocol/pop-headers.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest, type RemotingCommand } from '../../ts/remoting/remoting-command.js';
import {
  CLUSTER_START_TIMEOUT_MS,
  type CleanupStep,
  createTopic,
  runCleanup,
  startAdmin,
  startCluster,
  type TestCluster,
  uniqueName,
} from './client-fixtures.js';

let cluster: TestCluster;
let remoting: RemotingClient;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startCluster();
  remoting = new RemotingClient({ logger: createMemoryLogger() });
}, CLUSTER_START_TIMEOUT_MS);
afterAll(async () => {
  await remoting?.close();
  await cluster?.stop();
});
afterEach(() => runCleanup(cleanup));

interface Popped {
  readonly body: string;
  readonly topic: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly reconsumeTimes: number;
  readonly receipt: string;
}

async function setup(): Promise<{ topic: string; group: string }> {
  const topic = uniqueName('PopTopic');
  await createTopic(await startAdmin(cluster, cleanup), topic, 1);
  const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
  await producer.start();
  cleanup.push(() => producer.shutdown());
  await producer.send({ topic, body: Buffer.from('hello') });
  return { topic, group: uniqueName('PopGroup') };
}

function pop(topic: string, group: string, fields: Partial<PopMessageRequestHeader> = {}): Promise<RemotingCommand> {
  const header: PopMessageRequestHeader = {
    consumerGroup: group,
    topic,
    queueId: -1,
    maxMsgNums: 32,
    invisibleTime: 60_000,
    pollTime: 0,
    bornTime: Date.now(),
    initMode: 0,
    ...fields,
  };
  return remoting.invoke(
    cluster.brokerAddr,
    createRequest(RequestCode.POP_MESSAGE, encodePopMessageRequestHeader(header)),
    30_000,
  );
}

/** The records of a POP reply with the receipt handles the Java client builds. */
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
    receipt:
      record.properties.get('POP_CK') ??
      buildExtraInfo({
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

function ack(group: string, message: Popped, fields: Partial<{ offset: number; extraInfo: string }> = {}) {
  const header = {
    consumerGroup: group,
    topic: message.topic,
    queueId: message.queueId,
    extraInfo: fields.extraInfo ?? message.receipt,
    offset: fields.offset ?? message.queueOffset,
  };
  return remoting.invoke(
    cluster.brokerAddr,
    createRequest(RequestCode.ACK_MESSAGE, encodeAckMessageRequestHeader(header)),
  );
}

/** Pops (holding up to 5 s each time) until something comes back or `timeoutMs` passes. */
async function popUntilFound(topic: string, group: string, timeoutMs: number): Promise<Popped[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = popped(await pop(topic, group, { pollTime: 5_000 }));
    if (found.length > 0) return found;
  }
  return [];
}

describe('pop over Remoting', () => {
  it('pops a message and acks it with its receipt handle; nothing more to pop', async () => {
    const { topic, group } = await setup();
    const [message] = popped(await pop(topic, group));
    expect(message?.body).toBe('hello');
    expect((await ack(group, message!)).code).toBe(ResponseCode.SUCCESS);
    expect((await pop(topic, group)).code).toBe(ResponseCode.POLLING_TIMEOUT);
  });

  it('brings back a message not acked after its invisible time, with reconsumeTimes 1', async () => {
    const { topic, group } = await setup();
    expect(popped(await pop(topic, group, { invisibleTime: 2_000 }))).toHaveLength(1);
    const [back] = await popUntilFound(topic, group, 60_000);
    expect([back?.body, back?.reconsumeTimes]).toEqual(['hello', 1]);
    expect((await ack(group, back!)).code).toBe(ResponseCode.SUCCESS);
  }, 90_000);

  it('answers bad input with the reference codes and keeps serving', async () => {
    const { topic, group } = await setup();
    const tooMany = await pop(topic, group, { maxMsgNums: 100_000 });
    expect(tooMany.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(tooMany.remark).toMatch(/pop message's num is greater than 32$/);
    expect((await pop(topic, group, { maxMsgNums: 0 })).code).toBe(ResponseCode.POLLING_TIMEOUT);
    const [message] = popped(await pop(topic, group));
    expect(message?.body).toBe('hello');
    expect((await ack(group, message!, { extraInfo: 'forged' })).code).toBe(ResponseCode.SYSTEM_ERROR);
    const outside = await ack(group, message!, { offset: 99 });
    expect(outside.code).toBe(ResponseCode.NO_MESSAGE);
    expect(outside.remark).toBe(`offset is illegal, key:${topic}@0, commit:99, store:0~1`);
    expect((await ack(group, message!)).code).toBe(ResponseCode.SUCCESS);
    expect((await ack(group, message!)).code).toBe(ResponseCode.SUCCESS);
    const change = encodeChangeInvisibleTimeRequestHeader({
      consumerGroup: group,
      topic,
      queueId: 0,
      extraInfo: message!.receipt,
      offset: message!.queueOffset,
      invisibleTime: 1_000,
    });
    const changed = await remoting.invoke(
      cluster.brokerAddr,
      createRequest(RequestCode.CHANGE_MESSAGE_INVISIBLETIME, change),
    );
    expect(changed.code).toBe(ResponseCode.SUCCESS);
    const missing = await pop(uniqueName('NoSuchTopic'), group);
    expect(missing.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    const writeOnly = uniqueName('WriteOnly');
    const admin = await startAdmin(cluster, cleanup);
    await admin.createTopic(writeOnly, {
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 2,
      brokerAddr: cluster.brokerAddr,
    });
    const denied = await pop(writeOnly, group);
    expect([denied.code, denied.remark]).toEqual([
      ResponseCode.NO_PERMISSION,
      `the topic[${writeOnly}] peeking message is forbidden`,
    ]);
  });

  it('a negative invisible time pops the message and it comes back', async () => {
    const { topic, group } = await setup();
    const first = await pop(topic, group, { invisibleTime: -1 });
    expect(first.code).toBe(ResponseCode.SUCCESS);
    const [back] = await popUntilFound(topic, group, 60_000);
    expect([back?.body, back?.reconsumeTimes]).toEqual(['hello', 1]);
  }, 90_000);

  it('orderly: the queue stays locked while its pop is un-acked, the re-pop counts the attempt', async () => {
    const { topic, group } = await setup();
    const first = await pop(topic, group, { order: true, invisibleTime: 5_000 });
    expect(popped(first).map((message) => message.body)).toEqual(['hello']);
    expect(first.extFields['reviveQid']).toBe('999');
    expect(first.extFields['orderCountInfo']).toBe('0 0 0');
    expect((await pop(topic, group, { order: true })).code).toBe(ResponseCode.POLLING_TIMEOUT);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const again = await pop(topic, group, { order: true, invisibleTime: 60_000 });
    expect(popped(again).map((message) => message.body)).toEqual(['hello']);
    expect(again.extFields['orderCountInfo']).toBe('0 qo0%0 1;0 0 1');
    expect((await ack(group, popped(again)[0]!)).code).toBe(ResponseCode.SUCCESS);
    expect((await pop(topic, group, { order: true })).code).toBe(ResponseCode.POLLING_TIMEOUT);
  });
});
