// The pop receipt handle (`extraInfo`, a popped message's POP_CK property), the pop response's
// startOffsetInfo / msgOffsetInfo / orderCountInfo strings, and the pop retry topic names, in the
// formats of Java's `ExtraInfoUtil` and `KeyBuilder` (docs/pop.md §2). Depends on header-fields.ts, topics.ts.

import { parseInt32, parseInt64 } from './header-fields.js';
import { RETRY_GROUP_TOPIC_PREFIX } from './topics.js';

/** `KeyBuilder.POP_ORDER_REVIVE_QUEUE`: the reviveQid of an orderly pop's receipt handle. */
export const POP_ORDER_REVIVE_QUEUE = 999;

/** The topic mark of a receipt handle and the offset-info strings: which topic the message came from. */
export const PopTopicMark = { NORMAL: '0', RETRY_V1: '1', RETRY_V2: '2' } as const;
export type PopTopicMark = (typeof PopTopicMark)[keyof typeof PopTopicMark];

/** A receipt handle, its receipt text split and parsed (`extraInfo`). */
export interface PopReceipt {
  /** The checkpoint's start offset: the first queue offset of the pop that returned the message. */
  readonly ckQueueOffset: number;
  readonly popTime: number;
  readonly invisibleTime: number;
  /** Revive queue of the checkpoint; POP_ORDER_REVIVE_QUEUE for an orderly pop. */
  readonly reviveQid: number;
  readonly topicMark: string;
  readonly brokerName: string;
  readonly queueId: number;
  /** The message's own queue offset (the 8th field; absent in the short form). */
  readonly queueOffset?: number;
}

/** A receipt handle or offset-info string that does not parse. */
export class PopExtraInfoError extends Error {
  override readonly name = 'PopExtraInfoError';
}

/** `KeyBuilder.buildPopRetryTopicV1`: `%RETRY%<group>_<topic>`. */
export function popRetryTopicV1(topic: string, group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}_${topic}`;
}

/** `KeyBuilder.buildPopRetryTopicV2`: `%RETRY%<group>+<topic>` (broker `enableRetryTopicV2`). */
export function popRetryTopicV2(topic: string, group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}+${topic}`;
}

/** `KeyBuilder.buildPopRetryTopic(topic, group, enableRetryV2)`. */
export function popRetryTopic(topic: string, group: string, retryV2: boolean): string {
  return retryV2 ? popRetryTopicV2(topic, group) : popRetryTopicV1(topic, group);
}

/** `KeyBuilder.isPopRetryTopicV2`: a retry topic with a '+'. */
export function isPopRetryTopicV2(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) && topic.includes('+');
}

/** `KeyBuilder.parseNormalTopic(topic, group)`: the original topic of a pop retry topic of `group`. */
export function normalTopicOfPopRetry(topic: string, group: string): string {
  if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return topic;
  const v2Prefix = `${RETRY_GROUP_TOPIC_PREFIX}${group}+`;
  if (topic.startsWith(v2Prefix)) return topic.slice(v2Prefix.length);
  return topic.slice(`${RETRY_GROUP_TOPIC_PREFIX}${group}_`.length);
}

/** `ExtraInfoUtil.getRetry(topic)`: the mark of the topic a message was popped from. */
export function popTopicMarkOf(topic: string): PopTopicMark {
  if (isPopRetryTopicV2(topic)) return PopTopicMark.RETRY_V2;
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) ? PopTopicMark.RETRY_V1 : PopTopicMark.NORMAL;
}

/** `ExtraInfoUtil.getRealTopic(topic, group, mark)`: the topic a mark designates; throws on an unknown mark. */
export function topicOfPopMark(mark: string, topic: string, group: string): string {
  if (mark === PopTopicMark.NORMAL) return topic;
  if (mark === PopTopicMark.RETRY_V1) return popRetryTopicV1(topic, group);
  if (mark === PopTopicMark.RETRY_V2) return popRetryTopicV2(topic, group);
  throw new PopExtraInfoError('getRetry fail, format is wrong');
}

export interface PopReceiptFields {
  readonly ckQueueOffset: number;
  readonly popTime: number;
  readonly invisibleTime: number;
  readonly reviveQid: number;
  /** The topic the message was popped from; its mark goes into the handle. */
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
  readonly queueOffset?: number;
}

/**
 * `ExtraInfoUtil.buildExtraInfo`: seven (or with the message's queue offset, eight) fields joined by
 * spaces: `ckQueueOffset popTime invisibleTime reviveQid topicMark brokerName queueId [queueOffset]`.
 */
export function buildExtraInfo(fields: PopReceiptFields): string {
  const head =
    `${fields.ckQueueOffset} ${fields.popTime} ${fields.invisibleTime} ${fields.reviveQid} ` +
    `${popTopicMarkOf(fields.topic)} ${fields.brokerName} ${fields.queueId}`;
  return fields.queueOffset === undefined ? head : `${head} ${fields.queueOffset}`;
}

