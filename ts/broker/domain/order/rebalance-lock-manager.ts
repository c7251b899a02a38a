// RebalanceLockManager (Java `RebalanceLockManager`): which client of a consumer group holds each
// message queue for orderly consumption (LOCK_BATCH_MQ / UNLOCK_BATCH_MQ). A lock lasts
// `lockMaxLiveTimeMs` (60 s, `rocketmq.broker.rebalance.lockMaxLiveTime`) unless renewed; the
// holder renews by locking again. Pure domain (clock passed in). Depends on nothing.

import { REBALANCE_LOCK_MAX_LIVE_TIME_MS } from '../../limits.js';

/** A queue as the client names it (`MessageQueue`). */
export interface MessageQueue {
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
}

interface LockEntry {
  clientId: string;
  lastUpdateMs: number;
}

const queueKey = (mq: MessageQueue): string => `${mq.topic}\u0000${mq.brokerName}\u0000${mq.queueId}`;

export class RebalanceLockManager {
  /** group → queue key → lock. */
  private readonly table = new Map<string, Map<string, LockEntry>>();

  constructor(private readonly lockMaxLiveTimeMs = REBALANCE_LOCK_MAX_LIVE_TIME_MS) {}

  /** `tryLockBatch`: locks (or renews) every queue free, expired or already held by `clientId`; returns those. */
  tryLockBatch(group: string, queues: readonly MessageQueue[], clientId: string, nowMs: number): MessageQueue[] {
    const locks = this.table.get(group) ?? new Map<string, LockEntry>();
    this.table.set(group, locks);
    const locked: MessageQueue[] = [];
    for (const mq of queues) {
      const key = queueKey(mq);
      const entry = locks.get(key);
      const free = entry === undefined || entry.lastUpdateMs + this.lockMaxLiveTimeMs < nowMs;
      if (free || entry.clientId === clientId) {
        locks.set(key, { clientId, lastUpdateMs: nowMs });
        locked.push(mq);
      }
    }
    return locked;
  }

  /** `unlockBatch`: releases the queues `clientId` holds; others' locks stay. */
  unlockBatch(group: string, queues: readonly MessageQueue[], clientId: string): void {
    const locks = this.table.get(group);
    if (locks === undefined) return;
    for (const mq of queues) {
      const key = queueKey(mq);
      if (locks.get(key)?.clientId === clientId) locks.delete(key);
    }
    if (locks.size === 0) this.table.delete(group);
  }

  /** Whether `clientId` holds a live lock on the queue. */
  isLocked(group: string, mq: MessageQueue, clientId: string, nowMs: number): boolean {
    const entry = this.table.get(group)?.get(queueKey(mq));
    return entry !== undefined && entry.clientId === clientId && entry.lastUpdateMs + this.lockMaxLiveTimeMs >= nowMs;
  }

  /** `isLockAllExpired`: no queue of the group has a live lock (the group is not consuming orderly). */
  isLockAllExpired(group: string, nowMs: number): boolean {
    const locks = this.table.get(group);
    if (locks === undefined) return true;
    for (const entry of locks.values()) {
      if (entry.lastUpdateMs + this.lockMaxLiveTimeMs >= nowMs) return false;
    }
    return true;
  }
}
