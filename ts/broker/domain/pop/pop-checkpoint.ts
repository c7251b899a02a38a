// The records of the revive log `rmq_sys_REVIVE_LOG_<cluster>` (docs/pop.md §3): a checkpoint (tag
// `ck`) per pop of one queue, an ack (tag `ack`) per acked message, a batch ack (tag `bAck`), with
// the JSON bodies and keys of Java's `PopCheckPoint`, `AckMsg` and `BatchAckMsg`, and the store
// messages that carry them. Pure. Depends on ts/protocol (properties, topics) and the store types.

import type { SocketAddress } from '../../../common/socket-address.js';
import { encodeMessageProperties, MessageProperty } from '../../../protocol/message-properties.js';
import { REVIVE_TOPIC_PREFIX } from '../../../protocol/topics.js';
import type { StoreMessage } from '../../../store/message-store-api.js';

/** `PopAckConstants` tags of the revive log's records. */
export const ReviveTag = { CK: 'ck', ACK: 'ack', BATCH_ACK: 'bAck' } as const;

/** `PopAckConstants.REVIVE_GROUP`: the group whose consume offsets are the revive progress per revive queue. */
export const REVIVE_GROUP = 'CID_RMQ_SYS_REVIVE_GROUP';

/** `PopAckConstants.buildClusterReviveTopic`. */
export function reviveTopicOf(clusterName: string): string {
  return `${REVIVE_TOPIC_PREFIX}${clusterName}`;
}

/** One pop of one queue: the messages it made invisible, until `popTime + invisibleTime`. */
export interface PopCheckPoint {
  readonly startOffset: number;
  readonly popTime: number;
  readonly invisibleTime: number;
  /** Bit i set: message i (of `queueOffsetDiff`) is acked. Java writes 0; we write the acks merged in the buffer. */
  readonly bitMap: number;
  /** Messages popped (≤ 32). */
  readonly num: number;
  readonly queueId: number;
  /** The topic popped from (a pop retry topic for retried messages). */
  readonly topic: string;
  readonly cid: string;
  readonly reviveOffset: number;
  /** Each message's queue offset minus startOffset. */
  readonly queueOffsetDiff: readonly number[];
  readonly brokerName: string;
}

/** One acked message (or, with `ackOffsets`, several of one checkpoint: a batch ack). */
export interface AckRecord {
  readonly ackOffset: number;
  readonly startOffset: number;
  readonly consumerGroup: string;
  readonly topic: string;
  readonly queueId: number;
  readonly popTime: number;
  readonly brokerName: string;
  /** BatchAckMsg `aol`. */
  readonly ackOffsets?: readonly number[];
}

/** `PopCheckPoint.getReviveTime`. */
export function reviveTimeOf(ck: Pick<PopCheckPoint, 'popTime' | 'invisibleTime'>): number {
  return ck.popTime + ck.invisibleTime;
}

/** The checkpoint's body as fastjson writes it (keys sorted). */
export function encodeCheckPoint(ck: PopCheckPoint): string {
  return JSON.stringify({
    bm: ck.bitMap,
    bn: ck.brokerName,
    c: ck.cid,
    d: ck.queueOffsetDiff,
    it: ck.invisibleTime,
    n: ck.num,
    pt: ck.popTime,
    q: ck.queueId,
    ro: ck.reviveOffset,
    so: ck.startOffset,
    t: ck.topic,
  });
}

export function encodeAckRecord(ack: AckRecord): string {
  return JSON.stringify({
    ao: ack.ackOffset,
    ...(ack.ackOffsets !== undefined && { aol: ack.ackOffsets }),
    bn: ack.brokerName,
    c: ack.consumerGroup,
    pt: ack.popTime,
    q: ack.queueId,
    so: ack.startOffset,
    t: ack.topic,
  });
}

