// ReplyMessageRequestHeader (Java `ReplyMessageRequestHeader`): the header of PUSH_REPLY_MESSAGE_TO_CLIENT
// (326), which the broker sends to the requester with the reply's body (the broker encodes it from the
// replier's send header; the client decodes it), and the MSG_TYPE that marks a reply. Depends on
// header-fields.ts.

import {
  type HeaderSource,
  optionalBoolean,
  optionalField,
  optionalInt,
  requiredField,
  requiredInt,
  requiredLong,
} from './header-fields.js';

/** Java `MixAll.REPLY_MESSAGE_FLAG`: the MSG_TYPE of a reply, which clients send with SEND_REPLY_MESSAGE(_V2). */
export const REPLY_MESSAGE_FLAG = 'reply';

export interface ReplyMessageRequestHeader {
  readonly producerGroup: string;
  /** The reply topic (`<cluster>_REPLY_TOPIC`). */
  readonly topic: string;
  readonly defaultTopic: string;
  readonly defaultTopicQueueNums: number;
  /** The queue the replier sent to. */
  readonly queueId: number;
  /** The replier's sysFlag: a compressed body keeps its COMPRESSED bit. */
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly flag: number;
  /** The encoded property string (CORRELATION_ID, REPLY_TO_CLIENT, …). */
  readonly properties: string;
  readonly reconsumeTimes: number;
  readonly unitMode: boolean;
  /** "ip:port" of the replier. */
  readonly bornHost: string;
  /** "ip:port" of the broker. */
  readonly storeHost: string;
  readonly storeTimestamp: number;
}

/** The header as extFields (Java's field names; every field present, as the Go client also requires). */
export function encodeReplyMessageRequestHeader(header: ReplyMessageRequestHeader): Record<string, string> {
  return {
    producerGroup: header.producerGroup,
    topic: header.topic,
    defaultTopic: header.defaultTopic,
    defaultTopicQueueNums: String(header.defaultTopicQueueNums),
    queueId: String(header.queueId),
    sysFlag: String(header.sysFlag),
    bornTimestamp: String(header.bornTimestamp),
    flag: String(header.flag),
    properties: header.properties,
    reconsumeTimes: String(header.reconsumeTimes),
    unitMode: String(header.unitMode),
    bornHost: header.bornHost,
    storeHost: header.storeHost,
    storeTimestamp: String(header.storeTimestamp),
  };
}

/**
 * Decodes the header of a PUSH_REPLY_MESSAGE_TO_CLIENT with Java's rules (`@CFNotNull` fields required);
 * throws HeaderFieldError naming a missing or malformed field.
 */
export function decodeReplyMessageRequestHeader(source: HeaderSource): ReplyMessageRequestHeader {
  return {
    producerGroup: requiredField(source, 'producerGroup'),
    topic: requiredField(source, 'topic'),
    defaultTopic: requiredField(source, 'defaultTopic'),
    defaultTopicQueueNums: requiredInt(source, 'defaultTopicQueueNums'),
    queueId: requiredInt(source, 'queueId'),
    sysFlag: requiredInt(source, 'sysFlag'),
    bornTimestamp: requiredLong(source, 'bornTimestamp'),
    flag: requiredInt(source, 'flag'),
    properties: optionalField(source, 'properties') ?? '',
    reconsumeTimes: optionalInt(source, 'reconsumeTimes') ?? 0,
    unitMode: optionalBoolean(source, 'unitMode') ?? false,
    bornHost: requiredField(source, 'bornHost'),
    storeHost: requiredField(source, 'storeHost'),
    storeTimestamp: requiredLong(source, 'storeTimestamp'),
  };
}
