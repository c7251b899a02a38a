// SimpleConsumer across a restart of our broker (skipped against Apache RocketMQ: the suite restarts the
// broker in-process on the same port and store): a message popped but not acked before the restart comes
// back after its invisible time, once, and its ack then holds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import { type PoppedMessage, SimpleConsumer } from '../../ts/client/consumer/simple-consumer.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { type CompatCluster, startCompatCluster } from '../compat/compat-fixtures.js';
import { clusterTarget, createTopic, uniqueName } from './client-fixtures.js';

describe.skipIf(clusterTarget() === 'apache')('SimpleConsumer: broker restart mid-invisibility', () => {
  let cluster: CompatCluster;

  beforeAll(async () => {
    cluster = await startCompatCluster();
  }, 30_000);
  afterAll(() => cluster?.stop());

  it('keeps a popped, un-acked message: it comes back once after the invisible time', async () => {
    const options = { namesrvAddr: cluster.namesrv, clientIp: '127.0.0.1', logger: createMemoryLogger() };
    const topic = uniqueName('PopRestart');
    const admin = new Admin(options);
    await admin.startup();
    await createTopic(admin, topic, 2);
    await admin.shutdown();
    const producer = new Producer({ ...options, producerGroup: uniqueName('pg') });
    await producer.startup();
    const sent = await producer.send({ topic, body: 'survives' });
    await producer.shutdown();
    const consumer = new SimpleConsumer({
      ...options,
      consumerGroup: uniqueName('sg'),
      subscriptions: new Map([[topic, '*']]),
      awaitDurationMs: 1000,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    await consumer.startup();
    try {
      const first = await receiveUntil(consumer, 1, 4000, 20_000);
      expect(first.map((m) => m.messageId)).toEqual([sent.messageId]);
      await cluster.restartBroker();

      const again = await receiveUntil(consumer, 1, 60_000, 60_000);
      // Not before its invisibility ended (the broker's popTime + invisible time; one clock on this machine).
      expect(Date.now()).toBeGreaterThanOrEqual(first[0]!.invisibleUntilMs);
      expect(again.map((m) => [m.messageId, m.reconsumeTimes])).toEqual([[sent.messageId, 1]]);
      await consumer.ack(again[0]!);
      // Once: nothing else comes (no second copy from before the restart).
      expect(await receiveUntil(consumer, 1, 60_000, 6000)).toEqual([]);
    } finally {
      await consumer.shutdown();
    }
  }, 120_000);
});

/** Receives until `count` messages came or `timeoutMs` passed; transport errors during the restart are retried. */
async function receiveUntil(
  consumer: SimpleConsumer,
  count: number,
  invisibleMs: number,
  timeoutMs: number,
): Promise<PoppedMessage[]> {
  const received: PoppedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) {
    const batch = await consumer.receive(32, invisibleMs).catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return [];
    });
    received.push(...batch);
  }
  return received;
}
