// The official Node.js client's SimpleConsumer against our gRPC endpoint: ReceiveMessage over pop (long polling,
// tag filter), AckMessage, ChangeInvisibleDuration and redelivery, messages sent over Remoting received over gRPC,
// a stream cancelled while held, and the refusals of bad receipt handles and invisible durations (raw grpc-js).

import { create } from '@bufbuild/protobuf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FilterExpression, SimpleConsumer, type MessageView } from 'rocketmq-client-nodejs';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { Producer as RemotingProducer } from '../../ts/client/producer/producer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { Code } from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { newSubscriptionGroupConfig } from '../../ts/broker/domain/meta/subscription-group-manager.js';
import {
  AckMessageRequestSchema,
  ChangeInvisibleDurationRequestSchema,
  ForwardMessageToDeadLetterQueueRequestSchema,
  ReceiveMessageRequestSchema,
  type AckMessageResponse,
  type ChangeInvisibleDurationResponse,
  type ForwardMessageToDeadLetterQueueResponse,
  type ReceiveMessageResponse,
} from '../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import {
  callMetadata,
  createTopic,
  rawClient,
  runCleanup,
  SILENT_LOGGER,
  startGrpcCluster,
  startNodeProducer,
  unary,
  uniqueName,
  waitFor,
  type CleanupStep,
  type GrpcCluster,
  type RawClient,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startGrpcCluster({ enablePropertyFilter: true });
}, 30_000);
afterEach(() => runCleanup(cleanup));
afterAll(() => cluster.stop());

