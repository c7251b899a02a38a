// What Apache's proxy checks in a gRPC message (Java `SendMessageActivity#buildMessage`, `GrpcValidator`), each
// refusal with its Code, and the RocketMQ property map the send path stores.
// Depends on the generated protos, ts/protocol, the topic validator and grpc-limits.ts.

import { timestampMs } from '@bufbuild/protobuf/wkt';
import {
  Code,
  Encoding,
  MessageType,
  type Message,
  type Resource,
} from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { KEY_SEPARATOR, MessageProperty } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import {
  BORN_HOST_PROPERTY,
  BORN_TIMESTAMP_PROPERTY,
  SYSTEM_PROPERTY_NAMES,
  TRACE_CONTEXT_PROPERTY,
} from '../../protocol/system-property-names.js';
import { isSystemTopic } from '../../protocol/topics.js';
import { validateGroup, validateTopic } from '../domain/meta/topic-validator.js';
import {
  GRPC_MAX_DELAY_MS,
  GRPC_MAX_TRANSACTION_RECOVERY_SECONDS,
  GRPC_MESSAGE_GROUP_MAX_BYTES,
  GRPC_USER_PROPERTY_MAX_BYTES,
  GRPC_USER_PROPERTY_MAX_COUNT,
} from './grpc-limits.js';
import { GrpcError } from './grpc-status.js';

/** Java `GrpcValidator#validateTopic`: a legal name that is not a system topic. */
export function validateTopicResource(topic: Resource | undefined): string {
  const name = topic?.name ?? '';
  const result = validateTopic(name);
  if (!result.ok) throw new GrpcError(Code.ILLEGAL_TOPIC, result.remark);
  if (isSystemTopic(name)) throw new GrpcError(Code.ILLEGAL_TOPIC, 'cannot access system topic');
  return name;
}

/** Java `GrpcValidator#validateConsumerGroup`: a legal name that is not a system group. */
export function validateConsumerGroupResource(group: Resource | undefined): string {
  const name = group?.name ?? '';
  const result = validateGroup(name);
  if (!result.ok) throw new GrpcError(Code.ILLEGAL_CONSUMER_GROUP, result.remark);
  if (name.startsWith('CID_RMQ_SYS_'))
    throw new GrpcError(Code.ILLEGAL_CONSUMER_GROUP, 'cannot use system consumer group');
  return name;
}

/** The RocketMQ message a gRPC message becomes: its properties and sysFlag. */
export interface ValidatedMessage {
  readonly properties: Map<string, string>;
  readonly sysFlag: number;
  readonly bornTimestampMs: number;
  readonly reconsumeTimes: number;
  /** The message group (FIFO), '' when none. */
  readonly messageGroup: string;
}

export interface MessageCheckSettings {
  readonly maxBodyBytes: number;
  readonly nowMs: number;
  /** The caller's `ip:port`: the born host when the message names none. */
  readonly remoteAddress: string;
}

/** Java `buildMessage` + `buildMessageProperty`; `producerGroup` is the topic (Apache's check-back group). */
export function validateMessage(
  message: Message,
  producerGroup: string,
  settings: MessageCheckSettings,
): ValidatedMessage {
  checkBody(message.body, settings.maxBodyBytes);
  const system = message.systemProperties;
  const properties = userProperties(message.userProperties);
  let userBytes = sumUserPropertyBytes(properties);
  const tag = system?.tag ?? '';
  checkTag(tag);
  if (tag !== '') properties.set(MessageProperty.TAGS, tag);
  userBytes += utf8Bytes(tag);
  const keys = system?.keys ?? [];
  for (const key of keys) checkKey(key);
  userBytes += keys.reduce((sum, key) => sum + utf8Bytes(key), 0);
  if (keys.length > 0) properties.set(MessageProperty.KEYS, keys.join(KEY_SEPARATOR));
  if (userBytes > GRPC_USER_PROPERTY_MAX_BYTES) {
    const text = `the total size of user property is too large, max is ${GRPC_USER_PROPERTY_MAX_BYTES}`;
    throw new GrpcError(Code.MESSAGE_PROPERTIES_TOO_LARGE, text);
  }
  const messageId = system?.messageId ?? '';
  if (messageId.trim() === '') throw new GrpcError(Code.ILLEGAL_MESSAGE_ID, 'message id cannot be empty');
  properties.set(MessageProperty.UNIQ_KEY, messageId);
  const transactional = system?.messageType === MessageType.TRANSACTION;
  if (transactional) setTransactionProperties(message, properties);
  setDeliveryTime(message, properties, settings.nowMs);
  const reconsumeTimes = system?.deliveryAttempt ?? 0;
  properties.set(MessageProperty.RECONSUME_TIME, String(reconsumeTimes));
  properties.set(MessageProperty.PRODUCER_GROUP, producerGroup);
  const messageGroup = system?.messageGroup ?? '';
  if (messageGroup !== '') {
    checkMessageGroup(messageGroup);
    properties.set(MessageProperty.SHARDING_KEY, messageGroup);
  }
  setOrigin(message, properties, settings.remoteAddress);
  const compressed = system?.bodyEncoding === Encoding.GZIP ? MessageSysFlag.COMPRESSED_FLAG : 0;
  const prepared = transactional ? MessageSysFlag.TRANSACTION_PREPARED_TYPE : 0;
  const bornTimestampMs =
    system?.bornTimestamp === undefined ? settings.nowMs : Number(timestampMs(system.bornTimestamp));
  return { properties, sysFlag: compressed | prepared, bornTimestampMs, reconsumeTimes, messageGroup };
}

