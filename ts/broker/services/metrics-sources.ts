// The gauges of BrokerMetrics, read at scrape time (Apache `ConsumerLagCalculator` and the gauge
// callbacks of `BrokerMetricsManager`): topic and group numbers, client connections, each group's lag,
// in-flight and ready messages per topic, the unresolved half messages per topic, and the CommitLog's
// size and flush backlog. Nothing here runs on the hot path. Depends on the metadata and client managers
// and a read view of the store.

import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { ClientChannel } from '../domain/client/client-channel.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { CID_RMQ_SYS_PREFIX, type SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { ClientConnectionCount, ConsumerLag, MetricsSources, StorageGauges } from './broker-metrics.js';

/** The store reads the gauges need (the admin store view: not counted as consumption). */
export interface MetricsStoreView {
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  /** The store time of the message at `queueOffset`; -1 when it is not there. */
  storeTimeAt(topic: string, queueId: number, queueOffset: number): number;
  commitLog(): { readonly minOffset: number; readonly maxOffset: number; readonly flushedOffset: number };
}

export interface MetricsSourceDeps {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  /** group → its producers' channels. */
  readonly producerChannels: () => ReadonlyMap<string, ReadonlyMap<string, ClientChannel>>;
  readonly store: MetricsStoreView;
  readonly nowMs: () => number;
  /** Unresolved half messages per real topic (the transaction service); none when absent. */
  readonly openHalves?: () => ReadonlyMap<string, number>;
}

type PulledOffset = (topic: string, group: string, queueId: number) => number | undefined;

export class BrokerMetricsSources implements MetricsSources {
  constructor(private readonly deps: MetricsSourceDeps) {}

  topicCount(): number {
    return this.deps.topics.size;
  }

  groupCount(): number {
    return this.deps.groups.groupNames().length;
  }

  isSystemTopic(topic: string): boolean {
    return this.deps.topics.isSystemTopic(topic);
  }

  isSystemGroup(group: string): boolean {
    return group.startsWith(CID_RMQ_SYS_PREFIX);
  }

  producerConnections(): ClientConnectionCount[] {
    const counts: ClientConnectionCount[] = [];
    for (const [group, channels] of this.deps.producerChannels())
      counts.push(...countByClient(group, channels.values()));
    return counts;
  }

  consumerConnections(): ClientConnectionCount[] {
    const { consumers } = this.deps;
    return consumers.groupNames().flatMap((group) => countByClient(group, consumers.channels(group)));
  }

  /** Apache `ConsumerLagCalculator`: per (topic, group) with committed offsets, summed over the queues. */
  consumerLags(pulledOffset: PulledOffset): ConsumerLag[] {
    const lags: ConsumerLag[] = [];
    for (const [group, topics] of this.deps.offsets.groupTopicMap()) {
      for (const topic of topics) lags.push(this.lagOf(topic, group, pulledOffset));
    }
    return lags;
  }

  storage(): StorageGauges {
    const { minOffset, maxOffset, flushedOffset } = this.deps.store.commitLog();
    // Compat: dispatch to the ConsumeQueues happens inside each append, so nothing is ever behind.
    return {
      sizeBytes: Math.max(0, maxOffset - minOffset),
      flushBehindBytes: Math.max(0, maxOffset - flushedOffset),
      dispatchBehindBytes: 0,
    };
  }

  /** Apache `TransactionMetrics`: the half messages not yet committed or rolled back, per topic. */
  halfMessages(): Array<{ topic: string; messages: number }> {
    const counts = this.deps.openHalves?.() ?? new Map<string, number>();
    return [...counts].map(([topic, messages]) => ({ topic, messages }));
  }

  private lagOf(topic: string, group: string, pulledOffset: PulledOffset): ConsumerLag {
    const { store, offsets } = this.deps;
    const now = this.deps.nowMs();
    const lag = {
      lagMessages: 0,
      inflightMessages: 0,
      readyMessages: 0,
      oldestUnconsumedMs: now,
      oldestUnpulledMs: now,
    };
    for (const [queueId, committedRaw] of offsets.queryOffsets(group, topic) ?? []) {
      const maxOffset = store.getMaxOffsetInQueue(topic, queueId);
      const committed = Math.min(Math.max(0, committedRaw), maxOffset);
      const pulled = Math.min(Math.max(pulledOffset(topic, group, queueId) ?? committed, committed), maxOffset);
      lag.lagMessages += maxOffset - committed;
      lag.inflightMessages += pulled - committed;
      lag.readyMessages += maxOffset - pulled;
      lag.oldestUnconsumedMs = oldest(lag.oldestUnconsumedMs, committed < maxOffset, topic, queueId, committed, store);
      lag.oldestUnpulledMs = oldest(lag.oldestUnpulledMs, pulled < maxOffset, topic, queueId, pulled, store);
    }
    return {
      topic,
      group,
      lagMessages: lag.lagMessages,
      inflightMessages: lag.inflightMessages,
      readyMessages: lag.readyMessages,
      lagLatencyMs: Math.max(0, now - lag.oldestUnconsumedMs),
      queueingLatencyMs: Math.max(0, now - lag.oldestUnpulledMs),
    };
  }
}

/** The older of `sofarMs` and the store time at `queueOffset` (when `behind`: there is a message there). */
function oldest(
  sofarMs: number,
  behind: boolean,
  topic: string,
  queueId: number,
  queueOffset: number,
  store: MetricsStoreView,
): number {
  if (!behind) return sofarMs;
  const storeTimeMs = store.storeTimeAt(topic, queueId, queueOffset);
  return storeTimeMs < 0 ? sofarMs : Math.min(sofarMs, storeTimeMs);
}

/** Apache counts connections per (group, language, version). */
function countByClient(group: string, channels: Iterable<ClientChannel>): ClientConnectionCount[] {
  const byClient = new Map<string, ClientConnectionCount>();
  for (const { language, version } of channels) {
    const key = `${language}\u0000${version}`;
    const count = byClient.get(key)?.count ?? 0;
    byClient.set(key, { group, language: language.toLowerCase(), version: String(version), count: count + 1 });
  }
  return [...byClient.values()];
}