/** A started SimpleConsumer of a new group on `topic` with the given tag expression (long polling 5 s). */
async function simpleConsumer(
  topic: string,
  tag: string | FilterExpression = '*',
  group = uniqueName('grpc_group'),
): Promise<SimpleConsumer> {
  const consumer = new SimpleConsumer({
    endpoints: cluster.grpcAddress,
    namespace: '',
    consumerGroup: group,
    subscriptions: new Map([[topic, tag]]),
    awaitDuration: 5_000,
    logger: SILENT_LOGGER,
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return consumer;
}

async function newTopic(queueNums = 4): Promise<string> {
  const topic = uniqueName('grpc_consume');
  await createTopic(cluster.admin, topic, queueNums);
  return topic;
}

/** Receives until `count` messages came (or fails after the timeout). */
async function receiveCount(consumer: SimpleConsumer, count: number, invisibleMs = 30_000): Promise<MessageView[]> {
  const found: MessageView[] = [];
  await waitFor(
    `${count} messages`,
    async () => {
      found.push(...(await consumer.receive(16, invisibleMs)));
      return found.length >= count;
    },
    30_000,
  );
  return found;
}

const bodies = (messages: readonly MessageView[]): string[] => messages.map((m) => m.body.toString()).sort();

describe('grpc: the official Node.js SimpleConsumer', () => {
  it('receives what a Node producer sent, with tag, keys, properties and id, and acks it', async () => {
    const topic = await newTopic();
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const consumer = await simpleConsumer(topic);
    const receipt = await producer.send({
      topic,
      tag: 'TagA',
      keys: ['k1', 'k2'],
      body: Buffer.from('hello consumer'),
      properties: new Map([['color', 'red']]),
    });
    const [message] = await receiveCount(consumer, 1);
    expect(message?.body.toString()).toBe('hello consumer');
    expect(message?.topic).toBe(topic);
    expect(message?.tag).toBe('TagA');
    expect(message?.keys).toEqual(['k1', 'k2']);
    expect(message?.properties.get('color')).toBe('red');
    expect(message?.messageId).toBe(receipt.messageId);
    expect(message?.deliveryAttempt).toBe(1);
    expect(message?.receiptHandle.split(' ')).toHaveLength(9);
    await consumer.ack(message!);
  }, 60_000);

  it('redelivers a message whose invisible time was shortened, not the acked one', async () => {
    const topic = await newTopic(1);
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const consumer = await simpleConsumer(topic);
    await producer.send({ topic, body: Buffer.from('acked') });
    await producer.send({ topic, body: Buffer.from('again') });
    const receivedAt = Date.now();
    const first = await receiveCount(consumer, 2, 10_000);
    expect(bodies(first)).toEqual(['acked', 'again']);
    const acked = first.find((m) => m.body.toString() === 'acked')!;
    const again = first.find((m) => m.body.toString() === 'again')!;
    const oldHandle = again.receiptHandle;
    await consumer.ack(acked);
    await consumer.changeInvisibleDuration(again, 1_000);
    expect(again.receiptHandle).not.toBe(oldHandle);
    const [redelivered, ...rest] = await receiveCount(consumer, 1);
    expect(redelivered?.body.toString()).toBe('again');
    expect(redelivered?.messageId).toBe(again.messageId);
    expect(redelivered?.deliveryAttempt).toBe(2);
    expect(rest).toEqual([]);
    await consumer.ack(redelivered!);
    // Past the first receive's 10 s invisible time, the acked message stays consumed.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, receivedAt + 12_000 - Date.now())));
    expect(await consumer.receive(16, 10_000)).toEqual([]);
  }, 60_000);

  it('filters by tag', async () => {
    const topic = await newTopic();
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const consumer = await simpleConsumer(topic, 'TagA || TagC');
    for (const tag of ['TagA', 'TagB', 'TagC', 'TagB']) await producer.send({ topic, tag, body: Buffer.from(tag) });
    const received = await receiveCount(consumer, 2);
    expect(bodies(received)).toEqual(['TagA', 'TagC']);
    expect(await consumer.receive(16, 30_000)).toEqual([]);
  }, 60_000);

  it('filters by an SQL92 expression over user properties', async () => {
    const topic = await newTopic();
    const producer = await startNodeProducer(cluster, topic, cleanup);
    // FilterType.SQL (2) of the client's protos.
    const consumer = await simpleConsumer(topic, new FilterExpression('amount > 10', 2));
    for (const amount of [5, 20, 7, 30]) {
      await producer.send({
        topic,
        body: Buffer.from(`amount ${amount}`),
        properties: new Map([['amount', `${amount}`]]),
      });
    }
    const received = await receiveCount(consumer, 2);
    expect(bodies(received)).toEqual(['amount 20', 'amount 30']);
    expect(await consumer.receive(16, 30_000)).toEqual([]);
  }, 60_000);

  it('receives a message sent by the Remoting Producer', async () => {
    const topic = await newTopic();
    const consumer = await simpleConsumer(topic);
    const producer = new RemotingProducer({
      namesrvAddr: cluster.server.registryAddress,
      clientIp: '127.0.0.1',
      producerGroup: uniqueName('remoting_group'),
      logger: createMemoryLogger(),
    });
    await producer.startup();
    cleanup.push(() => producer.shutdown());
    const sent = await producer.send({ topic, tag: 'TagR', keys: ['rk'], body: Buffer.from('over Remoting') });
    const [message] = await receiveCount(consumer, 1);
    expect(message?.body.toString()).toBe('over Remoting');
    expect(message?.tag).toBe('TagR');
    expect(message?.keys).toEqual(['rk']);
    expect(message?.messageId).toBe(sent.messageId);
    await consumer.ack(message!);
  }, 60_000);
});

describe('grpc: SimpleConsumers in the consumer table', () => {
  it('registers a SimpleConsumer with its subscription, keyed by its client id, until it shuts down', async () => {
    const topic = await newTopic();
    const consumer = await simpleConsumer(topic, 'TagA || TagB');
    const { consumers } = cluster.server.brokerServer;
    const group = consumers.groupNames().find((name) => consumers.consumerIdList(name).includes(consumer.clientId));
    expect(group).toBeDefined();
    const channels = consumers.channels(group!);
    expect(channels.map((channel) => channel.connectionId)).toEqual([`grpc:${consumer.clientId}`]);
    expect(consumers.group(group!)).toMatchObject({ consumeType: 'CONSUME_ACTIVELY', messageModel: 'CLUSTERING' });
    expect(consumers.subscription(group!, topic)).toMatchObject({
      subString: 'TagA || TagB',
      tagsSet: ['TagA', 'TagB'],
    });
    await runCleanup(cleanup);
    expect(consumers.consumerIdList(group!)).toEqual([]);
  });
});

describe('grpc: ForwardMessageToDeadLetterQueue', () => {
  it('moves a received message to the group DLQ and acks it', async () => {
    const topic = await newTopic();
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const consumer = await simpleConsumer(topic);
    const { consumers } = cluster.server.brokerServer;
    const group = consumers.groupNames().find((name) => consumers.consumerIdList(name).includes(consumer.clientId))!;
    const sent = await producer.send({ topic, body: Buffer.from('to the DLQ') });
    const [message] = await receiveCount(consumer, 1);
    const client = rawClient(cluster, cleanup);
    const forward = await unary<ForwardMessageToDeadLetterQueueResponse>(
      client,
      'forwardMessageToDeadLetterQueue',
      create(ForwardMessageToDeadLetterQueueRequestSchema, {
        group: { name: group },
        topic: { name: topic },
        receiptHandle: message!.receiptHandle,
        messageId: message!.messageId,
        deliveryAttempt: 1,
        maxDeliveryAttempts: 1,
      }),
      callMetadata(consumer.clientId),
    );
    expect(forward.status?.code).toBe(Code.OK);
    const dlq = `%DLQ%${group}`;
    const { store } = cluster.server.brokerServer;
    await waitFor('the DLQ message', () => store.getMaxOffsetInQueue(dlq, 0) === 1);
    const [dead] = decodeStoredRecords(store.getMessages(dlq, 0, 0, 1).buffer);
    expect(dead?.body.toString()).toBe('to the DLQ');
    expect(dead?.properties.get('UNIQ_KEY')).toBe(sent.messageId);
    expect(dead?.properties.get('RETRY_TOPIC')).toBe(topic);
  }, 60_000);
});

describe('grpc: the max-attempts filter of ReceiveMessage', () => {
  it('sends a message received max_attempts times to the DLQ instead of the client', async () => {
    const topic = await newTopic(1);
    const group = uniqueName('grpc_group');
    cluster.server.brokerServer.groups.update({ ...newSubscriptionGroupConfig(group), retryMaxTimes: 0 });
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const consumer = await simpleConsumer(topic, '*', group);
    await producer.send({ topic, body: Buffer.from('one attempt only') });
    const [message] = await receiveCount(consumer, 1, 10_000);
    expect(message?.deliveryAttempt).toBe(1);
    await consumer.changeInvisibleDuration(message!, 1_000);
    const { store } = cluster.server.brokerServer;
    const dlq = `%DLQ%${group}`;
    const redelivered: MessageView[] = [];
    await waitFor(
      'the message in the DLQ',
      async () => {
        redelivered.push(...(await consumer.receive(16, 10_000)));
        return store.getMaxOffsetInQueue(dlq, 0) === 1;
      },
      30_000,
    );
    expect(redelivered).toEqual([]);
    const [dead] = decodeStoredRecords(store.getMessages(dlq, 0, 0, 1).buffer);
    expect(dead?.body.toString()).toBe('one attempt only');
  }, 60_000);
});

describe('grpc: consumption refusals and cancelled streams (raw grpc-js client)', () => {
  function receiveRequest(topic: string, group: string, invisibleSeconds: number) {
    return create(ReceiveMessageRequestSchema, {
      group: { name: group },
      messageQueue: { topic: { name: topic }, id: -1, broker: { name: 'broker-a' } },
      filterExpression: { type: 1, expression: '*' },
      batchSize: 16,
      invisibleDuration: { seconds: BigInt(invisibleSeconds), nanos: 0 },
      autoRenew: false,
      longPollingTimeout: { seconds: 5n, nanos: 0 },
    });
  }

  function openReceive(client: RawClient, request: unknown, clientId: string) {
    const receive = client['receiveMessage'] as (request: unknown, metadata: unknown) => unknown;
    return receive.call(client, request, callMetadata(clientId)) as ClientReadableStream<ReceiveMessageResponse>;
  }

  function receiveAll(stream: ClientReadableStream<ReceiveMessageResponse>): Promise<ReceiveMessageResponse[]> {
    const responses: ReceiveMessageResponse[] = [];
    return new Promise((resolve, reject) => {
      stream.on('data', (response: ReceiveMessageResponse) => responses.push(response));
      stream.on('end', () => resolve(responses));
      stream.on('error', reject);
    });
  }

  it('refuses an invisible duration under 10 s with ILLEGAL_INVISIBLE_TIME', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const stream = openReceive(client, receiveRequest(topic, uniqueName('g'), 1), 'raw-1');
    const responses = await receiveAll(stream);
    expect(responses[0]?.content.case).toBe('status');
    expect(responses[0]?.content.value).toMatchObject({
      code: Code.ILLEGAL_INVISIBLE_TIME,
      message: 'the invisibleTime is too small. min is 10000',
    });
    expect(responses.at(-1)?.content.case).toBe('deliveryTimestamp');
  });

  it('answers a forged receipt handle with INVALID_RECEIPT_HANDLE in ack and change', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const group = { name: uniqueName('g') };
    const ack = await unary<AckMessageResponse>(
      client,
      'ackMessage',
      create(AckMessageRequestSchema, {
        group,
        topic: { name: topic },
        entries: [{ messageId: 'm1', receiptHandle: 'not a handle' }],
      }),
      callMetadata('raw-2'),
    );
    expect(ack.status?.code).toBe(Code.INVALID_RECEIPT_HANDLE);
    expect(ack.entries).toHaveLength(1);
    expect(ack.entries[0]?.status?.code).toBe(Code.INVALID_RECEIPT_HANDLE);
    expect(ack.entries[0]?.messageId).toBe('m1');
    const change = await unary<ChangeInvisibleDurationResponse>(
      client,
      'changeInvisibleDuration',
      create(ChangeInvisibleDurationRequestSchema, {
        group,
        topic: { name: topic },
        receiptHandle: 'x y z',
        messageId: 'm1',
        invisibleDuration: { seconds: 5n, nanos: 0 },
      }),
      callMetadata('raw-2'),
    );
    expect(change.status?.code).toBe(Code.INVALID_RECEIPT_HANDLE);
  });

  it('answers an expired receipt handle with INVALID_RECEIPT_HANDLE "receipt handle is expired"', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const expired = `0 ${Date.now() - 60_000} 10000 0 0 broker-a 0 0`;
    const ack = await unary<AckMessageResponse>(
      client,
      'ackMessage',
      create(AckMessageRequestSchema, {
        group: { name: uniqueName('g') },
        topic: { name: topic },
        entries: [{ messageId: 'm', receiptHandle: expired }],
      }),
      callMetadata('raw-3'),
    );
    expect(ack.entries[0]?.status).toMatchObject({
      code: Code.INVALID_RECEIPT_HANDLE,
      message: 'receipt handle is expired',
    });
  });

  it('keeps a message available when the stream that was holding for it is cancelled', async () => {
    const topic = await newTopic(1);
    const group = uniqueName('g');
    const client = rawClient(cluster, cleanup);
    const stream = openReceive(client, receiveRequest(topic, group, 10), 'raw-4');
    const ended = receiveAll(stream).catch(() => []);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stream.cancel();
    await ended;
    const producer = await startNodeProducer(cluster, topic, cleanup);
    await producer.send({ topic, body: Buffer.from('kept') });
    const consumer = new SimpleConsumer({
      endpoints: cluster.grpcAddress,
      namespace: '',
      consumerGroup: group,
      subscriptions: new Map([[topic, '*']]),
      awaitDuration: 5_000,
      logger: SILENT_LOGGER,
    });
    await consumer.startup();
    cleanup.push(() => consumer.shutdown());
    // The cancelled stream's held pop popped nothing when the message arrived: this is its first delivery.
    const [message] = await receiveCount(consumer, 1);
    expect(message?.body.toString()).toBe('kept');
    expect(message?.deliveryAttempt).toBe(1);
  }, 60_000);
});
