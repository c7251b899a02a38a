// TopicConfigManager (Java `TopicConfigManager`): the broker's topic table and its DataVersion,
// the system topics made at start, auto-creation on send (from TBW102) and on send-back (retry
// topics), and topics.json through an injected MetaConfigStore. Depends on protocol/route-types,
// topic-validator, meta-config-store, common/logger.

import type { Logger } from '../../../common/logger.js';
import {
  type DataVersion,
  PERM_INHERIT,
  PERM_READ,
  PERM_WRITE,
  type TopicConfig,
  TopicFilterType,
} from '../../../protocol/route-types.js';
import {
  asRecord,
  booleanOr,
  decodeDataVersion,
  encodeDataVersion,
  newDataVersion,
  nextDataVersion,
  numberOr,
  stringOr,
  stringRecord,
  type MetaConfigStore,
} from './meta-config-store.js';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  isSystemTopic,
  REPLY_TOPIC_POSTFIX,
  REVIVE_TOPIC_PREFIX,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  SYNC_BROKER_MEMBER_GROUP_PREFIX,
  TIMER_TOPIC,
} from '../../../protocol/topics.js';

/** `TopicConfig.defaultReadQueueNums` / `defaultWriteQueueNums`. */
export const DEFAULT_TOPIC_CONFIG_QUEUE_NUMS = 16;
/** One SCHEDULE_TOPIC_XXXX queue per delay level. */
export const SCHEDULE_TOPIC_QUEUE_NUMS = 18;

/** The BrokerConfig/MessageStoreConfig keys the manager reads (names as in broker.conf). */
export interface TopicConfigManagerOptions {
  brokerClusterName: string;
  brokerName: string;
  autoCreateTopicEnable: boolean;
  defaultTopicQueueNums: number;
  clusterTopicEnable: boolean;
  brokerTopicEnable: boolean;
  traceTopicEnable: boolean;
  msgTraceTopicName: string;
  reviveQueueNum: number;
  timerWheelEnable: boolean;
}

/** `TopicConfigSerializeWrapper`: the body part of REGISTER_BROKER and the content of topics.json. */
export interface TopicConfigSerializeWrapper {
  dataVersion: DataVersion;
  topicConfigTable: Record<string, TopicConfig>;
}

export interface TopicConfigManagerDeps {
  store?: MetaConfigStore | null;
  logger: Logger;
  /** The clock of the data version (the broker's Scheduler `now`). */
  nowMs: () => number;
  /** Java `registerBrokerData`: called after a topic is auto-created, so the broker re-registers. */
  onTopicCreated?: (topicConfig: TopicConfig) => void;
}

/** Java `new TopicConfig(name)` with overrides: 16/16 queues, perm 6, SINGLE_TAG, not ordered. */
export function newTopicConfig(
  topicName: string,
  overrides: Partial<Omit<TopicConfig, 'topicName'>> = {},
): TopicConfig {
  return {
    topicName,
    readQueueNums: DEFAULT_TOPIC_CONFIG_QUEUE_NUMS,
    writeQueueNums: DEFAULT_TOPIC_CONFIG_QUEUE_NUMS,
    perm: PERM_READ | PERM_WRITE,
    topicFilterType: TopicFilterType.SINGLE_TAG,
    topicSysFlag: 0,
    order: false,
    attributes: {},
    ...overrides,
  };
}

export function isInherited(perm: number): boolean {
  return (perm & PERM_INHERIT) === PERM_INHERIT;
}

export class TopicConfigManager {
  private readonly table = new Map<string, TopicConfig>();
  /** Names this broker added to the system-topic set (cluster, broker, reply, revive …). */
  private readonly brokerSystemTopics = new Set<string>();
  private version: DataVersion;
  private readonly store: MetaConfigStore | null;
  private readonly logger: Logger;
  private readonly nowMs: () => number;
  private readonly onTopicCreated: (topicConfig: TopicConfig) => void;

  constructor(
    private readonly options: TopicConfigManagerOptions,
    deps: TopicConfigManagerDeps,
  ) {
    this.store = deps.store ?? null;
    this.logger = deps.logger;
    this.nowMs = deps.nowMs;
    this.onTopicCreated = deps.onTopicCreated ?? (() => undefined);
    this.version = newDataVersion(this.nowMs());
    this.createSystemTopics();
    this.load();
  }

  get dataVersion(): DataVersion {
    return { ...this.version };
  }

  get(topic: string): Readonly<TopicConfig> | undefined {
    return this.table.get(topic);
  }

  has(topic: string): boolean {
    return this.table.has(topic);
  }

  get size(): number {
    return this.table.size;
  }

  topicNames(): string[] {
    return [...this.table.keys()];
  }

  /** System topic: a fixed Java name, `rmq_sys_*`, or one this broker created at start. */
  isSystemTopic(topic: string): boolean {
    return isSystemTopic(topic, this.brokerSystemTopics);
  }

