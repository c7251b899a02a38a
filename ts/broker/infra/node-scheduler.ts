// The real clock and timers behind the domain's injected scheduler interfaces (e.g. the long-poll
// PullHoldScheduler): Date.now and unref'd setTimeout, so pending timers never keep a stopping
// process alive. Depends on node timers only.

import type { PullHoldScheduler } from '../domain/pull/long-poll.js';

export const nodeScheduler: PullHoldScheduler = {
  now: () => Date.now(),
  setTimer: (delayMs, callback) => {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
