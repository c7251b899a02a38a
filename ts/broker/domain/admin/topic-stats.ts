// TopicStatsTable (Java `AdminBrokerProcessor#getTopicStatsInfo`, GET_TOPIC_STATS_INFO): per queue of a
// topic its min and max offset and the store time of its newest message, plus the topic's put TPS;
// what `mqadmin topicStatus` prints. Pure. Depends on admin-json.ts and protocol/route-types.

import type { TopicConfig } from '../../../protocol/route-types.js';
import { fastJsonBody, messageQueueKey, type MessageQueueKey, ObjectKeyedMap } from './admin-json.js';

/** The queue offsets the admin views read (a MessageStore, plus the store time at an offset). */
export interface QueueOffsetsReader {
  getMinOffsetInQueue(topic: string, queueId: number): number;
  /** The next queue offset to be written. */
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  /** Java `getMessageStoreTimeStamp`: the store time of the message at `queueOffset`, -1 if gone. */
  storeTimeAt(topic: string, queueId: number, queueOffset: number): number;
}

/** Java `TopicOffset`, fields in fastjson's order. */
export interface TopicOffset {
  readonly lastUpdateTimestamp: number;
  readonly maxOffset: number;
  readonly minOffset: number;
}

export interface TopicStatsTable {
  readonly offsetTable: ReadonlyArray<readonly [MessageQueueKey, TopicOffset]>;
  readonly topicPutTps: number;
}

/** Every queue up to max(read, write) queue count; negative offsets read as 0, as Java does. */
export function buildTopicStatsTable(
  topicConfig: Readonly<TopicConfig>,
  brokerName: string,
  reader: QueueOffsetsReader,
  topicPutTps: number,
): TopicStatsTable {
  const topic = topicConfig.topicName;
  const queueCount = Math.max(topicConfig.writeQueueNums, topicConfig.readQueueNums);
  const offsetTable: Array<readonly [MessageQueueKey, TopicOffset]> = [];
  for (let queueId = 0; queueId < queueCount; queueId++) {
    const minOffset = Math.max(0, reader.getMinOffsetInQueue(topic, queueId));
    const maxOffset = Math.max(0, reader.getMaxOffsetInQueue(topic, queueId));
    const lastUpdateTimestamp = maxOffset > 0 ? reader.storeTimeAt(topic, queueId, maxOffset - 1) : 0;
    offsetTable.push([messageQueueKey(topic, brokerName, queueId), { lastUpdateTimestamp, maxOffset, minOffset }]);
  }
  return { offsetTable, topicPutTps };
}

/** `{"offsetTable":{{mq}:{…},…},"topicPutTps":x}` in fastjson's dialect. */
export function encodeTopicStatsTable(table: TopicStatsTable): Buffer {
  return fastJsonBody({ offsetTable: new ObjectKeyedMap(table.offsetTable), topicPutTps: table.topicPutTps });
}
