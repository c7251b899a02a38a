// Resetting a consumer group's offsets (INVOKE_BROKER_TO_RESET_OFFSET), two rule sets as in Java:
// the server-side reset (`AdminBrokerProcessor#resetOffsetInner`, useServerSideResetOffset=true, the
// 5.x default: offsets by timestamp or one queue to a given offset, group online or not) and the
// client-side reset (`Broker2Client#resetOffset`: offsets by timestamp pushed to the group's online
// clients, which must exist). Also the ResetOffsetBody and the RESET_CONSUMER_CLIENT_OFFSET header.
// Pure. Depends on admin-json.ts, ../broker-error.ts and protocol/route-types.

import { BrokerErrorCode } from '../broker-error.js';
import type { TopicConfig } from '../../../protocol/route-types.js';
import { fastJsonBody, messageQueueKey, ObjectKeyedMap } from './admin-json.js';

/** MQVersion.Version.V3_0_7_SNAPSHOT: older clients cannot take a pushed reset. */
export const MIN_CLIENT_VERSION_FOR_RESET = 28;

/** `ResetOffsetRequestHeader` as the admin sends it. */
export interface ResetOffsetRequest {
  readonly topic: string;
  readonly group: string;
  /** -1: every queue. */
  readonly queueId: number;
  /** A target offset for `queueId`; null or -1: search by timestamp. */
  readonly offset: number | null;
  /** ms since the epoch; -1 (or any negative on the server-side path): the queue's max offset. */
  readonly timestamp: number;
  readonly isForce: boolean;
}

/** The store reads the reset needs. */
export interface ResetOffsetStore {
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number;
}

export type ResetOffsetPlan =
  | { readonly ok: true; readonly offsets: ReadonlyMap<number, number> }
  | { readonly ok: false; readonly code: BrokerErrorCode; readonly remark: string };

function refuse(code: BrokerErrorCode, remark: string): ResetOffsetPlan {
  return { ok: false, code, remark };
}

export interface ServerSideResetInput {
  readonly request: ResetOffsetRequest;
  readonly topicConfig: Readonly<TopicConfig> | undefined;
  readonly groupExists: boolean;
  readonly slave: boolean;
  readonly store: ResetOffsetStore;
}

/** Java `resetOffsetInner`: queueId → new offset, or the refusal with Java's code and remark. */
export function planServerSideReset(input: ServerSideResetInput): ResetOffsetPlan {
  const { request, topicConfig, store } = input;
  const { topic, group, queueId, timestamp, offset } = request;
  if (input.slave) return refuse(BrokerErrorCode.SYSTEM_ERROR, 'Can not reset offset in slave broker');
  if (topicConfig === undefined) return refuse(BrokerErrorCode.TOPIC_NOT_EXIST, `Topic ${topic} does not exist`);
  if (!input.groupExists) return refuse(BrokerErrorCode.SUBSCRIPTION_GROUP_NOT_EXIST, `Group ${group} does not exist`);
  const offsets = new Map<number, number>();
  if (queueId >= 0) {
    if (offset !== null && offset !== -1) {
      const min = store.getMinOffsetInQueue(topic, queueId);
      const max = store.getMaxOffsetInQueue(topic, queueId);
      if ((min >= 0 && offset < min) || offset > max + 1) {
        return refuse(
          BrokerErrorCode.SYSTEM_ERROR,
          `Target offset ${offset} not in consume queue range [${min}-${max}]`,
        );
      }
      offsets.set(queueId, offset);
    } else {
      offsets.set(queueId, searchOffset(store, topic, queueId, timestamp));
    }
  } else {
    for (let index = 0; index < topicConfig.readQueueNums; index++)
      offsets.set(index, searchOffset(store, topic, index, timestamp));
  }
  if (offsets.size === 0) return refuse(BrokerErrorCode.SYSTEM_ERROR, 'No queues to reset.');
  return { ok: true, offsets };
}

/** Java `searchOffsetByTimestamp`: a negative timestamp means the queue's max offset. */
function searchOffset(store: ResetOffsetStore, topic: string, queueId: number, timestamp: number): number {
  if (timestamp < 0) return store.getMaxOffsetInQueue(topic, queueId);
  return store.getOffsetInQueueByTime(topic, queueId, timestamp);
}

export interface ClientResetInput {
  readonly request: ResetOffsetRequest;
  readonly topicConfig: Readonly<TopicConfig> | undefined;
  /** The group's committed offset of a queue, -1 when it has none. */
  readonly consumerOffset: (queueId: number) => number;
  /** The versions of the group's online clients (empty: offline). */
  readonly clientVersions: readonly number[];
  readonly store: ResetOffsetStore;
}

/**
 * Java `Broker2Client#resetOffset`: per writable queue the offset at the timestamp (the max offset
 * for -1), kept at the committed offset unless forced or earlier; refused when a queue has no
 * committed offset, when no client is online, or when a client is too old to take it.
 */
export function planClientReset(input: ClientResetInput): ResetOffsetPlan {
  const { request, topicConfig, store } = input;
  const { topic, group, timestamp } = request;
  if (topicConfig === undefined) {
    return refuse(
      BrokerErrorCode.TOPIC_NOT_EXIST,
      `[reset-offset] reset offset failed, no topic in this broker. topic=${topic}`,
    );
  }
  const offsets = new Map<number, number>();
  for (let queueId = 0; queueId < topicConfig.writeQueueNums; queueId++) {
    const consumerOffset = input.consumerOffset(queueId);
    if (consumerOffset === -1) return refuse(BrokerErrorCode.SYSTEM_ERROR, `THe consumer group <${group}> not exist`);
    const found =
      timestamp === -1
        ? store.getMaxOffsetInQueue(topic, queueId)
        : store.getOffsetInQueueByTime(topic, queueId, timestamp);
    const timestampOffset = Math.max(0, found);
    offsets.set(queueId, request.isForce || timestampOffset < consumerOffset ? timestampOffset : consumerOffset);
  }
  const tooOld = input.clientVersions.find((version) => version < MIN_CLIENT_VERSION_FOR_RESET);
  if (tooOld !== undefined) {
    return refuse(BrokerErrorCode.SYSTEM_ERROR, `the client does not support this feature. version=${tooOld}`);
  }
  if (input.clientVersions.length === 0) {
    return refuse(
      BrokerErrorCode.CONSUMER_NOT_ONLINE,
      `Consumer not online, so can not reset offset, Group: ${group} Topic: ${topic} Timestamp: ${timestamp}`,
    );
  }
  return { ok: true, offsets };
}

/** `ResetOffsetBody`: `{"offsetTable":{{mq}:offset,…}}` in fastjson's dialect. */
export function encodeResetOffsetBody(topic: string, brokerName: string, offsets: ReadonlyMap<number, number>): Buffer {
  const entries = [...offsets].map(
    ([queueId, offset]) => [messageQueueKey(topic, brokerName, queueId), offset] as const,
  );
  return fastJsonBody({ offsetTable: new ObjectKeyedMap(entries) });
}

/**
 * The RESET_CONSUMER_CLIENT_OFFSET (220) header as Broker2Client fills it: topic, group, timestamp,
 * and the primitive fields' defaults (the client's decoder requires `isForce`).
 */
export function resetClientOffsetHeader(request: ResetOffsetRequest): Record<string, string> {
  return {
    group: request.group,
    topic: request.topic,
    queueId: '-1',
    timestamp: String(request.timestamp),
    isForce: 'false',
  };
}
