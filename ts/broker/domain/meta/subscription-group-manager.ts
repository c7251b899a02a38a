// SubscriptionGroupManager (Java `SubscriptionGroupManager` + `SubscriptionGroupConfig`): consumer
// group configs with Java's defaults, auto-created on first use when autoCreateSubscriptionGroup,
// the forbidden table kept as loaded, and subscriptionGroup.json through an injected MetaConfigStore.
// Depends on protocol/route-types, topic-validator, meta-config-store, common/logger.

import type { Logger } from '../../../common/logger.js';
import { MASTER_ID, type DataVersion } from '../../../protocol/route-types.js';
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
import { validateGroup } from './topic-validator.js';

/** `GroupRetryPolicy`: type CUSTOMIZED (delay levels) or EXPONENTIAL, plus the policy's own fields. */
export interface GroupRetryPolicy {
  type: string;
  [field: string]: unknown;
}

/** `SubscriptionGroupConfig`; keys in fastjson's (alphabetical) order. */
export interface SubscriptionGroupConfig {
  attributes: Record<string, string>;
  brokerId: number;
  consumeBroadcastEnable: boolean;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeMessageOrderly: boolean;
  consumeTimeoutMinute: number;
  groupName: string;
  groupRetryPolicy: GroupRetryPolicy;
  groupSysFlag: number;
  notifyConsumerIdsChangedEnable: boolean;
  retryMaxTimes: number;
  retryQueueNums: number;
  whichBrokerWhenConsumeSlowly: number;
}

export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
export const FILTERSRV_CONSUMER_GROUP = 'FILTERSRV_CONSUMER';
export const SELF_TEST_CONSUMER_GROUP = 'SELF_TEST_C_GROUP';
export const ONS_HTTP_PROXY_GROUP = 'CID_ONS-HTTP-PROXY';
export const CID_ONSAPI_PULL_GROUP = 'CID_ONSAPI_PULL';
export const CID_ONSAPI_PERMISSION_GROUP = 'CID_ONSAPI_PERMISSION';
export const CID_ONSAPI_OWNER_GROUP = 'CID_ONSAPI_OWNER';
export const CID_RMQ_SYS_PREFIX = 'CID_RMQ_SYS_';
export const CID_SYS_RMQ_TRANS = 'CID_RMQ_SYS_TRANS';

/** Java's field initialisers. */
export function newSubscriptionGroupConfig(
  groupName: string,
  overrides: Partial<Omit<SubscriptionGroupConfig, 'groupName'>> = {},
): SubscriptionGroupConfig {
  return {
    attributes: {},
    brokerId: MASTER_ID,
    consumeBroadcastEnable: true,
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeMessageOrderly: false,
    consumeTimeoutMinute: 15,
    groupName,
    groupRetryPolicy: { type: 'CUSTOMIZED' },
    groupSysFlag: 0,
    notifyConsumerIdsChangedEnable: true,
    retryMaxTimes: 16,
    retryQueueNums: 1,
    whichBrokerWhenConsumeSlowly: 1,
    ...overrides,
  };
}

export interface SubscriptionGroupManagerOptions {
  autoCreateSubscriptionGroup: boolean;
  /** `enableCreateSysGroup` (default true): `CID_RMQ_SYS_*` groups are created even without auto-create. */
  enableCreateSysGroup: boolean;
}

export interface SubscriptionGroupManagerDeps {
  store?: MetaConfigStore | null;
  logger: Logger;
  /** The clock of the data version (the broker's Scheduler `now`). */
  nowMs: () => number;
}

/** The subscriptionGroup.json document. */
export interface SubscriptionGroupDocument {
  dataVersion: DataVersion;
  forbiddenTable: Record<string, Record<string, number>>;
  subscriptionGroupTable: Record<string, SubscriptionGroupConfig>;
}

export class SubscriptionGroupManager {
  private readonly table = new Map<string, SubscriptionGroupConfig>();
  /** group → topic → forbidden bits (Java `forbiddenTable`); kept as stored. */
  private readonly forbiddenTable = new Map<string, Record<string, number>>();
  private version: DataVersion;
  private readonly store: MetaConfigStore | null;
  private readonly logger: Logger;
  private readonly nowMs: () => number;

  constructor(
    private readonly options: SubscriptionGroupManagerOptions,
    deps: SubscriptionGroupManagerDeps,
  ) {
    this.store = deps.store ?? null;
    this.logger = deps.logger;
    this.nowMs = deps.nowMs;
    this.version = newDataVersion(this.nowMs());
    this.createSystemGroups();
    this.load();
  }

  get dataVersion(): DataVersion {
    return { ...this.version };
  }

  /** The stored config, without auto-creating. */
  get(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    return this.table.get(group);
  }

  has(group: string): boolean {
    return group.trim().length > 0 && this.table.has(group);
  }

  groupNames(): string[] {
    return [...this.table.keys()];
  }

  /**
   * Java `findSubscriptionGroupConfig`: the group's config, auto-created with the defaults when
   * autoCreateSubscriptionGroup (or a `CID_RMQ_SYS_` group with enableCreateSysGroup) and the
   * name is legal. Undefined otherwise.
   */
  findSubscriptionGroupConfig(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    const existing = this.table.get(group);
    if (existing !== undefined) return existing;
    const sysGroup = this.options.enableCreateSysGroup && group.startsWith(CID_RMQ_SYS_PREFIX);
    if (!this.options.autoCreateSubscriptionGroup && !sysGroup) return undefined;
    if (!validateGroup(group).ok) return undefined;
    const created = newSubscriptionGroupConfig(group);
    this.table.set(group, created);
    this.logger.info('auto create a subscription group', { group });
    this.changed();
    return created;
  }

