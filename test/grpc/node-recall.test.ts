// RecallMessage with the official Node.js client: a timer message's send receipt carries a recall handle, the
// Producer's recallMessage cancels the message (it never reaches its topic while one parked beside it does), and
// a forged handle is refused with Apache's code and message. The broker runs with recallMessageEnable=true.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Code } from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { decodeRecallHandle } from '../../ts/protocol/recall-handle.js';
import {
  createTopic,
  pullAll,
  runCleanup,
  startGrpcCluster,
  startNodeProducer,
  uniqueName,
  type CleanupStep,
  type GrpcCluster,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startGrpcCluster({ recallMessageEnable: true });
}, 30_000);
afterEach(() => runCleanup(cleanup));
afterAll(() => cluster.stop());

describe('grpc: RecallMessage with the official Node.js Producer', () => {
  it('recalls a timer message: it is never delivered, the one parked beside it is', async () => {
    const topic = uniqueName('grpc_recall');
    await createTopic(cluster.admin, topic, 4);
    const producer = await startNodeProducer(cluster, topic, cleanup);
    // Both at the same time: when the kept one is delivered, the recalled one would have been too.
    const deliveryTimestamp = new Date(Math.ceil((Date.now() + 5000) / 1000) * 1000);
    const recalled = await producer.send({ topic, body: Buffer.from('recalled'), deliveryTimestamp });
    const kept = await producer.send({ topic, body: Buffer.from('kept'), deliveryTimestamp });
    expect(decodeRecallHandle(recalled.recallHandle)).toMatchObject({ topic, messageId: recalled.messageId });
    const receipt = await producer.recallMessage(topic, recalled.recallHandle);
    expect(receipt.messageId).toBe(recalled.messageId);
    const normal = await producer.send({ topic, body: Buffer.from('now') });
    expect(normal.recallHandle).toBe('');
    const messages = await pullAll(cluster, topic, 2, cleanup);
    expect(messages.map((message) => message.body.toString()).sort()).toEqual(['kept', 'now']);
    expect(messages.find((message) => message.body.toString() === 'kept')?.messageId).toBe(kept.messageId);
  }, 30_000);

  it('refuses a forged handle with INTERNAL_SERVER_ERROR "recall handle is invalid", as Apache does', async () => {
    const topic = uniqueName('grpc_recall');
    await createTopic(cluster.admin, topic, 4);
    const producer = await startNodeProducer(cluster, topic, cleanup);
    await expect(producer.recallMessage(topic, 'forged!')).rejects.toThrow(
      `recall handle is invalid (code: ${Code.INTERNAL_SERVER_ERROR})`,
    );
  });
});
