// Pops held until a message arrives (Java `PopLongPollingService`): keyed by topic and group (a pop
// also waits on its pop retry topic), woken by the arrival listener, answered at their deadline, and
// bounded (`maxPopPollingSize`: past it a pop is answered POLLING_FULL at once). Timers come from the
// injected Scheduler. Pure apart from that. Depends on ts/common/scheduler.ts.

import type { Scheduler, TimerHandle } from '../../../common/scheduler.js';

/** Why a held pop was answered. */
export type PopWakeReason = 'arrival' | 'deadline' | 'shutdown';

interface HeldPop {
  readonly topics: readonly string[];
  readonly group: string;
  readonly onWake: (reason: PopWakeReason) => void;
  timer: TimerHandle;
  done: boolean;
}

export class PopLongPolling {
  /** topic → group → the pops held on it: an arrival finds its topic's pops in one lookup. */
  private readonly byTopic = new Map<string, Map<string, Set<HeldPop>>>();
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
    return this.byTopic.get(topic)?.get(group)?.size ?? 0;
  }

  /**
   * Holds a pop on each topic of `topics` for `group` until an arrival or `deadlineMs`; false (nothing
   * held) when the bound is reached.
   */
  hold(topics: readonly string[], group: string, deadlineMs: number, onWake: (reason: PopWakeReason) => void): boolean {
    if (this.held >= this.maxHeld) return false;
    const pop: HeldPop = { topics, group, onWake, timer: undefined, done: false };
    for (const topic of topics) {
      let groups = this.byTopic.get(topic);
      if (groups === undefined) this.byTopic.set(topic, (groups = new Map<string, Set<HeldPop>>()));
      let set = groups.get(group);
      if (set === undefined) groups.set(group, (set = new Set<HeldPop>()));
      set.add(pop);
    }
    this.held++;
    pop.timer = this.scheduler.setTimer(deadlineMs - this.scheduler.now(), () => this.wake(pop, 'deadline'));
    return true;
  }

  /** Wakes the pops held on `topic` by any group (an arrival). */
  notifyTopic(topic: string): void {
    const groups = this.byTopic.get(topic);
    if (groups === undefined) return;
    for (const set of [...groups.values()]) for (const pop of [...set]) this.wake(pop, 'arrival');
  }

  /** Wakes the pops held on `topic@group`. */
  notify(topic: string, group: string): void {
    const set = this.byTopic.get(topic)?.get(group);
    if (set === undefined) return;
    for (const pop of [...set]) this.wake(pop, 'arrival');
  }

  /** Answers every held pop (broker stop). */
  shutdown(): void {
    for (const groups of [...this.byTopic.values()]) {
      for (const set of [...groups.values()]) for (const pop of [...set]) this.wake(pop, 'shutdown');
    }
  }

  private wake(pop: HeldPop, reason: PopWakeReason): void {
    if (pop.done) return;
    pop.done = true;
    this.held--;
    this.scheduler.clearTimer(pop.timer);
    for (const topic of pop.topics) {
      const groups = this.byTopic.get(topic);
      const set = groups?.get(pop.group);
      set?.delete(pop);
      if (set?.size === 0) groups?.delete(pop.group);
      if (groups?.size === 0) this.byTopic.delete(topic);
    }
    pop.onWake(reason);
  }
}
