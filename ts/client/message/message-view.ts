// MessageView: a consumed message as applications see it (rocketmq-client-nodejs's MessageView, plus
// what Remoting consumers need: queue, offsets, store host), built from a decoded record. A retry
// (`%RETRY%<group>`) delivery shows its original topic, as Java's `resetRetryAndNamespace` does.
// Depends on ts/protocol (properties, offset msgId), pulled-record.ts, message.ts,
// ../message-queue.ts.

import type { SocketAddress } from '../../common/socket-address.js';
import { KEY_SEPARATOR, MessageProperty } from '../../protocol/message-properties.js';
import { isRetryTopic } from '../../protocol/topics.js';
import { messageQueue, type MessageQueue } from '../message-queue.js';
import type { PulledRecord } from './pulled-record.js';
import { createOffsetMessageId } from '../../protocol/offset-message-id.js';
import { SYSTEM_PROPERTY_NAMES } from './message.js';

export interface MessageView {
  /** The producer's UNIQ_KEY (what SendReceipt.messageId returned); the offset msgId when absent. */
  readonly messageId: string;
  /** Store host + commit log offset: names the stored record (VIEW_MESSAGE_BY_ID). */
  readonly offsetMsgId: string;
  /** The topic the producer sent to (the original topic for retried messages). */
  readonly topic: string;
  readonly body: Buffer;
  readonly tag?: string;
  readonly keys: readonly string[];
  /** The sharding key of an ordered message (`__SHARDINGKEY`). */
  readonly messageGroup?: string;
  readonly deliveryTimestamp?: Date;
  /** "ip:port" of the producer. */
  readonly bornHost: string;
  readonly bornTimestamp: Date;
  /** "ip:port" of the broker that stored the record. */
  readonly storeHost: string;
  readonly storeTimestamp: Date;
  /** 1 for the first delivery; reconsumeTimes + 1. */
  readonly deliveryAttempt: number;
  readonly reconsumeTimes: number;
  /** User properties only. */
  readonly properties: ReadonlyMap<string, string>;
  /** The properties RocketMQ itself uses (TAGS, KEYS, UNIQ_KEY, RETRY_TOPIC …). */
  readonly systemProperties: ReadonlyMap<string, string>;
  /** The queue the message was pulled from (a `%RETRY%<group>` queue for a retry). */
  readonly messageQueue: MessageQueue;
  /** Queue offset within messageQueue. */
  readonly offset: number;
  readonly commitLogOffset: number;
  readonly flag: number;
  readonly sysFlag: number;
  /** True when the body is still compressed with a codec this runtime lacks (LZ4). */
  readonly bodyCompressed: boolean;
}

function formatHost({ address, port }: SocketAddress): string {
  if (address.length === 4) return `${address.join('.')}:${port}`;
  const groups: string[] = [];
  for (let i = 0; i < address.length; i += 2)
    groups.push(((address[i] as number) * 256 + (address[i + 1] as number)).toString(16));
  return `[${groups.join(':')}]:${port}`;
}

/** The view of a record pulled from `brokerName`. */
export function toMessageView(record: PulledRecord, brokerName: string): MessageView {
  const properties = new Map<string, string>();
  const systemProperties = new Map<string, string>();
  for (const [name, value] of record.properties)
    (SYSTEM_PROPERTY_NAMES.has(name) ? systemProperties : properties).set(name, value);
  const offsetMsgId = createOffsetMessageId(record.storeHost, record.physicalOffset);
  const retryTopic = systemProperties.get(MessageProperty.RETRY_TOPIC);
  const topic = isRetryTopic(record.topic) && retryTopic !== undefined ? retryTopic : record.topic;
  const tag = systemProperties.get(MessageProperty.TAGS);
  const keys = systemProperties.get(MessageProperty.KEYS);
  const messageGroup = systemProperties.get(MessageProperty.SHARDING_KEY);
  const deliverMs = systemProperties.get(MessageProperty.TIMER_DELIVER_MS);
  return {
    messageId: systemProperties.get(MessageProperty.UNIQ_KEY) ?? offsetMsgId,
    offsetMsgId,
    topic,
    body: record.body,
    ...(tag !== undefined && { tag }),
    keys: keys === undefined ? [] : keys.split(KEY_SEPARATOR).filter((key) => key !== ''),
    ...(messageGroup !== undefined && { messageGroup }),
    ...(deliverMs !== undefined && { deliveryTimestamp: new Date(Number(deliverMs)) }),
    bornHost: formatHost(record.bornHost),
    bornTimestamp: new Date(record.bornTimestamp),
    storeHost: formatHost(record.storeHost),
    storeTimestamp: new Date(record.storeTimestamp),
    deliveryAttempt: record.reconsumeTimes + 1,
    reconsumeTimes: record.reconsumeTimes,
    properties,
    systemProperties,
    messageQueue: messageQueue(record.topic, brokerName, record.queueId),
    offset: record.queueOffset,
    commitLogOffset: record.physicalOffset,
    flag: record.flag,
    sysFlag: record.sysFlag,
    bodyCompressed: record.bodyCompressed,
  };
}
