// The checks a send passes before the store sees it (Java `AbstractSendMessageProcessor#msgCheck`,
// `SendMessageProcessor#sendMessage/#sendBatchMessage`, and the store's size limits, docs/store-format.md §2.7),
// each answered as a result with the failure's BrokerErrorCode and Java's remark; and the random queue
// choice for queueId < 0. The topic-name rules live in meta/topic-validator.ts. Depends on
// ../broker-error.ts, protocol/route-types (TopicConfig), meta/topic-validator.ts, protocol/message-properties.ts.

import { MessageProperty, parseMessageProperties } from '../../../protocol/message-properties.js';
import { MAX_PROPERTIES_SIZE_BYTES, MAX_V1_TOPIC_SIZE_BYTES } from '../../../protocol/commit-log-record.js';
import { getTransactionValue, MessageSysFlag } from '../../../protocol/message-sys-flag.js';
import { BrokerErrorCode } from '../broker-error.js';
import { PERM_INHERIT, PERM_READ, PERM_WRITE, type TopicConfig } from '../../../protocol/route-types.js';
import { checkTopicForSend, type ValidationResult } from '../meta/topic-validator.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../../protocol/topics.js';
import { messageIllegalRemark } from './send-response.js';
import type { SendMessageRequestHeader } from '../../../protocol/send-request-header.js';

export { checkTopicForSend };

/** `{ ok: true }`, or the response code and remark a failed check answers with. */
export type SendCheckResult = ValidationResult;

const OK: SendCheckResult = { ok: true };
/** PROPERTIESLENGTH is an i16 in the record. */
const MAX_PROPERTIES_BYTES = MAX_PROPERTIES_SIZE_BYTES;
/** A V1 record stores the topic length in a signed byte: batches may not use V2. */
const BATCH_TOPIC_MAX_LENGTH = MAX_V1_TOPIC_SIZE_BYTES;

function fail(code: BrokerErrorCode, remark: string): SendCheckResult {
  return { ok: false, code, remark };
}

/** Java `FAQUrl.suggestTodo(APPLY_TOPIC_URL)`. */
const APPLY_TOPIC_TIP = '\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';

/**
 * First check of msgCheck: a broker whose write permission was wiped refuses sends to order topics
 * (other topics are steered away by their routes) with 16.
 */
export function checkBrokerPermission(options: {
  readonly brokerPermission: number;
  readonly brokerIp: string;
  readonly topicIsOrder: boolean;
}): SendCheckResult {
  if ((options.brokerPermission & PERM_WRITE) !== 0 || !options.topicIsOrder) return OK;
  return fail(BrokerErrorCode.NO_PERMISSION, `the broker[${options.brokerIp}] sending message is forbidden`);
}

/** msgCheck when the topic is neither found nor auto-created: 17. */
export function topicNotExist(topic: string): SendCheckResult {
  return fail(BrokerErrorCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!${APPLY_TOPIC_TIP}`);
}

/**
 * Java `PermName.isWriteable` on the topic's perm, answered as `consumerSendMsgBack` does (16).
 * Compat: Java's SEND path does not call this (routes keep producers off read-only queues); a handler
 * that wants to refuse sends to a read-only topic can.
 */
export function checkTopicWriteable(topic: string, perm: number): SendCheckResult {
  if ((perm & PERM_WRITE) !== 0) return OK;
  return fail(BrokerErrorCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden`);
}

/** Java `PermName.perm2String`: `RWX` with `-` for a missing bit. */
function permToString(perm: number): string {
  return (
    ((perm & PERM_READ) !== 0 ? 'R' : '-') +
    ((perm & PERM_WRITE) !== 0 ? 'W' : '-') +
    ((perm & PERM_INHERIT) !== 0 ? 'X' : '-')
  );
}

