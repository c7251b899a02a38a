// ConsumeStats (Java `AdminBrokerProcessor#getConsumeStats`, GET_CONSUME_STATS): for a consumer group,
// which topics to report and, per readable queue, the broker's max offset, the group's committed
// offset and the store time of the last consumed message; what `mqadmin consumerProgress` prints.
// Pure. Depends on admin-json.ts, topic-stats.ts (the offsets reader) and protocol/route-types.

import type { TopicConfig } from '../../../protocol/route-types.js';
import { fastJsonBody, messageQueueKey, type MessageQueueKey, ObjectKeyedMap } from './admin-json.js';
import type { QueueOffsetsReader } from './topic-stats.js';

/** `GetConsumeStatsRequestHeader.topicList` joins topics with this. */
export const TOPIC_LIST_SEPARATOR = ';';

/** Java `OffsetWrapper`, fields in fastjson's order. */
export interface OffsetWrapper {
  readonly brokerOffset: number;
  readonly consumerOffset: number;
  readonly lastTimestamp: number;
  readonly pullOffset: number;
}

export interface ConsumeStats {
  readonly consumeTps: number;
  readonly offsetTable: ReadonlyArray<readonly [MessageQueueKey, OffsetWrapper]>;
}

/** What the rules need to know about the group. */
export interface ConsumeStatsGroupView {
  /** Java `whichTopicByConsumer`: topics the group has committed offsets for. */
  topicsWithOffsets(group: string): Iterable<string>;
  /** Topics the online group subscribes to; empty when it is offline. */
  subscribedTopics(group: string): ReadonlySet<string>;
}

/** Java `fetchTopicList`: the `topicList` header split on ';', blanks dropped. */
export function parseTopicList(topicList: string | undefined): string[] {
  if (topicList === undefined) return [];
  return topicList.split(TOPIC_LIST_SEPARATOR).filter((topic) => topic.trim() !== '');
}

/**
 * Java `getTopicsForCollectingConsumeStats`: an explicit topic list is taken as given; otherwise the
 * requested topic, or every topic with an offset of the group, minus those an online group does
 * not subscribe to.
 */
export function topicsForCollecting(
  group: string,
  topic: string | undefined,
  topicList: readonly string[],
  view: ConsumeStatsGroupView,
): string[] {
  if (topicList.length > 0) return [...new Set(topicList)];
  const candidates = topic === undefined || topic.trim() === '' ? [...view.topicsWithOffsets(group)] : [topic];
  const subscribed = view.subscribedTopics(group);
  return candidates.filter((candidate) => subscribed.size === 0 || subscribed.has(candidate));
}

export interface ConsumeStatsInput {
  readonly group: string;
  readonly brokerName: string;
  /** The topics to report, with their configs (topics without one are skipped, as Java does). */
  readonly topics: ReadonlyArray<Readonly<TopicConfig>>;
  readonly reader: QueueOffsetsReader;
  /** The group's committed offset of a queue, -1 when it has none. */
  readonly consumerOffset: (topic: string, queueId: number) => number;
  readonly consumeTps: (topic: string) => number;
}

/**
 * One OffsetWrapper per readable queue of each topic. // Compat: the broker keeps no pull offsets
 * (Java's `pullOffsetTable`), so pullOffset is the committed offset and in-flight reads as 0.
 */
export function buildConsumeStats(input: ConsumeStatsInput): ConsumeStats {
  const offsetTable: Array<readonly [MessageQueueKey, OffsetWrapper]> = [];
  let consumeTps = 0;
  for (const topicConfig of input.topics) {
    const topic = topicConfig.topicName;
    for (let queueId = 0; queueId < topicConfig.readQueueNums; queueId++) {
      const brokerOffset = Math.max(0, input.reader.getMaxOffsetInQueue(topic, queueId));
      const consumerOffset = Math.max(0, input.consumerOffset(topic, queueId));
      const storeTime = consumerOffset > 0 ? input.reader.storeTimeAt(topic, queueId, consumerOffset - 1) : 0;
      offsetTable.push([
        messageQueueKey(topic, input.brokerName, queueId),
        { brokerOffset, consumerOffset, lastTimestamp: Math.max(0, storeTime), pullOffset: consumerOffset },
      ]);
    }
    consumeTps += input.consumeTps(topic);
  }
  return { consumeTps, offsetTable };
}

/** `{"consumeTps":x,"offsetTable":{{mq}:{…},…}}` in fastjson's dialect. */
export function encodeConsumeStats(stats: ConsumeStats): Buffer {
  return fastJsonBody({ consumeTps: stats.consumeTps, offsetTable: new ObjectKeyedMap(stats.offsetTable) });
}

/** Diff total as `ConsumeStats#computeTotalDiff`: Σ brokerOffset − consumerOffset. */
export function totalDiff(stats: ConsumeStats): number {
  return stats.offsetTable.reduce((sum, [, offsets]) => sum + offsets.brokerOffset - offsets.consumerOffset, 0);
}

/** The committed-offset reads `consumedOffsetTotals` needs (a ConsumerOffsetManager). */
export interface CommittedOffsets {
  groupTopicMap(): ReadonlyMap<string, ReadonlySet<string>>;
  queryOffsets(group: string, topic: string): ReadonlyMap<number, number> | undefined;
}

/** `topic@group` → the sum of its committed offsets: the messages it has consumed, for BrokerStats. */
export function* consumedOffsetTotals(offsets: CommittedOffsets): Generator<readonly [string, number]> {
  for (const [group, topics] of offsets.groupTopicMap()) {
    for (const topic of topics) {
      let total = 0;
      for (const offset of offsets.queryOffsets(group, topic)?.values() ?? []) total += Math.max(0, offset);
      yield [`${topic}@${group}`, total];
    }
  }
}
