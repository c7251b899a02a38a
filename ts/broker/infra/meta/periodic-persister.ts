// PeriodicPersister: the Component that writes the metadata managers to disk every
// `flushConsumerOffsetInterval` ms (Java BrokerController's consumer-offset persist task, 5000 ms)
// and once more on stop. A failing persist is logged and retried on the next tick.
// Depends on common/lifecycle.ts, common/logger.ts, common/scheduler.ts (its timer).

import type { Component } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../../common/scheduler.js';

/** Anything that writes its state out whole (the managers' `persist()`). */
export interface PersistTarget {
  readonly name: string;
  persist(): void;
}

export class PeriodicPersister implements Component {
  readonly name = 'meta-persister';
  /** undefined while stopped. */
  private timer: TimerHandle = undefined;

  constructor(
    private readonly targets: readonly PersistTarget[],
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly scheduler: Scheduler,
  ) {
    if (!(intervalMs > 0)) throw new Error(`persist interval must be positive, got ${intervalMs} ms`);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = this.scheduler.setRepeating(this.intervalMs, () => this.persistAll());
  }

  stop(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    this.persistAll();
  }

  /** Persists every target; returns how many failed (each failure is logged with its name). */
  persistAll(): number {
    let failures = 0;
    for (const target of this.targets) {
      try {
        target.persist();
      } catch (error) {
        failures += 1;
        this.logger.error('persist failed', { target: target.name, error: String(error) });
      }
    }
    return failures;
  }
}
