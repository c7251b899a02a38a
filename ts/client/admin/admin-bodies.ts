// The bodies of the admin replies the CLI reads (Java `TopicStatsTable`, `KVTable`,
// `ConsumerConnection`, `ProducerConnection`, `ResetOffsetBody`) and the subscription group config
// it writes, with fastjson's object-keyed maps. Depends on fastjson-map-reader.ts, ../message-queue.ts.

import { compareMessageQueues, messageQueue, type MessageQueue } from '../message-queue.js';
import { parseFastJsonWithObjectKeys } from './fastjson-map-reader.js';

type Loose = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

/** One queue of a topic (Java `TopicOffset`). */
export interface TopicQueueOffsets {
  readonly messageQueue: MessageQueue;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** Store time of the queue's last message, ms (0 when empty). */
  readonly lastUpdateTimestamp: number;
}

/** A connected client (Java `Connection`). */
export interface ClientConnection {
  readonly clientId: string;
  readonly clientAddr: string;
  readonly language: string;
  /** The client's MQVersion ordinal. */
  readonly version: number;
}

export interface ConsumerConnection {
  readonly connections: readonly ClientConnection[];
  /** Topic → subscription expression. */
  readonly subscriptions: Readonly<Record<string, string>>;
  readonly consumeType: string;
  readonly messageModel: string;
  readonly consumeFromWhere: string;
}

/** Java `SubscriptionGroupConfig`: what UPDATE_AND_CREATE_SUBSCRIPTIONGROUP writes. */
export interface SubscriptionGroupConfig {
  readonly groupName: string;
  readonly consumeEnable: boolean;
  readonly consumeFromMinEnable: boolean;
  readonly consumeBroadcastEnable: boolean;
  readonly consumeMessageOrderly: boolean;
  readonly retryQueueNums: number;
  readonly retryMaxTimes: number;
  readonly brokerId: number;
  readonly whichBrokerWhenConsumeSlowly: number;
  readonly notifyConsumerIdsChangedEnable: boolean;
}

/** mqadmin updateSubGroup's defaults (Java `SubscriptionGroupConfig`'s). */
export function defaultSubscriptionGroupConfig(groupName: string): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: true,
    consumeFromMinEnable: false,
    consumeBroadcastEnable: false,
    consumeMessageOrderly: false,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
  };
}

function parseBody(body: Buffer | null): Loose {
  if (body === null || body.length === 0) return {};
  return parseFastJsonWithObjectKeys(body.toString('utf8')) as Loose;
}

/** A map key written as a MessageQueue object; null for any other key. */
function queueOfKey(key: string): MessageQueue | null {
  if (!key.startsWith('{')) return null;
  const parsed = JSON.parse(key) as Loose;
  return messageQueue(text(parsed['topic']), text(parsed['brokerName']), num(parsed['queueId']));
}

/** A topic's queues and its put rate (Java `TopicStatsTable`). */
export interface TopicStats {
  /** Sorted by topic, broker name and queue id. */
  readonly queues: readonly TopicQueueOffsets[];
  /** Messages per second put into the topic (summed over brokers). */
  readonly topicPutTps: number;
}

/**
 * GET_TOPIC_STATS_INFO (202): `{offsetTable: {<mq>: {minOffset, maxOffset, lastUpdateTimestamp}},
 * topicPutTps}`.
 */
export function decodeTopicStats(body: Buffer | null): TopicStats {
  const parsed = parseBody(body);
  const table = (parsed['offsetTable'] ?? {}) as Loose;
  const queues: TopicQueueOffsets[] = [];
  for (const [key, raw] of Object.entries(table)) {
    const mq = queueOfKey(key);
    if (mq === null || raw === null || typeof raw !== 'object') continue;
    const offsets = raw as Loose;
    queues.push({
      messageQueue: mq,
      minOffset: num(offsets['minOffset']),
      maxOffset: num(offsets['maxOffset']),
      lastUpdateTimestamp: num(offsets['lastUpdateTimestamp']),
    });
  }
  queues.sort((a, b) => compareMessageQueues(a.messageQueue, b.messageQueue));
  return { queues, topicPutTps: num(parsed['topicPutTps']) };
}

/** GET_BROKER_RUNTIME_INFO (28): `{table: {key: value}}`. */
export function decodeKvTable(body: Buffer | null): Record<string, string> {
  const table = (parseBody(body)['table'] ?? {}) as Loose;
  return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, text(value)]));
}

function decodeConnections(raw: unknown): ClientConnection[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((entry) => entry as Loose)
    .map((entry) => ({
      clientId: text(entry['clientId']),
      clientAddr: text(entry['clientAddr']),
      language: text(entry['language']),
      version: num(entry['version']),
    }))
    .sort((a, b) => a.clientId.localeCompare(b.clientId));
}

/** GET_CONSUMER_CONNECTION_LIST (203). */
export function decodeConsumerConnection(body: Buffer | null): ConsumerConnection {
  const parsed = parseBody(body);
  const subscriptions: Record<string, string> = {};
  for (const [topic, raw] of Object.entries((parsed['subscriptionTable'] ?? {}) as Loose)) {
    subscriptions[topic] = text((raw as Loose | null)?.['subString']);
  }
  return {
    connections: decodeConnections(parsed['connectionSet']),
    subscriptions,
    consumeType: text(parsed['consumeType']),
    messageModel: text(parsed['messageModel']),
    consumeFromWhere: text(parsed['consumeFromWhere']),
  };
}

/** GET_PRODUCER_CONNECTION_LIST (204): `{connectionSet: [...]}`. */
export function decodeProducerConnection(body: Buffer | null): ClientConnection[] {
  return decodeConnections(parseBody(body)['connectionSet']);
}

/** One queue's new offset after a reset. */
export interface QueueOffset {
  readonly messageQueue: MessageQueue;
  readonly offset: number;
}

/** INVOKE_BROKER_TO_RESET_OFFSET (222): `{offsetTable: {<mq>: offset}}`. */
export function decodeResetOffsetBody(body: Buffer | null): QueueOffset[] {
  const table = (parseBody(body)['offsetTable'] ?? {}) as Loose;
  const queues: QueueOffset[] = [];
  for (const [key, raw] of Object.entries(table)) {
    const mq = queueOfKey(key);
    if (mq !== null) queues.push({ messageQueue: mq, offset: num(raw) });
  }
  return queues.sort((a, b) => compareMessageQueues(a.messageQueue, b.messageQueue));
}
