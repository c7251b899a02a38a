// POP_MESSAGE (200050), ACK_MESSAGE (200051) and CHANGE_MESSAGE_INVISIBLETIME (200053) from the client
// (Java `MQClientAPIImpl#popMessageAsync`, `#processPopResponse`, `#ackMessageAsync`,
// `#changeInvisibleTimeAsync`): the pop reply's records with the receipt handle each one is acked by,
// built from startOffsetInfo / msgOffsetInfo as the Java client builds it (docs/pop.md §2). Depends on
// ts/protocol (pop codecs), ts/remoting, ../client-instance.ts, ../client-error.ts, ../message/*.

import {
  buildExtraInfo,
  parseExtraInfo,
  parseMsgOffsetInfo,
  parseOrderCountInfo,
  parseStartOffsetInfo,
  popOffsetInfoKey,
  popQueueOffsetInfoKey,
  topicOfPopMark,
  type PopReceipt,
} from '../../protocol/pop-extra-info.js';
import {
  decodeChangeInvisibleTimeResponseHeader,
  decodePopMessageResponseHeader,
  encodeAckMessageRequestHeader,
  encodeChangeInvisibleTimeRequestHeader,
  encodePopMessageRequestHeader,
  type PopMessageResponseHeader,
} from '../../protocol/pop-headers.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { ClientError, ClientErrorCode, expectResponse, responseError } from '../client-error.js';
import type { ClientInstance } from '../client-instance.js';
import type { SubscriptionData } from '../heartbeat-data.js';
import { toMessageView, type MessageView } from '../message/message-view.js';
import { decodePulledRecords, type PulledRecord } from '../message/pulled-record.js';

/** A popped message: the view and the receipt handle that acks it or changes its invisibility. */
export interface PoppedMessage extends MessageView {
  /** The receipt handle (`POP_CK`); changeInvisibleDuration replaces it. */
  receiptHandle: string;
  /** When the message becomes visible again unless acked or extended (broker clock, ms). */
  invisibleUntilMs: number;
}

/** Java `PopStatus`. */
export type PopStatus = 'FOUND' | 'NO_NEW_MSG' | 'POLLING_FULL' | 'POLLING_NOT_FOUND';

export interface PopResult {
  readonly status: PopStatus;
  readonly messages: PoppedMessage[];
  /** Messages left in the queues visited. */
  readonly restNum: number;
}

export interface PopInput {
  readonly consumerGroup: string;
  readonly brokerName: string;
  /** A queue id, or -1 for any readable queue of the topic on that broker. */
  readonly queueId: number;
  readonly maxMsgNums: number;
  readonly invisibleTimeMs: number;
  /** How long the broker may hold the pop when nothing is there. */
  readonly pollTimeMs: number;
  /** ConsumeInitMode: 0 MIN, 1 MAX. */
  readonly initMode: number;
  readonly subscription: SubscriptionData;
  readonly order: boolean;
  /** The client's wait for the reply (longer than the hold). */
  readonly timeoutMs: number;
}

const STATUS_BY_CODE: ReadonlyMap<number, PopStatus> = new Map([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.POLLING_FULL, 'POLLING_FULL'],
  [ResponseCode.POLLING_TIMEOUT, 'POLLING_NOT_FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'POLLING_NOT_FOUND'],
]);

/** One pop from a broker; other reply codes are ClientErrors. */
export async function popMessage(instance: ClientInstance, address: string, input: PopInput): Promise<PopResult> {
  const { subscription } = input;
  const header = encodePopMessageRequestHeader({
    consumerGroup: input.consumerGroup,
    topic: subscription.topic,
    queueId: input.queueId,
    maxMsgNums: input.maxMsgNums,
    invisibleTime: input.invisibleTimeMs,
    pollTime: input.pollTimeMs,
    bornTime: Date.now(),
    initMode: input.initMode,
    expType: subscription.expressionType,
    exp: subscription.subString,
    order: input.order,
    brokerName: input.brokerName,
  });
  const request = createRequest(RequestCode.POP_MESSAGE, header);
  const response = await instance.invoke(address, request, input.timeoutMs);
  const status = STATUS_BY_CODE.get(response.code);
  if (status === undefined) throw responseError(response, request.code, address);
  const restNum = Number(response.extFields['restNum'] ?? 0);
  if (status !== 'FOUND' || response.body === null) return { status, messages: [], restNum };
  const responseHeader = decodePopMessageResponseHeader(response.extFields);
  const records = decodePulledRecords(response.body);
  const messages = withReceiptHandles(records, responseHeader, input).map(({ record, receiptHandle, reconsume }) =>
    poppedView(record, receiptHandle, reconsume, responseHeader, input),
  );
  return { status, messages, restNum };
}

interface HandledRecord {
  readonly record: PulledRecord;
  readonly receiptHandle: string;
  /** The orderly attempt count the broker reported, when it did. */
  readonly reconsume: number | undefined;
}

