// Specification of BrokerStats (pure, manual clock): put/get counters, the "10s 60s 600s" TPS
// strings, the latency distribution and percentiles of the last minute, the per-topic and
// per-group minute TPS, and the totals recorded at local midnight.

import { describe, expect, it } from 'vitest';
import { BrokerStats, formatRuntime } from '../../../ts/broker/domain/admin/broker-stats.js';
import { MAX_KEYED_SERIES } from '../../../ts/broker/limits.js';

function clockAt(startMs: number) {
  const clock = { now: startMs, nowMs: () => clock.now };
  return clock;
}

function stats(startMs = new Date(2024, 0, 1, 12, 0, 0).getTime(), consumed: Array<[string, number]> = []) {
  const clock = clockAt(startMs);
  const broker = new BrokerStats({
    nowMs: clock.nowMs,
    isSystemTopic: (topic) => topic.startsWith('rmq_sys_'),
    consumedTotals: () => consumed,
  });
  /** Advances the clock second by second, sampling each second. */
  const advance = (seconds: number): void => {
    for (let i = 0; i < seconds; i++) {
      clock.now += 1000;
      broker.sample();
    }
  };
  return { broker, clock, advance, consumed };
}

describe('admin: broker stats', () => {
  it('reports the store keys of a fresh broker as Java does (putMessageTimesTotal 1 when nothing was put)', () => {
    const { broker } = stats();
    const info = broker.storeRuntimeInfo();
    expect(info).toMatchObject({
      putMessageTimesTotal: '1',
      putMessageSizeTotal: '0',
      putMessageAverageSize: '0.0',
      putTps: '0.0 0.0 0.0',
      getTotalTps: '0.0 0.0 0.0',
      putLatency99: '0.00',
      runtime: '[ 0 days, 0 hours, 0 minutes, 0 seconds ]',
    });
    expect(Object.keys(info).sort()).toEqual(
      [
        'bootTimestamp',
        'dispatchMaxBuffer',
        'getFoundTps',
        'getMessageEntireTimeMax',
        'getMissTps',
        'getTotalTps',
        'getTransferredTps',
        'putLatency99',
        'putLatency999',
        'putMessageAverageSize',
        'putMessageDistributeTime',
        'putMessageEntireTimeMax',
        'putMessageFailedTimes',
        'putMessageSizeTotal',
        'putMessageTimesTotal',
        'putTps',
        'runtime',
      ].sort(),
    );
  });

  it('counts puts and computes the put TPS over 10, 60 and 600 seconds', () => {
    const { broker, advance } = stats();
    for (let second = 0; second < 20; second++) {
      broker.recordPut('T', 10, 1000);
      advance(1);
    }
    const info = broker.storeRuntimeInfo();
    expect(info.putMessageTimesTotal).toBe('200');
    expect(info.putMessageSizeTotal).toBe('20000');
    expect(info.putMessageAverageSize).toBe('100.0');
    // 10 s window: 100 messages; the longer windows cover the 20 s there are.
    expect(info.putTps).toBe('10.0 10.0 10.0');
    advance(10);
    // 200 messages: none in the last 10 s, 200 over the 30 s the broker has run.
    expect(broker.storeRuntimeInfo().putTps).toBe('0.0 6.666666666666667 6.666666666666667');
  });

  it('counts found and missed reads and the messages transferred', () => {
    const { broker, advance } = stats();
    broker.recordGet('T', 4, 2);
    broker.recordGet('T', 0, 0);
    broker.recordGet('rmq_sys_x', 3, 7);
    advance(1);
    const info = broker.storeRuntimeInfo();
    expect(info.getFoundTps).toBe('2.0 2.0 2.0');
    expect(info.getMissTps).toBe('1.0 1.0 1.0');
    expect(info.getTotalTps).toBe('3.0 3.0 3.0');
    expect(info.getTransferredTps).toBe('7.0 7.0 7.0');
    expect(info.getMessageEntireTimeMax).toBe('7');
    expect(broker.dailyTotals().msgGetTotalTodayNow).toBe(4);
  });

  it('keeps the put latency distribution and percentiles of the last whole minute', () => {
    const { broker, advance } = stats();
    for (let i = 0; i < 997; i++) broker.recordPutTime(0);
    broker.recordPutTime(30);
    broker.recordPutTime(1500);
    broker.recordPutTime(1500);
    expect(broker.storeRuntimeInfo().putMessageEntireTimeMax).toBe('1500');
    advance(60);
    broker.recordPutTime(5);
    const info = broker.storeRuntimeInfo();
    expect(info.putMessageDistributeTime).toBe(
      '[<=0ms]:997 [0~10ms]:0 [10~50ms]:1 [50~100ms]:0 [100~200ms]:0 [200~500ms]:0 [500ms~1s]:0 ' +
        '[1~2s]:2 [2~3s]:0 [3~4s]:0 [4~5s]:0 [5~10s]:0 [10s~]:0 ',
    );
    // Java's interpolation inside the bucket holding the percentile: the 990th of 1000 puts lies in
    // the first bucket (0, 1 ms]; the 999th in (1000, 2000 ms], half way through its two puts.
    expect(info.putLatency99).toBe('0.99');
    expect(info.putLatency999).toBe('1500.00');
  });

  it('counts system topics in the store totals but not in the daily totals', () => {
    const { broker } = stats();
    broker.recordPut('T', 3, 300);
    broker.recordPut('rmq_sys_wheel_timer', 2, 200);
    broker.recordPutFailure();
    expect(broker.storeRuntimeInfo()).toMatchObject({ putMessageTimesTotal: '5', putMessageFailedTimes: '1' });
    expect(broker.dailyTotals().msgPutTotalTodayNow).toBe(3);
  });

  it('records the totals at local midnight: today becomes yesterday', () => {
    const { broker, clock } = stats(new Date(2024, 0, 1, 23, 59, 58).getTime());
    broker.recordPut('T', 5, 500);
    clock.now += 3000;
    broker.sample();
    expect(broker.dailyTotals()).toMatchObject({
      msgPutTotalYesterdayMorning: 0,
      msgPutTotalTodayMorning: 5,
      msgPutTotalTodayNow: 5,
    });
    broker.recordPut('T', 2, 200);
    clock.now += 24 * 3600 * 1000;
    broker.sample();
    expect(broker.dailyTotals()).toMatchObject({
      msgPutTotalYesterdayMorning: 5,
      msgPutTotalTodayMorning: 7,
      msgPutTotalTodayNow: 7,
    });
  });

  it('computes a topic put TPS and a group consume TPS over the last minute of 10 s samples', () => {
    const { broker, advance, consumed } = stats();
    expect(broker.topicPutTps('T')).toBe(0);
    consumed.push(['T@cg', 0]);
    broker.recordPut('T', 1, 100);
    advance(10);
    for (let i = 0; i < 6; i++) {
      broker.recordPut('T', 50, 5000);
      consumed[0] = ['T@cg', (consumed[0]?.[1] ?? 0) + 20];
      advance(10);
    }
    expect(broker.topicPutTps('T')).toBe(5);
    expect(broker.groupConsumeTps('cg', 'T')).toBe(2);
    expect(broker.groupConsumeTps('other', 'T')).toBe(0);
    // An offset reset backwards is no negative consumption.
    consumed[0] = ['T@cg', 0];
    advance(10);
    expect(broker.groupConsumeTps('cg', 'T')).toBe(0);
  });

  it('follows at most MAX_KEYED_SERIES topics', () => {
    const { broker, advance } = stats();
    for (let i = 0; i <= MAX_KEYED_SERIES; i++) broker.recordPut(`T${i}`, 1, 1);
    advance(10);
    for (let i = 0; i <= MAX_KEYED_SERIES; i++) broker.recordPut(`T${i}`, 10, 1);
    advance(10);
    expect(broker.topicPutTps('T0')).toBeGreaterThan(0);
    expect(broker.topicPutTps(`T${MAX_KEYED_SERIES}`)).toBe(0);
  });

  it('formats the run time as Java', () => {
    expect(formatRuntime(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000 + 999)).toBe(
      '[ 2 days, 3 hours, 4 minutes, 5 seconds ]',
    );
  });
});
