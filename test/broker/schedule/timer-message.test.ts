// The timer-message rule (Java `HookUtils#transformTimerMessage`) as a pure function: which property
// wins, rounding to the precision, the max delay, past deliver times, DELAY levels winning, and
// transactions left alone.

import { describe, expect, it } from 'vitest';
import { parkTimerMessage } from '../../../ts/broker/domain/schedule/timer-message.js';

const settings = { timerWheelEnable: true, timerPrecisionMs: 1000, timerMaxDelaySec: 60 };
const target = { topic: 'T', queueId: 3 };
const NOW = 1_700_000_000_500;

describe('parkTimerMessage', () => {
  it('parks in rmq_sys_wheel_timer queue 0 with TIMER_OUT_MS rounded down to the precision', () => {
    const properties = new Map([['TIMER_DELAY_MS', '2700']]);
    const decision = parkTimerMessage(properties, target, 0, NOW, settings);
    expect(decision).toEqual({
      kind: 'parked',
      target: { topic: 'rmq_sys_wheel_timer', queueId: 0 },
      deliverMs: 1_700_000_003_000,
    });
    expect(Object.fromEntries(properties)).toMatchObject({
      TIMER_OUT_MS: '1700000003000',
      REAL_TOPIC: 'T',
      REAL_QID: '3',
    });
    // An exact multiple moves one precision earlier, as in Java.
    expect(parkTimerMessage(new Map([['TIMER_DELIVER_MS', '1700000010000']]), target, 0, NOW, settings)).toMatchObject({
      deliverMs: 1_700_000_009_000,
    });
  });

  it('prefers TIMER_DELAY_SEC over TIMER_DELAY_MS over TIMER_DELIVER_MS', () => {
    const all = new Map([
      ['TIMER_DELAY_SEC', '5'],
      ['TIMER_DELAY_MS', '20000'],
      ['TIMER_DELIVER_MS', String(NOW + 40_000)],
    ]);
    expect(parkTimerMessage(all, target, 0, NOW, settings)).toMatchObject({ deliverMs: 1_700_000_005_000 });
  });

  it('refuses unparsable and too distant times, passes past ones through, and yields to DELAY levels', () => {
    expect(parkTimerMessage(new Map([['TIMER_DELAY_SEC', 'x']]), target, 0, NOW, settings)).toEqual({
      kind: 'illegal',
    });
    expect(parkTimerMessage(new Map([['TIMER_DELAY_SEC', '61']]), target, 0, NOW, settings)).toEqual({
      kind: 'illegal',
    });
    expect(parkTimerMessage(new Map([['TIMER_DELIVER_MS', String(NOW - 1)]]), target, 0, NOW, settings)).toEqual({
      kind: 'none',
    });
    const withLevel = new Map([
      ['DELAY', '2'],
      ['TIMER_DELAY_SEC', '5'],
    ]);
    expect(parkTimerMessage(withLevel, target, 0, NOW, settings)).toEqual({ kind: 'none' });
    expect(withLevel.has('TIMER_DELAY_SEC')).toBe(false);
    expect(parkTimerMessage(new Map([['TIMER_DELAY_SEC', '5']]), target, 0x4, NOW, settings)).toEqual({ kind: 'none' });
    expect(
      parkTimerMessage(new Map([['TIMER_DELAY_SEC', '5']]), target, 0, NOW, { ...settings, timerWheelEnable: false }),
    ).toEqual({
      kind: 'notEnabled',
    });
  });
});
