// The pop consumption custom headers (docs/pop.md §1): POP_MESSAGE (200050), PEEK_MESSAGE (200052),
// ACK_MESSAGE (200051), CHANGE_MESSAGE_INVISIBLETIME (200053), NOTIFICATION (200054) and POLLING_INFO
// (200055), requests and responses, decoded strictly as Java's `decodeCommandCustomHeader` does and
// encoded as `makeCustomHeaderToNet` (absent fields left out). Depends on header-fields.ts.

import {
  type HeaderFields,
  type HeaderSource,
  nonEmptyField,
  optionalBoolean,
  parseBoolean,
  parseInt32,
  requiredField,
  requiredInt,
  requiredLong,
} from './header-fields.js';

/** `ConsumeInitMode`: where a group with no pop offset yet starts on a queue. */
export const ConsumeInitMode = { MIN: 0, MAX: 1 } as const;

/** Fields every pop-family request may carry (`RpcRequestHeader`: `bname`). */
interface BrokerNamed {
  /** `bname`: the broker the client addressed. */
  readonly brokerName?: string;
}

export interface PopMessageRequestHeader extends BrokerNamed {
  readonly consumerGroup: string;
  readonly topic: string;
  /** A queue id, or -1 for any readable queue of the topic. */
  readonly queueId: number;
  readonly maxMsgNums: number;
  readonly invisibleTime: number;
  /** How long the broker may hold the request when nothing is found (ms; 0: answer at once). */
  readonly pollTime: number;
  /** The client's clock when it sent the request (ms). */
  readonly bornTime: number;
  /** `ConsumeInitMode`. */
  readonly initMode: number;
  /** `TAG` or `SQL92`; absent: TAG. */
  readonly expType?: string;
  readonly exp?: string;
  /** Orderly pop; absent: false. */
  readonly order?: boolean;
  readonly attemptId?: string;
}

export interface PopMessageResponseHeader {
  readonly popTime: number;
  readonly invisibleTime: number;
  readonly reviveQid: number;
  /** Messages left behind the popped ones in the queues visited. */
  readonly restNum: number;
  /** pop-extra-info.ts `buildStartOffsetInfo`. */
  readonly startOffsetInfo?: string;
  /** pop-extra-info.ts `buildMsgOffsetInfo`. */
  readonly msgOffsetInfo?: string;
  /** pop-extra-info.ts `buildOrderCountInfo` (orderly pops only). */
  readonly orderCountInfo?: string;
}

export interface PeekMessageRequestHeader extends BrokerNamed {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly queueId: number;
  readonly maxMsgNums: number;
}

export interface AckMessageRequestHeader extends BrokerNamed {
  readonly consumerGroup: string;
  /** The topic the message was popped from (the pop retry topic for a retried message). */
  readonly topic: string;
  readonly queueId: number;
  /** The message's receipt handle (its `POP_CK` property). */
  readonly extraInfo: string;
  /** The message's queue offset. */
  readonly offset: number;
}

export interface ChangeInvisibleTimeRequestHeader extends AckMessageRequestHeader {
  /** The new invisible time, counted from now (ms). */
  readonly invisibleTime: number;
}

export interface ChangeInvisibleTimeResponseHeader {
  readonly popTime: number;
  readonly invisibleTime: number;
  readonly reviveQid: number;
}

export interface NotificationRequestHeader extends BrokerNamed {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly queueId: number;
  readonly pollTime: number;
  readonly bornTime: number;
  readonly order?: boolean;
  readonly attemptId?: string;
}

export interface NotificationResponseHeader {
  readonly hasMsg: boolean;
  readonly pollingFull?: boolean;
}

export interface PollingInfoRequestHeader extends BrokerNamed {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly queueId: number;
}

export interface PollingInfoResponseHeader {
  readonly pollingNum: number;
}

/** Java decodes a primitive boolean field with `Boolean.parseBoolean`; a required one may not be absent. */
function requiredBoolean(source: HeaderSource, name: string): boolean {
  return parseBoolean(requiredField(source, name));
}

function brokerNameOf(source: HeaderSource): BrokerNamed {
  const brokerName = nonEmptyField(source, 'bname');
  return brokerName === undefined ? {} : { brokerName };
}

function optionalText(source: HeaderSource, name: string): string | undefined {
  return nonEmptyField(source, name);
}