function checkBody(body: Uint8Array, maxBodyBytes: number): void {
  if (body.length === 0) throw new GrpcError(Code.MESSAGE_BODY_EMPTY, 'message body cannot be empty');
  if (maxBodyBytes > 0 && body.length > maxBodyBytes) {
    throw new GrpcError(Code.MESSAGE_BODY_TOO_LARGE, `message body cannot exceed the max ${maxBodyBytes}`);
  }
}

function userProperties(given: { [key: string]: string }): Map<string, string> {
  const entries = Object.entries(given);
  if (entries.length > GRPC_USER_PROPERTY_MAX_COUNT) {
    const text = `too many user properties, max is ${GRPC_USER_PROPERTY_MAX_COUNT}`;
    throw new GrpcError(Code.MESSAGE_PROPERTIES_TOO_LARGE, text);
  }
  for (const [key, value] of entries) {
    if (SYSTEM_PROPERTY_NAMES.has(key)) {
      throw new GrpcError(Code.ILLEGAL_MESSAGE_PROPERTY_KEY, `property is used by system: ${key}`);
    }
    if (hasControlCharacter(key)) {
      throw new GrpcError(Code.ILLEGAL_MESSAGE_PROPERTY_KEY, 'the key of property cannot contain control character');
    }
    if (hasControlCharacter(value)) {
      throw new GrpcError(Code.ILLEGAL_MESSAGE_PROPERTY_KEY, 'the value of property cannot contain control character');
    }
  }
  return new Map(entries);
}

function sumUserPropertyBytes(properties: ReadonlyMap<string, string>): number {
  let bytes = 0;
  for (const [key, value] of properties) bytes += utf8Bytes(key) + utf8Bytes(value);
  return bytes;
}

/** Java `GrpcValidator#validateTag`. */
function checkTag(tag: string): void {
  if (tag === '') return;
  if (tag.trim() === '') throw new GrpcError(Code.ILLEGAL_MESSAGE_TAG, 'tag cannot be the char sequence of whitespace');
  if (tag.includes('|')) throw new GrpcError(Code.ILLEGAL_MESSAGE_TAG, "tag cannot contain '|'");
  if (hasControlCharacter(tag)) throw new GrpcError(Code.ILLEGAL_MESSAGE_TAG, 'tag cannot contain control character');
}

function checkKey(key: string): void {
  if (key === '') return;
  if (key.trim() === '') {
    throw new GrpcError(Code.ILLEGAL_MESSAGE_KEY, 'key cannot be the char sequence of whitespace');
  }
  if (hasControlCharacter(key)) throw new GrpcError(Code.ILLEGAL_MESSAGE_KEY, 'key cannot contain control character');
}

function checkMessageGroup(group: string): void {
  if (group.trim() === '') {
    throw new GrpcError(Code.ILLEGAL_MESSAGE_GROUP, 'message group cannot be the char sequence of whitespace');
  }
  if (utf8Bytes(group) >= GRPC_MESSAGE_GROUP_MAX_BYTES) {
    throw new GrpcError(
      Code.ILLEGAL_MESSAGE_GROUP,
      `message group exceed the max size ${GRPC_MESSAGE_GROUP_MAX_BYTES}`,
    );
  }
  if (hasControlCharacter(group)) {
    throw new GrpcError(Code.ILLEGAL_MESSAGE_GROUP, 'message group cannot contain control character');
  }
}

/** TRAN_MSG, and the check immunity time from `orphaned_transaction_recovery_duration`. */
function setTransactionProperties(message: Message, properties: Map<string, string>): void {
  properties.set(MessageProperty.TRAN_MSG, 'true');
  const recovery = message.systemProperties?.orphanedTransactionRecoveryDuration;
  if (recovery === undefined) return;
  const seconds = Number(recovery.seconds);
  if (seconds > GRPC_MAX_TRANSACTION_RECOVERY_SECONDS) {
    const max = GRPC_MAX_TRANSACTION_RECOVERY_SECONDS;
    throw new GrpcError(Code.BAD_REQUEST, `the max transaction recovery time of message is too large, max is ${max}`);
  }
  properties.set(MessageProperty.CHECK_IMMUNITY_TIME_IN_SECONDS, String(seconds));
}

/** A delivery timestamp becomes TIMER_DELIVER_MS (the timer service parks the message). */
function setDeliveryTime(message: Message, properties: Map<string, string>, nowMs: number): void {
  const delivery = message.systemProperties?.deliveryTimestamp;
  if (delivery === undefined) return;
  const deliveryMs = Number(timestampMs(delivery));
  if (deliveryMs - nowMs > GRPC_MAX_DELAY_MS) {
    const text = `the max delay time of message is too large, max is ${GRPC_MAX_DELAY_MS}`;
    throw new GrpcError(Code.ILLEGAL_DELIVERY_TIME, text);
  }
  properties.set(MessageProperty.TIMER_DELIVER_MS, String(deliveryMs));
}

function setOrigin(message: Message, properties: Map<string, string>, remoteAddress: string): void {
  const system = message.systemProperties;
  const trace = system?.traceContext ?? '';
  if (trace !== '') properties.set(TRACE_CONTEXT_PROPERTY, trace);
  const bornHost = (system?.bornHost ?? '').trim() === '' ? remoteAddress : (system?.bornHost ?? '');
  if (bornHost !== '') properties.set(BORN_HOST_PROPERTY, bornHost);
  if (system?.bornTimestamp !== undefined) {
    properties.set(BORN_TIMESTAMP_PROPERTY, String(timestampMs(system.bornTimestamp)));
  }
}

/** Guava `CharMatcher.javaIsoControl`: U+0000–U+001F and U+007F–U+009F. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
