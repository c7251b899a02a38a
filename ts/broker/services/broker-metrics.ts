// BrokerMetrics: the broker's RocketMQ 5 metrics, protocol-neutral (docs/metrics.md). The hot paths add
// to plain counters once per append run, pull or pop reply and request; `snapshot()` reads them and asks
// `MetricsSources` (the services and the store) for the gauges at scrape time. Exporters (Prometheus,
// a dashboard) read snapshots only. Depends on ts/protocol/topics.ts and limits.ts.

import { DLQ_GROUP_TOPIC_PREFIX, isRetryTopic } from '../../protocol/topics.js';
import { MAX_KEYED_SERIES } from '../limits.js';

/** Apache `BrokerMetricsManager`'s message size view: 1 KiB, 4 KiB, 512 KiB, 1, 2, 4 MiB. */
export const MESSAGE_SIZE_BUCKETS_BYTES: readonly number[] = [1024, 4096, 524_288, 1_048_576, 2_097_152, 4_194_304];
/** Apache `RemotingMetricsManager`'s rpc latency view, in milliseconds. */
export const RPC_LATENCY_BUCKETS_MS: readonly number[] = [1, 3, 5, 7, 10, 100, 1000, 2000, 3000];

/** Counts per bucket (not cumulative; the last is +Inf), their sum and count. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

/** What one topic received: messages, their record bytes and sizes. */
export interface TopicIn {
  messages: number;
  bytes: number;
  readonly sizes: Histogram;
}

interface GroupOut {
  readonly topic: string;
  readonly group: string;
  messages: number;
  bytes: number;
}

/** One (topic, consumer group) pair's backlog at scrape time (Apache `ConsumerLagCalculator`). */
export interface ConsumerLag {
  readonly topic: string;
  readonly group: string;
  /** Stored but not yet committed by the group. */
  readonly lagMessages: number;
  /** Age of the oldest uncommitted message (0 without one). */
  readonly lagLatencyMs: number;
  /** Pulled (or popped) but not yet committed. */
  readonly inflightMessages: number;
  /** Age of the oldest message not yet pulled (0 without one). */
  readonly queueingLatencyMs: number;
  /** Stored and not yet pulled. */
  readonly readyMessages: number;
}

export interface ClientConnectionCount {
  readonly group: string;
  readonly language: string;
  readonly version: string;
  readonly count: number;
}

export interface StorageGauges {
  readonly sizeBytes: number;
  readonly flushBehindBytes: number;
  readonly dispatchBehindBytes: number;
}

/** The gauges, read from the services and the store when a snapshot is taken. */
export interface MetricsSources {
  topicCount(): number;
  groupCount(): number;
  producerConnections(): ClientConnectionCount[];
  consumerConnections(): ClientConnectionCount[];
  /** Per (topic, group) with committed offsets; `pulledOffset` is where the group last pulled a queue. */
  consumerLags(pulledOffset: (topic: string, group: string, queueId: number) => number | undefined): ConsumerLag[];
  storage(): StorageGauges;
  /** Unresolved transactional half messages per real topic. */
  halfMessages(): ReadonlyArray<{ topic: string; messages: number }>;
  isSystemTopic(topic: string): boolean;
  isSystemGroup(group: string): boolean;
}

/** The labels on every series (Apache `BrokerMetricsManager#labelMap`). */
export interface NodeLabels {
  readonly cluster: string;
  readonly node_type: 'broker';
  readonly node_id: string;
}

export interface RpcLatency {
  readonly requestCode: number;
  readonly responseCode: number;
  readonly latencyMs: Histogram;
}

export interface BrokerMetricsSnapshot {
  readonly node: NodeLabels;
  readonly messagesIn: ReadonlyArray<{ topic: string; isSystem: boolean; messages: number; bytes: number }>;
  readonly messageSizes: ReadonlyArray<{ topic: string; sizes: Histogram }>;
  readonly messagesOut: ReadonlyArray<{
    topic: string;
    group: string;
    isRetry: boolean;
    isSystem: boolean;
    messages: number;
    bytes: number;
  }>;
  readonly rpcLatency: readonly RpcLatency[];
  readonly sendToDlq: ReadonlyArray<{ group: string; messages: number }>;
  readonly commits: ReadonlyArray<{ topic: string; messages: number }>;
  readonly rollbacks: ReadonlyArray<{ topic: string; messages: number }>;
  readonly topicCount: number;
  readonly groupCount: number;
  readonly producerConnections: readonly ClientConnectionCount[];
  readonly consumerConnections: readonly ClientConnectionCount[];
  readonly consumerLags: readonly ConsumerLag[];
  readonly storage: StorageGauges;
  readonly halfMessages: ReadonlyArray<{ topic: string; messages: number }>;
}

export class BrokerMetrics {
  private readonly inByTopic = new Map<string, TopicIn>();
  private readonly outByPair = new Map<string, GroupOut>();
  /** `topic@group` → queueId → the next offset the group will pull. */
  private readonly pulledOffsets = new Map<string, Map<number, number>>();
  /** request code → response code → latency. */
  private readonly rpc = new Map<number, Map<number, Histogram>>();
  private readonly dlqByGroup = new Map<string, number>();
  private readonly commitsByTopic = new Map<string, number>();
  private readonly rollbacksByTopic = new Map<string, number>();