  get systemTopics(): ReadonlySet<string> {
    return this.brokerSystemTopics;
  }

  isOrderTopic(topic: string): boolean {
    return this.table.get(topic)?.order === true;
  }

  /** Java `updateTopicConfig` (UPDATE_AND_CREATE_TOPIC): replaces the config, bumps and persists. */
  createOrUpdate(topicConfig: TopicConfig): void {
    const previous = this.table.get(topicConfig.topicName);
    this.put(topicConfig);
    if (previous === undefined) this.logger.info('create new topic', { topic: topicConfig.topicName });
    else this.logger.info('update topic config', { topic: topicConfig.topicName, old: previous, new: topicConfig });
    this.changed();
  }

  /** Java `deleteTopicConfig`: true when the topic existed. */
  delete(topic: string): boolean {
    if (!this.table.delete(topic)) {
      this.logger.warn('delete topic config failed, topic not exists', { topic });
      return false;
    }
    this.logger.info('delete topic config OK', { topic });
    this.changed();
    return true;
  }

  /**
   * Java `createTopicInSendMessageMethod`: the topic's config, or a new one inherited from
   * `defaultTopic` (usually TBW102) when that exists and carries PERM_INHERIT. TBW102 loses the
   * inherit bit while autoCreateTopicEnable is off. Null when nothing may be created.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddress: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): Readonly<TopicConfig> | null {
    const existing = this.table.get(topic);
    if (existing !== undefined) return existing;

    const defaultConfig = this.table.get(defaultTopic);
    if (defaultConfig === undefined) {
      this.logger.warn('create new topic failed, the default topic does not exist', {
        topic,
        defaultTopic,
        producer: remoteAddress,
      });
      return null;
    }
    if (defaultTopic === AUTO_CREATE_TOPIC_KEY_TOPIC && !this.options.autoCreateTopicEnable) {
      defaultConfig.perm = PERM_READ | PERM_WRITE;
    }
    if (!isInherited(defaultConfig.perm)) {
      this.logger.warn('create new topic failed, the default topic has no inherit perm', {
        topic,
        defaultTopic,
        perm: defaultConfig.perm,
        producer: remoteAddress,
      });
      return null;
    }

    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, defaultConfig.writeQueueNums));
    const created = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: defaultConfig.perm & ~PERM_INHERIT,
      topicSysFlag,
      topicFilterType: defaultConfig.topicFilterType,
    });
    this.logger.info('create new topic by default topic', {
      topic,
      defaultTopic,
      config: created,
      producer: remoteAddress,
    });
    return this.createNew(created);
  }

  /** Java `createTopicInSendMessageBackMethod`: retry/DLQ topics, created as asked; fixes `order`. */
  createTopicInSendMessageBackMethod(
    topic: string,
    clientDefaultTopicQueueNums: number,
    perm: number,
    topicSysFlag: number,
    isOrder = false,
  ): Readonly<TopicConfig> {
    const existing = this.table.get(topic);
    if (existing !== undefined) {
      if (existing.order !== isOrder) this.createOrUpdate({ ...existing, order: isOrder });
      return this.table.get(topic) ?? existing;
    }
    const created = newTopicConfig(topic, {
      readQueueNums: clientDefaultTopicQueueNums,
      writeQueueNums: clientDefaultTopicQueueNums,
      perm,
      topicSysFlag,
      order: isOrder,
    });
    this.logger.info('create new topic', { config: created });
    return this.createNew(created);
  }

  /** Java `createTopicIfAbsent`: the existing config, or this one stored. */
  createTopicIfAbsent(topicConfig: TopicConfig, register = true): Readonly<TopicConfig> {
    const existing = this.table.get(topicConfig.topicName);
    if (existing !== undefined) return existing;
    this.logger.info('create new topic', { config: topicConfig });
    return this.createNew(topicConfig, register);
  }

