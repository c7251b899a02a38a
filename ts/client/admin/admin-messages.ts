// Message look-ups for Admin (Java `MQAdminImpl#viewMessage`, `#queryMessage`): VIEW_MESSAGE_BY_ID (33)
// at the store host an offset msgId names, and QUERY_MESSAGE (12) by key or UNIQ_KEY on every broker
// of the topic's route, merged. Depends on ts/protocol (offset msgId), ts/remoting, ../client-instance.ts,
// ../message/*.

import { formatSocketAddress } from '../../common/socket-address.js';
import { MessageProperty } from '../../protocol/message-properties.js';
import { decodeOffsetMessageId, type OffsetMessageId } from '../../protocol/offset-message-id.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { ClientError, ClientErrorCode, expectResponse } from '../client-error.js';
import type { ClientInstance } from '../client-instance.js';
import { decodePulledRecords } from '../message/pulled-record.js';
import { toMessageView, type MessageView } from '../message/message-view.js';
import { masterAddress } from '../topic-route.js';

/** What QUERY_MESSAGE takes (Java `QueryMessageRequestHeader`). */
export interface MessageQuery {
  readonly topic: string;
  readonly key: string;
  /** Default 64 (mqadmin queryMsgByKey). */
  readonly maxNum?: number;
  /** Store time bounds, ms; default 0 and Long.MAX_VALUE. */
  readonly beginTimestamp?: number;
  readonly endTimestamp?: number;
  /** Look the key up as a UNIQ_KEY (`_UNIQUE_KEY_QUERY`). */
  readonly uniqueKey?: boolean;
}

const LONG_MAX_TEXT = '9223372036854775807';

/** The offset msgId decoded, or null when `messageId` is not one (a UNIQ_KEY, say). */
export function tryDecodeOffsetMessageId(messageId: string): OffsetMessageId | null {
  try {
    return decodeOffsetMessageId(messageId);
  } catch {
    return null;
  }
}

/** VIEW_MESSAGE_BY_ID at the msgId's store host; the record found there, named by its broker. */
export async function viewMessage(
  instance: ClientInstance,
  messageId: OffsetMessageId,
  brokerNameOf: (address: string) => string,
): Promise<MessageView> {
  const address = formatSocketAddress(messageId);
  const request = createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(messageId.physicalOffset) });
  const response = await instance.invoke(address, request);
  expectResponse(response, request.code, address);
  const record = decodePulledRecords(response.body ?? Buffer.alloc(0))[0];
  if (record === undefined) throw new ClientError(ResponseCode.SYSTEM_ERROR, 'the broker answered no message', {});
  return toMessageView(record, brokerNameOf(address));
}

/** QUERY_MESSAGE on every master routing the topic; the matches sorted by store time, at most maxNum. */
export async function queryMessage(instance: ClientInstance, query: MessageQuery): Promise<MessageView[]> {
  const route = await instance.updateTopicRoute(query.topic);
  if (route === null)
    throw new ClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `No route info of this topic: ${query.topic}`);
  const maxNum = query.maxNum ?? 64;
  const fields: Record<string, string> = {
    topic: query.topic,
    key: query.key,
    maxNum: String(maxNum),
    beginTimestamp: String(query.beginTimestamp ?? 0),
    endTimestamp: query.endTimestamp === undefined ? LONG_MAX_TEXT : String(query.endTimestamp),
    ...(query.uniqueKey === true && { _UNIQUE_KEY_QUERY: 'true' }),
  };
  const found: MessageView[] = [];
  for (const broker of route.brokerDatas) {
    const address = masterAddress(broker);
    if (address === undefined) continue;
    const response = await instance.invoke(address, createRequest(RequestCode.QUERY_MESSAGE, fields));
    if (response.code === ResponseCode.QUERY_NOT_FOUND) continue;
    expectResponse(response, RequestCode.QUERY_MESSAGE, address);
    for (const record of decodePulledRecords(response.body ?? Buffer.alloc(0)))
      found.push(toMessageView(record, broker.brokerName));
  }
  return found
    .filter((view) => view.topic === query.topic && matchesKey(view, query))
    .sort((a, b) => a.storeTimestamp.getTime() - b.storeTimestamp.getTime())
    .slice(0, maxNum);
}

/** The index hashes keys, so a hit is checked against the record itself (as Java does). */
function matchesKey(view: MessageView, query: MessageQuery): boolean {
  if (query.uniqueKey === true) return view.systemProperties.get(MessageProperty.UNIQ_KEY) === query.key;
  return view.keys.includes(query.key);
}
