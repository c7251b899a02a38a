// Retry and dead letters (Java `AbstractSendMessageProcessor#consumerSendMsgBack` and
// `SendMessageProcessor#handleRetryAndDLQ`): the CONSUMER_SEND_MSG_BACK header, where a message a
// consumer gave back goes (`%RETRY%<group>` with a growing delay level, or `%DLQ%<group>` once
// reconsumeTimes reaches maxReconsumeTimes or the level is negative), and the re-stored message
// built from the original record. Pure domain. Depends on protocol/message-properties,
// store types, ts/protocol (topics, offset msgId).

import { encodeMessageProperties, MessageProperty } from '../../../protocol/message-properties.js';
import type { SocketAddress } from '../../../common/socket-address.js';
import type { StoreMessage } from '../../../store/message-store-api.js';
import type { StoredMessage } from '../../../protocol/record-decoder.js';
import { createOffsetMessageId } from '../../../protocol/offset-message-id.js';

/** `MixAll.DLQ_NUMS_PER_GROUP`: a group's DLQ has one queue. */
export const DLQ_NUMS_PER_GROUP = 1;

/** Java `ConsumerSendMsgBackRequestHeader`. */
export interface ConsumerSendMsgBackRequestHeader {
  /** The consumed record's physical (CommitLog) offset. */
  readonly offset: number;
  readonly group: string;
  /** 0: the broker picks 3 + reconsumeTimes; negative: straight to the DLQ. */
  readonly delayLevel: number;
  readonly originMsgId?: string;
  readonly originTopic?: string;
  readonly unitMode: boolean;
  /** Absent: the subscription group's retryMaxTimes. */
  readonly maxReconsumeTimes?: number;
}

/** Where a given-back message goes, and with which delay level (0 for the DLQ: no delay). */
export interface SendBackRoute {
  readonly deadLetter: boolean;
  readonly delayLevel: number;
}

/**
 * The rule of `consumerSendMsgBack`: the DLQ once `reconsumeTimes >= maxReconsumeTimes` or when
 * the client asks for a negative level; else the retry topic at the asked level, 0 meaning
 * `3 + reconsumeTimes` (10 s for the first retry with the default levels).
 */
export function routeSendBack(
  reconsumeTimes: number,
  requestedDelayLevel: number,
  maxReconsumeTimes: number,
): SendBackRoute {
  if (reconsumeTimes >= maxReconsumeTimes || requestedDelayLevel < 0) return { deadLetter: true, delayLevel: 0 };
  return { deadLetter: false, delayLevel: requestedDelayLevel === 0 ? 3 + reconsumeTimes : requestedDelayLevel };
}

/**
 * The rule of `handleRetryAndDLQ` for a SEND to `%RETRY%<group>` (the client's fall-back when 36
 * failed, and orderly consumers past their local retries): the DLQ once reconsumeTimes exceeds
 * maxReconsumeTimes, or at once while the group holds live orderly queue locks.
 */
export function retrySendGoesToDlq(
  reconsumeTimes: number,
  maxReconsumeTimes: number,
  groupHoldsLocks: boolean,
): boolean {
  return reconsumeTimes > maxReconsumeTimes || groupHoldsLocks;
}

export interface SendBackTarget {
  readonly topic: string;
  readonly queueId: number;
  readonly delayLevel: number;
  /** The broker's address, written as the new record's store host. */
  readonly storeHost: SocketAddress;
}

/**
 * The record re-stored for a given-back message: the original's body, flag, sysFlag, born time and
 * host and properties, plus RETRY_TOPIC (the first topic, kept across retries), ORIGIN_MESSAGE_ID
 * (the first offset msgId, kept across retries), DELAY = the level, WAIT=false, and
 * reconsumeTimes + 1. Delay scheduling is applied afterwards, as for any send.
 */
export function buildSendBackMessage(
  original: StoredMessage,
  target: SendBackTarget,
): { message: StoreMessage; properties: Map<string, string> } {
  const properties = new Map(original.properties);
  if (!properties.has(MessageProperty.RETRY_TOPIC)) properties.set(MessageProperty.RETRY_TOPIC, original.topic);
  properties.set(MessageProperty.WAIT, 'false');
  properties.set(MessageProperty.DELAY, String(target.delayLevel));
  const originMsgId = properties.get(MessageProperty.ORIGIN_MESSAGE_ID);
  if (originMsgId === undefined || originMsgId.trim() === '') {
    properties.set(
      MessageProperty.ORIGIN_MESSAGE_ID,
      createOffsetMessageId(original.storeHost, original.physicalOffset),
    );
  }
  const message: StoreMessage = {
    topic: target.topic,
    queueId: target.queueId,
    body: original.body,
    flag: original.flag,
    properties: encodeMessageProperties(properties),
    sysFlag: original.sysFlag,
    bornTimestamp: original.bornTimestamp,
    bornHost: original.bornHost,
    storeHost: target.storeHost,
    reconsumeTimes: original.reconsumeTimes + 1,
  };
  return { message, properties };
}