/** Parses a receipt handle; throws PopExtraInfoError when a field is missing or not a number. */
export function parseExtraInfo(extraInfo: string): PopReceipt {
  const parts = extraInfo.split(' ');
  if (parts.length < 7) {
    throw new PopExtraInfoError(`extraInfo has ${parts.length} fields, 7 or 8 expected: ${extraInfo.slice(0, 128)}`);
  }
  try {
    const receipt: PopReceipt = {
      ckQueueOffset: parseInt64('ckQueueOffset', parts[0]!),
      popTime: parseInt64('popTime', parts[1]!),
      invisibleTime: parseInt64('invisibleTime', parts[2]!),
      reviveQid: parseInt32('reviveQid', parts[3]!),
      topicMark: parts[4]!,
      brokerName: parts[5]!,
      queueId: parseInt32('queueId', parts[6]!),
    };
    return parts.length < 8 ? receipt : { ...receipt, queueOffset: parseInt64('queueOffset', parts[7]!) };
  } catch (error) {
    throw new PopExtraInfoError(`extraInfo is malformed: ${(error as Error).message}`);
  }
}

/** `ExtraInfoUtil.isOrder`. */
export function isOrderReceipt(receipt: PopReceipt): boolean {
  return receipt.reviveQid === POP_ORDER_REVIVE_QUEUE;
}

/** `ExtraInfoUtil.getStartOffsetInfoMapKey`: `<topicMark>@<queueId>`, the key of the three offset-info maps. */
export function popOffsetInfoKey(topic: string, queueId: number): string {
  return `${popTopicMarkOf(topic)}@${queueId}`;
}

/** `ExtraInfoUtil.getQueueOffsetMapKey`: `<topicMark>@qo<queueId>%<queueOffset>` (per-message order counts). */
export function popQueueOffsetInfoKey(topic: string, queueId: number, queueOffset: number): string {
  return `${popTopicMarkOf(topic)}@qo${queueId}%${queueOffset}`;
}

/** One queue's entry of startOffsetInfo: `<mark> <queueId> <startOffset>`, entries joined by ';'. */
export function buildStartOffsetInfo(previous: string, topic: string, queueId: number, startOffset: number): string {
  return appendEntry(previous, `${popTopicMarkOf(topic)} ${queueId} ${startOffset}`);
}

/** One queue's entry of msgOffsetInfo: `<mark> <queueId> <offset>,<offset>,...`. */
export function buildMsgOffsetInfo(
  previous: string,
  topic: string,
  queueId: number,
  offsets: readonly number[],
): string {
  return appendEntry(previous, `${popTopicMarkOf(topic)} ${queueId} ${offsets.join(',')}`);
}

/** `buildQueueIdOrderCountInfo`: one queue's orderly attempt count, `<mark> <queueId> <count>`. */
export function buildOrderCountInfo(previous: string, topic: string, queueId: number, count: number): string {
  return appendEntry(previous, `${popTopicMarkOf(topic)} ${queueId} ${count}`);
}

/** `buildQueueOffsetOrderCountInfo`: one message's attempt count, `<mark> qo<queueId>%<offset> <count>`. */
export function buildMessageOrderCountInfo(
  previous: string,
  topic: string,
  queueId: number,
  queueOffset: number,
  count: number,
): string {
  return appendEntry(previous, `${popTopicMarkOf(topic)} qo${queueId}%${queueOffset} ${count}`);
}

function appendEntry(previous: string, entry: string): string {
  return previous.length > 0 ? `${previous};${entry}` : entry;
}

/** `ExtraInfoUtil.parseStartOffsetInfo`: key `<mark>@<queueId>` → start offset; '' gives undefined. */
export function parseStartOffsetInfo(text: string | undefined): Map<string, number> | undefined {
  return parseEntries(text, 'startOffsetInfo', (value) => parseInt64('startOffsetInfo', value));
}

/** `ExtraInfoUtil.parseMsgOffsetInfo`: key `<mark>@<queueId>` → the popped queue offsets. */
export function parseMsgOffsetInfo(text: string | undefined): Map<string, number[]> | undefined {
  return parseEntries(text, 'msgOffsetInfo', (value) =>
    value.split(',').map((offset) => parseInt64('msgOffsetInfo', offset)),
  );
}

/** `ExtraInfoUtil.parseOrderCountInfo`: key `<mark>@<queueId>` or `<mark>@qo<queueId>%<offset>` → count. */
export function parseOrderCountInfo(text: string | undefined): Map<string, number> | undefined {
  return parseEntries(text, 'orderCountInfo', (value) => parseInt32('orderCountInfo', value));
}

function parseEntries<T>(
  text: string | undefined,
  what: string,
  parseValue: (value: string) => T,
): Map<string, T> | undefined {
  if (text === undefined || text.length === 0) return undefined;
  const entries = new Map<string, T>();
  for (const entry of text.split(';')) {
    const fields = entry.split(' ');
    if (fields.length !== 3) throw new PopExtraInfoError(`parse ${what} error, ${text.slice(0, 128)}`);
    const key = `${fields[0]}@${fields[1]}`;
    if (entries.has(key)) throw new PopExtraInfoError(`parse ${what} error, duplicate, ${text.slice(0, 128)}`);
    try {
      entries.set(key, parseValue(fields[2]!));
    } catch (error) {
      throw new PopExtraInfoError(`parse ${what} error, ${(error as Error).message}`);
    }
  }
  return entries;
}
