// The TypeScript client SDK with the official Java client (rocketmq-client 5.5.0, via test/compat/java's
// ClientProbe) through our registry and broker: what a TS Producer sends (single, batch, compressed,
// ordered by messageGroup) reaches a Java push consumer with its id, body, tag, keys and properties,
// and what a Java producer sends (sync, batch, compressed, ordered by a queue selector) reaches a TS
// PushConsumer the same way.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import type { ClientOptions } from '../../ts/client/client-options.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import { Producer } from '../../ts/client/producer/producer.js';
import type { SendReceipt } from '../../ts/client/producer/send-request.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { type CleanupStep, runCleanup, uniqueName, waitFor } from '../client/client-fixtures.js';
import {
  buildJavaProbes,
  type CompatCluster,
  FAST_CLIENT,
  messageLines,
  clientProbe as probe,
  type ProbeLine,
  startCompatCluster,
} from './compat-fixtures.js';

let cluster: CompatCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  await buildJavaProbes();
  cluster = await startCompatCluster();
}, 600_000);
afterAll(() => cluster?.stop());
afterEach(() => runCleanup(cleanup));

function clientOptions(): ClientOptions {
  return { namesrvAddr: cluster.namesrv, clientIp: '127.0.0.1', logger: createMemoryLogger() };
}

async function startProducer(): Promise<Producer> {
  const producer = new Producer({ ...clientOptions(), producerGroup: uniqueName('pg') });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  return producer;
}

/** A topic with `queueNums` queues, routed by the name server. */
async function newTopic(prefix: string, queueNums: number): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = new Admin(clientOptions());
  await admin.startup();
  try {
    await admin.createTopic(topic, { readQueueNums: queueNums, writeQueueNums: queueNums });
    await waitFor(`the route of ${topic}`, async () => (await admin.topicRoute(topic).catch(() => null)) !== null);
  } finally {
    await admin.shutdown();
  }
  return topic;
}

