// Resetting a group's offsets by time for Admin (Java `DefaultMQAdminExtImpl#resetOffsetByTimestamp`
// and its offline fall-back `#resetOffsetByTimestampOld`): INVOKE_BROKER_TO_RESET_OFFSET (222) on each
// master of the topic, or, when the group is not online (206), per queue SEARCH_OFFSET_BY_TIMESTAMP (29)
// and UPDATE_CONSUMER_OFFSET (15). Depends on ts/remoting, ../client-instance.ts, ../consumer/consumer-requests.ts,
// admin-bodies.ts, consume-stats.ts.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { ClientError, ClientErrorCode, expectResponse } from '../client-error.js';
import type { ClientInstance } from '../client-instance.js';
import { searchOffset, updateConsumerOffset } from '../consumer/consumer-requests.js';
import { compareMessageQueues, type MessageQueue } from '../message-queue.js';
import { masterAddress } from '../topic-route.js';
import { decodeResetOffsetBody, type QueueOffset } from './admin-bodies.js';
import { decodeConsumeStats } from './consume-stats.js';

/** One queue of an offline reset (Java `RollbackStats`). */
export interface RollbackStats {
  readonly messageQueue: MessageQueue;
  readonly brokerOffset: number;
  readonly consumerOffset: number;
  readonly timestampOffset: number;
  readonly resetOffset: number;
}

export type ResetOffsetResult =
  | { readonly online: true; readonly offsets: readonly QueueOffset[] }
  | { readonly online: false; readonly rollbacks: readonly RollbackStats[] };

export interface ResetOffsetRequest {
  readonly topic: string;
  readonly group: string;
  readonly timestampMs: number;
  /** Also move offsets forward (default true, as mqadmin). */
  readonly force: boolean;
}

async function masterAddressesOfTopic(instance: ClientInstance, topic: string): Promise<string[]> {
  const route = await instance.updateTopicRoute(topic);
  if (route === null)
    throw new ClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `No route info of this topic: ${topic}`);
  return route.brokerDatas.map(masterAddress).filter((addr): addr is string => addr !== undefined);
}

/** The online reset; null when a broker answers that the group is not online. */
async function resetOnline(
  instance: ClientInstance,
  addresses: readonly string[],
  request: ResetOffsetRequest,
): Promise<QueueOffset[] | null> {
  const fields = {
    topic: request.topic,
    group: request.group,
    timestamp: String(request.timestampMs),
    isForce: String(request.force),
  };
  const offsets: QueueOffset[] = [];
  for (const address of addresses) {
    const response = await instance.invoke(address, createRequest(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, fields));
    if (response.code === ResponseCode.CONSUMER_NOT_ONLINE) return null;
    expectResponse(response, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, address);
    offsets.push(...decodeResetOffsetBody(response.body));
  }
  return offsets.sort((a, b) => compareMessageQueues(a.messageQueue, b.messageQueue));
}

/** The offline reset: every queue the group has an offset on, moved to the time's offset. */
async function resetOffline(
  instance: ClientInstance,
  addresses: readonly string[],
  request: ResetOffsetRequest,
): Promise<RollbackStats[]> {
  const rollbacks: RollbackStats[] = [];
  for (const address of addresses) {
    const statsRequest = createRequest(RequestCode.GET_CONSUME_STATS, {
      consumerGroup: request.group,
      topic: request.topic,
    });
    const response = await instance.invoke(address, statsRequest);
    expectResponse(response, RequestCode.GET_CONSUME_STATS, address);
    for (const queue of decodeConsumeStats(response.body).queues) {
      const mq = queue.messageQueue;
      if (mq.topic !== request.topic) continue;
      const timestampOffset = await searchOffset(instance, address, mq, request.timestampMs);
      const resetOffset =
        request.force || timestampOffset < queue.consumerOffset ? timestampOffset : queue.consumerOffset;
      await updateConsumerOffset(instance, address, request.group, mq, resetOffset, false);
      rollbacks.push({
        messageQueue: mq,
        brokerOffset: queue.brokerOffset,
        consumerOffset: queue.consumerOffset,
        timestampOffset,
        resetOffset,
      });
    }
  }
  return rollbacks;
}

export async function resetOffsetByTimestamp(
  instance: ClientInstance,
  request: ResetOffsetRequest,
): Promise<ResetOffsetResult> {
  const addresses = await masterAddressesOfTopic(instance, request.topic);
  const offsets = await resetOnline(instance, addresses, request);
  if (offsets !== null) return { online: true, offsets };
  return { online: false, rollbacks: await resetOffline(instance, addresses, request) };
}
