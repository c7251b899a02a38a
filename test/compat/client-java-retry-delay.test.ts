// The official Java client (rocketmq-client 5.5.0, via test/compat/java's ClientProbe) against our
// broker: RECONSUME_LATER leads to redelivery through %RETRY%<group> with reconsumeTimes growing,
// and after maxReconsumeTimes the message lands in %DLQ%<group>, where a consumer reads it; a
// delay-level message arrives no earlier than its level's delay. The broker runs short delay levels
// (level 2 = 3 s, the others 1 s) so the retries take seconds, not the default 10 s, 30 s, ...

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildJavaProbes,
  clientProbe as probe,
  type CompatCluster,
  FAST_CLIENT as FAST,
  messageLines as deliveries,
  startCompatCluster,
} from './compat-fixtures.js';

const LEVELS = ['1s', '3s', ...Array.from({ length: 16 }, () => '1s')].join(' ');

describe('compat: Java client retry, dead letters and delay levels against our broker', () => {
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster({ messageDelayLevel: LEVELS });
    namesrv = cluster.namesrv;
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('redelivers RECONSUME_LATER messages with growing reconsumeTimes, then dead-letters them', async () => {
    await probe('produce', namesrv, 'RetryTopic', '2', 'sync', '--keys', 'retry-{i}');
    const lines = await probe(
      'consume',
      namesrv,
      'retry_group',
      'RetryTopic',
      '*',
      '0',
      '15000',
      '--reconsume-later',
      '100',
      '--max-reconsume-times',
      '2',
      ...FAST,
    );
    const byKey = new Map<string, number[]>();
    for (const delivery of deliveries(lines)) {
      expect(delivery['result']).toBe('RECONSUME_LATER');
      expect(delivery['topic']).toBe('RetryTopic');
      const key = String(delivery['keys']);
      byKey.set(key, [...(byKey.get(key) ?? []), Number(delivery['reconsumeTimes'])]);
    }
    // Delivered 1 + maxReconsumeTimes times each: reconsumeTimes 0, 1, 2; the third give-back goes to the DLQ.
    expect(Object.fromEntries(byKey)).toEqual({ 'retry-0': [0, 1, 2], 'retry-1': [0, 1, 2] });

    const dead = await probe('consume', namesrv, 'dlq_reader', '%DLQ%retry_group', '*', '2', '30000', ...FAST);
    expect(dead.at(-1)).toMatchObject({ done: true, distinct: 2 });
    const messages = deliveries(dead);
    expect(new Set(messages.map((m) => m['keys']))).toEqual(new Set(['retry-0', 'retry-1']));
    for (const message of messages) {
      expect(message['reconsumeTimes']).toBe(3);
      expect(message['properties']).toMatchObject({ RETRY_TOPIC: 'RetryTopic' });
    }
  }, 180_000);

  it('delivers a delay-level message no earlier than its delay', async () => {
    const sent = await probe(
      'produce',
      namesrv,
      'DelayTopic',
      '3',
      'sync',
      '--delay-level',
      '2',
      '--keys',
      'delay-{i}',
    );
    expect(sent.at(-1)).toMatchObject({ done: true, sent: 3 });
    const lines = await probe('consume', namesrv, 'delay_group', 'DelayTopic', '*', '3', '60000', ...FAST);
    expect(lines.at(-1)).toMatchObject({ done: true, distinct: 3 });
    for (const message of deliveries(lines)) {
      const bornMs = Number(message['bornTimestamp']);
      expect(Number(message['storeTimestamp']) - bornMs).toBeGreaterThanOrEqual(3000);
      expect(Number(message['receivedAtMs']) - bornMs).toBeGreaterThanOrEqual(3000);
      expect(message['properties']).toMatchObject({ REAL_TOPIC: 'DelayTopic' });
      expect(message['properties']).not.toHaveProperty('DELAY');
    }
  }, 180_000);

  it('delivers a 5.x timer message (setDelayTimeMs) at its deliver time', async () => {
    const sent = await probe(
      'produce',
      namesrv,
      'TimerTopic',
      '2',
      'sync',
      '--delay-ms',
      '2500',
      '--keys',
      'timer-{i}',
    );
    expect(sent.at(-1)).toMatchObject({ done: true, sent: 2 });
    const lines = await probe('consume', namesrv, 'timer_group', 'TimerTopic', '*', '2', '60000', ...FAST);
    expect(lines.at(-1)).toMatchObject({ done: true, distinct: 2 });
    for (const message of deliveries(lines)) {
      const properties = message['properties'] as Record<string, string>;
      const outMs = Number(properties['TIMER_OUT_MS']);
      // The deliver time is rounded down to timerPrecisionMs (1 s).
      expect(outMs).toBeGreaterThanOrEqual(Number(message['bornTimestamp']) + 1500);
      expect(Number(message['storeTimestamp'])).toBeGreaterThanOrEqual(outMs);
      expect(message['topic']).toBe('TimerTopic');
    }
  }, 180_000);
});
