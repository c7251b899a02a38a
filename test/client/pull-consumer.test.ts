// PullConsumer against the all-in-one broker: the readable queues of a topic, pulls at an offset with
// their statuses (FOUND, NO_NEW_MSG, OFFSET_ILLEGAL) and tag filter, long polling, poll() over
// assigned queues from the committed offset, and commit() that the next consumer of the group
// resumes from.

import { describe, expect, it } from 'vitest';
import { PullConsumer } from '../../ts/client/consumer/pull-consumer.js';
import type { MessageQueue } from '../../ts/client/message-queue.js';
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

async function startPullConsumer(group: string): Promise<PullConsumer> {
  const consumer = new PullConsumer({
    ...cluster.clientOptions(),
    consumerGroup: group,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return consumer;
}

async function setup(queueNums: number): Promise<{ topic: string; producer: Producer }> {
  const topic = uniqueName('PullTopic');
  await createTopic(await startAdmin(cluster, cleanup), topic, queueNums);
  const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  return { topic, producer };
}

describe('PullConsumer', () => {
  it('pulls a queue at an offset, with statuses, offsets and the tag filter', async () => {
    const { topic, producer } = await setup(2);
    const consumer = await startPullConsumer(uniqueName('cg'));
    const queues = await consumer.fetchMessageQueues(topic);
    expect(queues.map((mq) => mq.queueId)).toEqual([0, 1]);
    const queue = queues[1] as MessageQueue;
    for (let i = 0; i < 5; i++)
      await producer.send({ topic, tag: i % 2 === 0 ? 'even' : 'odd', body: `p${i}` }, { messageQueue: queue });

    // Apache's ConsumeQueue dispatch trails the CommitLog by a moment: pull again until all five are readable.
    let all = await consumer.pull(queue, 0);
    for (let tries = 0; all.messages.length < 5 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      all = await consumer.pull(queue, 0);
    }
    expect(all.status).toBe('FOUND');
    expect(all.messages.map((m) => m.body.toString())).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(all.messages.map((m) => m.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(all.nextBeginOffset).toBe(5);
    expect(all.minOffset).toBe(0);
    expect(all.maxOffset).toBe(5);

    const some = await consumer.pull(queue, 1, { maxNums: 2 });
    expect(some.messages.map((m) => m.offset)).toEqual([1, 2]);
    expect(some.nextBeginOffset).toBe(3);

    const odd = await consumer.pull(queue, 0, { expression: 'odd' });
    expect(odd.messages.map((m) => m.body.toString())).toEqual(['p1', 'p3']);

    expect((await consumer.pull(queue, 5)).status).toBe('NO_NEW_MSG');
    const beyond = await consumer.pull(queue, 50);
    expect(beyond.status).toBe('OFFSET_ILLEGAL');
    expect(beyond.nextBeginOffset).toBe(5);
    expect((await consumer.pull(queues[0] as MessageQueue, 0)).status).toBe('NO_NEW_MSG');
  });

  it('long-polls: a held pull returns the message sent meanwhile', async () => {
    const { topic, producer } = await setup(1);
    const consumer = await startPullConsumer(uniqueName('cg'));
    const [queue] = (await consumer.fetchMessageQueues(topic)) as [MessageQueue];
    const startedMs = Date.now();
    const held = consumer.pull(queue, 0, { suspendTimeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await producer.send({ topic, body: 'wake up' });
    const result = await held;
    expect(result.status).toBe('FOUND');
    expect(result.messages[0]?.body.toString()).toBe('wake up');
    expect(Date.now() - startedMs).toBeLessThan(4000);
  });

  it('polls the assigned queues, commits, and the next consumer of the group resumes there', async () => {
    const { topic, producer } = await setup(2);
    const group = uniqueName('cg');
    const first = await startPullConsumer(group);
    const queues = await first.fetchMessageQueues(topic);
    first.assign(queues);
    expect(first.assignment()).toEqual(queues);
    for (let i = 0; i < 6; i++) await producer.send({ topic, body: `a${i}` });
    const polled = [];
    while (polled.length < 6) polled.push(...(await first.poll(2000)));
    expect(polled.map((m) => m.body.toString()).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(await first.poll(300)).toEqual([]);
    await first.commit();
    const committed = await Promise.all(queues.map((mq) => first.committed(mq)));
    expect(committed.reduce((sum, offset) => sum + offset, 0)).toBe(6);
    await first.shutdown();

    for (let i = 0; i < 2; i++) await producer.send({ topic, body: `b${i}` });
    const second = await startPullConsumer(group);
    second.assign(queues);
    const next = [];
    while (next.length < 2) next.push(...(await second.poll(2000)));
    expect(next.map((m) => m.body.toString()).sort()).toEqual(['b0', 'b1']);

    second.seek(queues[0] as MessageQueue, 0);
    const replay = await second.poll(2000);
    expect(replay.every((m) => m.messageQueue.queueId === 0)).toBe(true);
    expect(replay.length).toBeGreaterThan(0);
  });
});