  /** Java `updateSubscriptionGroupConfig` (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). */
  update(config: SubscriptionGroupConfig): void {
    const previous = this.table.get(config.groupName);
    this.table.set(config.groupName, { ...config, attributes: { ...config.attributes } });
    if (previous === undefined) this.logger.info('create new subscription group', { group: config.groupName });
    else this.logger.info('update subscription group config', { group: config.groupName, old: previous, new: config });
    this.changed();
  }

  /** Java `disableConsume`: consumeEnable false, kept in memory until the next change persists it. */
  disableConsume(group: string): void {
    const config = this.table.get(group);
    if (config === undefined) return;
    config.consumeEnable = false;
    this.version = nextDataVersion(this.version, this.nowMs());
  }

  /** Java `deleteSubscriptionGroupConfig`: true when the group existed. Its forbidden entries go too. */
  delete(group: string): boolean {
    const existed = this.table.delete(group);
    this.forbiddenTable.delete(group);
    if (!existed) {
      this.logger.warn('delete subscription group failed, group does not exist', { group });
      return false;
    }
    this.logger.info('delete subscription group OK', { group });
    this.changed();
    return true;
  }

  encode(): SubscriptionGroupDocument {
    const subscriptionGroupTable: Record<string, SubscriptionGroupConfig> = {};
    for (const [name, config] of this.table) subscriptionGroupTable[name] = encodeSubscriptionGroupConfig(config);
    const forbiddenTable: Record<string, Record<string, number>> = {};
    for (const [name, topics] of this.forbiddenTable) forbiddenTable[name] = { ...topics };
    return { dataVersion: encodeDataVersion(this.version), forbiddenTable, subscriptionGroupTable };
  }

  persist(): void {
    this.store?.save(this.encode());
  }

  private changed(): void {
    this.version = nextDataVersion(this.version, this.nowMs());
    this.persist();
  }

  /** Java `SubscriptionGroupManager#init`. */
  private createSystemGroups(): void {
    for (const group of [TOOLS_CONSUMER_GROUP, FILTERSRV_CONSUMER_GROUP, SELF_TEST_CONSUMER_GROUP]) {
      this.table.set(group, newSubscriptionGroupConfig(group));
    }
    for (const group of [
      ONS_HTTP_PROXY_GROUP,
      CID_ONSAPI_PULL_GROUP,
      CID_ONSAPI_PERMISSION_GROUP,
      CID_ONSAPI_OWNER_GROUP,
      CID_SYS_RMQ_TRANS,
    ]) {
      this.table.set(group, newSubscriptionGroupConfig(group, { consumeBroadcastEnable: true }));
    }
  }

  private load(): void {
    const document = this.store?.load();
    if (document === null || document === undefined) return;
    const root = asRecord(document);
    for (const [name, raw] of Object.entries(asRecord(root.subscriptionGroupTable))) {
      this.table.set(name, decodeSubscriptionGroupConfig(name, raw));
    }
    for (const [group, raw] of Object.entries(asRecord(root.forbiddenTable))) {
      const topics: Record<string, number> = {};
      for (const [topic, bits] of Object.entries(asRecord(raw))) topics[topic] = numberOr(bits, 0);
      this.forbiddenTable.set(group, topics);
    }
    this.version = decodeDataVersion(root.dataVersion, this.version);
    this.logger.info('loaded subscription groups', { count: this.table.size, dataVersion: this.version });
  }
}

/** A stored SubscriptionGroupConfig; absent fields take Java's defaults, unknown ones are dropped. */
export function decodeSubscriptionGroupConfig(name: string, raw: unknown): SubscriptionGroupConfig {
  const value = asRecord(raw);
  const d = newSubscriptionGroupConfig(stringOr(value.groupName, name));
  const policy = asRecord(value.groupRetryPolicy);
  return {
    attributes: stringRecord(value.attributes),
    brokerId: numberOr(value.brokerId, d.brokerId),
    consumeBroadcastEnable: booleanOr(value.consumeBroadcastEnable, d.consumeBroadcastEnable),
    consumeEnable: booleanOr(value.consumeEnable, d.consumeEnable),
    consumeFromMinEnable: booleanOr(value.consumeFromMinEnable, d.consumeFromMinEnable),
    consumeMessageOrderly: booleanOr(value.consumeMessageOrderly, d.consumeMessageOrderly),
    consumeTimeoutMinute: numberOr(value.consumeTimeoutMinute, d.consumeTimeoutMinute),
    groupName: d.groupName,
    groupRetryPolicy: typeof policy.type === 'string' ? { ...policy, type: policy.type } : d.groupRetryPolicy,
    groupSysFlag: numberOr(value.groupSysFlag, d.groupSysFlag),
    notifyConsumerIdsChangedEnable: booleanOr(value.notifyConsumerIdsChangedEnable, d.notifyConsumerIdsChangedEnable),
    retryMaxTimes: numberOr(value.retryMaxTimes, d.retryMaxTimes),
    retryQueueNums: numberOr(value.retryQueueNums, d.retryQueueNums),
    whichBrokerWhenConsumeSlowly: numberOr(value.whichBrokerWhenConsumeSlowly, d.whichBrokerWhenConsumeSlowly),
  };
}

function encodeSubscriptionGroupConfig(config: SubscriptionGroupConfig): SubscriptionGroupConfig {
  return { ...newSubscriptionGroupConfig(config.groupName), ...config, attributes: { ...config.attributes } };
}
