// AdminStatsService: the statistics administration reads, protocol-neutral (Java
// `AdminBrokerProcessor#getTopicStatsInfo`, `#getBrokerRuntimeInfo`, `#getConsumeStats`,
// `#getTopicConfig`): a topic's queue offsets, the broker's runtime KV table, a group's consume
// progress, a topic's config. Depends on the admin, meta and client domains (store and disk readers
// are injected).

import type { TopicConfig } from '../../protocol/route-types.js';
import type { BrokerStats } from '../domain/admin/broker-stats.js';
import { buildConsumeStats, topicsForCollecting, type ConsumeStats } from '../domain/admin/consume-stats.js';
import { buildRuntimeInfo, type CommitLogReader, type DiskSpaceReader } from '../domain/admin/runtime-info.js';
import { buildTopicStatsTable, type QueueOffsetsReader, type TopicStatsTable } from '../domain/admin/topic-stats.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../protocol/topics.js';

export interface AdminStatsSettings {
  readonly brokerName: string;
  readonly storePathRootDir: string;
  /** Where the CommitLog files are (Java `getStorePathCommitLog`). */
  readonly commitLogPath: string;
  /** Where the ConsumeQueue files are (Java `getStorePathLogic`). */
  readonly consumeQueuePath: string;
  readonly slave: boolean;
  readonly transientStorePoolEnable: boolean;
}

export interface AdminStatsDeps {
  readonly topics: TopicConfigManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly stats: BrokerStats;
  readonly store: QueueOffsetsReader & CommitLogReader;
  readonly diskSpace: DiskSpaceReader;
  /** Delay level → the schedule service's next offset to deliver. */
  readonly scheduleOffsets: () => ReadonlyMap<number, number>;
}

export class AdminStatsService {
  constructor(
    private readonly deps: AdminStatsDeps,
    private readonly settings: AdminStatsSettings,
  ) {}

  /** Java `getTopicStatsInfo`: TOPIC_NOT_EXIST for a topic this broker does not have. */
  topicStats(topic: string): TopicStatsTable {
    const topicConfig = this.deps.topics.get(topic);
    if (topicConfig === undefined) throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
    const putTps = this.deps.stats.topicPutTps(topic);
    return buildTopicStatsTable(topicConfig, this.settings.brokerName, this.deps.store, putTps);
  }

  /** Java `getTopicConfig`: TOPIC_NOT_EXIST for a topic this broker does not have. */
  topicConfig(topic: string): Readonly<TopicConfig> {
    const topicConfig = this.deps.topics.get(topic);
    if (topicConfig === undefined) {
      throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${topic}`);
    }
    return topicConfig;
  }

  /** Java `getConsumeStats`: topics without a config here are skipped; an empty table is an answer. */
  consumeStats(group: string, topic: string | undefined, topicList: readonly string[]): ConsumeStats {
    const { consumers, offsets, topics, stats } = this.deps;
    const names = topicsForCollecting(group, topic, topicList, {
      topicsWithOffsets: (name) => offsets.whichTopicByConsumer(name),
      subscribedTopics: (name) => new Set(consumers.group(name)?.subscriptions.keys() ?? []),
    });
    const topicConfigs = names
      .map((name) => topics.get(name))
      .filter((config): config is Readonly<TopicConfig> => config !== undefined);
    return buildConsumeStats({
      group,
      brokerName: this.settings.brokerName,
      topics: topicConfigs,
      reader: this.deps.store,
      consumerOffset: (name, queueId) => offsets.queryOffset(group, name, queueId),
      consumeTps: (name) => stats.groupConsumeTps(group, name),
    });
  }

  /** Java `getBrokerRuntimeInfo`: the KVTable of `prepareRuntimeInfo`. */
  runtimeInfo(): Record<string, string> {
    const { store, diskSpace } = this.deps;
    const scheduleOffsets = new Map<number, readonly [number, number]>();
    for (const [level, offset] of this.deps.scheduleOffsets()) {
      scheduleOffsets.set(level, [offset, store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, level - 1)]);
    }
    return buildRuntimeInfo({
      stats: this.deps.stats,
      commitLog: store.commitLog(),
      commitLogPath: this.settings.commitLogPath,
      commitLogDisk: diskSpace(this.settings.commitLogPath),
      consumeQueueDisk: diskSpace(this.settings.consumeQueuePath),
      storeRootDisk: diskSpace(this.settings.storePathRootDir),
      scheduleOffsets,
      brokerActive: !this.settings.slave,
      transientStorePoolEnable: this.settings.transientStorePoolEnable,
    });
  }
}
