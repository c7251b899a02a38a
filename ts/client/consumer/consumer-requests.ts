// The consumer's broker requests besides pulls (Java `MQClientAPIImpl`): QUERY_CONSUMER_OFFSET (14),
// UPDATE_CONSUMER_OFFSET (15), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31), SEARCH_OFFSET_BY_TIMESTAMP
// (29), GET_CONSUMER_LIST_BY_GROUP (38), LOCK_BATCH_MQ (41), UNLOCK_BATCH_MQ (42) and
// CONSUMER_SEND_MSG_BACK (36). Each takes the ClientInstance and the broker address.
// Depends on ts/remoting, ts/common/fastjson.ts, ../client-instance.ts, ../client-error.ts, ../message-queue.ts.

import { optionalLong } from '../../protocol/header-fields.js';
import { parseFastJson } from '../../common/fastjson.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { expectResponse } from '../client-error.js';
import type { ClientInstance } from '../client-instance.js';
import { messageQueue, type MessageQueue } from '../message-queue.js';

/** The committed offset of the group on the queue; -1 when the broker has none (22). */
export async function queryConsumerOffset(
  instance: ClientInstance,
  address: string,
  group: string,
  mq: MessageQueue,
): Promise<number> {
  const request = createRequest(RequestCode.QUERY_CONSUMER_OFFSET, {
    consumerGroup: group,
    topic: mq.topic,
    queueId: String(mq.queueId),
    bname: mq.brokerName,
  });
  const response = await instance.invoke(address, request);
  if (response.code === ResponseCode.QUERY_NOT_FOUND) return -1;
  expectResponse(response, request.code, address);
  return optionalLong(response, 'offset') ?? -1;
}

/** UPDATE_CONSUMER_OFFSET, oneway (the periodic commit) or awaited (at shutdown). */
export async function updateConsumerOffset(
  instance: ClientInstance,
  address: string,
  group: string,
  mq: MessageQueue,
  offset: number,
  oneway: boolean,
): Promise<void> {
  const request = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
    consumerGroup: group,
    topic: mq.topic,
    queueId: String(mq.queueId),
    commitOffset: String(offset),
    bname: mq.brokerName,
  });
  if (oneway) return instance.invokeOneway(address, request);
  expectResponse(await instance.invoke(address, request), request.code, address);
}

async function offsetRequest(
  instance: ClientInstance,
  address: string,
  code: number,
  fields: Record<string, string>,
): Promise<number> {
  const response = await instance.invoke(address, createRequest(code, fields));
  expectResponse(response, code, address);
  return optionalLong(response, 'offset') ?? -1;
}

/** GET_MAX_OFFSET: the queue's next offset to be written. */
export function getMaxOffset(instance: ClientInstance, address: string, mq: MessageQueue): Promise<number> {
  return offsetRequest(instance, address, RequestCode.GET_MAX_OFFSET, {
    topic: mq.topic,
    queueId: String(mq.queueId),
    bname: mq.brokerName,
  });
}

/** GET_MIN_OFFSET: the queue's first offset still stored. */
export function getMinOffset(instance: ClientInstance, address: string, mq: MessageQueue): Promise<number> {
  return offsetRequest(instance, address, RequestCode.GET_MIN_OFFSET, {
    topic: mq.topic,
    queueId: String(mq.queueId),
    bname: mq.brokerName,
  });
}

/** SEARCH_OFFSET_BY_TIMESTAMP: the first offset stored at or after `timestampMs`. */
export function searchOffset(
  instance: ClientInstance,
  address: string,
  mq: MessageQueue,
  timestampMs: number,
): Promise<number> {
  return offsetRequest(instance, address, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, {
    topic: mq.topic,
    queueId: String(mq.queueId),
    timestamp: String(timestampMs),
    bname: mq.brokerName,
  });
}

/** GET_CONSUMER_LIST_BY_GROUP: the client ids of the group's online consumers; [] when the broker has none. */
export async function getConsumerIdList(instance: ClientInstance, address: string, group: string): Promise<string[]> {
  const response = await instance.invoke(
    address,
    createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group }),
  );
  // Java answers SYSTEM_ERROR ("no consumer for this group") when the list is empty.
  if (response.code === ResponseCode.SYSTEM_ERROR) return [];
  expectResponse(response, RequestCode.GET_CONSUMER_LIST_BY_GROUP, address);
  const body = parseFastJson(response.body?.toString('utf8') ?? '{}') as { consumerIdList?: unknown };
  return Array.isArray(body.consumerIdList) ? body.consumerIdList.map(String) : [];
}

function lockBody(group: string, clientId: string, queues: readonly MessageQueue[]): Buffer {
  const mqSet = queues.map((mq) => ({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId }));
  return Buffer.from(JSON.stringify({ consumerGroup: group, clientId, onlyThisBroker: false, mqSet }), 'utf8');
}

/** LOCK_BATCH_MQ: the queues of `queues` this client now holds on the broker. */
export async function lockBatchMQ(
  instance: ClientInstance,
  address: string,
  group: string,
  queues: readonly MessageQueue[],
): Promise<MessageQueue[]> {
  const request = createRequest(RequestCode.LOCK_BATCH_MQ, {}, lockBody(group, instance.clientId, queues));
  const response = await instance.invoke(address, request);
  expectResponse(response, request.code, address);
  const body = parseFastJson(response.body?.toString('utf8') ?? '{}') as { lockOKMQSet?: Array<Partial<MessageQueue>> };
  return (body.lockOKMQSet ?? []).map((mq) =>
    messageQueue(String(mq.topic), String(mq.brokerName), Number(mq.queueId)),
  );
}

/** UNLOCK_BATCH_MQ: releases the queues (awaited, so a successor can lock them at once). */
export async function unlockBatchMQ(
  instance: ClientInstance,
  address: string,
  group: string,
  queues: readonly MessageQueue[],
): Promise<void> {
  const request = createRequest(RequestCode.UNLOCK_BATCH_MQ, {}, lockBody(group, instance.clientId, queues));
  expectResponse(await instance.invoke(address, request), request.code, address);
}

/** Java `ConsumerSendMsgBackRequestHeader`. */
export interface ConsumerSendMsgBackRequestHeader {
  /** The consumed record's commit log offset. */
  readonly offset: number;
  readonly group: string;
  /** 0: the broker picks 3 + reconsumeTimes; negative: straight to the DLQ. */
  readonly delayLevel: number;
  readonly originMsgId: string;
  readonly originTopic: string;
  readonly maxReconsumeTimes: number;
}

/** CONSUMER_SEND_MSG_BACK: the broker re-stores the record to `%RETRY%<group>` (or the DLQ). */
export async function consumerSendMessageBack(
  instance: ClientInstance,
  address: string,
  header: ConsumerSendMsgBackRequestHeader,
): Promise<void> {
  const request = createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, {
    offset: String(header.offset),
    group: header.group,
    delayLevel: String(header.delayLevel),
    originMsgId: header.originMsgId,
    originTopic: header.originTopic,
    unitMode: 'false',
    maxReconsumeTimes: String(header.maxReconsumeTimes),
  });
  expectResponse(await instance.invoke(address, request), request.code, address);
}
