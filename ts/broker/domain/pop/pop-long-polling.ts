// Pops held until a message arrives (Java `PopLongPollingService`): keyed by topic and group (a pop
// also waits on its pop retry topic), woken by the arrival listener, answered at their deadline, and
// bounded (`maxPopPollingSize`: past it a pop is answered POLLING_FULL at once). Timers come from the
// injected Scheduler. Pure apart from that. Depends on ts/common/scheduler.ts.

import type { Scheduler, TimerHandle } from '../../../common/scheduler.js';

/** Why a held pop was answered. */
export type PopWakeReason = 'arrival' | 'deadline' | 'shutdown';

interface HeldPop {
  readonly keys: readonly string[];
  readonly onWake: (reason: PopWakeReason) => void;
  timer: TimerHandle;
  done: boolean;
}

export class PopLongPolling {
  private readonly byKey = new Map<string, Set<HeldPop>>();
  private held = 0;

  constructor(
    private readonly scheduler: Pick<Scheduler, 'now' | 'setTimer' | 'clearTimer'>,
    private readonly maxHeld: number,
  ) {}

  /** Held pops now. */
  get heldCount(): number {
    return this.held;
  }

  /** Held pops of `topic@group`. */
  heldCountOf(topic: string, group: string): number {
    return this.byKey.get(pollingKey(topic, group))?.size ?? 0;
  }

  /**
   * Holds a pop on each topic of `topics` for `group` until an arrival or `deadlineMs`; false (nothing
   * held) when the bound is reached.
   */
  hold(topics: readonly string[], group: string, deadlineMs: number, onWake: (reason: PopWakeReason) => void): boolean {
    if (this.held >= this.maxHeld) return false;
    const keys = topics.map((topic) => pollingKey(topic, group));
    const pop: HeldPop = { keys, onWake, timer: undefined, done: false };
    for (const key of keys) {
      let set = this.byKey.get(key);
      if (set === undefined) this.byKey.set(key, (set = new Set()));
      set.add(pop);
    }
    this.held++;
    pop.timer = this.scheduler.setTimer(deadlineMs - this.scheduler.now(), () => this.wake(pop, 'deadline'));
    return true;
  }

  /** Wakes the pops held on `topic` by any group (an arrival). */
  notifyTopic(topic: string, groups: Iterable<string>): void {
    for (const group of groups) this.notify(topic, group);
  }

  /** Wakes the pops held on `topic@group`. */
  notify(topic: string, group: string): void {
    const set = this.byKey.get(pollingKey(topic, group));
    if (set === undefined) return;
    for (const pop of [...set]) this.wake(pop, 'arrival');
  }

  /** The groups holding pops on `topic`. */
  groupsOf(topic: string): string[] {
    const prefix = `${topic}@`;
    const groups: string[] = [];
    for (const key of this.byKey.keys()) if (key.startsWith(prefix)) groups.push(key.slice(prefix.length));
    return groups;
  }

  /** Answers every held pop (broker stop). */
  shutdown(): void {
    for (const set of [...this.byKey.values()]) for (const pop of [...set]) this.wake(pop, 'shutdown');
  }

  private wake(pop: HeldPop, reason: PopWakeReason): void {
    if (pop.done) return;
    pop.done = true;
    this.held--;
    this.scheduler.clearTimer(pop.timer);
    for (const key of pop.keys) {
      const set = this.byKey.get(key);
      set?.delete(pop);
      if (set?.size === 0) this.byKey.delete(key);
    }
    pop.onWake(reason);
  }
}

/** `topic@group`, the key held pops wait under. */
export function pollingKey(topic: string, group: string): string {
  return `${topic}@${group}`;
}
