// The delay-level table and the retry/DLQ routing rules, as pure functions: parsing
// messageDelayLevel, deliver times and their correction, the SCHEDULE_TOPIC_XXXX rewrite (skipped for
// prepared and rollback transactions), and where given-back messages go.

import { describe, expect, it } from 'vitest';
import {
  DelayLevelError,
  DelayLevelTable,
  scheduleIfDelayed,
} from '../../../ts/broker/domain/schedule/delay-level-table.js';
import { routeSendBack, retrySendGoesToDlq } from '../../../ts/broker/domain/send/send-back.js';

const DEFAULT_LEVELS = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

describe('DelayLevelTable', () => {
  it('parses RocketMQ levels with s, m, h and d units', () => {
    const table = new DelayLevelTable(DEFAULT_LEVELS);
    expect(table.maxLevel).toBe(18);
    expect(table.delayMs(1)).toBe(1000);
    expect(table.delayMs(5)).toBe(60_000);
    expect(table.delayMs(18)).toBe(7_200_000);
    expect(new DelayLevelTable('2d').delayMs(1)).toBe(172_800_000);
    expect(table.deliverTimestamp(3, 1_000_000)).toBe(1_010_000);
    expect(table.deliverTimestamp(99, 0)).toBe(1000);
  });

  it('refuses empty lists and unknown units', () => {
    expect(() => new DelayLevelTable('  ')).toThrow(DelayLevelError);
    expect(() => new DelayLevelTable('1s 5x')).toThrow(/5x/);
    expect(() => new DelayLevelTable('s')).toThrow(DelayLevelError);
  });

  it('treats a deliver time beyond now + delay (clock moved back) as due now', () => {
    const table = new DelayLevelTable(DEFAULT_LEVELS);
    expect(table.correctDeliverTimestamp(1, 5000, 4500)).toBe(5000);
    expect(table.correctDeliverTimestamp(1, 9000, 4500)).toBe(4500);
  });
});

describe('scheduleIfDelayed', () => {
  const table = new DelayLevelTable('1s 2s 3s');

  it('parks DELAY > 0 in SCHEDULE_TOPIC_XXXX queue level-1 with REAL_TOPIC and REAL_QID', () => {
    const properties = new Map([['DELAY', '2']]);
    expect(scheduleIfDelayed(properties, { topic: 'T', queueId: 7 }, 0, table)).toEqual({
      topic: 'SCHEDULE_TOPIC_XXXX',
      queueId: 1,
    });
    expect(Object.fromEntries(properties)).toEqual({ DELAY: '2', REAL_TOPIC: 'T', REAL_QID: '7' });
  });

  it('clamps to the max level, and leaves DELAY ≤ 0, unparsable or transactional messages alone', () => {
    const clamped = new Map([['DELAY', '40']]);
    expect(scheduleIfDelayed(clamped, { topic: 'T', queueId: 0 }, 0, table).queueId).toBe(2);
    expect(clamped.get('DELAY')).toBe('3');
    for (const delay of ['0', '-1', 'x']) {
      expect(scheduleIfDelayed(new Map([['DELAY', delay]]), { topic: 'T', queueId: 0 }, 0, table).topic).toBe('T');
    }
    expect(scheduleIfDelayed(new Map([['DELAY', '1']]), { topic: 'T', queueId: 0 }, 0x4, table).topic).toBe('T');
    expect(scheduleIfDelayed(new Map([['DELAY', '1']]), { topic: 'T', queueId: 0 }, 0xc, table).topic).toBe('T');
    expect(scheduleIfDelayed(new Map([['DELAY', '1']]), { topic: 'T', queueId: 0 }, 0x8, table).topic).toBe(
      'SCHEDULE_TOPIC_XXXX',
    );
  });
});

describe('retry routing', () => {
  it('gives level 3 + reconsumeTimes by default and the DLQ at the max or for a negative level', () => {
    expect(routeSendBack(0, 0, 16)).toEqual({ deadLetter: false, delayLevel: 3 });
    expect(routeSendBack(4, 0, 16)).toEqual({ deadLetter: false, delayLevel: 7 });
    expect(routeSendBack(4, 2, 16)).toEqual({ deadLetter: false, delayLevel: 2 });
    expect(routeSendBack(16, 0, 16)).toEqual({ deadLetter: true, delayLevel: 0 });
    expect(routeSendBack(0, -1, 16)).toEqual({ deadLetter: true, delayLevel: 0 });
  });

  it('dead-letters %RETRY% sends only past the max, or while the group holds orderly locks', () => {
    expect(retrySendGoesToDlq(16, 16, false)).toBe(false);
    expect(retrySendGoesToDlq(17, 16, false)).toBe(true);
    expect(retrySendGoesToDlq(0, 16, true)).toBe(true);
  });
});
