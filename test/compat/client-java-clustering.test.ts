// The official Java push consumer (rocketmq-client 5.5.0, via test/compat/java's ClientProbe) in its
// consumption models against our broker: two clustering consumers of one group split the 8 queues
// of a topic and consume each message once, and when one leaves the other takes over every queue;
// two broadcasting consumers each receive every message; an orderly consumer (LOCK_BATCH_MQ) receives
// each queue in queueOffset order and each order key in send order, a second orderly consumer gets a
// queue only after the first unlocked it, and a suspended queue waits.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../ts/broker/domain/meta/topic-config-manager.js';
import {
  buildJavaProbes,
  clientProbe as probe,
  type CompatCluster,
  FAST_CLIENT as FAST,
  messageLines,
  type ProbeLine,
  type RunningProbe,
  startClientProbe,
  startCompatCluster,
  waitUntil,
} from './compat-fixtures.js';

const ALL_QUEUES = [0, 1, 2, 3, 4, 5, 6, 7];

/** The delivery lines of a consume probe (not its "assigned", "progress" or "done" lines). */
function deliveries(lines: readonly ProbeLine[]): ProbeLine[] {
  return lines.filter((line) => line['msgId'] !== undefined);
}

/** The latest `--report-queues` line of a consume probe. */
function assignment(consumer: RunningProbe): { queues: number[]; consumers: number } | undefined {
  const line = consumer.lines.findLast((candidate) => candidate['assigned'] !== undefined);
  return line === undefined
    ? undefined
    : { queues: line['assigned'] as number[], consumers: Number(line['consumers']) };
}

