// Message: what a producer sends (shaped like rocketmq-client-nodejs's Message, with RocketMQ
// Remoting's delay level and flag), its checks (Java `Validators.checkMessage`, `Message
// #putUserProperty`), and its translation into the property map the wire carries (TAGS, KEYS,
// DELAY, WAIT, user properties). Depends on ts/protocol/message-properties.ts, client-error.ts,
// client-options.ts.

import {
  KEY_SEPARATOR,
  MessageProperty,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
} from '../../protocol/message-properties.js';
import { isNotAllowedSendTopic } from '../../protocol/topics.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError } from '../client-error.js';
import { checkTopicName } from '../client-options.js';

export interface Message {
  readonly topic: string;
  readonly body: Buffer | Uint8Array | string;
  /** The TAGS property: the sub-type consumers filter on ("A" in "A || B"). */
  readonly tag?: string;
  /** The KEYS property: business keys QUERY_MESSAGE finds the message by. */
  readonly keys?: string | readonly string[];
  /**
   * The sharding key of ordered messages: all messages of one group go to one queue, picked by the
   * producer's queue selector, and keep their order there. Also written as `__SHARDINGKEY`.
   */
  readonly messageGroup?: string;
  /** User properties; names RocketMQ uses itself are refused. */
  readonly properties?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Delay level 1..18 of `messageDelayLevel` (1s 5s 10s 30s 1m …); 0 or absent: none. */
  readonly delayLevel?: number;
  /** Absolute delivery time (TIMER_DELIVER_MS, honoured by RocketMQ 5 timer brokers). */
  readonly deliveryTimestamp?: Date | number;
  /** The message's int flag (Java `Message.flag`); default 0. */
  readonly flag?: number;
}

/** A checked message as the wire carries it. */
export interface PreparedMessage {
  readonly topic: string;
  readonly body: Buffer;
  readonly flag: number;
  /** System and user properties; the sender adds UNIQ_KEY. */
  readonly properties: Map<string, string>;
  readonly delayLevel: number;
  readonly messageGroup?: string;
}

/** Java `DefaultMQProducer.maxMessageSize`. */
export const DEFAULT_MAX_MESSAGE_SIZE_BYTES = 4 * 1024 * 1024;

/** Property names RocketMQ reserves (Java `MessageConst.STRING_HASH_SET`); user properties may not use them. */
export const SYSTEM_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(MessageProperty),
  'TRACE_ON',
  'MSG_REGION',
  'BUYER_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'MSG_TYPE',
  'CORRELATION_ID',
  'REPLY_TO_CLIENT',
  'TTL',
  'ARRIVE_TIME',
  'PUSH_REPLY_TIME',
  'INSTANCE_ID',
  'EXTEND_UNIQ_INFO',
  'POP_CK_OFFSET',
  '__STARTDELIVERTIME',
  '__BORNHOST',
  'TRACE_CONTEXT',
  'DLQ_ORIGIN_TOPIC',
  'DLQ_ORIGIN_MESSAGE_ID',
]);

function illegal(remark: string): ClientError {
  return new ClientError(ResponseCode.MESSAGE_ILLEGAL, remark);
}

function checkPropertyText(what: string, text: string): void {
  if (text.includes(NAME_VALUE_SEPARATOR) || text.includes(PROPERTY_SEPARATOR)) {
    throw illegal(`the ${what} ${JSON.stringify(text)} contains \\u0001 or \\u0002`);
  }
}

function toBuffer(body: Buffer | Uint8Array | string): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function entries(properties: Message['properties']): Array<[string, string]> {
  if (properties === undefined) return [];
  return properties instanceof Map
    ? [...(properties as ReadonlyMap<string, string>)]
    : Object.entries(properties as Record<string, string>);
}

/**
 * Checks `message` (topic, body, sizes, property names) and builds its wire properties. Throws
 * ClientError MESSAGE_ILLEGAL (13) or ILLEGAL_ARGUMENT, as Java's producer does before sending.
 */
export function prepareMessage(
  message: Message,
  maxMessageSizeBytes = DEFAULT_MAX_MESSAGE_SIZE_BYTES,
): PreparedMessage {
  checkTopicName(message.topic);
  if (isNotAllowedSendTopic(message.topic)) throw illegal(`Sending message to topic[${message.topic}] is forbidden.`);
  const body = toBuffer(message.body);
  if (body.length === 0) throw illegal('the message body length is zero');
  if (body.length > maxMessageSizeBytes)
    throw illegal(`the message body size over max value, MAX: ${maxMessageSizeBytes}`);
  const properties = new Map<string, string>();
  for (const [name, value] of entries(message.properties)) {
    if (SYSTEM_PROPERTY_NAMES.has(name)) throw illegal(`The Property<${name}> is used by system, input another please`);
    if (name === '' || value === '') throw illegal('a user property has an empty name or value');
    checkPropertyText('property name', name);
    checkPropertyText('property value', value);
    properties.set(name, value);
  }
  if (message.tag !== undefined && message.tag !== '') {
    checkPropertyText('tag', message.tag);
    properties.set(MessageProperty.TAGS, message.tag);
  }
  const keys = typeof message.keys === 'string' ? [message.keys] : (message.keys ?? []);
  if (keys.length > 0) {
    keys.forEach((key) => checkPropertyText('key', key));
    properties.set(MessageProperty.KEYS, keys.join(KEY_SEPARATOR));
  }
  const delayLevel = message.delayLevel ?? 0;
  if (!Number.isInteger(delayLevel) || delayLevel < 0)
    throw illegal(`the delay level ${delayLevel} is not a level (1..18)`);
  if (delayLevel > 0) properties.set(MessageProperty.DELAY, String(delayLevel));
  if (message.deliveryTimestamp !== undefined) {
    properties.set(MessageProperty.TIMER_DELIVER_MS, String(new Date(message.deliveryTimestamp).getTime()));
  }
  if (message.messageGroup !== undefined) {
    checkPropertyText('message group', message.messageGroup);
    properties.set(MessageProperty.SHARDING_KEY, message.messageGroup);
  }
  properties.set(MessageProperty.WAIT, 'true');
  return {
    topic: message.topic,
    body,
    flag: message.flag ?? 0,
    properties,
    delayLevel,
    ...(message.messageGroup !== undefined && { messageGroup: message.messageGroup }),
  };
}
