// The clock and timers every time-dependent component runs on, injected so that domain code never
// reads the wall clock or arms a Node timer itself and tests drive time by hand
// (test/support/fake-scheduler.ts). The Node implementation is ts/common/node-scheduler.ts.
// Depends on nothing.

/** An opaque handle returned by `setTimer`/`setRepeating`, given back to `clearTimer`. */
export type TimerHandle = unknown;

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs` (negative delays count as 0). Never holds the process open. */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Runs `callback` every `intervalMs` until cleared. Never holds the process open. */
  setRepeating(intervalMs: number, callback: () => void): TimerHandle;
  /** Cancels a timer from `setTimer` or `setRepeating`; unknown or spent handles are ignored. */
  clearTimer(handle: TimerHandle): void;
  /**
   * Runs `callback` once the current event-loop turn's I/O callbacks have run (Node `setImmediate`):
   * the boundary that per-turn batching (one store append per turn) uses. Never a timer.
   */
  afterTurn(callback: () => void): void;
}
