// Long polling for PULL_MESSAGE (Java `PullRequestHoldService` + `ManyPullRequest`): a pull that found
// nothing (PULL_NOT_FOUND with the suspend bit, first pass) is held per (topic, queueId) until a
// message at or past its offset arrives and passes its tag filter, or its deadline passes, or the
// broker shuts down; the handler then re-runs the pull once without holding. Bounded: past
// `maxHeldRequests` the oldest held pull is answered early. Pure domain: the clock and timers are
// injected (PullHoldScheduler), so tests run without sleeping. Depends on subscription-expression.ts.

import type { Scheduler } from '../../../common/scheduler.js';
import { matchesTagCode, type TagFilter } from './subscription-expression.js';

/** The clock and one-shot timers long polling runs on (ts/common/node-scheduler.ts in the broker). */
export type PullHoldScheduler = Pick<Scheduler, 'now' | 'setTimer' | 'clearTimer'>;

/**
 * Why a held pull was released: `arrived` (a matching message is there), `timeout` (the deadline
 * passed), `evicted` (the hold table was full and this was the oldest), `shutdown`. In every case
 * the handler re-runs the pull without holding and answers what the store says (19 when still empty).
 */
export type PullWakeReason = 'arrived' | 'timeout' | 'evicted' | 'shutdown';

export interface PullHoldRequest {
  readonly topic: string;
  readonly queueId: number;
  /** The request's queueOffset: it wakes once the queue's max offset passes it. */
  readonly offset: number;
  /** The pull's tag filter; absent: any arrival wakes it. */
  readonly subscription?: TagFilter | null;
  /** Absolute time (scheduler clock) at which it is released with `timeout`. */
  readonly deadlineMs: number;
  /** Called exactly once. */
  readonly onWake: (reason: PullWakeReason) => void;
}

export interface HeldPull {
  /** Drops the hold without calling onWake (e.g. the channel closed); false if already released. */
  cancel(): boolean;
}

export interface PullHoldConfig {
  /** `longPollingEnable` (default true): hold for the request's suspendTimeoutMillis. */
  readonly longPollingEnable: boolean;
  /** `shortPollingTimeMills` (default 1000): the hold time when long polling is off. */
  readonly shortPollingTimeMs: number;
  /** Upper bound of a hold (default 30000, the Java/Go clients' own pull timeout). */
  readonly maxSuspendTimeoutMs: number;
  /** Upper bound on held pulls across all queues (default 10000). */
  readonly maxHeldRequests: number;
}

export const DEFAULT_PULL_HOLD_CONFIG: PullHoldConfig = {
  longPollingEnable: true,
  shortPollingTimeMs: 1000,
  maxSuspendTimeoutMs: 30_000,
  maxHeldRequests: 10_000,
};

/**
 * How long a suspended pull is held (`pollingTimeMills` in DefaultPullMessageResultHandler): the
 * request's suspendTimeoutMillis, or shortPollingTimeMs when long polling is off.
 * Compat: Java does not cap the request's value; we bound it by maxSuspendTimeoutMs and clamp at 0.
 */
export function pullHoldTimeMs(
  suspendTimeoutMillis: number,
  config: PullHoldConfig = DEFAULT_PULL_HOLD_CONFIG,
): number {
  if (!config.longPollingEnable) return config.shortPollingTimeMs;
  return Math.min(Math.max(0, suspendTimeoutMillis), config.maxSuspendTimeoutMs);
}

interface HeldEntry {
  readonly request: PullHoldRequest;
  readonly queueKey: string;
  timer: unknown;
}

const queueKeyOf = (topic: string, queueId: number): string => `${topic}@${queueId}`;

export class PullRequestHoldService {
  private readonly config: PullHoldConfig;
  /** Every held pull, oldest first (a Set keeps insertion order): the eviction order. */
  private readonly held = new Set<HeldEntry>();
  /** `topic@queueId` → the pulls held on that queue (Java's `pullRequestTable` of ManyPullRequest). */
  private readonly byQueue = new Map<string, Set<HeldEntry>>();
  private stopped = false;

