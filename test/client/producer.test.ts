// Producer against the all-in-one broker: what send, sendOneway and sendBatch return, and what a
// PushConsumer then receives (body, tag, keys, user properties, ids, offsets); topics auto-created
// from TBW102 on first send; bodies over 4 KiB compressed on the wire and inflated on receipt;
// delay levels; the checks that refuse a message before it is sent.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Broker } from '../../ts/broker/server/broker.js';
import { defaultBrokerConfig } from '../../ts/broker/server/broker-config.js';
import { isClientError } from '../../ts/client/client-error.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import type { PushConsumerOptions } from '../../ts/client/consumer/push-consumer-options.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { formatSocketAddress } from '../../ts/common/socket-address.js';
import { decodeOffsetMessageId } from '../../ts/protocol/offset-message-id.js';
import { ResponseCode } from '../../ts/remoting/codes.js';
import {
  type CleanupStep,
  createTopic,
  startAdmin,
  type TestCluster,
  uniqueName,
  useTestCluster,
  waitFor,
} from './client-fixtures.js';

let cluster: TestCluster;
const cleanup: CleanupStep[] = [];
useTestCluster(cleanup, (started) => (cluster = started));

async function startProducer(): Promise<Producer> {
  const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  return producer;
}

/** A started consumer that records what it receives. */
async function startConsumer(topic: string, options: Partial<PushConsumerOptions> = {}): Promise<MessageView[]> {
  const received: MessageView[] = [];
  const consumer = new PushConsumer({
    ...cluster.clientOptions(),
    consumerGroup: uniqueName('cg'),
    subscriptions: new Map([[topic, '*']]),
    messageListener: {
      consume: (message) => {
        received.push(message);
        return ConsumeResult.SUCCESS;
      },
    },
    ...options,
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return received;
}

describe('Producer: send', () => {
  it('sends to a new topic (created from TBW102) and a PushConsumer receives it as sent', async () => {
    const topic = uniqueName('SendTopic');
    const producer = await startProducer();
    const receipt = await producer.send({
      topic,
      tag: 'TagA',
      keys: ['order-1', 'order-2'],
      body: Buffer.from('hello'),
      properties: { color: 'red' },
    });
    expect(receipt.status).toBe('SEND_OK');
    expect(receipt.messageId).toMatch(/^[0-9A-F]{32}$/);
    expect(receipt.messageQueue.topic).toBe(topic);
    expect(receipt.messageQueue.brokerName).toBe('broker-a');
    expect(receipt.offset).toBe(0);
    expect(formatSocketAddress(decodeOffsetMessageId(receipt.offsetMsgId))).toBe(cluster.brokerAddr);
    const queues = await producer.fetchPublishMessageQueues(topic);
    expect(queues).toHaveLength(4);

    const received = await startConsumer(topic);
    await waitFor('the message', () => received.length === 1);
    const message = received[0] as MessageView;
    expect(message.body.toString()).toBe('hello');
    expect(message.topic).toBe(topic);
    expect(message.tag).toBe('TagA');
    expect(message.keys).toEqual(['order-1', 'order-2']);
    expect(message.properties.get('color')).toBe('red');
    expect(message.properties.has('TAGS')).toBe(false);
    expect(message.messageId).toBe(receipt.messageId);
    expect(message.offsetMsgId).toBe(receipt.offsetMsgId);
    expect(message.messageQueue).toEqual(receipt.messageQueue);
    expect(message.offset).toBe(receipt.offset);
    expect(message.deliveryAttempt).toBe(1);
    expect(message.storeHost).toBe(cluster.brokerAddr);
    expect(message.bornTimestamp.getTime()).toBeLessThanOrEqual(message.storeTimestamp.getTime());
  });

  it('compresses bodies over 4 KiB on the wire and hands them back inflated', async () => {
    const topic = uniqueName('BigTopic');
    const admin = await startAdmin(cluster, cleanup);
    await createTopic(admin, topic, 1);
    const producer = await startProducer();
    const body = Buffer.alloc(64 * 1024, 'abcdefgh');
    await producer.send({ topic, body });
    const received = await startConsumer(topic);
    await waitFor('the message', () => received.length === 1);
    expect((received[0]?.sysFlag ?? 0) & 0x1).toBe(1);
    expect(received[0]?.body.equals(body)).toBe(true);
  });

  it('sendOneway delivers without waiting for a receipt', async () => {
    const topic = uniqueName('OnewayTopic');
    const admin = await startAdmin(cluster, cleanup);
    await createTopic(admin, topic, 2);
    const producer = await startProducer();
    const received = await startConsumer(topic);
    for (let i = 0; i < 5; i++) await producer.sendOneway({ topic, body: `oneway-${i}` });
    await waitFor('five oneway messages', () => received.length === 5);
    expect(received.map((m) => m.body.toString()).sort()).toEqual([
      'oneway-0',
      'oneway-1',
      'oneway-2',
      'oneway-3',
      'oneway-4',
    ]);
  });

  it('sendBatch stores the messages in one queue at consecutive offsets, each with its own id', async () => {
    const topic = uniqueName('BatchTopic');
    const admin = await startAdmin(cluster, cleanup);
    await createTopic(admin, topic, 4);
    const producer = await startProducer();
    const messages = Array.from({ length: 10 }, (_, i) => ({
      topic,
      tag: i % 2 === 0 ? 'even' : 'odd',
      keys: `k${i}`,
      body: `batch-${i}`,
    }));
    const receipts = await producer.sendBatch(messages);
    expect(receipts).toHaveLength(10);
    const queueId = receipts[0]?.messageQueue.queueId;
    expect(receipts.every((r) => r.messageQueue.queueId === queueId)).toBe(true);
    expect(receipts.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(receipts.map((r) => r.messageId)).size).toBe(10);
    expect(new Set(receipts.map((r) => r.offsetMsgId)).size).toBe(10);

    const received = await startConsumer(topic);
    await waitFor('the batch', () => received.length === 10);
    const byOffset = [...received].sort((a, b) => a.offset - b.offset);
    expect(byOffset.map((m) => m.body.toString())).toEqual(messages.map((m) => m.body));
    expect(byOffset.map((m) => m.messageId)).toEqual(receipts.map((r) => r.messageId));
    expect(byOffset.map((m) => m.tag)).toEqual(messages.map((m) => m.tag));
    expect(byOffset.map((m) => m.keys[0])).toEqual(messages.map((m) => m.keys));
  });

  it('delays a message by its delay level', async () => {
    const topic = uniqueName('DelayTopic');
    const admin = await startAdmin(cluster, cleanup);
    await createTopic(admin, topic, 1);
    const producer = await startProducer();
    const received = await startConsumer(topic);
    const sentAtMs = Date.now();
    await producer.send({ topic, body: 'later', delayLevel: 2 });
    await waitFor('the delayed message', () => received.length === 1);
    // Level 2 is one second on this broker (FAST_DELAY_LEVELS); the store time is the re-store time.
    expect((received[0]?.storeTimestamp.getTime() ?? 0) - sentAtMs).toBeGreaterThanOrEqual(900);
    expect(received[0]?.systemProperties.get('REAL_TOPIC')).toBe(topic);
  });

  it('refuses illegal messages before sending them', async () => {
    const producer = await startProducer();
    const refusal = async (send: Promise<unknown>): Promise<number> => {
      const error: unknown = await send.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isClientError(error)).toBe(true);
      return (error as { code: number }).code;
    };
    expect(await refusal(producer.send({ topic: 'T', body: '' }))).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(await refusal(producer.send({ topic: 'T', body: 'x', properties: { UNIQ_KEY: 'mine' } }))).toBe(
      ResponseCode.MESSAGE_ILLEGAL,
    );
    expect(await refusal(producer.send({ topic: 'SCHEDULE_TOPIC_XXXX', body: 'x' }))).toBe(
      ResponseCode.MESSAGE_ILLEGAL,
    );
    expect(await refusal(producer.send({ topic: 'bad topic', body: 'x' }))).toBe(-2);
    expect(await refusal(producer.sendBatch([{ topic: 'T', body: 'x', delayLevel: 1 }]))).toBe(-2);
  });

  it('refuses to send before startup and after shutdown', async () => {
    const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
    await expect(producer.send({ topic: 'T', body: 'x' })).rejects.toMatchObject({ code: -1 });
    await producer.startup();
    await producer.shutdown();
    await expect(producer.send({ topic: 'T', body: 'x' })).rejects.toMatchObject({ code: -1 });
  });

  // broker-b is always ours; with CLIENT_TEST_TARGET=apache it registers with Apache's name server
  // next to Apache's broker-a. What is under test is the producer's retry on the other broker.
  it('retries a failed send on another broker (retryTimesWhenSendFailed)', async () => {
    const storePathRootDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-broker-b-'));
    cleanup.push(() => rmSync(storePathRootDir, { recursive: true, force: true }));
    const brokerB = new Broker(
      {
        ...defaultBrokerConfig(),
        brokerName: 'broker-b',
        brokerIP1: '127.0.0.1',
        listenPort: 0,
        namesrvAddr: cluster.namesrvAddr,
        storePathRootDir,
        mappedFileSizeCommitLog: 4 * 1024 * 1024,
        maxHashSlotNum: 1024,
        maxIndexNum: 4096,
      },
      createMemoryLogger(),
    );
    await brokerB.start();
    let brokerBRunning = true;
    cleanup.push(async () => {
      if (brokerBRunning) await brokerB.stop();
    });
    const admin = await startAdmin(cluster, cleanup);
    const topic = uniqueName('FailoverTopic');
    await admin.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    await waitFor(
      'both brokers in the route',
      async () => (await admin.topicRoute(topic).catch(() => null))?.queueDatas.length === 2,
    );

    const logger = createMemoryLogger();
    const producer = new Producer({ ...cluster.clientOptions(), logger, producerGroup: uniqueName('pg') });
    await producer.startup();
    cleanup.push(() => producer.shutdown());
    const queues = await producer.fetchPublishMessageQueues(topic);
    expect(queues.map((mq) => mq.brokerName)).toEqual(['broker-a', 'broker-a', 'broker-b', 'broker-b']);
    // broker-b goes away; the producer's cached route still lists it.
    await brokerB.stop();
    brokerBRunning = false;
    const receipts = [];
    for (let i = 0; i < 8; i++) receipts.push(await producer.send({ topic, body: `f${i}` }));
    expect(receipts.every((receipt) => receipt.messageQueue.brokerName === 'broker-a')).toBe(true);
    const retries = logger.lines.filter((line) => line.message === 'send failed, retrying');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((line) => (line.fields?.['queue'] as { brokerName: string }).brokerName === 'broker-b')).toBe(
      true,
    );
  });

  it('refreshes routes from the name server every pollNameServerIntervalMs', async () => {
    const admin = await startAdmin(cluster, cleanup);
    const topic = uniqueName('GrowingTopic');
    await createTopic(admin, topic, 2);
    const producer = new Producer({
      ...cluster.clientOptions(),
      producerGroup: uniqueName('pg'),
      pollNameServerIntervalMs: 100,
    });
    await producer.startup();
    cleanup.push(() => producer.shutdown());
    expect(await producer.fetchPublishMessageQueues(topic)).toHaveLength(2);
    await createTopic(admin, topic, 6);
    await waitFor('six queues', async () => (await producer.fetchPublishMessageQueues(topic)).length === 6, 5000);
  });
});
