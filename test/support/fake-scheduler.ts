// A Scheduler whose clock moves only when a test says so: `advance(ms)` runs every timer that falls
// due on the way, in deadline order; `runTurns()` runs the callbacks queued with `afterTurn`.
// Lets domain services (long polling, delay and timer delivery, batching) be tested without sleeps.
// Depends on ts/common/scheduler.ts.

import type { Scheduler, TimerHandle } from '../../ts/common/scheduler.js';

interface FakeTimer {
  readonly id: number;
  dueMs: number;
  readonly intervalMs: number | null;
  readonly callback: () => void;
}

export class FakeScheduler implements Scheduler {
  private nowMs: number;
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();
  private turnQueue: (() => void)[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return this.add(Math.max(0, delayMs), null, callback);
  }

  setRepeating(intervalMs: number, callback: () => void): TimerHandle {
    return this.add(Math.max(1, intervalMs), Math.max(1, intervalMs), callback);
  }

  clearTimer(handle: TimerHandle): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  afterTurn(callback: () => void): void {
    this.turnQueue.push(callback);
  }

  /** How many one-shot and repeating timers are armed. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Runs the `afterTurn` callbacks, including those they queue, until none is left. */
  runTurns(): void {
    while (this.turnQueue.length > 0) {
      const queue = this.turnQueue;
      this.turnQueue = [];
      for (const callback of queue) callback();
    }
  }

  /** Moves the clock forward by `ms`, running every timer that falls due, earliest first. */
  advance(ms: number): void {
    const targetMs = this.nowMs + ms;
    for (;;) {
      const next = this.earliestDue(targetMs);
      if (next === undefined) break;
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      if (next.intervalMs === null) this.timers.delete(next.id);
      else next.dueMs += next.intervalMs;
      next.callback();
      this.runTurns();
    }
    this.nowMs = targetMs;
  }

  private earliestDue(limitMs: number): FakeTimer | undefined {
    let earliest: FakeTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.dueMs > limitMs) continue;
      if (earliest === undefined || timer.dueMs < earliest.dueMs) earliest = timer;
    }
    return earliest;
  }

  private add(delayMs: number, intervalMs: number | null, callback: () => void): number {
    const id = this.nextId++;
    this.timers.set(id, { id, dueMs: this.nowMs + delayMs, intervalMs, callback });
    return id;
  }
}