/** Puts the defined entries of `optional` into `fields` as strings. */
function withOptional(
  fields: Record<string, string>,
  optional: Record<string, string | number | boolean | undefined>,
): Record<string, string> {
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) fields[name] = String(value);
  }
  return fields;
}

export function decodePopMessageRequestHeader(extFields: HeaderFields): PopMessageRequestHeader {
  const source: HeaderSource = { extFields };
  const header = {
    consumerGroup: requiredField(source, 'consumerGroup'),
    topic: requiredField(source, 'topic'),
    queueId: requiredInt(source, 'queueId'),
    maxMsgNums: requiredInt(source, 'maxMsgNums'),
    invisibleTime: requiredLong(source, 'invisibleTime'),
    pollTime: requiredLong(source, 'pollTime'),
    bornTime: requiredLong(source, 'bornTime'),
    initMode: requiredInt(source, 'initMode'),
    ...brokerNameOf(source),
  };
  const expType = optionalText(source, 'expType');
  const exp = optionalText(source, 'exp');
  const order = optionalBoolean(source, 'order');
  const attemptId = optionalText(source, 'attemptId');
  return {
    ...header,
    ...(expType !== undefined && { expType }),
    ...(exp !== undefined && { exp }),
    ...(order !== undefined && { order }),
    ...(attemptId !== undefined && { attemptId }),
  };
}

export function encodePopMessageRequestHeader(header: PopMessageRequestHeader): Record<string, string> {
  const fields = {
    consumerGroup: header.consumerGroup,
    topic: header.topic,
    queueId: String(header.queueId),
    maxMsgNums: String(header.maxMsgNums),
    invisibleTime: String(header.invisibleTime),
    pollTime: String(header.pollTime),
    bornTime: String(header.bornTime),
    initMode: String(header.initMode),
  };
  return withOptional(fields, {
    expType: header.expType,
    exp: header.exp,
    order: header.order,
    attemptId: header.attemptId,
    bname: header.brokerName,
  });
}

export function decodePopMessageResponseHeader(extFields: HeaderFields): PopMessageResponseHeader {
  const source: HeaderSource = { extFields };
  const header = {
    popTime: requiredLong(source, 'popTime'),
    invisibleTime: requiredLong(source, 'invisibleTime'),
    reviveQid: requiredInt(source, 'reviveQid'),
    restNum: requiredLong(source, 'restNum'),
  };
  const startOffsetInfo = optionalText(source, 'startOffsetInfo');
  const msgOffsetInfo = optionalText(source, 'msgOffsetInfo');
  const orderCountInfo = optionalText(source, 'orderCountInfo');
  return {
    ...header,
    ...(startOffsetInfo !== undefined && { startOffsetInfo }),
    ...(msgOffsetInfo !== undefined && { msgOffsetInfo }),
    ...(orderCountInfo !== undefined && { orderCountInfo }),
  };
}

export function encodePopMessageResponseHeader(header: PopMessageResponseHeader): Record<string, string> {
  const fields = {
    popTime: String(header.popTime),
    invisibleTime: String(header.invisibleTime),
    reviveQid: String(header.reviveQid),
    restNum: String(header.restNum),
  };
  return withOptional(fields, {
    startOffsetInfo: header.startOffsetInfo,
    msgOffsetInfo: header.msgOffsetInfo,
    orderCountInfo: header.orderCountInfo,
  });
}

export function decodePeekMessageRequestHeader(extFields: HeaderFields): PeekMessageRequestHeader {
  const source: HeaderSource = { extFields };
  return {
    consumerGroup: requiredField(source, 'consumerGroup'),
    topic: requiredField(source, 'topic'),
    queueId: requiredInt(source, 'queueId'),
    maxMsgNums: requiredInt(source, 'maxMsgNums'),
    ...brokerNameOf(source),
  };
}

export function encodePeekMessageRequestHeader(header: PeekMessageRequestHeader): Record<string, string> {
  const fields = {
    consumerGroup: header.consumerGroup,
    topic: header.topic,
    queueId: String(header.queueId),
    maxMsgNums: String(header.maxMsgNums),
  };
  return withOptional(fields, { bname: header.brokerName });
}

export function decodeAckMessageRequestHeader(extFields: HeaderFields): AckMessageRequestHeader {
  const source: HeaderSource = { extFields };
  return {
    consumerGroup: requiredField(source, 'consumerGroup'),
    topic: requiredField(source, 'topic'),
    queueId: requiredInt(source, 'queueId'),
    extraInfo: requiredField(source, 'extraInfo'),
    offset: requiredLong(source, 'offset'),
    ...brokerNameOf(source),
  };
}

