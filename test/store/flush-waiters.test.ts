// Specification of FlushWaiters on the fake clock: a flush report settles every wait it covers, in
// offset order; a wait not covered within its timeout fails with ERR_FLUSH_DISK_TIMEOUT; the overdue
// check runs only while something waits. No sleeps.

import { describe, expect, it } from 'vitest';
import { FlushWaiters } from '../../ts/store/flush-waiters.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { FakeScheduler } from '../support/fake-scheduler.js';

describe('store: flush waits', () => {
  it('settles the waits a flush report covers and fails the ones past their timeout', async () => {
    const clock = new FakeScheduler();
    const waiters = new FlushWaiters(clock);
    const settled: string[] = [];
    const track = (name: string, wait: Promise<void>) =>
      wait.then(
        () => settled.push(`${name} ok`),
        (error: { code: string }) => settled.push(`${name} ${error.code}`),
      );
    const waits = [
      track('b', waiters.wait(300, 5000)),
      track('a', waiters.wait(100, 5000)),
      track('c', waiters.wait(500, 1000)),
    ];
    expect(clock.pendingTimers).toBe(1);
    waiters.onFlushed(300, null);
    clock.advance(999);
    await Promise.resolve();
    expect(settled).toEqual(['a ok', 'b ok']);
    clock.advance(100);
    await Promise.all(waits);
    expect(settled).toEqual(['a ok', 'b ok', `c ${StoreErrorCode.FLUSH_DISK_TIMEOUT}`]);
    expect(clock.pendingTimers).toBe(0);
    await expect(waiters.wait(200, 1)).resolves.toBeUndefined();
    expect(waiters.completions).toBe(1);
  });

  it('fails every wait when a flush fails', async () => {
    const clock = new FakeScheduler();
    const waiters = new FlushWaiters(clock);
    const wait = waiters.wait(10, 5000);
    waiters.onFlushed(-1, 'disk on fire');
    await expect(wait).rejects.toMatchObject({ code: StoreErrorCode.IO });
    expect(clock.pendingTimers).toBe(0);
  });
});
