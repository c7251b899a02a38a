// ConsumerOffsetManager (Java `ConsumerOffsetManager`): committed consume offsets keyed
// `topic@group` → queueId → offset, the server-side reset table used by resetOffsetByTime, and
// consumerOffset.json through an injected MetaConfigStore (persisted periodically, not per commit).
// Pure domain. Depends on meta-config-store, common/logger, protocol/route-types.

import type { Logger } from '../../../common/logger.js';
import type { DataVersion } from '../../../protocol/route-types.js';
import {
  asRecord,
  decodeDataVersion,
  encodeDataVersion,
  newDataVersion,
  nextDataVersion,
  numberOr,
  type MetaConfigStore,
} from './meta-config-store.js';

export const TOPIC_GROUP_SEPARATOR = '@';

export interface ConsumerOffsetManagerOptions {
  /** `consumerOffsetUpdateVersionStep` (500): the data version moves once per this many commits. */
  consumerOffsetUpdateVersionStep: number;
  /** `useServerSideResetOffset` (true): a pending reset answers queryOffset before the committed offset. */
  useServerSideResetOffset: boolean;
}

export interface ConsumerOffsetManagerDeps {
  store?: MetaConfigStore | null;
  logger: Logger;
  /** The clock of the data version (the broker's Scheduler `now`). */
  nowMs: () => number;
}

/** The consumerOffset.json document (`groupTopicMap` is derived and ignored on read). */
export interface ConsumerOffsetDocument {
  dataVersion: DataVersion;
  groupTopicMap: Record<string, string[]>;
  offsetTable: Record<string, Record<string, number>>;
}

type QueueOffsets = Map<number, number>;

export function topicAtGroup(topic: string, group: string): string {
  return `${topic}${TOPIC_GROUP_SEPARATOR}${group}`;
}

/** Splits `topic@group`; null unless there are exactly two parts (as Java's `split("@")` check). */
export function splitTopicAtGroup(key: string): { topic: string; group: string } | null {
  const parts = key.split(TOPIC_GROUP_SEPARATOR);
  if (parts.length !== 2) return null;
  const [topic, group] = parts as [string, string];
  return { topic, group };
}

export class ConsumerOffsetManager {
  private readonly offsetTable = new Map<string, QueueOffsets>();
  private readonly resetOffsetTable = new Map<string, QueueOffsets>();
  private version: DataVersion;
  private commitCount = 0;
  private readonly store: MetaConfigStore | null;
  private readonly logger: Logger;
  private readonly nowMs: () => number;

  constructor(
    private readonly options: ConsumerOffsetManagerOptions,
    deps: ConsumerOffsetManagerDeps,
  ) {
    this.store = deps.store ?? null;
    this.logger = deps.logger;
    this.nowMs = deps.nowMs;
    this.version = newDataVersion(this.nowMs());
    this.load();
  }

  get dataVersion(): DataVersion {
    return { ...this.version };
  }

  /** Java `commitOffset`: records the offset; a smaller offset than stored is accepted but logged. */
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void {
    const key = topicAtGroup(topic, group);
    const offsets = this.offsetsFor(this.offsetTable, key);
    const previous = offsets.get(queueId);
    offsets.set(queueId, offset);
    if (previous !== undefined && offset < previous) {
      this.logger.warn('update consumer offset less than store', {
        clientHost,
        key,
        queueId,
        requestOffset: offset,
        storeOffset: previous,
      });
    }
    this.commitCount += 1;
    if (this.commitCount % this.options.consumerOffsetUpdateVersionStep === 0) {
      this.version = nextDataVersion(this.version, this.nowMs());
    }
  }

  /** Java `queryOffset`: a pending server-side reset, else the committed offset, else -1. */
  queryOffset(group: string, topic: string, queueId: number): number {
    const key = topicAtGroup(topic, group);
    if (this.options.useServerSideResetOffset) {
      const reset = this.resetOffsetTable.get(key)?.get(queueId);
      if (reset !== undefined) return reset;
    }
    return this.offsetTable.get(key)?.get(queueId) ?? -1;
  }

  /** Java `queryOffset(group, topic)`: queueId → offset, or undefined when the pair has none. */
  queryOffsets(group: string, topic: string): ReadonlyMap<number, number> | undefined {
    const offsets = this.offsetTable.get(topicAtGroup(topic, group));
    return offsets === undefined ? undefined : new Map(offsets);
  }

