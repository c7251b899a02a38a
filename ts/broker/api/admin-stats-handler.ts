// Admin statistics (Java `AdminBrokerProcessor#getTopicStatsInfo`, `#getBrokerRuntimeInfo`,
// `#getConsumeStats`, `#getTopicConfig`): GET_TOPIC_STATS_INFO (202), GET_BROKER_RUNTIME_INFO (28),
// GET_CONSUME_STATS (208) — what `mqadmin topicStatus`, `brokerStatus` and `consumerProgress` print —
// and GET_TOPIC_CONFIG (351), which those commands read first for static-topic queue mappings.
// Depends on the admin, meta and client domains and ts/remoting (store and disk readers are injected).

import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { BrokerStats } from '../domain/admin/broker-stats.js';
import { buildConsumeStats, encodeConsumeStats, parseTopicList, topicsForCollecting } from '../domain/admin/consume-stats.js';
import { buildRuntimeInfo, type CommitLogReader, type DiskSpaceReader, encodeKvTable } from '../domain/admin/runtime-info.js';
import { buildTopicStatsTable, encodeTopicStatsTable, type QueueOffsetsReader } from '../domain/admin/topic-stats.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { encodeTopicConfig, type TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../protocol/topics.js';
import type { TopicConfig } from '../../protocol/route-types.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField } from '../../protocol/header-fields.js';

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

export class AdminStatsHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.GET_TOPIC_STATS_INFO,
    RequestCode.GET_BROKER_RUNTIME_INFO,
    RequestCode.GET_CONSUME_STATS,
    RequestCode.GET_TOPIC_CONFIG,
  ];

  constructor(
    private readonly deps: AdminStatsDeps,
    private readonly settings: AdminStatsSettings,
  ) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_TOPIC_STATS_INFO:
        return this.topicStats(request);
      case RequestCode.GET_CONSUME_STATS:
        return this.consumeStats(request);
      case RequestCode.GET_TOPIC_CONFIG:
        return this.topicConfig(request);
      default:
        return this.runtimeInfo(request);
    }
  }

  /** Java `getTopicStatsInfo`: TOPIC_NOT_EXIST for a topic this broker does not have. */
  private topicStats(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const topicConfig = this.deps.topics.get(topic);
    if (topicConfig === undefined) return createResponse(request, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
    const table = buildTopicStatsTable(topicConfig, this.settings.brokerName, this.deps.store, this.deps.stats.topicPutTps(topic));
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeTopicStatsTable(table));
  }

  /**
   * Java `getTopicConfig`: TopicConfigAndQueueMapping, i.e. the TopicConfig bean; without static
   * topics there is no `mappingDetail` (fastjson leaves the null out).
   */
  private topicConfig(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const topicConfig = this.deps.topics.get(topic);
    if (topicConfig === undefined) return createResponse(request, ResponseCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${topic}`);
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify(encodeTopicConfig(topicConfig))));
  }

  /** Java `getConsumeStats`: topics without a config here are skipped; an empty table is an answer. */
  private consumeStats(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'consumerGroup');
    const { consumers, offsets, topics, stats } = this.deps;
    const names = topicsForCollecting(group, optionalField(request, 'topic'), parseTopicList(optionalField(request, 'topicList')), {
      topicsWithOffsets: (name) => offsets.whichTopicByConsumer(name),
      subscribedTopics: (name) => new Set(consumers.group(name)?.subscriptions.keys() ?? []),
    });
    const topicConfigs = names.map((name) => topics.get(name)).filter((config): config is Readonly<TopicConfig> => config !== undefined);
    const consumeStats = buildConsumeStats({
      group,
      brokerName: this.settings.brokerName,
      topics: topicConfigs,
      reader: this.deps.store,
      consumerOffset: (topic, queueId) => offsets.queryOffset(group, topic, queueId),
      consumeTps: (topic) => stats.groupConsumeTps(group, topic),
    });
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeConsumeStats(consumeStats));
  }

  /** Java `getBrokerRuntimeInfo`: the KVTable of `prepareRuntimeInfo`. */
  private runtimeInfo(request: RemotingCommand): RemotingCommand {
    const { store } = this.deps;
    const scheduleOffsets = new Map<number, readonly [number, number]>();
    for (const [level, offset] of this.deps.scheduleOffsets()) {
      scheduleOffsets.set(level, [offset, store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, level - 1)]);
    }
    const info = buildRuntimeInfo({
      stats: this.deps.stats,
      commitLog: store.commitLog(),
      commitLogPath: this.settings.commitLogPath,
      commitLogDisk: this.deps.diskSpace(this.settings.commitLogPath),
      consumeQueueDisk: this.deps.diskSpace(this.settings.consumeQueuePath),
      storeRootDisk: this.deps.diskSpace(this.settings.storePathRootDir),
      scheduleOffsets,
      brokerActive: !this.settings.slave,
      transientStorePoolEnable: this.settings.transientStorePoolEnable,
    });
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeKvTable(info));
  }
}
