// The official Node.js client's PushConsumer against our gRPC endpoint: QueryAssignment, then ReceiveMessage and
// AckMessage driven by the client; a message the listener fails is redelivered (ChangeInvisibleDuration by the
// client's retry policy) with its delivery attempt counted.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsumeResult, PushConsumer, type MessageView } from 'rocketmq-client-nodejs';
import {
  createTopic,
  runCleanup,
  SILENT_LOGGER,
  startGrpcCluster,
  startNodeProducer,
  uniqueName,
  waitFor,
  type CleanupStep,
  type GrpcCluster,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startGrpcCluster();
}, 30_000);
// A PushConsumer's shutdown waits for its long-polling receives (up to 5 s here).
afterEach(() => runCleanup(cleanup), 30_000);
afterAll(() => cluster.stop());

async function pushConsumer(topic: string, consume: (message: MessageView) => ConsumeResult): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    endpoints: cluster.grpcAddress,
    namespace: '',
    consumerGroup: uniqueName('grpc_push'),
    subscriptions: new Map([[topic, '*']]),
    messageListener: { consume },
    longPollingTimeout: 5_000,
    logger: SILENT_LOGGER,
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return consumer;
}

describe('grpc: the official Node.js PushConsumer', () => {
  it('consumes what a Node producer sent', async () => {
    const topic = uniqueName('grpc_push');
    await createTopic(cluster.admin, topic, 4);
    const consumed = new Set<string>();
    await pushConsumer(topic, (message) => {
      consumed.add(message.body.toString());
      return ConsumeResult.SUCCESS;
    });
    const producer = await startNodeProducer(cluster, topic, cleanup);
    for (let i = 0; i < 5; i++) await producer.send({ topic, body: Buffer.from(`push-${i}`) });
    await waitFor('5 messages consumed', () => consumed.size === 5, 30_000);
    expect([...consumed].sort()).toEqual(['push-0', 'push-1', 'push-2', 'push-3', 'push-4']);
  }, 60_000);

  it('redelivers a message the listener failed', async () => {
    const topic = uniqueName('grpc_push');
    await createTopic(cluster.admin, topic, 1);
    const attempts: number[] = [];
    await pushConsumer(topic, (message) => {
      attempts.push(message.deliveryAttempt ?? 0);
      return attempts.length === 1 ? ConsumeResult.FAILURE : ConsumeResult.SUCCESS;
    });
    const producer = await startNodeProducer(cluster, topic, cleanup);
    await producer.send({ topic, body: Buffer.from('fail once') });
    await waitFor('the redelivery', () => attempts.length >= 2, 30_000);
    expect(attempts.slice(0, 2)).toEqual([1, 2]);
  }, 60_000);
});
