// ConcurrencyLimiter: at most `maxConcurrency` listener calls in flight (the Node counterpart of
// Java's consume thread pool); the rest wait in FIFO order. `idle()` resolves when none runs or
// waits, which shutdown awaits. Depends on nothing.

export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(readonly maxConcurrency: number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)
      throw new RangeError(`maxConcurrency must be a positive integer, not ${maxConcurrency}`);
  }

  /** Tasks running or waiting. */
  get pending(): number {
    return this.running + this.waiting.length;
  }

  /** Runs `task` once a slot is free; resolves or rejects with it. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A waiter is handed the slot of the task that finishes, so `running` never overshoots.
    if (this.running >= this.maxConcurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else {
        this.running -= 1;
        if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    }
  }

  /** Resolves once nothing runs or waits. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
