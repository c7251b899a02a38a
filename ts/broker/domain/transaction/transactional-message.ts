// The messages of a transaction (Java `TransactionalMessageBridge`, `EndTransactionProcessor`,
// `DefaultTransactionalMessageCheckListener`): the half message a TRAN_MSG send becomes, its copy
// re-appended at each check, the committed message on its real topic, the discarded one, and the
// op record that marks a half resolved (docs/transactions.md). Pure domain. Depends on the property
// codec, MessageSysFlag, topic names and store types.

import {
  encodeMessageProperties,
  MessageProperty,
  withoutMessageProperties,
} from '../../../protocol/message-properties.js';
import { MessageSysFlag, resetTransactionValue } from '../../../protocol/message-sys-flag.js';
import type { StoredMessage } from '../../../protocol/record-decoder.js';
import {
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from '../../../protocol/topics.js';
import type { SocketAddress, StoreMessage } from '../../../store/message-store-api.js';

/** The tag of op records (Java `TransactionalMessageUtil.REMOVE_TAG`). */
export const OP_REMOVE_TAG = 'd';
/** Half queue offsets in an op body are each followed by this. */
export const OP_OFFSET_SEPARATOR = ',';
/** The queue every half (and its op records) goes to: the half topic has one queue. */
export const HALF_QUEUE_ID = 0;

/**
 * Java `SendMessageProcessor`: a send is a transaction's half when TRAN_MSG parses as true, except
 * for a give-back of an old client (reconsumeTimes > 0 with a DELAY level).
 */
export function isTransactionPrepared(properties: ReadonlyMap<string, string>, reconsumeTimes: number): boolean {
  if ((properties.get(MessageProperty.TRAN_MSG) ?? '').toLowerCase() !== 'true') return false;
  const delayLevel = Number.parseInt(properties.get(MessageProperty.DELAY) ?? '0', 10) || 0;
  return !(reconsumeTimes > 0 && delayLevel > 0);
}

/**
 * Java `parseHalfMessageInner`: `__transactionId__` = UNIQ_KEY, REAL_TOPIC / REAL_QID = the
 * destination, the transaction type bits cleared (so the store gives it a queue unit), queue 0 of
 * RMQ_SYS_TRANS_HALF_TOPIC. `properties` is the message's decoded property map; it is updated.
 */
export function toHalfMessage(message: StoreMessage, properties: Map<string, string>): StoreMessage {
  const uniqueId = properties.get(MessageProperty.UNIQ_KEY);
  if (uniqueId !== undefined && uniqueId !== '') properties.set(MessageProperty.TRANSACTION_ID, uniqueId);
  properties.set(MessageProperty.REAL_TOPIC, message.topic);
  properties.set(MessageProperty.REAL_QID, String(message.queueId));
  return {
    ...message,
    topic: RMQ_SYS_TRANS_HALF_TOPIC,
    queueId: HALF_QUEUE_ID,
    sysFlag: resetTransactionValue(message.sysFlag ?? 0, MessageSysFlag.TRANSACTION_NOT_TYPE),
    properties: encodeMessageProperties(properties),
  };
}

/** Java `renewHalfMessageInner`: the half re-appended to its queue, with the given properties. */
export function renewHalfMessage(record: StoredMessage, properties: ReadonlyMap<string, string>): StoreMessage {
  return {
    topic: record.topic,
    queueId: record.queueId,
    body: Buffer.from(record.body),
    flag: record.flag,
    properties: encodeMessageProperties(properties),
    sysFlag: record.sysFlag,
    bornTimestamp: record.bornTimestamp,
    bornHost: record.bornHost,
    storeHost: record.storeHost,
    reconsumeTimes: record.reconsumeTimes,
  };
}

/** The properties a committed message drops (its destination is its topic and queue again). */
const HALF_ONLY_PROPERTIES = [MessageProperty.REAL_TOPIC, MessageProperty.REAL_QID, MessageProperty.TRAN_MSG];
/** What makes a stored message wait (a DELAY level or a timer): a commit is parked like a send. */
const SCHEDULING_PROPERTIES = [
  MessageProperty.DELAY,
  MessageProperty.TIMER_DELIVER_MS,
  MessageProperty.TIMER_DELAY_SEC,
  MessageProperty.TIMER_DELAY_MS,
];

/**
 * Java `endMessageTransaction`: the committed message on REAL_TOPIC / REAL_QID (both removed, as is
 * TRAN_MSG), transaction type COMMIT, PREPARED TRANSACTION OFFSET = the half's CommitLog offset. The
 * other properties are kept as stored (not decoded and re-encoded); the body is a view of `record`'s
 * buffer. Null when the half names no real destination.
 */
export function toCommittedMessage(record: StoredMessage): StoreMessage | null {
  const topic = record.properties.get(MessageProperty.REAL_TOPIC);
  const queueId = Number.parseInt(record.properties.get(MessageProperty.REAL_QID) ?? '', 10);
  if (topic === undefined || topic === '' || !(queueId >= 0)) return null;
  return {
    topic,
    queueId,
    body: record.body,
    flag: record.flag,
    properties: withoutMessageProperties(record.propertiesString, HALF_ONLY_PROPERTIES),
    sysFlag: resetTransactionValue(record.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE),
    bornTimestamp: record.bornTimestamp,
    bornHost: record.bornHost,
    storeHost: record.storeHost,
    reconsumeTimes: record.reconsumeTimes,
    preparedTransactionOffset: record.physicalOffset,
  };
}

/**
 * Whether a committed half carries a DELAY level or a timer: Java's commit goes through the store's
 * put path, which parks such a message in SCHEDULE_TOPIC_XXXX or the timer topic as for a send.
 */
export function mayBeScheduled(properties: ReadonlyMap<string, string>): boolean {
  return SCHEDULING_PROPERTIES.some((name) => properties.has(name));
}

/** Java `resolveDiscardMsg`: a half checked too often, kept in TRANS_CHECK_MAX_TIME_TOPIC queue 0. */
export function toDiscardedMessage(record: StoredMessage): StoreMessage {
  return { ...renewHalfMessage(record, record.properties), topic: RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, queueId: 0 };
}

/** Java `getOpMessage` + `makeOpMessageInner`: tag `d`, body `"<halfQueueOffset>,"` per half, sysFlag 0. */
export function toOpMessage(
  halfQueueOffsets: readonly number[],
  broker: { readonly storeHost: SocketAddress; readonly nowMs: number; readonly uniqueId: string },
): StoreMessage {
  const body = halfQueueOffsets.map((offset) => `${offset}${OP_OFFSET_SEPARATOR}`).join('');
  const properties = { [MessageProperty.TAGS]: OP_REMOVE_TAG, [MessageProperty.UNIQ_KEY]: broker.uniqueId };
  return {
    topic: RMQ_SYS_TRANS_OP_HALF_TOPIC,
    queueId: HALF_QUEUE_ID,
    body: Buffer.from(body, 'utf8'),
    properties: encodeMessageProperties(properties),
    sysFlag: 0,
    bornTimestamp: broker.nowMs,
    bornHost: broker.storeHost,
    storeHost: broker.storeHost,
  };
}

/**
 * Java `getOpMessage` merging: half queue offsets resolved together go into as few op records as
 * possible, each body filled while it is shorter than `maxBodyBytes` (`transactionOpMsgMaxSize`), so
 * a body may pass it by its last entry, as in Java.
 */
export function groupOpOffsets(halfQueueOffsets: readonly number[], maxBodyBytes: number): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let bodyBytes = 0;
  for (const offset of halfQueueOffsets) {
    if (group.length > 0 && bodyBytes >= maxBodyBytes) {
      groups.push(group);
      group = [];
      bodyBytes = 0;
    }
    group.push(offset);
    bodyBytes += String(offset).length + OP_OFFSET_SEPARATOR.length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The half queue offsets an op record marks resolved; records of another tag mark none (Java logs them). */
export function parseOpRecord(record: StoredMessage): number[] {
  if (record.properties.get(MessageProperty.TAGS) !== OP_REMOVE_TAG) return [];
  const offsets: number[] = [];
  for (const text of record.body.toString('utf8').split(OP_OFFSET_SEPARATOR)) {
    if (/^\d+$/.test(text)) offsets.push(Number(text));
  }
  return offsets;
}
