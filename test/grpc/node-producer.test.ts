// The official Node.js client's Producer against our gRPC endpoint: normal, FIFO, delay, transactions (commit,
// rollback, check-back over Telemetry), 3 MiB and 1,000 messages, each read back over Remoting by our
// PullConsumer; the gRPC producer appears in the broker's producer table.

import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView as NodeMessageView, Producer, TransactionChecker } from 'rocketmq-client-nodejs';
import { fifoQueueId } from '../../ts/broker/grpc/fifo-queue-selector.js';
import { Producer as RemotingProducer } from '../../ts/client/producer/producer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { TransactionResolution } from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  createTopic,
  pullAll,
  runCleanup,
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
afterEach(() => runCleanup(cleanup));
afterAll(() => cluster.stop());

async function producerOn(queueNums = 8, checker?: TransactionChecker): Promise<{ topic: string; producer: Producer }> {
  const topic = uniqueName('grpc_topic');
  await createTopic(cluster.admin, topic, queueNums);
  return { topic, producer: await startNodeProducer(cluster, topic, cleanup, checker) };
}

describe('grpc: the official Node.js Producer', () => {
  it('sends a message that a Remoting consumer reads with its tag, keys, properties and id', async () => {
    const { topic, producer } = await producerOn();
    const receipt = await producer.send({
      topic,
      tag: 'TagA',
      keys: ['order-1', 'order-2'],
      body: Buffer.from('hello over gRPC'),
      properties: new Map([['color', 'blue']]),
    });
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.body.toString()).toBe('hello over gRPC');
    expect(message?.tag).toBe('TagA');
    expect(message?.keys).toEqual(['order-1', 'order-2']);
    expect(message?.properties.get('color')).toBe('blue');
    expect(message?.messageId).toBe(receipt.messageId);
    expect(message?.offset).toBe(receipt.offset);
  });

  it('registers the gRPC producer in the producer table, keyed by its client id, until it shuts down', async () => {
    const { topic, producer } = await producerOn();
    const channels = cluster.server.brokerServer.producers.channels(topic);
    expect(channels.map((channel) => channel.clientId)).toEqual([producer.clientId]);
    expect(channels[0]?.connectionId).toBe(`grpc:${producer.clientId}`);
    await runCleanup(cleanup);
    expect(cluster.server.brokerServer.producers.channels(topic)).toEqual([]);
  });

  it('lists a gRPC producer next to a Remoting producer of the same group', async () => {
    const { topic, producer } = await producerOn();
    const remoting = new RemotingProducer({
      namesrvAddr: cluster.server.registryAddress,
      clientIp: '127.0.0.1',
      producerGroup: topic,
      logger: createMemoryLogger(),
    });
    await remoting.startup();
    cleanup.push(() => remoting.shutdown());
    await remoting.send({ topic, body: Buffer.from('over Remoting') });
    const { producers } = cluster.server.brokerServer;
    await waitFor('both producers', () => producers.channels(topic).length === 2);
    const channels = producers.channels(topic);
    expect(channels.find((channel) => channel.clientId === producer.clientId)?.connectionId).toBe(
      `grpc:${producer.clientId}`,
    );
    expect(channels.find((channel) => channel.clientId !== producer.clientId)?.connectionId).not.toMatch(/^grpc:/);
  });

  it('puts each message group on the queue Apache would pick, in send order', async () => {
    const { topic, producer } = await producerOn(8);
    const groups = ['g-1', 'g-2', 'order-42'];
    for (let i = 0; i < 10; i++) {
      for (const group of groups)
        await producer.send({ topic, messageGroup: group, body: Buffer.from(`${group}:${i}`) });
    }
    const messages = await pullAll(cluster, topic, 30, cleanup);
    for (const group of groups) {
      const ofGroup = messages.filter((message) => message.body.toString().startsWith(`${group}:`));
      expect(new Set(ofGroup.map((message) => message.messageQueue.queueId))).toEqual(new Set([fifoQueueId(group, 8)]));
      const inQueueOrder = ofGroup.sort((a, b) => a.offset - b.offset).map((message) => message.body.toString());
      expect(inQueueOrder).toEqual(Array.from({ length: 10 }, (_, i) => `${group}:${i}`));
      expect(ofGroup[0]?.messageGroup ?? ofGroup[0]?.properties.get('__SHARDINGKEY')).toBe(group);
    }
  });

  it('parks a message with a delivery time and delivers it to its topic no earlier than that', async () => {
    const { topic, producer } = await producerOn();
    const deliveryMs = Date.now() + 1500;
    const receipt = await producer.send({ topic, body: Buffer.from('later'), deliveryTimestamp: new Date(deliveryMs) });
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.messageId).toBe(receipt.messageId);
    // The timer's precision is 1 s: a message may come up to that much before its time, never more.
    expect(message?.storeTimestamp.getTime()).toBeGreaterThanOrEqual(deliveryMs - 1000);
  });

  it('commits and rolls back transactions: only the committed message reaches the topic', async () => {
    const checker = { check: () => Promise.resolve(TransactionResolution.ROLLBACK) } as unknown as TransactionChecker;
    const { topic, producer } = await producerOn(4, checker);
    const rolledBack = producer.beginTransaction();
    await producer.send({ topic, body: Buffer.from('rolled back') }, rolledBack);
    await rolledBack.rollback();
    const committed = producer.beginTransaction();
    const receipt = await producer.send({ topic, body: Buffer.from('committed') }, committed);
    await committed.commit();
    const messages = await pullAll(cluster, topic, 1, cleanup);
    expect(messages.map((message) => message.body.toString())).toEqual(['committed']);
    expect(messages[0]?.messageId).toBe(receipt.messageId);
  });

  it('asks the producer over Telemetry about a transaction left open, and commits on its answer', async () => {
    const checked: NodeMessageView[] = [];
    const checker = {
      check: (view: NodeMessageView) => {
        checked.push(view);
        return Promise.resolve(TransactionResolution.COMMIT);
      },
    };
    const { topic, producer } = await producerOn(4, checker);
    const open = producer.beginTransaction();
    const receipt = await producer.send({ topic, tag: 'tx', body: Buffer.from('decided later') }, open);
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.body.toString()).toBe('decided later');
    expect(message?.messageId).toBe(receipt.messageId);
    expect(checked[0]?.messageId).toBe(receipt.messageId);
    expect(checked[0]?.topic).toBe(topic);
    expect(checked[0]?.tag).toBe('tx');
    expect(checked[0]?.body.toString()).toBe('decided later');
    expect(checked[0]?.corrupted).toBeFalsy();
  }, 30_000);

  it('stores a 3 MiB body byte for byte', async () => {
    const { topic, producer } = await producerOn(1);
    const body = randomBytes(3 * 1024 * 1024);
    await producer.send({ topic, body });
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.body.equals(body)).toBe(true);
  });

  it('sends 1,000 messages, 64 in flight, each stored once', async () => {
    const { topic, producer } = await producerOn(8);
    const ids: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 1000) {
        const i = next++;
        const receipt = await producer.send({ topic, body: Buffer.from(`bulk-${i}`) });
        ids.push(receipt.messageId);
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    const messages = await pullAll(cluster, topic, 1000, cleanup);
    expect(messages).toHaveLength(1000);
    expect(new Set(messages.map((message) => message.messageId))).toEqual(new Set(ids));
    expect(new Set(messages.map((message) => message.body.toString())).size).toBe(1000);
  }, 60_000);
});
