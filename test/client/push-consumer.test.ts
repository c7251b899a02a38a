// PushConsumer against the all-in-one broker: clustering (queues split between the members of a
// group, averagely, re-split on NOTIFY_CONSUMER_IDS_CHANGED), broadcasting (every member gets every
// message), tag filters, the concurrency limit, flow control by cached count, offsets committed at
// shutdown, and RECONSUME_LATER redelivered through %RETRY%<group>.

import { describe, expect, it } from 'vitest';
import { ConsumeResult, type MessageListener } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import type { PushConsumerOptions } from '../../ts/client/consumer/push-consumer-options.js';
import { compareMessageQueues, messageQueueKey } from '../../ts/client/message-queue.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import { Producer } from '../../ts/client/producer/producer.js';
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

async function newTopic(queueNums: number): Promise<string> {
  const topic = uniqueName('PushTopic');
  await createTopic(await startAdmin(cluster, cleanup), topic, queueNums);
  return topic;
}

interface Member {
  readonly consumer: PushConsumer;
  readonly received: MessageView[];
}

/** A started consumer recording what it receives; `listener` decides the result (SUCCESS by default). */
async function startMember(
  group: string,
  subscriptions: Record<string, string>,
  options: Partial<PushConsumerOptions> = {},
  listener?: MessageListener['consume'],
): Promise<Member> {
  const received: MessageView[] = [];
  const consumer = new PushConsumer({
    ...cluster.clientOptions(),
    consumerGroup: group,
    subscriptions,
    messageListener: {
      consume: (message) => {
        received.push(message);
        return listener === undefined ? ConsumeResult.SUCCESS : listener(message);
      },
    },
    ...options,
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return { consumer, received };
}

function topicQueues(member: Member, topic: string): string[] {
  return member.consumer
    .assignment()
    .filter((mq) => mq.topic === topic)
    .sort(compareMessageQueues)
    .map(messageQueueKey);
}

describe('PushConsumer: clustering', () => {
  it('splits the queues between two consumers of one group and each message reaches exactly one', async () => {
    const topic = await newTopic(4);
    const group = uniqueName('cg');
    const first = await startMember(group, { [topic]: '*' });
    await waitFor('the first consumer to own all 4 queues', () => topicQueues(first, topic).length === 4);
    // The second member's heartbeat makes the broker send NOTIFY_CONSUMER_IDS_CHANGED: both rebalance
    // at once (the 20 s period would outlast this wait).
    const second = await startMember(group, { [topic]: '*' });
    await waitFor(
      'two queues each',
      () => topicQueues(first, topic).length === 2 && topicQueues(second, topic).length === 2,
      5000,
    );
    // AllocateMessageQueueAveragely: sorted client ids, contiguous blocks of the sorted queues.
    const [lower, upper] = [first, second].sort((a, b) => (a.consumer.clientId < b.consumer.clientId ? -1 : 1)) as [
      Member,
      Member,
    ];
    expect(topicQueues(lower, topic)).toEqual(
      [0, 1].map((queueId) => messageQueueKey({ topic, brokerName: 'broker-a', queueId })),
    );
    expect(topicQueues(upper, topic)).toEqual(
      [2, 3].map((queueId) => messageQueueKey({ topic, brokerName: 'broker-a', queueId })),
    );

    const producer = await startProducer();
    const sent = new Set<string>();
    for (let i = 0; i < 40; i++) sent.add((await producer.send({ topic, body: `m${i}` })).messageId);
    await waitFor('40 messages', () => first.received.length + second.received.length === 40);
    const all = [...first.received, ...second.received];
    expect(new Set(all.map((m) => m.messageId))).toEqual(sent);
    expect(first.received.length).toBeGreaterThan(0);
    expect(second.received.length).toBeGreaterThan(0);
    for (const member of [first, second]) {
      const owned = new Set(topicQueues(member, topic));
      expect(member.received.every((m) => owned.has(messageQueueKey(m.messageQueue)))).toBe(true);
    }
  });

  it('filters by tag expression "TagA || TagB" and commits past the filtered messages', async () => {
    const topic = await newTopic(1);
    const group = uniqueName('cg');
    const member = await startMember(group, { [topic]: 'TagA || TagB' });
    await waitFor('the queue', () => topicQueues(member, topic).length === 1);
    const producer = await startProducer();
    for (const tag of ['TagA', 'TagC', 'TagB', undefined, 'TagAB', 'TagA'])
      await producer.send({ topic, body: `tag ${tag}`, ...(tag !== undefined && { tag }) });
    await producer.send({ topic, tag: 'TagB', body: 'last' });
    await waitFor('the matching messages', () => member.received.some((m) => m.body.toString() === 'last'));
    expect(member.received.map((m) => m.tag)).toEqual(['TagA', 'TagB', 'TagA', 'TagB']);
    expect(member.received.map((m) => m.offset)).toEqual([0, 2, 5, 6]);
  });

  it('runs at most consumptionThreadCount listener calls at once', async () => {
    const topic = await newTopic(4);
    let running = 0;
    let maxRunning = 0;
    const member = await startMember(uniqueName('cg'), { [topic]: '*' }, { consumptionThreadCount: 3 }, async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
      return ConsumeResult.SUCCESS;
    });
    const producer = await startProducer();
    await producer.sendBatch(Array.from({ length: 15 }, (_, i) => ({ topic, body: `b${i}` })));
    await producer.sendBatch(Array.from({ length: 15 }, (_, i) => ({ topic, body: `c${i}` })));
    await waitFor('30 messages', () => member.received.length === 30);
    expect(maxRunning).toBe(3);
  });

  it('stops pulling a queue while its cache is full (maxCacheMessageCount)', async () => {
    const topic = await newTopic(1);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const member = await startMember(
      uniqueName('cg'),
      { [topic]: '*' },
      { maxCacheMessageCount: 8, pullBatchSize: 4, consumptionThreadCount: 1 },
      async () => {
        await gate;
        return ConsumeResult.SUCCESS;
      },
    );
    const producer = await startProducer();
    await producer.sendBatch(Array.from({ length: 40 }, (_, i) => ({ topic, body: `f${i}` })));
    const cached = (): number =>
      member.consumer.runningInfo().find((q) => q.messageQueue.topic === topic)?.cachedMessageCount ?? 0;
    // The limit is shared by the owned queues (the topic's and %RETRY%<group>'s): 8 / 2 each.
    const perQueue = Math.floor(8 / member.consumer.assignment().length);
    await waitFor('a full cache', () => cached() >= perQueue);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The check runs before each pull: just below the limit it may pull one more batch of 4.
    expect(cached()).toBeLessThanOrEqual(perQueue + 4 - 1);
    expect(member.received).toHaveLength(1);
    release();
    await waitFor('all 40', () => member.received.length === 40);
    await waitFor('an empty cache', () => cached() === 0);
  });

  it('commits offsets at shutdown: the next member of the group starts after them', async () => {
    const topic = await newTopic(2);
    const group = uniqueName('cg');
    const producer = await startProducer();
    const first = await startMember(group, { [topic]: '*' });
    for (let i = 0; i < 6; i++) await producer.send({ topic, body: `old${i}` });
    await waitFor('the old messages', () => first.received.length === 6);
    await first.consumer.shutdown();
    for (let i = 0; i < 3; i++) await producer.send({ topic, body: `new${i}` });
    const second = await startMember(group, { [topic]: '*' });
    await waitFor('the new messages', () => second.received.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.received.map((m) => m.body.toString()).sort()).toEqual(['new0', 'new1', 'new2']);
  });

  it('commits offsets periodically (persistConsumerOffsetIntervalMs) while running', async () => {
    const topic = await newTopic(1);
    const group = uniqueName('cg');
    const admin = await startAdmin(cluster, cleanup);
    const member = await startMember(group, { [topic]: '*' }, { persistConsumerOffsetIntervalMs: 100 });
    await waitFor('the queue', () => topicQueues(member, topic).length === 1);
    const producer = await startProducer();
    await producer.sendBatch([1, 2, 3].map((i) => ({ topic, body: `c${i}` })));
    await waitFor('three messages', () => member.received.length === 3);
    // Nothing else is pulled (the next pull is held), so only the periodic commit can store 3.
    await waitFor(
      'the committed offset',
      async () => (await admin.consumeStats(group, topic)).queues[0]?.consumerOffset === 3,
      5000,
    );
  });

  it('commits the consumed offset through the next pull (commitOffset flag)', async () => {
    const topic = await newTopic(1);
    const group = uniqueName('cg');
    const admin = await startAdmin(cluster, cleanup);
    const member = await startMember(group, { [topic]: '*' }, { persistConsumerOffsetIntervalMs: 3_600_000 });
    await waitFor('the queue', () => topicQueues(member, topic).length === 1);
    const producer = await startProducer();
    await producer.sendBatch([1, 2, 3].map((i) => ({ topic, body: `c${i}` })));
    await waitFor('three messages', () => member.received.length === 3);
    // The held pull returns with the next message; the pull after it carries commitOffset 3 or 4.
    await producer.send({ topic, body: 'c4' });
    await waitFor('four messages', () => member.received.length === 4);
    await waitFor(
      'the offset committed by a pull',
      async () => ((await admin.consumeStats(group, topic)).queues[0]?.consumerOffset ?? 0) >= 3,
      5000,
    );
  });

  it('subscribes to another topic after startup', async () => {
    const [first, second] = [await newTopic(1), await newTopic(2)];
    const member = await startMember(uniqueName('cg'), { [first]: '*' });
    await member.consumer.subscribe(second, 'Wanted');
    await waitFor('the new topic', () => topicQueues(member, second).length === 2);
    const producer = await startProducer();
    await producer.send({ topic: second, tag: 'Other', body: 'skip' });
    await producer.send({ topic: second, tag: 'Wanted', body: 'take' });
    await producer.send({ topic: first, body: 'first' });
    await waitFor('two messages', () => member.received.length === 2);
    expect(member.received.map((m) => m.body.toString()).sort()).toEqual(['first', 'take']);
    await member.consumer.unsubscribe(second);
    await waitFor('the topic released', () => topicQueues(member, second).length === 0);
  });

  it('redelivers a FAILURE through %RETRY%<group> with deliveryAttempt 2 and the original topic', async () => {
    const topic = await newTopic(1);
    const group = uniqueName('cg');
    const member = await startMember(group, { [topic]: '*' }, {}, (message) =>
      message.deliveryAttempt === 1 ? ConsumeResult.FAILURE : ConsumeResult.SUCCESS,
    );
    const producer = await startProducer();
    const receipt = await producer.send({ topic, tag: 'TagR', body: 'retry me', properties: { step: '1' } });
    await waitFor('the redelivery', () => member.received.length === 2, 20_000);
    const [first, second] = member.received as [MessageView, MessageView];
    expect(first.deliveryAttempt).toBe(1);
    expect(first.messageQueue.topic).toBe(topic);
    expect(second.deliveryAttempt).toBe(2);
    expect(second.reconsumeTimes).toBe(1);
    expect(second.topic).toBe(topic);
    expect(second.messageQueue.topic).toBe(`%RETRY%${group}`);
    expect(second.messageId).toBe(receipt.messageId);
    expect(second.body.toString()).toBe('retry me');
    expect(second.tag).toBe('TagR');
    expect(second.properties.get('step')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(member.received).toHaveLength(2);
  }, 30_000);
});

describe('PushConsumer: broadcasting', () => {
  it('delivers every message to every member of the group', async () => {
    const topic = await newTopic(4);
    const group = uniqueName('cg');
    const members = [
      await startMember(group, { [topic]: '*' }, { messageModel: 'BROADCASTING' }),
      await startMember(group, { [topic]: '*' }, { messageModel: 'BROADCASTING' }),
    ];
    for (const member of members) await waitFor('all queues', () => topicQueues(member, topic).length === 4);
    const producer = await startProducer();
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) sent.push((await producer.send({ topic, body: `b${i}` })).messageId);
    for (const member of members) {
      await waitFor('12 messages', () => member.received.length === 12);
      expect(member.received.map((m) => m.messageId).sort()).toEqual([...sent].sort());
    }
  });
});