  constructor(
    private readonly scheduler: PullHoldScheduler,
    config: Partial<PullHoldConfig> = {},
  ) {
    this.config = { ...DEFAULT_PULL_HOLD_CONFIG, ...config };
    if (!(this.config.maxHeldRequests >= 1))
      throw new RangeError(`maxHeldRequests must be ≥ 1: ${this.config.maxHeldRequests}`);
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Held pulls on one queue. */
  heldCountOf(topic: string, queueId: number): number {
    return this.byQueue.get(queueKeyOf(topic, queueId))?.size ?? 0;
  }

  /** `suspendPullRequest`. After shutdown the request is released at once with `shutdown`. */
  hold(request: PullHoldRequest): HeldPull {
    if (this.stopped) {
      request.onWake('shutdown');
      return { cancel: () => false };
    }
    const evicted = this.held.size >= this.config.maxHeldRequests ? this.oldest() : undefined;
    if (evicted !== undefined) this.release([evicted], 'evicted');

    const entry: HeldEntry = { request, queueKey: queueKeyOf(request.topic, request.queueId), timer: undefined };
    this.held.add(entry);
    const waiting = this.byQueue.get(entry.queueKey) ?? new Set<HeldEntry>();
    this.byQueue.set(entry.queueKey, waiting);
    waiting.add(entry);
    const delayMs = Math.max(0, request.deadlineMs - this.scheduler.now());
    entry.timer = this.scheduler.setTimer(delayMs, () => this.release([entry], 'timeout'));
    return { cancel: () => this.detach(entry) };
  }

  /**
   * `notifyMessageArriving`: the queue now ends at `maxOffset` (the next offset to be written, so a
   * message at offset o arriving means maxOffset = o + 1). Wakes each pull held on that queue whose
   * offset is below maxOffset and whose tag filter accepts `tagsCode` (unknown code: accepted);
   * pulls past their deadline are released with `timeout`. Returns how many were released.
   */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number | null): number {
    const waiting = this.byQueue.get(queueKeyOf(topic, queueId));
    if (waiting === undefined) return 0;
    const nowMs = this.scheduler.now();
    const arrived: HeldEntry[] = [];
    const expired: HeldEntry[] = [];
    for (const entry of waiting) {
      const { offset, subscription, deadlineMs } = entry.request;
      if (maxOffset > offset && matchesTagCode(subscription, tagsCode)) arrived.push(entry);
      else if (nowMs >= deadlineMs) expired.push(entry);
    }
    this.release(arrived, 'arrived', expired);
    return arrived.length + expired.length;
  }

  /**
   * `checkHoldRequest`: re-checks every queue with a held pull against the store's max offset (no
   * tags code, so any new message wakes). Java runs it every 5 s (1 s with short polling) to catch
   * arrivals the dispatch notification missed; the caller schedules it.
   */
  recheck(maxOffsetOf: (topic: string, queueId: number) => number): number {
    let released = 0;
    for (const waiting of [...this.byQueue.values()]) {
      const first = waiting.values().next();
      if (first.done === true) continue;
      const { topic, queueId } = first.value.request;
      released += this.notifyMessageArriving(topic, queueId, maxOffsetOf(topic, queueId));
    }
    return released;
  }

  /** Releases every held pull with `shutdown`; later holds are released at once. Idempotent. */
  shutdown(): void {
    this.stopped = true;
    this.release([...this.held], 'shutdown');
  }

  private oldest(): HeldEntry | undefined {
    const first = this.held.values().next();
    return first.done === true ? undefined : first.value;
  }

  /** Removes an entry and stops its timer; false if it was no longer held. */
  private detach(entry: HeldEntry): boolean {
    if (!this.held.delete(entry)) return false;
    this.scheduler.clearTimer(entry.timer);
    const waiting = this.byQueue.get(entry.queueKey);
    waiting?.delete(entry);
    if (waiting?.size === 0) this.byQueue.delete(entry.queueKey);
    return true;
  }

  /**
   * Detaches all first, then calls back, so a callback that holds again (or throws) cannot disturb
   * the batch; every callback runs, and the errors are rethrown together afterwards.
   */
  private release(entries: readonly HeldEntry[], reason: PullWakeReason, timedOut: readonly HeldEntry[] = []): void {
    const wakes: Array<[HeldEntry, PullWakeReason]> = [];
    for (const entry of entries) if (this.detach(entry)) wakes.push([entry, reason]);
    for (const entry of timedOut) if (this.detach(entry)) wakes.push([entry, 'timeout']);
    const errors: unknown[] = [];
    for (const [entry, why] of wakes) {
      try {
        entry.request.onWake(why);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} long-poll wake callbacks failed`);
  }
}
