// Specification of held pops: keyed by topic and group, woken by an arrival on any of their topics,
// answered at their deadline or at shutdown, and bounded.

import { describe, expect, it } from 'vitest';
import { PopLongPolling, type PopWakeReason } from '../../../ts/broker/domain/pop/pop-long-polling.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

describe('pop long polling', () => {
  it('wakes the pops of an arrival topic, every group, and none of another topic', () => {
    const clock = new FakeScheduler();
    const polling = new PopLongPolling(clock, 10);
    const woken: string[] = [];
    const hold = (name: string, topics: string[], group: string) =>
      polling.hold(topics, group, clock.now() + 10_000, (reason) => woken.push(`${name}:${reason}`));
    hold('a', ['T', '%RETRY%g_T'], 'g');
    hold('b', ['T'], 'h');
    hold('c', ['U'], 'g');
    expect([polling.heldCount, polling.heldCountOf('T', 'g'), polling.heldCountOf('T', 'h')]).toEqual([3, 1, 1]);
    polling.notifyTopic('%RETRY%g_T');
    expect(woken).toEqual(['a:arrival']);
    polling.notifyTopic('T');
    expect(woken).toEqual(['a:arrival', 'b:arrival']);
    expect([polling.heldCount, polling.heldCountOf('T', 'g')]).toEqual([1, 0]);
  });

  it('answers at the deadline, at shutdown, and refuses past its bound', () => {
    const clock = new FakeScheduler();
    const polling = new PopLongPolling(clock, 2);
    const reasons: PopWakeReason[] = [];
    expect(polling.hold(['T'], 'g', clock.now() + 1_000, (reason) => reasons.push(reason))).toBe(true);
    expect(polling.hold(['T'], 'g', clock.now() + 5_000, (reason) => reasons.push(reason))).toBe(true);
    expect(polling.hold(['T'], 'g', clock.now() + 5_000, (reason) => reasons.push(reason))).toBe(false);
    clock.advance(1_000);
    expect(reasons).toEqual(['deadline']);
    polling.shutdown();
    expect(reasons).toEqual(['deadline', 'shutdown']);
    expect([polling.heldCount, clock.pendingTimers]).toEqual([0, 0]);
    polling.notifyTopic('T');
    expect(reasons).toHaveLength(2);
  });
});
