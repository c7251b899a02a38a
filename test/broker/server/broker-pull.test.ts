// PULL_MESSAGE over real TCP against the assembled broker: messages come back as raw records with
// every response field, tag filters apply, a pull at the end of the queue is held until a message
// arrives (long polling) or its timeout passes, and the subscription checks answer Java's codes.

import { afterEach, describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import type { Broker } from '../../../ts/broker/server/broker.js';
import { socketAddress } from '../../../ts/common/socket-address.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingClient } from '../../../ts/remoting/remoting-client.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

async function setup(): Promise<{ broker: Broker; remoting: RemotingClient; address: string }> {
  const broker = await startTestBroker(cleanup);
  broker.topics.createOrUpdate(newTopicConfig('TopicA', { readQueueNums: 4, writeQueueNums: 4 }));
  return { broker, remoting: testClient(cleanup), address: `127.0.0.1:${broker.port}` };
}

function append(broker: Broker, tags: string[]): void {
  broker.store.append(
    tags.map((tag, i) => ({
      topic: 'TopicA',
      queueId: 0,
      body: Buffer.from(`body-${tag}-${i}`),
      properties: `TAGS\x01${tag}\x02`,
      bornTimestamp: Date.now(),
      bornHost: socketAddress('127.0.0.1', 50000),
      storeHost: socketAddress('127.0.0.1', 10911),
    })),
  );
  broker.notifyMessageArriving('TopicA', 0);
}

/** A pull with its own subscription (0x4) that may be suspended (0x2). */
function pull(queueOffset: number, subscription = '*', suspendTimeoutMillis = 15_000) {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'cg',
    topic: 'TopicA',
    queueId: '0',
    queueOffset: String(queueOffset),
    maxMsgNums: '32',
    sysFlag: String(0x2 | 0x4),
    commitOffset: '0',
    suspendTimeoutMillis: String(suspendTimeoutMillis),
    subscription,
    subVersion: '1',
    expressionType: 'TAG',
  });
}

describe('broker: PULL_MESSAGE', () => {
  it('returns the stored records with every response field, filtered by tag', async () => {
    const { broker, remoting, address } = await setup();
    append(broker, ['TagA', 'TagB', 'TagA']);
    const all = await remoting.invoke(address, pull(0));
    expect(all.code).toBe(ResponseCode.SUCCESS);
    expect(all.extFields).toMatchObject({
      nextBeginOffset: '3',
      minOffset: '0',
      maxOffset: '3',
      suggestWhichBrokerId: '0',
    });
    expect(decodeStoredRecords(all.body ?? Buffer.alloc(0)).map((m) => m.body.toString())).toEqual([
      'body-TagA-0',
      'body-TagB-1',
      'body-TagA-2',
    ]);
    const tagB = await remoting.invoke(address, pull(0, 'TagB'));
    expect(decodeStoredRecords(tagB.body ?? Buffer.alloc(0)).map((m) => m.queueOffset)).toEqual([1]);
  });

  it('holds a pull at the end of the queue until a message arrives', async () => {
    const { broker, remoting, address } = await setup();
    const started = Date.now();
    const held = remoting.invoke(address, pull(0), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(broker.pullHolds.heldCount).toBe(1);
    append(broker, ['TagA']);
    const reply = await held;
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(decodeStoredRecords(reply.body ?? Buffer.alloc(0))).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a held pull when the broker stops, before its connections close', async () => {
    const { broker, remoting, address } = await setup();
    const held = remoting.invoke(address, pull(0), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(broker.pullHolds.heldCount).toBe(1);
    await broker.stop();
    expect((await held).code).toBe(ResponseCode.PULL_NOT_FOUND);
  });

  it('wakes a held pull whose arrival was not notified, on the 5 s recheck', async () => {
    const { broker, remoting, address } = await setup();
    const held = remoting.invoke(address, pull(0), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    broker.store.append([
      {
        topic: 'TopicA',
        queueId: 0,
        body: Buffer.from('silent'),
        bornTimestamp: Date.now(),
        bornHost: socketAddress('127.0.0.1', 50000),
        storeHost: socketAddress('127.0.0.1', 10911),
      },
    ]);
    const started = Date.now();
    const reply = await held;
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(decodeStoredRecords(reply.body ?? Buffer.alloc(0))[0]?.body.toString()).toBe('silent');
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('answers PULL_NOT_FOUND once a held pull times out', async () => {
    const { remoting, address } = await setup();
    const started = Date.now();
    const reply = await remoting.invoke(address, pull(0, '*', 200));
    expect(reply.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(reply.extFields).toMatchObject({ nextBeginOffset: '0', maxOffset: '0' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("answers Java's codes for a missing topic, an illegal queue and an unknown subscription", async () => {
    const { remoting, address } = await setup();
    const noTopic = await remoting.invoke(address, { ...pull(0), extFields: { ...pull(0).extFields, topic: 'Nope' } });
    expect(noTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    const badQueue = await remoting.invoke(address, { ...pull(0), extFields: { ...pull(0).extFields, queueId: '9' } });
    expect(badQueue.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badQueue.remark).toMatch(/^queueId\[9\] is illegal/);
    const noSubscription = await remoting.invoke(address, {
      ...pull(0),
      extFields: { ...pull(0).extFields, sysFlag: '2' },
    });
    expect(noSubscription.code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST);
  });
});
