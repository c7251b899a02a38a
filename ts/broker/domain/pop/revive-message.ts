// Where an un-acked popped message goes when its invisible time ends (Java `PopReviveService
// #reviveRetry`): re-stored in the group's pop retry topic with reconsumeTimes + 1 and the first pop
// time kept, or, once it has been consumed the group's max reconsume times, in the group's DLQ.
// Pure. Depends on ts/protocol (properties, topics, pop retry names) and the store types.

import type { SocketAddress } from '../../../common/socket-address.js';
import { encodeMessageProperties, MessageProperty } from '../../../protocol/message-properties.js';
import { normalTopicOfPopRetry, popRetryTopic } from '../../../protocol/pop-extra-info.js';
import type { StoredMessage } from '../../../protocol/record-decoder.js';
import { dlqTopicOf, isRetryTopic } from '../../../protocol/topics.js';
import type { StoreMessage } from '../../../store/message-store-api.js';

export interface ReviveTarget {
  readonly group: string;
  /** The topic the checkpoint was popped from (the topic or its pop retry topic). */
  readonly poppedTopic: string;
  readonly popTime: number;
  readonly maxReconsumeTimes: number;
  readonly retryTopicV2: boolean;
  readonly storeHost: SocketAddress;
}

export interface RevivedMessage {
  readonly message: StoreMessage;
  readonly deadLetter: boolean;
}

/** The retry topic a checkpoint's messages come back in. */
export function reviveRetryTopic(poppedTopic: string, group: string, retryTopicV2: boolean): string {
  if (isRetryTopic(poppedTopic)) return poppedTopic;
  return popRetryTopic(normalTopicOfPopRetry(poppedTopic, group), group, retryTopicV2);
}

/**
 * The re-stored copy of `record`: same body, flag, tags, born time and host, properties plus
 * FIRST_POP_TIME (the first pop's time, kept across retries) and RETRY_TOPIC (the original topic);
 * reconsumeTimes + 1; the DLQ (queue 0) once reconsumeTimes reaches maxReconsumeTimes.
 */
export function buildRevivedMessage(record: StoredMessage, target: ReviveTarget): RevivedMessage {
  const properties = new Map(record.properties);
  if (record.reconsumeTimes === 0 || !properties.has(MessageProperty.FIRST_POP_TIME)) {
    properties.set(MessageProperty.FIRST_POP_TIME, String(target.popTime));
  }
  if (!properties.has(MessageProperty.RETRY_TOPIC)) {
    properties.set(MessageProperty.RETRY_TOPIC, normalTopicOfPopRetry(record.topic, target.group));
  }
  properties.delete(MessageProperty.POP_CK);
  const deadLetter = record.reconsumeTimes >= target.maxReconsumeTimes;
  const topic = deadLetter
    ? dlqTopicOf(target.group)
    : reviveRetryTopic(target.poppedTopic, target.group, target.retryTopicV2);
  const message: StoreMessage = {
    topic,
    queueId: 0,
    body: record.body,
    flag: record.flag,
    properties: encodeMessageProperties(properties),
    sysFlag: record.sysFlag,
    bornTimestamp: record.bornTimestamp,
    bornHost: record.bornHost,
    storeHost: target.storeHost,
    reconsumeTimes: record.reconsumeTimes + 1,
  };
  return { message, deadLetter };
}
