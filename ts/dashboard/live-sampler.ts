// LiveSampler: once a second, one snapshot of the cluster through the backend — brokers with TPS in
// and out (the change of their put/get totals), topics with their message count and TPS (the change of
// their summed max offsets), groups with their lag — kept as a bounded history for the charts and
// handed to a listener (the WebSocket hub). One snapshot serves every open page. Depends on the
// Scheduler and dashboard-backend.ts.

import type { Logger } from '../common/logger.js';
import type { Scheduler, TimerHandle } from '../common/scheduler.js';
import type { BrokerView, DashboardBackend, TopicView } from './dashboard-backend.js';
import { HISTORY_SAMPLES, LIVE_INTERVAL_MS, MAX_LIVE_TOPICS } from './dashboard-limits.js';

export interface LiveBroker extends BrokerView {
  readonly tpsIn: number;
  readonly tpsOut: number;
}

export interface LiveTopic {
  readonly topic: string;
  readonly system: boolean;
  readonly queueCount: number;
  readonly messageCount: number;
  readonly tps: number;
}

export interface LiveSnapshot {
  readonly atMs: number;
  readonly brokers: readonly LiveBroker[];
  readonly topics: readonly LiveTopic[];
  /** group → total lag. */
  readonly groupLags: Readonly<Record<string, number>>;
}

interface Totals {
  readonly atMs: number;
  readonly brokerTotals: ReadonlyMap<string, readonly [number, number]>;
  readonly topicTotals: ReadonlyMap<string, number>;
}

/** Per second over the interval; 0 without an earlier total (or when a total went back, e.g. at midnight). */
function ratePerSecond(now: number, before: number | undefined, intervalMs: number): number {
  if (before === undefined || before < 0 || now < before || intervalMs <= 0) return 0;
  return Math.round(((now - before) * 1000) / intervalMs);
}

export class LiveSampler {
  private readonly history: LiveSnapshot[] = [];
  private previous: Totals | null = null;
  private timer: TimerHandle = undefined;
  private sampling = false;

  constructor(
    private readonly backend: DashboardBackend,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    private readonly onSnapshot: (snapshot: LiveSnapshot) => void,
  ) {}

  start(): void {
    this.timer = this.scheduler.setRepeating(LIVE_INTERVAL_MS, () => void this.sample());
    void this.sample();
  }

  stop(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** The snapshots kept, oldest first. */
  snapshots(): readonly LiveSnapshot[] {
    return this.history;
  }

  /** Takes one snapshot; a tick that comes while the previous one still runs is skipped. */
  async sample(): Promise<LiveSnapshot | null> {
    if (this.sampling) return null;
    this.sampling = true;
    try {
      const snapshot = await this.takeSnapshot();
      this.history.push(snapshot);
      if (this.history.length > HISTORY_SAMPLES) this.history.shift();
      this.onSnapshot(snapshot);
      return snapshot;
    } catch (error) {
      this.logger.warn('dashboard snapshot failed', { error: String(error) });
      return null;
    } finally {
      this.sampling = false;
    }
  }

  private async takeSnapshot(): Promise<LiveSnapshot> {
    const atMs = this.scheduler.now();
    const [brokerViews, topicViews, groupLags] = await Promise.all([
      this.backend.brokers(),
      this.backend.topics(),
      this.groupLags(),
    ]);
    const totals = this.totalsOf(atMs, brokerViews, topicViews);
    const before = this.previous;
    const intervalMs = before === null ? 0 : atMs - before.atMs;
    const brokers = brokerViews.map((broker) => {
      const [put, get] = totals.brokerTotals.get(broker.address) ?? [-1, -1];
      const [putBefore, getBefore] = before?.brokerTotals.get(broker.address) ?? [undefined, undefined];
      return {
        ...broker,
        tpsIn: ratePerSecond(put, putBefore, intervalMs),
        tpsOut: ratePerSecond(get, getBefore, intervalMs),
      };
    });
    const topics = topicViews.slice(0, MAX_LIVE_TOPICS).map((view) => ({
      topic: view.topic,
      system: view.system,
      queueCount: view.queues.length,
      messageCount: view.messageCount,
      tps: ratePerSecond(view.totalOffset, before?.topicTotals.get(view.topic), intervalMs),
    }));
    this.previous = totals;
    return { atMs, brokers, topics, groupLags };
  }

  private totalsOf(atMs: number, brokers: readonly BrokerView[], topics: readonly TopicView[]): Totals {
    const brokerTotals = new Map(brokers.map((b) => [b.address, [b.putTotal, b.getTotal] as const]));
    const topicTotals = new Map(topics.map((t) => [t.topic, t.totalOffset]));
    return { atMs, brokerTotals, topicTotals };
  }

  private async groupLags(): Promise<Record<string, number>> {
    const lags: Record<string, number> = {};
    for (const group of (await this.backend.groups()).slice(0, MAX_LIVE_TOPICS)) {
      try {
        const view = await this.backend.group(group);
        if (view.queues.length > 0) lags[group] = view.lag;
      } catch (error) {
        // One group's failure (e.g. no consume progress on any broker) leaves it out of this snapshot only.
        this.logger.debug('dashboard group lag skipped', { group, error: String(error) });
      }
    }
    return lags;
  }
}