  whichTopicByConsumer(group: string): Set<string> {
    const topics = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const pair = splitTopicAtGroup(key);
      if (pair?.group === group) topics.add(pair.topic);
    }
    return topics;
  }

  whichGroupByTopic(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const pair = splitTopicAtGroup(key);
      if (pair?.topic === topic) groups.add(pair.group);
    }
    return groups;
  }

  /** Java `getGroupTopicMap`: group → topics with committed offsets. */
  groupTopicMap(): Map<string, Set<string>> {
    const map = new Map<string, Set<string>>();
    for (const key of this.offsetTable.keys()) {
      const pair = splitTopicAtGroup(key);
      if (pair === null) continue;
      const topics = map.get(pair.group) ?? new Set<string>();
      topics.add(pair.topic);
      map.set(pair.group, topics);
    }
    return map;
  }

  /** Java `cloneOffset`: copies srcGroup's offsets of a topic to destGroup (replacing destGroup's). */
  cloneOffset(srcGroup: string, destGroup: string, topic: string): void {
    const offsets = this.offsetTable.get(topicAtGroup(topic, srcGroup));
    if (offsets !== undefined) this.offsetTable.set(topicAtGroup(topic, destGroup), new Map(offsets));
  }

  /** Java `removeOffset` (DELETE_SUBSCRIPTIONGROUP with cleanOffset): every offset of the group. */
  removeOffset(group: string): boolean {
    let removed = false;
    for (const table of [this.offsetTable, this.resetOffsetTable]) {
      for (const key of [...table.keys()]) {
        if (splitTopicAtGroup(key)?.group !== group) continue;
        table.delete(key);
        removed = true;
      }
    }
    if (removed) this.logger.info('removed group offsets', { group });
    return removed;
  }

  /** Java `cleanOffsetByTopic` (DELETE_TOPIC): every group's offsets of the topic. */
  cleanOffsetByTopic(topic: string): void {
    for (const table of [this.offsetTable, this.resetOffsetTable]) {
      for (const key of [...table.keys()]) {
        if (splitTopicAtGroup(key)?.topic === topic) table.delete(key);
      }
    }
  }

  /**
   * Java `assignResetOffset` (resetOffsetByTime with server-side reset): sets the committed offset
   * and remembers it as a pending reset that queryOffset answers until it is taken. Ignores
   * illegal arguments, as Java does.
   */
  assignResetOffset(topic: string, group: string, queueId: number, offset: number): void {
    if (topic === '' || group === '' || queueId < 0 || offset < 0) {
      this.logger.warn('illegal arguments when assigning reset offset', { topic, group, queueId, offset });
      return;
    }
    const key = topicAtGroup(topic, group);
    this.offsetsFor(this.resetOffsetTable, key).set(queueId, offset);
    this.offsetsFor(this.offsetTable, key).set(queueId, offset);
  }

  hasOffsetReset(topic: string, group: string, queueId: number): boolean {
    return this.resetOffsetTable.get(topicAtGroup(topic, group))?.has(queueId) === true;
  }

  /** Java `queryThenEraseResetOffset`: the pending reset (removed), or undefined. */
  queryThenEraseResetOffset(topic: string, group: string, queueId: number): number | undefined {
    const offsets = this.resetOffsetTable.get(topicAtGroup(topic, group));
    const offset = offsets?.get(queueId);
    offsets?.delete(queueId);
    return offset;
  }

  encode(): ConsumerOffsetDocument {
    const groupTopicMap: Record<string, string[]> = {};
    for (const [group, topics] of this.groupTopicMap()) groupTopicMap[group] = [...topics];
    const offsetTable: Record<string, Record<string, number>> = {};
    for (const [key, offsets] of this.offsetTable) {
      const entry: Record<string, number> = {};
      for (const [queueId, offset] of offsets) entry[String(queueId)] = offset;
      offsetTable[key] = entry;
    }
    return { dataVersion: encodeDataVersion(this.version), groupTopicMap, offsetTable };
  }

  persist(): void {
    this.store?.save(this.encode());
  }

  private offsetsFor(table: Map<string, QueueOffsets>, key: string): QueueOffsets {
    let offsets = table.get(key);
    if (offsets === undefined) {
      offsets = new Map();
      table.set(key, offsets);
    }
    return offsets;
  }

  private load(): void {
    const document = this.store?.load();
    if (document === null || document === undefined) return;
    const root = asRecord(document);
    for (const [key, raw] of Object.entries(asRecord(root.offsetTable))) {
      const offsets: QueueOffsets = new Map();
      for (const [queueId, offset] of Object.entries(asRecord(raw))) {
        if (!/^-?\d+$/.test(queueId)) continue;
        offsets.set(Number(queueId), numberOr(offset, -1));
      }
      this.offsetTable.set(key, offsets);
    }
    this.version = decodeDataVersion(root.dataVersion, this.version);
    this.logger.info('loaded consumer offsets', { count: this.offsetTable.size, dataVersion: this.version });
  }
}