/** Java `TopicConfig.toString()` (attributes as a Java map: `{k=v, k2=v2}`). */
export function topicConfigToString(config: TopicConfig): string {
  const attributes = Object.entries(config.attributes)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return (
    `TopicConfig [topicName=${config.topicName}, readQueueNums=${config.readQueueNums}, ` +
    `writeQueueNums=${config.writeQueueNums}, perm=${permToString(config.perm)}, ` +
    `topicFilterType=${config.topicFilterType}, topicSysFlag=${config.topicSysFlag}, order=${config.order}, ` +
    `attributes={${attributes}}]`
  );
}

/**
 * Last check of msgCheck: queueId ≥ max(writeQueueNums, readQueueNums) answers 29 with Java's remark
 * (`producerAddress` as `ip:port`). A negative queueId passes: the broker picks one (chooseQueueId).
 */
export function checkQueueId(queueId: number, config: TopicConfig, producerAddress: string): SendCheckResult {
  const validBound = Math.max(config.writeQueueNums, config.readQueueNums);
  if (queueId < validBound) return OK;
  return fail(
    BrokerErrorCode.INVALID_PARAMETER,
    `request queueId[${queueId}] is illegal, ${topicConfigToString(config)} Producer: ${producerAddress}`,
  );
}

/**
 * The store's limits checked before the append (docs/store-format.md §2.7): no body, a body over
 * `maxMessageSizeBytes` (for a batch: the whole wire body), or properties over 32767 UTF-8 bytes all
 * answer 13 with the remark Java gives the store's MESSAGE_ILLEGAL / PROPERTIES_SIZE_EXCEEDED.
 */
export function checkMessageSize(
  body: Uint8Array | null,
  properties: string,
  maxMessageSizeBytes: number,
): SendCheckResult {
  if (
    body === null ||
    body.byteLength > maxMessageSizeBytes ||
    Buffer.byteLength(properties, 'utf8') > MAX_PROPERTIES_BYTES
  ) {
    return fail(BrokerErrorCode.MESSAGE_ILLEGAL, messageIllegalRemark(maxMessageSizeBytes));
  }
  return OK;
}

/**
 * The SEND_BATCH_MESSAGE refusals (Java `sendBatchMessage` and `CommitLog.asyncPutMessages`), all 13:
 * a topic over 127 chars, a `%RETRY%` topic, a transaction type, or a batch-level DELAY > 0.
 */
export function checkBatchRequest(header: SendMessageRequestHeader, maxMessageSizeBytes: number): SendCheckResult {
  const { topic } = header;
  if (topic.length > BATCH_TOPIC_MAX_LENGTH) {
    return fail(BrokerErrorCode.MESSAGE_ILLEGAL, `message topic length too long ${topic.length}`);
  }
  if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
    return fail(BrokerErrorCode.MESSAGE_ILLEGAL, `batch request does not support retry group ${topic}`);
  }
  const delayLevel = Number(parseMessageProperties(header.properties).get(MessageProperty.DELAY) ?? '0');
  if (getTransactionValue(header.sysFlag) !== MessageSysFlag.TRANSACTION_NOT_TYPE || delayLevel > 0) {
    return fail(BrokerErrorCode.MESSAGE_ILLEGAL, messageIllegalRemark(maxMessageSizeBytes));
  }
  return OK;
}

/**
 * The queue a send goes to: the requested one, or for queueId < 0 a random writable one (Java
 * `randomQueueId`: `nextInt(99999999) % writeQueueNums`). `random` returns [0, 1) like Math.random.
 * Compat: a topic without write queues makes Java divide by zero (SYSTEM_ERROR); we answer 1 too.
 */
export function chooseQueueId(
  queueId: number,
  writeQueueNums: number,
  random: () => number,
): { ok: true; queueId: number } | { ok: false; code: BrokerErrorCode; remark: string } {
  if (queueId >= 0) return { ok: true, queueId };
  if (writeQueueNums <= 0) {
    return {
      ok: false,
      code: BrokerErrorCode.SYSTEM_ERROR,
      remark: `no writable queue to choose: writeQueueNums=${writeQueueNums}`,
    };
  }
  return { ok: true, queueId: Math.floor(random() * 99_999_999) % writeQueueNums };
}