/** A checkpoint body, or null when it is not one (a revive log written by someone else). */
export function decodeCheckPoint(body: string): PopCheckPoint | null {
  const value = parseObject(body);
  if (value === null) return null;
  const diff = value['d'];
  const ck = {
    startOffset: value['so'],
    popTime: value['pt'],
    invisibleTime: value['it'],
    bitMap: value['bm'] ?? 0,
    num: value['n'],
    queueId: value['q'],
    topic: value['t'],
    cid: value['c'],
    reviveOffset: value['ro'] ?? 0,
    queueOffsetDiff: Array.isArray(diff) ? diff : [],
    brokerName: value['bn'] ?? '',
  };
  const numbers = [ck.startOffset, ck.popTime, ck.invisibleTime, ck.bitMap, ck.num, ck.queueId];
  if (!numbers.every(Number.isInteger) || typeof ck.topic !== 'string' || typeof ck.cid !== 'string') return null;
  return ck as unknown as PopCheckPoint;
}

/** An ack or batch-ack body (short or long key names), or null. */
export function decodeAckRecord(body: string): AckRecord | null {
  const value = parseObject(body);
  if (value === null) return null;
  const list = value['aol'] ?? value['ackOffsetList'];
  const ack = {
    ackOffset: value['ao'] ?? value['ackOffset'],
    startOffset: value['so'] ?? value['startOffset'],
    consumerGroup: value['c'] ?? value['consumerGroup'],
    topic: value['t'] ?? value['topic'],
    queueId: value['q'] ?? value['queueId'],
    popTime: value['pt'] ?? value['popTime'],
    brokerName: value['bn'] ?? value['brokerName'] ?? '',
    ...(Array.isArray(list) && { ackOffsets: list as number[] }),
  };
  const numbers = [ack.ackOffset, ack.startOffset, ack.queueId, ack.popTime];
  if (!numbers.every(Number.isInteger) || typeof ack.topic !== 'string' || typeof ack.consumerGroup !== 'string') {
    return null;
  }
  return ack as unknown as AckRecord;
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `genCkUniqueId`. */
export function checkPointUniqueId(ck: PopCheckPoint): string {
  return `${ck.topic}@${ck.queueId}@${ck.startOffset}@${ck.cid}@${ck.popTime}@${ck.brokerName}@${ReviveTag.CK}`;
}

/** `genAckUniqueId` / `genBatchAckUniqueId`. */
export function ackUniqueId(ack: AckRecord): string {
  if (ack.ackOffsets !== undefined) {
    const list = `[${ack.ackOffsets.join(', ')}]`;
    return `${ack.topic}@${ack.queueId}@${list}@${ack.consumerGroup}@${ack.popTime}@${ReviveTag.BATCH_ACK}`;
  }
  const key = `${ack.topic}@${ack.queueId}@${ack.ackOffset}@${ack.consumerGroup}@${ack.popTime}@${ack.brokerName}`;
  return `${key}@${ReviveTag.ACK}`;
}

export interface ReviveLogTarget {
  readonly reviveTopic: string;
  readonly reviveQueueId: number;
  readonly storeHost: SocketAddress;
  readonly nowMs: number;
}

/** Java `buildCkMsg`: the checkpoint as a revive-log message. */
export function checkPointMessage(ck: PopCheckPoint, target: ReviveLogTarget): StoreMessage {
  return reviveLogMessage(encodeCheckPoint(ck), ReviveTag.CK, checkPointUniqueId(ck), target);
}

/** The ack (or batch ack) as a revive-log message. */
export function ackMessage(ack: AckRecord, target: ReviveLogTarget): StoreMessage {
  const tag = ack.ackOffsets === undefined ? ReviveTag.ACK : ReviveTag.BATCH_ACK;
  return reviveLogMessage(encodeAckRecord(ack), tag, ackUniqueId(ack), target);
}

function reviveLogMessage(body: string, tag: string, uniqueId: string, target: ReviveLogTarget): StoreMessage {
  const properties = { [MessageProperty.TAGS]: tag, [MessageProperty.UNIQ_KEY]: uniqueId };
  return {
    topic: target.reviveTopic,
    queueId: target.reviveQueueId,
    body: Buffer.from(body, 'utf8'),
    properties: encodeMessageProperties(properties),
    sysFlag: 0,
    bornTimestamp: target.nowMs,
    bornHost: target.storeHost,
    storeHost: target.storeHost,
  };
}
