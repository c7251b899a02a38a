// Builds the StoreMessage(s) a send appends (Java `SendMessageProcessor#sendMessage` /
// `#sendBatchMessage` with the store's batch encoder, docs/store-format.md §2.4 and §4.2): the client's properties
// plus UNIQ_KEY (generated when missing) and CLUSTER, the MULTI_TAGS sysFlag bit, the born and store
// hosts. Retry/DLQ rerouting and delays are applied afterwards (send-back.ts, delay-level-table.ts);
// the tags code is the store's.
// Depends on protocol/message-properties.ts, store/message-store-api.ts (types), ts/protocol (UNIQ_KEY, batch body).

import {
  encodeMessageProperties,
  MessageProperty,
  parseMessageProperties,
} from '../../../protocol/message-properties.js';
import type { SocketAddress } from '../../../common/socket-address.js';
import { MessageSysFlag } from '../../../protocol/message-sys-flag.js';
import { TopicFilterType } from '../../../protocol/route-types.js';
import type { StoreMessage } from '../../../store/message-store-api.js';
import type { BatchMessage } from '../../../protocol/batch-body.js';
import type { SendMessageRequestHeader } from '../../../protocol/send-request-header.js';

/** What the broker adds to a send: who sent it, who stores it, and how ids are made. */
export interface SendContext {
  /** The producer connection's remote address. */
  readonly bornHost: SocketAddress;
  /** The broker's advertised address (goes into records and offset msgIds). */
  readonly storeHost: SocketAddress;
  readonly brokerClusterName: string;
  /** The topic's `topicFilterType` (`SINGLE_TAG` or `MULTI_TAG`). */
  readonly topicFilterType: string;
  /** Makes a UNIQ_KEY (a UniqueIdGenerator's `next`). */
  readonly nextUniqueId: () => string;
}

export interface SingleSend {
  readonly message: StoreMessage;
  /** The message's properties, decoded (what `message.properties` encodes), for later rerouting. */
  readonly properties: Map<string, string>;
  /** The message's UNIQ_KEY: the response's transactionId. */
  readonly uniqueId: string;
  /** Java `isWaitStoreMsgOK`: WAIT absent, or "true" in any case. false: do not wait for the flush. */
  readonly waitStoreMsgOK: boolean;
}

export interface BatchSend {
  /** One StoreMessage per batch member, in order. */
  readonly messages: StoreMessage[];
  /** The batch-level UNIQ_KEY (header properties), if the client sent one: the response's transactionId. */
  readonly uniqueId?: string;
  /** From the batch-level WAIT property. */
  readonly waitStoreMsgOK: boolean;
}

/** The header's sysFlag with the MULTI_TAGS bit added for MULTI_TAG topics. */
export function sendSysFlag(sysFlag: number, topicFilterType: string): number {
  return topicFilterType === TopicFilterType.MULTI_TAG ? sysFlag | MessageSysFlag.MULTI_TAGS_FLAG : sysFlag;
}

/** Java `Message.isWaitStoreMsgOK`: absent means wait; otherwise `Boolean.parseBoolean`. */
export function isWaitStoreMsgOK(properties: ReadonlyMap<string, string>): boolean {
  const wait = properties.get(MessageProperty.WAIT);
  return wait === undefined || wait.toLowerCase() === 'true';
}

/**
 * The message of a SEND_MESSAGE(_V2): the client's properties (re-encoded after Java's parse, so
 * malformed pairs drop out) with UNIQ_KEY kept or generated and CLUSTER set; `queueId` already chosen.
 */
export function buildSingleMessage(
  header: SendMessageRequestHeader,
  queueId: number,
  body: Uint8Array,
  context: SendContext,
): SingleSend {
  const properties = parseMessageProperties(header.properties);
  let uniqueId = properties.get(MessageProperty.UNIQ_KEY);
  if (uniqueId === undefined || uniqueId.length === 0) {
    uniqueId = context.nextUniqueId();
    properties.set(MessageProperty.UNIQ_KEY, uniqueId);
  }
  properties.set(MessageProperty.CLUSTER, context.brokerClusterName);
  const message: StoreMessage = {
    topic: header.topic,
    queueId,
    body,
    flag: header.flag,
    properties: encodeMessageProperties(properties),
    sysFlag: sendSysFlag(header.sysFlag, context.topicFilterType),
    bornTimestamp: header.bornTimestamp,
    bornHost: context.bornHost,
    storeHost: context.storeHost,
    reconsumeTimes: header.reconsumeTimes,
  };
  return { message, properties, uniqueId, waitStoreMsgOK: isWaitStoreMsgOK(properties) };
}

/**
 * The messages of a SEND_BATCH_MESSAGE: one per member with the batch header's topic, queueId,
 * sysFlag, bornTimestamp and reconsumeTimes, and the member's own flag, body and properties (kept as
 * sent: batch-level properties such as CLUSTER are not copied into members, docs/store-format.md §4.2).
 */
export function buildBatchMessages(
  header: SendMessageRequestHeader,
  queueId: number,
  members: readonly BatchMessage[],
  context: Omit<SendContext, 'nextUniqueId' | 'brokerClusterName'>,
): BatchSend {
  const sysFlag = sendSysFlag(header.sysFlag, context.topicFilterType);
  const messages = members.map((member): StoreMessage => ({
    topic: header.topic,
    queueId,
    body: member.body,
    flag: member.flag,
    properties: member.properties,
    sysFlag,
    bornTimestamp: header.bornTimestamp,
    bornHost: context.bornHost,
    storeHost: context.storeHost,
    reconsumeTimes: header.reconsumeTimes,
  }));
  const batchProperties = parseMessageProperties(header.properties);
  const uniqueId = batchProperties.get(MessageProperty.UNIQ_KEY);
  return {
    messages,
    ...(uniqueId !== undefined && { uniqueId }),
    waitStoreMsgOK: isWaitStoreMsgOK(batchProperties),
  };
}