/** The index i of a message sent with keys `<prefix>-{i}`. */
function indexOf(delivery: ProbeLine): number {
  return Number(String(delivery['keys']).split('-').at(-1));
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

function sorted(values: Iterable<number>): number[] {
  return [...values].sort((x, y) => x - y);
}

/**
 * One orderly queue first consumed by a, then (when `handedOver`) by b: each reads its part in
 * order without gaps; b starts where a stopped (the message a was consuming when it let go may come
 * again) and only after a's last delivery, so the queue lock was never held by both. True when b
 * consumed from the queue (it may find that a had already finished it).
 */
function expectHandover(
  byA: readonly ProbeLine[],
  byB: readonly ProbeLine[],
  queueSize: number,
  handedOver: boolean,
): boolean {
  const offsetsA = byA.map((line) => Number(line['queueOffset']));
  const offsetsB = byB.map((line) => Number(line['queueOffset']));
  expect(offsetsA).toEqual(range(0, offsetsA.length));
  if (!handedOver) {
    expect(offsetsB).toEqual([]);
    return false;
  }
  if (offsetsB.length === 0) {
    expect(offsetsA).toHaveLength(queueSize);
    return false;
  }
  const first = offsetsB[0] ?? -1;
  expect(offsetsB).toEqual(range(first, queueSize - first));
  expect(first).toBeGreaterThanOrEqual(offsetsA.length - 1);
  expect(first).toBeLessThanOrEqual(offsetsA.length);
  expect(Number(byB[0]?.['receivedAtMs'])).toBeGreaterThanOrEqual(Number(byA.at(-1)?.['receivedAtMs']));
  return true;
}

describe('compat: Java push consumers in clustering, broadcasting and orderly mode against our broker', () => {
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster();
    namesrv = cluster.namesrv;
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('splits 8 queues between two clustering consumers of one group; the survivor takes over all of them', async () => {
    cluster.broker.topics.createTopicIfAbsent(newTopicConfig('SplitTopic', { readQueueNums: 8, writeQueueNums: 8 }));
    const consumer = (instance: string): RunningProbe =>
      startClientProbe(
        'consume',
        namesrv,
        'split_group',
        'SplitTopic',
        '*',
        '0',
        '170000',
        '--report-queues',
        '--stop-on-stdin',
        '--instance',
        instance,
        ...FAST,
      );
    const a = consumer('split-a');
    const b = consumer('split-b');
    try {
      // Both consumers in the group: the client's averaging allocation gives each a disjoint half.
      for (const member of [a, b])
        await member.waitFor('an allocation among 2 consumers', () => assignment(member)?.consumers === 2, 60_000);
      const queuesOfA = assignment(a)?.queues ?? [];
      const queuesOfB = assignment(b)?.queues ?? [];
      expect(queuesOfA).toHaveLength(4);
      expect(queuesOfB).toHaveLength(4);
      expect(sorted([...queuesOfA, ...queuesOfB])).toEqual(ALL_QUEUES);

      const sent = messageLines(await probe('produce', namesrv, 'SplitTopic', '80', 'sync', '--keys', 'split-{i}'));
      expect(new Set(sent.map((line) => line['queueId']))).toEqual(new Set(ALL_QUEUES));
      const both = (): ProbeLine[] => [...deliveries(a.lines), ...deliveries(b.lines)];
      await waitUntil(
        'all 80 messages at one of the two consumers',
        () => new Set(both().map(indexOf)).size === 80,
        60_000,
      );

      const seenByA = new Set(deliveries(a.lines).map((line) => Number(line['queueId'])));
      const seenByB = new Set(deliveries(b.lines).map((line) => Number(line['queueId'])));
      expect(sorted(seenByA)).toEqual(queuesOfA);
      expect(sorted(seenByB)).toEqual(queuesOfB);
      expect(sorted(both().map(indexOf))).toEqual(range(0, 80));
      expect(both().every((line) => line['result'] === 'CONSUME_SUCCESS')).toBe(true);

      // a leaves (shutdown: offsets committed, client unregistered); b is allocated all 8 queues.
      expect(await a.stop()).toBe(0);
      expect(a.lines.at(-1)).toMatchObject({ done: true, stopped: 'stdin' });
      await b.waitFor('all 8 queues for the survivor', () => assignment(b)?.queues.length === 8, 60_000);
      expect(assignment(b)).toEqual({ queues: ALL_QUEUES, consumers: 1 });

      const before = deliveries(b.lines).length;
      await probe('produce', namesrv, 'SplitTopic', '80', 'sync', '--keys', 'split-{i}', '--start-index', '80');
      const afterDeparture = (): ProbeLine[] =>
        deliveries(b.lines)
          .slice(before)
          .filter((line) => indexOf(line) >= 80);
      await b.waitFor(
        'the 80 later messages at the survivor',
        () => new Set(afterDeparture().map(indexOf)).size === 80,
        60_000,
      );
      expect(new Set(afterDeparture().map((line) => Number(line['queueId'])))).toEqual(new Set(ALL_QUEUES));
      expect(sorted(afterDeparture().map(indexOf))).toEqual(range(80, 80));
      expect(await b.stop()).toBe(0);
    } finally {
      a.kill();
      b.kill();
    }
  }, 240_000);

  it('delivers every message to each of two broadcasting consumers of one group', async () => {
    const sent = messageLines(
      await probe('produce', namesrv, 'BroadcastTopic', '32', 'sync', '--keys', 'broadcast-{i}'),
    );
    expect(sent).toHaveLength(32);
    const consume = (instance: string): Promise<ProbeLine[]> =>
      probe(
        'consume',
        namesrv,
        'broadcast_group',
        'BroadcastTopic',
        '*',
        '32',
        '60000',
        '--broadcast',
        '--linger-ms',
        '1000',
        '--instance',
        `${instance}-${process.pid}-${Date.now()}`,
        ...FAST,
      );
    const [first, second] = await Promise.all([consume('broadcast-a'), consume('broadcast-b')]);
    for (const lines of [first, second]) {
      expect(lines.at(-1)).toMatchObject({ done: true, distinct: 32, received: 32 });
      const received = deliveries(lines);
      expect(sorted(received.map(indexOf))).toEqual(range(0, 32));
      expect(new Set(received.map((line) => line['msgId']))).toEqual(new Set(sent.map((line) => line['msgId'])));
    }
  }, 180_000);

  it('delivers each queue in queueOffset order and each order key in send order to an orderly consumer', async () => {
    const keyCount = 6;
    const sent = messageLines(
      await probe(
        'produce',
        namesrv,
        'OrderTopic',
        '120',
        'sync',
        '--orderly-key-count',
        String(keyCount),
        '--keys',
        'order-{i}',
      ),
    );
    expect(sent).toHaveLength(120);
    const lines = await probe(
      'consume',
      namesrv,
      'order_group',
      'OrderTopic',
      '*',
      '120',
      '60000',
      '--orderly',
      '--linger-ms',
      '1000',
      ...FAST,
    );
    expect(lines.at(-1)).toMatchObject({ done: true, distinct: 120, received: 120 });
    const received = deliveries(lines);

    // Each message from the queue and offset its send reported, each queue from offset 0 without gaps.
    const sentByIndex = new Map(sent.map((line) => [Number(line['i']), line]));
    for (const delivery of received) {
      const send = sentByIndex.get(indexOf(delivery));
      expect({ queueId: delivery['queueId'], queueOffset: delivery['queueOffset'] }).toEqual({
        queueId: send?.['queueId'],
        queueOffset: send?.['queueOffset'],
      });
    }
    const queues = new Set(received.map((delivery) => Number(delivery['queueId'])));
    expect(queues.size).toBeGreaterThan(1);
    for (const queueId of queues) {
      const offsets = received
        .filter((delivery) => delivery['queueId'] === queueId)
        .map((delivery) => Number(delivery['queueOffset']));
      expect(offsets).toEqual(range(0, offsets.length));
    }
    for (let key = 0; key < keyCount; key++) {
      const order = received.map(indexOf).filter((i) => i % keyCount === key);
      expect(order).toEqual(range(0, 120).filter((i) => i % keyCount === key));
    }
  }, 180_000);

  it('hands an orderly queue to a joining consumer only once the first has let go of it', async () => {
    cluster.broker.topics.createTopicIfAbsent(newTopicConfig('HandoverTopic', { readQueueNums: 4, writeQueueNums: 4 }));
    const sent = messageLines(
      await probe(
        'produce',
        namesrv,
        'HandoverTopic',
        '200',
        'sync',
        '--orderly-key-count',
        '8',
        '--keys',
        'handover-{i}',
      ),
    );
    const consumer = (instance: string): RunningProbe =>
      startClientProbe(
        'consume',
        namesrv,
        'handover_group',
        'HandoverTopic',
        '*',
        '0',
        '170000',
        '--orderly',
        '--consume-delay-ms',
        '100',
        '--report-queues',
        '--stop-on-stdin',
        '--instance',
        instance,
        ...FAST,
      );
    const a = consumer('handover-a');
    let b: RunningProbe | undefined;
    try {
      await a.waitFor('a consuming', (lines) => deliveries(lines).length >= 8, 60_000);
      const joining = consumer('handover-b');
      b = joining;
      await joining.waitFor('an allocation among 2 consumers', () => assignment(joining)?.consumers === 2, 60_000);
      await waitUntil(
        'all 200 messages consumed',
        () => new Set([...deliveries(a.lines), ...deliveries(joining.lines)].map(indexOf)).size === 200,
        90_000,
      );

      const handedOver = assignment(joining)?.queues ?? [];
      expect(handedOver).toHaveLength(2);
      let resumedByB = 0;
      for (const queueId of [0, 1, 2, 3]) {
        const inQueue = (lines: readonly ProbeLine[]): ProbeLine[] =>
          deliveries(lines).filter((line) => line['queueId'] === queueId);
        const queueSize = sent.filter((line) => line['queueId'] === queueId).length;
        if (expectHandover(inQueue(a.lines), inQueue(joining.lines), queueSize, handedOver.includes(queueId)))
          resumedByB++;
      }
      expect(resumedByB).toBeGreaterThan(0);
      expect(await joining.stop()).toBe(0);
      expect(await a.stop()).toBe(0);
    } finally {
      a.kill();
      b?.kill();
    }
  }, 240_000);

  it('redelivers a suspended message before anything behind it in its queue', async () => {
    await probe('produce', namesrv, 'SuspendTopic', '24', 'sync', '--orderly-key-count', '4', '--keys', 'suspend-{i}');
    const lines = await probe(
      'consume',
      namesrv,
      'suspend_group',
      'SuspendTopic',
      '*',
      '24',
      '60000',
      '--orderly',
      '--reconsume-later',
      '1',
      '--suspend-ms',
      '100',
      ...FAST,
    );
    expect(lines.at(-1)).toMatchObject({ done: true, distinct: 24, received: 48 });
    const received = deliveries(lines);
    for (const queueId of new Set(received.map((delivery) => Number(delivery['queueId'])))) {
      const inQueue = received.filter((delivery) => delivery['queueId'] === queueId);
      const offsets = inQueue.map((delivery) => Number(delivery['queueOffset']));
      const count = offsets.length / 2;
      // Offset n twice in a row: suspended first, consumed the second time; then n + 1.
      expect(offsets).toEqual(range(0, count).flatMap((offset) => [offset, offset]));
      expect(inQueue.map((delivery) => delivery['result'])).toEqual(
        range(0, count).flatMap(() => ['SUSPEND_CURRENT_QUEUE_A_MOMENT', 'CONSUME_SUCCESS']),
      );
    }
  }, 180_000);
});