export function encodeAckMessageRequestHeader(header: AckMessageRequestHeader): Record<string, string> {
  const fields = {
    consumerGroup: header.consumerGroup,
    topic: header.topic,
    queueId: String(header.queueId),
    extraInfo: header.extraInfo,
    offset: String(header.offset),
  };
  return withOptional(fields, { bname: header.brokerName });
}

export function decodeChangeInvisibleTimeRequestHeader(extFields: HeaderFields): ChangeInvisibleTimeRequestHeader {
  return {
    ...decodeAckMessageRequestHeader(extFields),
    invisibleTime: requiredLong({ extFields }, 'invisibleTime'),
  };
}

export function encodeChangeInvisibleTimeRequestHeader(
  header: ChangeInvisibleTimeRequestHeader,
): Record<string, string> {
  return { ...encodeAckMessageRequestHeader(header), invisibleTime: String(header.invisibleTime) };
}

export function decodeChangeInvisibleTimeResponseHeader(extFields: HeaderFields): ChangeInvisibleTimeResponseHeader {
  const source: HeaderSource = { extFields };
  return {
    popTime: requiredLong(source, 'popTime'),
    invisibleTime: requiredLong(source, 'invisibleTime'),
    reviveQid: requiredInt(source, 'reviveQid'),
  };
}

export function encodeChangeInvisibleTimeResponseHeader(
  header: ChangeInvisibleTimeResponseHeader,
): Record<string, string> {
  return {
    popTime: String(header.popTime),
    invisibleTime: String(header.invisibleTime),
    reviveQid: String(header.reviveQid),
  };
}

export function decodeNotificationRequestHeader(extFields: HeaderFields): NotificationRequestHeader {
  const source: HeaderSource = { extFields };
  const header = {
    consumerGroup: requiredField(source, 'consumerGroup'),
    topic: requiredField(source, 'topic'),
    queueId: requiredInt(source, 'queueId'),
    pollTime: requiredLong(source, 'pollTime'),
    bornTime: requiredLong(source, 'bornTime'),
    ...brokerNameOf(source),
  };
  const order = optionalBoolean(source, 'order');
  const attemptId = optionalText(source, 'attemptId');
  return { ...header, ...(order !== undefined && { order }), ...(attemptId !== undefined && { attemptId }) };
}

export function encodeNotificationRequestHeader(header: NotificationRequestHeader): Record<string, string> {
  const fields = {
    consumerGroup: header.consumerGroup,
    topic: header.topic,
    queueId: String(header.queueId),
    pollTime: String(header.pollTime),
    bornTime: String(header.bornTime),
  };
  return withOptional(fields, { order: header.order, attemptId: header.attemptId, bname: header.brokerName });
}

export function decodeNotificationResponseHeader(extFields: HeaderFields): NotificationResponseHeader {
  const source: HeaderSource = { extFields };
  const pollingFull = optionalBoolean(source, 'pollingFull');
  return { hasMsg: requiredBoolean(source, 'hasMsg'), ...(pollingFull !== undefined && { pollingFull }) };
}

export function encodeNotificationResponseHeader(header: NotificationResponseHeader): Record<string, string> {
  return { hasMsg: String(header.hasMsg), pollingFull: String(header.pollingFull ?? false) };
}

export function decodePollingInfoRequestHeader(extFields: HeaderFields): PollingInfoRequestHeader {
  const source: HeaderSource = { extFields };
  return {
    consumerGroup: requiredField(source, 'consumerGroup'),
    topic: requiredField(source, 'topic'),
    queueId: requiredInt(source, 'queueId'),
    ...brokerNameOf(source),
  };
}

export function encodePollingInfoRequestHeader(header: PollingInfoRequestHeader): Record<string, string> {
  const fields = { consumerGroup: header.consumerGroup, topic: header.topic, queueId: String(header.queueId) };
  return withOptional(fields, { bname: header.brokerName });
}

export function decodePollingInfoResponseHeader(extFields: HeaderFields): PollingInfoResponseHeader {
  return { pollingNum: parseInt32('pollingNum', requiredField({ extFields }, 'pollingNum')) };
}

export function encodePollingInfoResponseHeader(header: PollingInfoResponseHeader): Record<string, string> {
  return { pollingNum: String(header.pollingNum) };
}