/** A started TS PushConsumer of a new group, from the first offset, recording what it receives. */
async function startConsumer(topic: string, consumeOrderly = false): Promise<MessageView[]> {
  const received: MessageView[] = [];
  const consumer = new PushConsumer({
    ...clientOptions(),
    consumerGroup: uniqueName('cg'),
    subscriptions: { [topic]: '*' },
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    consumeOrderly,
    messageListener: {
      consume: (message) => {
        received.push(message);
        return ConsumeResult.SUCCESS;
      },
    },
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return received;
}

/** A Java push consumer of a new group that runs until it has `count` messages; its delivery lines. */
async function javaConsume(topic: string, count: number, ...options: string[]): Promise<ProbeLine[]> {
  const lines = await probe(
    'consume',
    cluster.namesrv,
    uniqueName('java_cg'),
    topic,
    '*',
    String(count),
    '60000',
    ...FAST_CLIENT,
    ...options,
  );
  expect(lines.at(-1)).toMatchObject({ done: true, distinct: count });
  return messageLines(lines);
}

/** A Java producer run (ClientProbe produce); its per-message lines. */
async function javaProduce(topic: string, count: number, mode: string, ...options: string[]): Promise<ProbeLine[]> {
  const lines = await probe('produce', cluster.namesrv, topic, String(count), mode, ...options);
  expect(lines.at(-1)).toMatchObject({ done: true, sent: count });
  return messageLines(lines);
}

describe('interop: TS Producer → Java push consumer', () => {
  it('delivers single, batch and compressed sends with their ids, bodies, tags, keys and properties', async () => {
    const topic = await newTopic('TsToJava', 4);
    const producer = await startProducer();
    const sent: Array<{ receipt: SendReceipt; body: string; tag: string; keys: string }> = [];
    for (let i = 0; i < 12; i++) {
      const message = {
        topic,
        tag: i % 2 === 0 ? 'TagA' : 'TagB',
        keys: [`ts-${i}`, `order-${i}`],
        body: `ts-body-${i}`,
        properties: { origin: 'ts', index: String(i) },
      };
      sent.push({
        receipt: await producer.send(message),
        body: message.body,
        tag: message.tag,
        keys: message.keys.join(' '),
      });
    }
    const batch = Array.from({ length: 8 }, (_, i) => ({
      topic,
      tag: 'TagBatch',
      keys: `batch-${i}`,
      body: `batch-body-${i}`,
      properties: { origin: 'ts' },
    }));
    const batchReceipts = await producer.sendBatch(batch);
    batch.forEach((message, i) =>
      sent.push({ receipt: batchReceipts[i] as SendReceipt, body: message.body, tag: message.tag, keys: message.keys }),
    );
    const big = 'x'.repeat(64 * 1024);
    sent.push({
      receipt: await producer.send({ topic, tag: 'TagBig', keys: 'big', body: big, properties: { origin: 'ts' } }),
      body: big,
      tag: 'TagBig',
      keys: 'big',
    });

    const received = await javaConsume(topic, sent.length);
    const byId = new Map(received.map((line) => [String(line['msgId']), line]));
    expect(byId.size).toBe(sent.length);
    for (const { receipt, body, tag, keys } of sent) {
      const line = byId.get(receipt.messageId);
      expect(line, `message ${receipt.messageId} (${keys})`).toBeDefined();
      expect(line).toMatchObject({
        topic,
        body,
        tags: tag,
        keys,
        offsetMsgId: receipt.offsetMsgId,
        queueId: receipt.messageQueue.queueId,
        queueOffset: receipt.offset,
      });
      expect((line?.['properties'] as Record<string, string>)['origin']).toBe('ts');
    }
    expect((byId.get(sent[3]?.receipt.messageId ?? '')?.['properties'] as Record<string, string>)['index']).toBe('3');
  }, 120_000);

  it('keeps each messageGroup in one queue, consumed in send order by an orderly Java consumer', async () => {
    const topic = await newTopic('TsToJavaOrderly', 4);
    const producer = await startProducer();
    const groups = 3;
    const steps = 6;
    for (let step = 0; step < steps; step++) {
      for (let group = 0; group < groups; group++)
        await producer.send({ topic, messageGroup: `order-${group}`, body: `order-${group} step-${step}` });
    }
    const received = await javaConsume(topic, groups * steps, '--orderly');
    for (let group = 0; group < groups; group++) {
      const lines = received.filter((line) => String(line['body']).startsWith(`order-${group} `));
      expect(lines.map((line) => line['body'])).toEqual(
        Array.from({ length: steps }, (_, step) => `order-${group} step-${step}`),
      );
      expect(new Set(lines.map((line) => line['queueId'])).size).toBe(1);
      expect(
        lines.every((line) => (line['properties'] as Record<string, string>)['__SHARDINGKEY'] === `order-${group}`),
      ).toBe(true);
    }
  }, 120_000);
});

describe('interop: Java producer → TS PushConsumer', () => {
  it('delivers sync, batch and compressed sends with their ids, bodies, tags and keys', async () => {
    const topic = uniqueName('JavaToTs');
    const sent = [
      ...(await javaProduce(topic, 12, 'sync', '--tag', 'TagJ', '--keys', 'java-{i}')),
      ...(await javaProduce(topic, 8, 'batch', '--tag', 'TagJ', '--keys', 'java-{i}', '--start-index', '12')),
      // Java compresses bodies over 4 KiB (not in batches).
      ...(await javaProduce(
        topic,
        2,
        'sync',
        '--tag',
        'TagJ',
        '--keys',
        'java-{i}',
        '--start-index',
        '20',
        '--body-size',
        '8192',
      )),
    ];
    expect(sent.every((line) => line['status'] === 'SEND_OK')).toBe(true);

    const received = await startConsumer(topic);
    await waitFor('every Java message', () => received.length >= sent.length, 30_000);
    const byId = new Map(received.map((message) => [message.messageId, message]));
    expect(byId.size).toBe(sent.length);
    for (const line of sent) {
      const message = byId.get(String(line['msgId']));
      const i = Number(line['i']);
      expect(message, `message ${i}`).toBeDefined();
      expect(message?.body.toString()).toBe(i >= 20 ? `msg-${i}`.padEnd(8192, 'x') : `msg-${i}`);
      expect(message?.tag).toBe('TagJ');
      expect(message?.keys).toEqual([`java-${i}`]);
      expect(message?.offsetMsgId).toBe(line['offsetMsgId']);
      expect(message?.messageQueue.queueId).toBe(line['queueId']);
      expect(message?.offset).toBe(line['queueOffset']);
    }
    expect(byId.get(String(sent[20]?.['msgId']))?.sysFlag ?? 0).toSatisfy((sysFlag: number) => (sysFlag & 0x1) === 1);
  }, 120_000);

  it('consumes a Java order key queue by queue in send order with an orderly TS consumer', async () => {
    const topic = await newTopic('JavaToTsOrderly', 4);
    const sent = await javaProduce(topic, 18, 'sync', '--orderly-key-count', '3');
    const received = await startConsumer(topic, true);
    await waitFor('every Java message', () => received.length >= sent.length, 30_000);
    const indexOf = (message: MessageView): number => Number(message.body.toString().slice('msg-'.length));
    for (let key = 0; key < 3; key++) {
      const sentQueues = new Set(
        sent.filter((line) => line['orderKey'] === `key-${key}`).map((line) => line['queueId']),
      );
      expect(sentQueues.size).toBe(1);
      const seen = received.filter((message) => indexOf(message) % 3 === key);
      expect(seen.map(indexOf)).toEqual(Array.from({ length: 6 }, (_, n) => key + 3 * n));
      expect(seen.every((message) => sentQueues.has(message.messageQueue.queueId))).toBe(true);
    }
  }, 120_000);
});
