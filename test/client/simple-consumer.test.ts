// SimpleConsumer (Remoting pop) against the all-in-one broker, and with CLIENT_TEST_TARGET=apache against
// Apache RocketMQ 5.5.0: receive and ack, tag and SQL92 subscriptions, changeInvisibleDuration keeping a
// message hidden past its first deadline, an un-acked message coming back after its invisible time with
// reconsumeTimes 1, FIFO (each queue in order, locked while un-acked), bad arguments refused before any request.
// Time bounds are lower bounds or generous waits: a loaded machine only makes deliveries later.

import { describe, expect, it } from 'vitest';
import { ClientError } from '../../ts/client/client-error.js';
import { MessageSelector, type SubscriptionExpression } from '../../ts/client/consumer/filter-expression.js';
import { type PoppedMessage, SimpleConsumer } from '../../ts/client/consumer/simple-consumer.js';
import { Producer } from '../../ts/client/producer/producer.js';
import {
  type CleanupStep,
  createTopic,
  startAdmin,
  type TestCluster,
  uniqueName,
  useTestCluster,
} from './client-fixtures.js';

let cluster: TestCluster;
const cleanup: CleanupStep[] = [];
useTestCluster(cleanup, (started) => (cluster = started));

async function setup(expression: SubscriptionExpression = '*', fifo = false) {
  const topic = uniqueName('PopTopic');
  await createTopic(await startAdmin(cluster, cleanup), topic, 2);
  const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  const consumer = new SimpleConsumer({
    ...cluster.clientOptions(),
    consumerGroup: uniqueName('sg'),
    subscriptions: new Map([[topic, expression]]),
    awaitDurationMs: 1000,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    fifo,
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return { topic, producer, consumer };
}

/** Receives until `count` messages came (or `timeoutMs` passed); returns them in arrival order. */
async function receiveAll(
  consumer: SimpleConsumer,
  count: number,
  invisibleMs: number,
  timeoutMs = 30_000,
): Promise<PoppedMessage[]> {
  const received: PoppedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) received.push(...(await consumer.receive(32, invisibleMs)));
  return received;
}

describe('SimpleConsumer', () => {
  it('receives each message once while invisible and acks it', async () => {
    const { topic, producer, consumer } = await setup();
    for (let i = 0; i < 6; i++) await producer.send({ topic, body: `m${i}` });
    const received = await receiveAll(consumer, 6, 3000);
    expect(received.map((m) => m.body.toString()).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    for (const message of received) {
      expect(message.topic).toBe(topic);
      expect(message.reconsumeTimes).toBe(0);
      expect(message.receiptHandle.split(' ')).toHaveLength(8);
      await consumer.ack(message);
    }
    // Acked: nothing comes back, not even after the 3 s invisible time.
    const deadline = Date.now() + 6000;
    while (Date.now() < deadline) expect(await consumer.receive(32, 60_000)).toEqual([]);
  }, 60_000);

  it('receives only the subscribed tags, and with SQL92 only the matching properties', async () => {
    const tagged = await setup('TagA || TagC');
    for (const tag of ['TagA', 'TagB', 'TagC', 'TagB'])
      await tagged.producer.send({ topic: tagged.topic, tag, body: tag });
    const byTag = await receiveAll(tagged.consumer, 2, 60_000);
    expect(byTag.map((m) => m.tag).sort()).toEqual(['TagA', 'TagC']);

    const sql = await setup(MessageSelector.bySql("region = 'eu' AND n > 1"));
    for (const [region, n] of [
      ['eu', 1],
      ['eu', 2],
      ['us', 3],
      ['eu', 4],
    ] as const) {
      await sql.producer.send({ topic: sql.topic, properties: { region, n: String(n) }, body: `${region}${n}` });
    }
    const bySql = await receiveAll(sql.consumer, 2, 60_000);
    expect(bySql.map((m) => m.body.toString()).sort()).toEqual(['eu2', 'eu4']);
  }, 90_000);

  it('brings an un-acked message back after its invisible time, with reconsumeTimes 1, and acks it then', async () => {
    const { topic, producer, consumer } = await setup();
    const sent = await producer.send({ topic, body: 'again' });
    const [first] = await receiveAll(consumer, 1, 2000);
    expect(first?.messageId).toBe(sent.messageId);
    const [second] = await receiveAll(consumer, 1, 60_000, 60_000);
    // Not before its invisibility ended (the broker's popTime + invisible time; one clock on this machine).
    expect(Date.now()).toBeGreaterThanOrEqual(first!.invisibleUntilMs);
    expect(second?.messageId).toBe(sent.messageId);
    expect(second?.topic).toBe(topic);
    expect(second?.reconsumeTimes).toBe(1);
    expect(second?.deliveryAttempt).toBe(2);
    await consumer.ack(second!);
  }, 90_000);

  it('changeInvisibleDuration keeps a message hidden past its first deadline; the new handle acks it', async () => {
    const { topic, producer, consumer } = await setup();
    await producer.send({ topic, body: 'held' });
    const [message] = await receiveAll(consumer, 1, 3000);
    const firstHandle = message!.receiptHandle;
    const changed = await consumer.changeInvisibleDuration(message!, 60_000);
    expect(changed.receiptHandle).not.toBe(firstHandle);
    // Well past the first deadline (3 s): nothing comes back.
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) expect(await consumer.receive(32, 60_000)).toEqual([]);
    await consumer.ack(changed);
  }, 60_000);

  it('FIFO: each queue in order, and a queue with un-acked messages gives no more until they are acked', async () => {
    const { topic, producer, consumer } = await setup('*', true);
    const queues = [0, 1].map((queueId) => ({ topic, brokerName: 'broker-a', queueId }));
    for (let i = 0; i < 12; i++)
      await producer.send({ topic, body: `q${i % 2}-${i}` }, { messageQueue: queues[i % 2]! });
    const seen: PoppedMessage[] = [];
    const deadline = Date.now() + 60_000;
    while (seen.length < 12 && Date.now() < deadline) {
      const batch = await consumer.receive(3, 30_000);
      if (batch.length === 0) continue;
      // Held (not acked yet): the queues of this batch give nothing more.
      const held = new Set(batch.map((m) => m.messageQueue.queueId));
      const meanwhile = await consumer.receive(32, 30_000);
      expect(meanwhile.filter((m) => held.has(m.messageQueue.queueId))).toEqual([]);
      for (const message of [...batch, ...meanwhile]) await consumer.ack(message);
      seen.push(...batch, ...meanwhile);
    }
    for (const queueId of [0, 1]) {
      const offsets = seen.filter((m) => m.messageQueue.queueId === queueId).map((m) => m.offset);
      expect(offsets).toEqual([0, 1, 2, 3, 4, 5]);
    }
  }, 90_000);

  it('refuses bad arguments before sending anything', async () => {
    const { consumer } = await setup();
    await expect(consumer.receive(0, 1000)).rejects.toBeInstanceOf(ClientError);
    await expect(consumer.receive(1, -5)).rejects.toBeInstanceOf(ClientError);
    expect(() => consumer.subscribe('bad topic!')).toThrow(ClientError);
  });
});