  /** Set once the services exist (the counters are needed earlier, by the store). */
  private sources: MetricsSources = NO_SOURCES;

  constructor(readonly node: NodeLabels) {}

  attachSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  /**
   * The counters of one topic's appends, fetched once per run of that topic in an append; null past
   * MAX_KEYED_SERIES topics.
   */
  topicIn(topic: string): TopicIn | null {
    let counters = this.inByTopic.get(topic);
    if (counters !== undefined) return counters;
    if (this.inByTopic.size >= MAX_KEYED_SERIES) return null;
    counters = { messages: 0, bytes: 0, sizes: new Histogram(MESSAGE_SIZE_BUCKETS_BYTES) };
    this.inByTopic.set(topic, counters);
    return counters;
  }

  /** One run of `messageCount` messages appended to `topic`: counted as dead letters when it is `%DLQ%<group>`. */
  noteDeadLetters(topic: string, messageCount: number): void {
    if (!topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) return;
    const group = topic.slice(DLQ_GROUP_TOPIC_PREFIX.length);
    addKeyed(this.dlqByGroup, group, messageCount);
  }

  /** One pull or pop reply: `messageCount` messages (`sizeBytes` of records) of `topic` to `group`. */
  recordOut(topic: string, group: string, messageCount: number, sizeBytes: number): void {
    const key = `${topic}@${group}`;
    let pair = this.outByPair.get(key);
    if (pair === undefined) {
      if (this.outByPair.size >= MAX_KEYED_SERIES) return;
      pair = { topic, group, messages: 0, bytes: 0 };
      this.outByPair.set(key, pair);
    }
    pair.messages += messageCount;
    pair.bytes += sizeBytes;
  }

  /** Where `group` will pull `topic`'s queue next (the ready / in-flight split of the lag). */
  recordPulledOffset(topic: string, group: string, queueId: number, nextOffset: number): void {
    const key = `${topic}@${group}`;
    let queues = this.pulledOffsets.get(key);
    if (queues === undefined) {
      if (this.pulledOffsets.size >= MAX_KEYED_SERIES) return;
      queues = new Map();
      this.pulledOffsets.set(key, queues);
    }
    queues.set(queueId, nextOffset);
  }

  /** One request answered: its code, the response code (-1: no reply) and how long it took. */
  recordRpc(requestCode: number, responseCode: number, elapsedMs: number): void {
    let byResponse = this.rpc.get(requestCode);
    if (byResponse === undefined) {
      byResponse = new Map();
      this.rpc.set(requestCode, byResponse);
    }
    let latency = byResponse.get(responseCode);
    if (latency === undefined) {
      latency = new Histogram(RPC_LATENCY_BUCKETS_MS);
      byResponse.set(responseCode, latency);
    }
    latency.observe(elapsedMs);
  }

  /** One END_TRANSACTION settled for a message of `topic`. */
  recordTransactionEnd(topic: string, committed: boolean): void {
    addKeyed(committed ? this.commitsByTopic : this.rollbacksByTopic, topic, 1);
  }

  snapshot(): BrokerMetricsSnapshot {
    const { sources } = this;
    return {
      node: this.node,
      messagesIn: [...this.inByTopic].map(([topic, c]) => ({
        topic,
        isSystem: sources.isSystemTopic(topic),
        messages: c.messages,
        bytes: c.bytes,
      })),
      messageSizes: [...this.inByTopic].map(([topic, c]) => ({ topic, sizes: c.sizes })),
      messagesOut: [...this.outByPair.values()].map((pair) => ({
        ...pair,
        isRetry: isRetryTopic(pair.topic),
        isSystem: sources.isSystemTopic(pair.topic) || sources.isSystemGroup(pair.group),
      })),
      rpcLatency: [...this.rpc].flatMap(([requestCode, byResponse]) =>
        [...byResponse].map(([responseCode, latencyMs]) => ({ requestCode, responseCode, latencyMs })),
      ),
      sendToDlq: [...this.dlqByGroup].map(([group, messages]) => ({ group, messages })),
      commits: [...this.commitsByTopic].map(([topic, messages]) => ({ topic, messages })),
      rollbacks: [...this.rollbacksByTopic].map(([topic, messages]) => ({ topic, messages })),
      topicCount: sources.topicCount(),
      groupCount: sources.groupCount(),
      producerConnections: sources.producerConnections(),
      consumerConnections: sources.consumerConnections(),
      consumerLags: sources.consumerLags((topic, group, queueId) =>
        this.pulledOffsets.get(`${topic}@${group}`)?.get(queueId),
      ),
      storage: sources.storage(),
      halfMessages: sources.halfMessages(),
    };
  }
}

const NO_SOURCES: MetricsSources = {
  topicCount: () => 0,
  groupCount: () => 0,
  producerConnections: () => [],
  consumerConnections: () => [],
  consumerLags: () => [],
  storage: () => ({ sizeBytes: 0, flushBehindBytes: 0, dispatchBehindBytes: 0 }),
  halfMessages: () => [],
  isSystemTopic: () => false,
  isSystemGroup: () => false,
};

function addKeyed(map: Map<string, number>, key: string, count: number): void {
  const total = map.get(key);
  if (total === undefined && map.size >= MAX_KEYED_SERIES) return;
  map.set(key, (total ?? 0) + count);
}
