// The official Java client (rocketmq-client 5.5.0, via test/compat/java's ClientProbe) across a
// broker restart: a producer sends 100,000 small messages in batches while a clustering push
// consumer group receives them; half-way the broker is stopped and a new one started on the same
// port and store (the registry stays up). Both clients keep running and retry; every message is
// received at least once (duplicates allowed, loss not).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../ts/broker/domain/meta/topic-config-manager.js';
import {
  buildJavaProbes,
  type CompatCluster,
  FAST_CLIENT as FAST,
  type ProbeLine,
  type RunningProbe,
  startClientProbe,
  startCompatCluster,
} from './compat-fixtures.js';

const TOTAL = 100_000;

/** The latest `--quiet` progress line's `field`, or 0. */
function progress(probe: RunningProbe, field: string): number {
  const line = probe.lines.findLast((candidate: ProbeLine) => candidate['progress'] === true);
  return Number(line?.[field] ?? 0);
}

describe('compat: Java producer and consumer across a broker restart', () => {
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

  it('receives all 100,000 messages when the broker restarts in the middle', async () => {
    cluster.broker.topics.createTopicIfAbsent(newTopicConfig('RestartTopic', { readQueueNums: 8, writeQueueNums: 8 }));
    const port = cluster.broker.port;
    const consumer = startClientProbe(
      'consume',
      namesrv,
      'restart_group',
      'RestartTopic',
      '*',
      String(TOTAL),
      '100000',
      '--quiet',
      '--report-queues',
      '--progress-ms',
      '250',
      ...FAST,
    );
    let producer: RunningProbe | undefined;
    try {
      await consumer.waitFor(
        'the 8 queues allocated',
        (lines) => lines.some((line) => Array.isArray(line['assigned']) && line['assigned'].length === 8),
        60_000,
      );
      producer = startClientProbe(
        'produce',
        namesrv,
        'RestartTopic',
        String(TOTAL),
        'batch',
        '--batch-size',
        '32',
        '--keys',
        'restart-{i}',
        '--quiet',
        '--progress-ms',
        '250',
        '--retry-until-ms',
        '60000',
      );
      const sender = producer;
      await sender.waitFor('a third of the messages sent', () => progress(sender, 'sent') >= TOTAL / 3, 60_000);
      await consumer.waitFor(
        'a fifth of the messages consumed',
        () => progress(consumer, 'succeeded') >= TOTAL / 5,
        60_000,
      );

      // Both clients are mid-stream when the broker goes away.
      const sentAtRestart = progress(sender, 'sent');
      const consumedAtRestart = progress(consumer, 'succeeded');
      expect(sentAtRestart).toBeLessThan(TOTAL);
      expect(consumedAtRestart).toBeLessThan(TOTAL);
      const restarted = await cluster.restartBroker();
      expect(restarted.port).toBe(port);

      expect(await sender.exited).toBe(0);
      expect(sender.lines.at(-1)).toMatchObject({ done: true, sent: TOTAL });
      expect(await consumer.exited).toBe(0);
      const done = consumer.lines.at(-1);
      expect(done).toMatchObject({ done: true });
      expect(done?.['indexRanges']).toEqual([[0, TOTAL - 1]]);
      // The restarted broker recovered what the first one stored (a retried batch may be stored twice).
      const stored = [0, 1, 2, 3, 4, 5, 6, 7].reduce(
        (sum, queueId) => sum + restarted.store.getMaxOffsetInQueue('RestartTopic', queueId),
        0,
      );
      expect(stored).toBeGreaterThanOrEqual(TOTAL);
    } finally {
      producer?.kill();
      consumer.kill();
    }
  }, 150_000);
});
