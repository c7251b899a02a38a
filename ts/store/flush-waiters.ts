// FlushWaiters: promises that settle when the CommitLog is on disk up to an offset. The native flush
// thread reports once per flush pass or group commit (one threadsafe call, never per message); one
// report settles every waiter it covers. A waiter not covered within its timeout fails with
// FLUSH_DISK_TIMEOUT (RocketMQ's `syncFlushTimeout`, 5000 ms). Deadlines and the overdue check run on
// an injected Scheduler. Depends on store-errors.ts and common/scheduler.ts.

import type { Scheduler, TimerHandle } from '../common/scheduler.js';
import { StoreError, StoreErrorCode } from './store-errors.js';

/** RocketMQ `syncFlushTimeout`. */
export const DEFAULT_SYNC_FLUSH_TIMEOUT_MS = 5000;
/** How often overdue waiters are looked for while any wait. */
const TIMEOUT_CHECK_INTERVAL_MS = 50;

interface Waiter {
  readonly endOffset: number;
  readonly deadlineMs: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class FlushWaiters {
  /** Ordered by endOffset: appends are, so a waiter is only ever pushed at the back. */
  private readonly waiters: Waiter[] = [];
  private flushedOffset = 0;
  /** The overdue check, armed while any wait is pending. */
  private timer: TimerHandle = undefined;
  /** Flush reports received (one per pass or group commit). */
  completions = 0;

  /**
   * `scheduler`'s repeating timer must keep the process alive while a wait is pending (the native
   * flush callback does not): see keepAliveNodeScheduler.
   */
  constructor(
    private readonly scheduler: Scheduler,
    /** The error of a wait past its timeout: FLUSH_DISK_TIMEOUT, or FLUSH_SLAVE_TIMEOUT for replication waits. */
    private readonly timeoutCode: StoreErrorCode = StoreErrorCode.FLUSH_DISK_TIMEOUT,
  ) {}

  /** A promise settled once every CommitLog byte below `endOffset` is on disk. */
  wait(endOffset: number, timeoutMs: number): Promise<void> {
    if (endOffset <= this.flushedOffset) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = { endOffset, deadlineMs: this.scheduler.now() + timeoutMs, resolve, reject };
      const last = this.waiters[this.waiters.length - 1];
      if (last === undefined || last.endOffset <= endOffset) this.waiters.push(waiter);
      else this.waiters.splice(this.insertionIndex(endOffset), 0, waiter);
      this.startTimer();
    });
  }

  /** The native report: everything below `flushedOffset` is on disk, or the flush failed. */
  onFlushed(flushedOffset: number, error: string | null | undefined): void {
    this.completions += 1;
    if (typeof error === 'string') {
      this.rejectAll(new StoreError(StoreErrorCode.IO, `flush failed: ${error}`));
      return;
    }
    this.flushedOffset = Math.max(this.flushedOffset, flushedOffset);
    let settled = 0;
    while (settled < this.waiters.length && (this.waiters[settled] as Waiter).endOffset <= this.flushedOffset) {
      (this.waiters[settled] as Waiter).resolve();
      settled += 1;
    }
    this.waiters.splice(0, settled);
    if (this.waiters.length === 0) this.stopTimer();
  }

  /** Settles every pending waiter (a clean close flushed everything). */
  resolveAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
    this.stopTimer();
  }

  /** Fails every pending waiter (the store is closing, or a flush failed). */
  rejectAll(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.stopTimer();
  }

  private insertionIndex(endOffset: number): number {
    let low = 0;
    let high = this.waiters.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.waiters[mid] as Waiter).endOffset <= endOffset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private startTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = this.scheduler.setRepeating(TIMEOUT_CHECK_INTERVAL_MS, () => this.expireOverdue());
  }

  private stopTimer(): void {
    if (this.timer === undefined) return;
    this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }

  private expireOverdue(): void {
    const now = this.scheduler.now();
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i] as Waiter;
      if (waiter.deadlineMs > now) continue;
      this.waiters.splice(i, 1);
      waiter.reject(
        new StoreError(
          this.timeoutCode,
          this.timeoutCode === StoreErrorCode.FLUSH_DISK_TIMEOUT
            ? `not on disk within the sync flush timeout (flushed ${this.flushedOffset}, needed ${waiter.endOffset})`
            : `not confirmed by a slave within slaveTimeout (acked ${this.flushedOffset}, needed ${waiter.endOffset})`,
        ),
      );
    }
    if (this.waiters.length === 0) this.stopTimer();
  }
}