  /** Java `updateOrderTopicConfig`: marks the name server's ORDER_TOPIC_CONFIG topics as ordered. */
  updateOrderTopicConfig(orderTopics: Iterable<string>): void {
    let changed = false;
    for (const topic of orderTopics) {
      const config = this.table.get(topic);
      if (config === undefined || config.order) continue;
      config.order = true;
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Java `buildTopicConfigSerializeWrapper`: a copy for the REGISTER_BROKER body. */
  topicConfigSerializeWrapper(): TopicConfigSerializeWrapper {
    const topicConfigTable: Record<string, TopicConfig> = {};
    for (const [name, config] of this.table) topicConfigTable[name] = encodeTopicConfig(config);
    return { dataVersion: encodeDataVersion(this.version), topicConfigTable };
  }

  /** The topics.json document: bean keys sorted as fastjson writes them. */
  encode(): TopicConfigSerializeWrapper {
    return this.topicConfigSerializeWrapper();
  }

  persist(): void {
    this.store?.save(this.encode());
  }

  private createNew(topicConfig: TopicConfig, register = true): Readonly<TopicConfig> {
    const stored = this.put(topicConfig);
    this.changed();
    if (register) this.onTopicCreated(encodeTopicConfig(stored));
    return stored;
  }

  private put(topicConfig: TopicConfig): TopicConfig {
    const stored = { ...topicConfig, attributes: { ...topicConfig.attributes } };
    this.table.set(stored.topicName, stored);
    return stored;
  }

  private changed(): void {
    this.version = nextDataVersion(this.version, this.nowMs());
    this.persist();
  }

  /** Java `TopicConfigManager#init`, in the same order; none of these bump the data version. */
  private createSystemTopics(): void {
    const o = this.options;
    const system = (config: TopicConfig): void => {
      this.brokerSystemTopics.add(config.topicName);
      this.put(config);
    };
    const single = { readQueueNums: 1, writeQueueNums: 1 };
    const readWrite = PERM_READ | PERM_WRITE;
    system(newTopicConfig(RMQ_SYS_SELF_TEST_TOPIC, single));
    if (o.autoCreateTopicEnable) {
      system(
        newTopicConfig(AUTO_CREATE_TOPIC_KEY_TOPIC, {
          readQueueNums: o.defaultTopicQueueNums,
          writeQueueNums: o.defaultTopicQueueNums,
          perm: PERM_INHERIT | readWrite,
        }),
      );
    }
    system(newTopicConfig(RMQ_SYS_BENCHMARK_TOPIC, { readQueueNums: 1024, writeQueueNums: 1024 }));
    system(newTopicConfig(o.brokerClusterName, { perm: PERM_INHERIT | (o.clusterTopicEnable ? readWrite : 0) }));
    system(newTopicConfig(o.brokerName, { ...single, perm: PERM_INHERIT | (o.brokerTopicEnable ? readWrite : 0) }));
    system(newTopicConfig(RMQ_SYS_OFFSET_MOVED_EVENT, single));
    system(
      newTopicConfig(RMQ_SYS_SCHEDULE_TOPIC, {
        readQueueNums: SCHEDULE_TOPIC_QUEUE_NUMS,
        writeQueueNums: SCHEDULE_TOPIC_QUEUE_NUMS,
      }),
    );
    if (o.traceTopicEnable) system(newTopicConfig(o.msgTraceTopicName, single));
    system(newTopicConfig(`${o.brokerClusterName}_${REPLY_TOPIC_POSTFIX}`, single));
    system(
      newTopicConfig(`${REVIVE_TOPIC_PREFIX}${o.brokerClusterName}`, {
        readQueueNums: o.reviveQueueNum,
        writeQueueNums: o.reviveQueueNum,
      }),
    );
    system(newTopicConfig(`${SYNC_BROKER_MEMBER_GROUP_PREFIX}${o.brokerName}`, { ...single, perm: PERM_INHERIT }));
    system(newTopicConfig(RMQ_SYS_TRANS_HALF_TOPIC, single));
    system(newTopicConfig(RMQ_SYS_TRANS_OP_HALF_TOPIC, single));
    if (o.timerWheelEnable) system(newTopicConfig(TIMER_TOPIC, single));
  }

  /** Java `decode`: stored topics replace the built-in ones; the stored data version is adopted. */
  private load(): void {
    const document = this.store?.load();
    if (document === null || document === undefined) return;
    const root = asRecord(document);
    for (const [name, raw] of Object.entries(asRecord(root.topicConfigTable))) {
      this.put(decodeTopicConfig(name, raw));
    }
    this.version = decodeDataVersion(root.dataVersion, this.version);
    this.logger.info('loaded topic configs', { count: this.table.size, dataVersion: this.version });
  }
}

/** A stored TopicConfig; absent fields take Java's defaults. */
export function decodeTopicConfig(name: string, raw: unknown): TopicConfig {
  const value = asRecord(raw);
  const defaults = newTopicConfig(stringOr(value.topicName, name));
  return {
    topicName: defaults.topicName,
    readQueueNums: numberOr(value.readQueueNums, defaults.readQueueNums),
    writeQueueNums: numberOr(value.writeQueueNums, defaults.writeQueueNums),
    perm: numberOr(value.perm, defaults.perm),
    topicFilterType: stringOr(value.topicFilterType, defaults.topicFilterType),
    topicSysFlag: numberOr(value.topicSysFlag, defaults.topicSysFlag),
    order: booleanOr(value.order, defaults.order),
    attributes: stringRecord(value.attributes),
  };
}

/** A copy with the bean keys in fastjson's (alphabetical) order. */
export function encodeTopicConfig(config: TopicConfig): TopicConfig {
  return {
    attributes: { ...config.attributes },
    order: config.order,
    perm: config.perm,
    readQueueNums: config.readQueueNums,
    topicFilterType: config.topicFilterType,
    topicName: config.topicName,
    topicSysFlag: config.topicSysFlag,
    writeQueueNums: config.writeQueueNums,
  };
}
