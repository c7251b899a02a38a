// The real Scheduler: Date.now, unref'd setTimeout/setInterval (pending timers never keep a stopping
// process alive) and setImmediate for the end of an event-loop turn. The only place the broker and
// registry read the wall clock or arm Node timers. Depends on node timers and ./scheduler.ts.

import type { Scheduler, TimerHandle } from './scheduler.js';

export const nodeScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer: (delayMs: number, callback: () => void): TimerHandle => {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return timer;
  },
  setRepeating: (intervalMs: number, callback: () => void): TimerHandle => {
    const timer = setInterval(callback, Math.max(1, intervalMs));
    timer.unref();
    return timer;
  },
  clearTimer: (handle: TimerHandle): void => {
    // clearTimeout and clearInterval accept each other's handles in Node.
    clearTimeout(handle as NodeJS.Timeout);
  },
  afterTurn: (callback: () => void): void => {
    setImmediate(callback);
  },
};

/**
 * nodeScheduler whose timers keep the process alive: for a wait that its caller awaits with nothing
 * else holding the event loop (a store flush wait: the native flush report does not hold it).
 */
export const keepAliveNodeScheduler: Scheduler = {
  ...nodeScheduler,
  setTimer: (delayMs: number, callback: () => void): TimerHandle => setTimeout(callback, Math.max(0, delayMs)),
  setRepeating: (intervalMs: number, callback: () => void): TimerHandle =>
    setInterval(callback, Math.max(1, intervalMs)),
};
