// Specification of orderly-consumption queue locks: one holder per queue, renewal by the holder,
// expiry after the lock lifetime, unlock only by the holder.

import { describe, expect, it } from 'vitest';
import { RebalanceLockManager } from '../../../ts/broker/domain/order/rebalance-lock-manager.js';

const q = (queueId: number) => ({ topic: 'T', brokerName: 'broker-a', queueId });

describe('broker: rebalance locks', () => {
  it('gives each queue to one client and lets the holder renew', () => {
    const locks = new RebalanceLockManager(1000);
    expect(locks.tryLockBatch('g', [q(0), q(1)], 'c1', 0)).toEqual([q(0), q(1)]);
    expect(locks.tryLockBatch('g', [q(1), q(2)], 'c2', 100)).toEqual([q(2)]);
    expect(locks.tryLockBatch('g', [q(0)], 'c1', 900)).toEqual([q(0)]);
    expect(locks.isLocked('g', q(0), 'c1', 1800)).toBe(true);
    // Groups are independent.
    expect(locks.tryLockBatch('other', [q(0)], 'c2', 100)).toEqual([q(0)]);
  });

  it('frees a lock after its lifetime and on unlock by its holder only', () => {
    const locks = new RebalanceLockManager(1000);
    locks.tryLockBatch('g', [q(0), q(1)], 'c1', 0);
    expect(locks.tryLockBatch('g', [q(0)], 'c2', 1001)).toEqual([q(0)]);
    locks.unlockBatch('g', [q(1)], 'c2');
    expect(locks.isLocked('g', q(1), 'c1', 500)).toBe(true);
    locks.unlockBatch('g', [q(1)], 'c1');
    expect(locks.tryLockBatch('g', [q(1)], 'c2', 600)).toEqual([q(1)]);
  });
});