/** Java `processPopResponse`: each record's handle from the offset-info strings (or its own offsets). */
function withReceiptHandles(
  records: readonly PulledRecord[],
  header: PopMessageResponseHeader,
  input: PopInput,
): HandledRecord[] {
  const startOffsets = parseStartOffsetInfo(header.startOffsetInfo);
  const msgOffsets = parseMsgOffsetInfo(header.msgOffsetInfo);
  const orderCounts = input.order ? parseOrderCountInfo(header.orderCountInfo) : undefined;
  const seen = new Map<string, number[]>();
  for (const record of records) {
    const key = popOffsetInfoKey(record.topic, record.queueId);
    const offsets = seen.get(key);
    if (offsets === undefined) seen.set(key, [record.queueOffset]);
    else offsets.push(record.queueOffset);
  }
  const firstOffsetOf = new Map<string, number>();
  return records.map((record) => {
    const key = popOffsetInfoKey(record.topic, record.queueId);
    const common = {
      popTime: header.popTime,
      invisibleTime: header.invisibleTime,
      reviveQid: header.reviveQid,
      topic: record.topic,
      brokerName: input.brokerName,
      queueId: record.queueId,
    };
    if (startOffsets === undefined || msgOffsets === undefined) {
      if (!firstOffsetOf.has(key)) firstOffsetOf.set(key, record.queueOffset);
      const ckQueueOffset = firstOffsetOf.get(key) as number;
      const receiptHandle = buildExtraInfo({ ...common, ckQueueOffset, queueOffset: record.queueOffset });
      return { record, receiptHandle, reconsume: undefined };
    }
    const index = (seen.get(key) ?? []).indexOf(record.queueOffset);
    const queueOffset = msgOffsets.get(key)?.[index] ?? record.queueOffset;
    const ckQueueOffset = startOffsets.get(key) ?? record.queueOffset;
    const receiptHandle = buildExtraInfo({ ...common, ckQueueOffset, queueOffset });
    const offsetKey = popQueueOffsetInfoKey(record.topic, record.queueId, record.queueOffset);
    const reconsume = orderCounts?.get(offsetKey) ?? orderCounts?.get(key);
    return { record, receiptHandle, reconsume };
  });
}

function poppedView(
  record: PulledRecord,
  receiptHandle: string,
  reconsume: number | undefined,
  header: PopMessageResponseHeader,
  input: PopInput,
): PoppedMessage {
  const view = toMessageView(record, input.brokerName);
  // Java sets the subscribed topic on every popped message, retried ones included.
  const reconsumeTimes = reconsume !== undefined && reconsume > 0 ? reconsume : view.reconsumeTimes;
  return {
    ...view,
    topic: input.subscription.topic,
    reconsumeTimes,
    deliveryAttempt: reconsumeTimes + 1,
    receiptHandle,
    invisibleUntilMs: header.popTime + header.invisibleTime,
  };
}

/** The receipt handle parsed; a handle the client cannot read is an ILLEGAL_ARGUMENT ClientError. */
export function parseReceiptHandle(receiptHandle: string): PopReceipt {
  try {
    return parseExtraInfo(receiptHandle);
  } catch (error) {
    throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, `bad receipt handle: ${(error as Error).message}`);
  }
}

/** The ACK / CHANGE_INVISIBLETIME header fields of a message (Java `ExtraInfoUtil.getRealTopic` …). */
function ackFields(group: string, topic: string, receiptHandle: string) {
  const receipt = parseReceiptHandle(receiptHandle);
  return {
    receipt,
    header: {
      consumerGroup: group,
      topic: topicOfPopMark(receipt.topicMark, topic, group),
      queueId: receipt.queueId,
      extraInfo: receiptHandle,
      offset: receipt.queueOffset ?? receipt.ckQueueOffset,
      brokerName: receipt.brokerName,
    },
  };
}

/** ACK_MESSAGE for a popped message of `topic`; any answer but SUCCESS is a ClientError. */
export async function ackMessage(
  instance: ClientInstance,
  address: string,
  group: string,
  topic: string,
  receiptHandle: string,
): Promise<void> {
  const { header } = ackFields(group, topic, receiptHandle);
  const request = createRequest(RequestCode.ACK_MESSAGE, encodeAckMessageRequestHeader(header));
  expectResponse(await instance.invoke(address, request), request.code, address);
}

/** CHANGE_MESSAGE_INVISIBLETIME; resolves to the new receipt handle and deadline. */
export async function changeInvisibleTime(
  instance: ClientInstance,
  address: string,
  group: string,
  topic: string,
  receiptHandle: string,
  invisibleTimeMs: number,
): Promise<{ receiptHandle: string; invisibleUntilMs: number }> {
  const { receipt, header } = ackFields(group, topic, receiptHandle);
  const fields = encodeChangeInvisibleTimeRequestHeader({ ...header, invisibleTime: invisibleTimeMs });
  const request = createRequest(RequestCode.CHANGE_MESSAGE_INVISIBLETIME, fields);
  const response = await instance.invoke(address, request);
  expectResponse(response, request.code, address);
  const reply = decodeChangeInvisibleTimeResponseHeader(response.extFields);
  const next = buildExtraInfo({
    ckQueueOffset: header.offset,
    popTime: reply.popTime,
    invisibleTime: reply.invisibleTime,
    reviveQid: reply.reviveQid,
    topic: header.topic,
    brokerName: receipt.brokerName,
    queueId: header.queueId,
    queueOffset: header.offset,
  });
  return { receiptHandle: next, invisibleUntilMs: reply.popTime + reply.invisibleTime };
}
