// ConsumeStats (Java `ConsumeStats`, the GET_CONSUME_STATS (208) body): per queue the broker's max
// offset, the group's committed offset and the last consume time, merged over brokers, with the lag
// (Java's `diff`). Depends on fastjson-map-reader.ts, ../message-queue.ts.

import { compareMessageQueues, messageQueue, type MessageQueue } from '../message-queue.js';
import { parseFastJsonWithObjectKeys } from './fastjson-map-reader.js';

/** One queue's progress (Java `OffsetWrapper`). */
export interface QueueConsumeStats {
  readonly messageQueue: MessageQueue;
  /** The queue's max offset (next offset to be written). */
  readonly brokerOffset: number;
  /** The group's committed offset. */
  readonly consumerOffset: number;
  /** The offset the group's last pull reached (0 when the broker does not say). */
  readonly pullOffset: number;
  /** Store time of the last consumed message, ms (0 when unknown). */
  readonly lastTimestamp: number;
  /** brokerOffset - consumerOffset. */
  readonly lag: number;
}

export interface ConsumeStats {
  readonly consumeTps: number;
  /** Sorted by topic, broker name and queue id. */
  readonly queues: readonly QueueConsumeStats[];
  /** Sum of the queues' lag (Java `computeTotalDiff`). */
  readonly totalLag: number;
}

type Loose = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

/** A key written as a MessageQueue object (the reader hands such keys back as JSON text); else null. */
function parseQueueKey(key: string): MessageQueue | null {
  if (!key.startsWith('{')) return null;
  const parsed = JSON.parse(key) as Loose;
  return messageQueue(text(parsed['topic']), text(parsed['brokerName']), num(parsed['queueId']));
}

/** Decodes one broker's 208 body. */
export function decodeConsumeStats(body: Buffer | null): ConsumeStats {
  const parsed = (
    body === null || body.length === 0 ? {} : parseFastJsonWithObjectKeys(body.toString('utf8'))
  ) as Loose;
  const table = (parsed['offsetTable'] ?? {}) as Loose;
  const queues: QueueConsumeStats[] = [];
  for (const [key, raw] of Object.entries(table)) {
    const mq = parseQueueKey(key);
    if (mq === null || raw === null || typeof raw !== 'object') continue;
    const wrapper = raw as Loose;
    const brokerOffset = num(wrapper['brokerOffset']);
    const consumerOffset = num(wrapper['consumerOffset']);
    queues.push({
      messageQueue: mq,
      brokerOffset,
      consumerOffset,
      pullOffset: num(wrapper['pullOffset']),
      lastTimestamp: num(wrapper['lastTimestamp']),
      lag: brokerOffset - consumerOffset,
    });
  }
  return mergeConsumeStats([{ consumeTps: num(parsed['consumeTps']), queues, totalLag: 0 }]);
}

/** Several brokers' stats as one (Java `examineConsumeStats` adds them up). */
export function mergeConsumeStats(parts: readonly ConsumeStats[]): ConsumeStats {
  const queues = parts
    .flatMap((part) => part.queues)
    .sort((a, b) => compareMessageQueues(a.messageQueue, b.messageQueue));
  return {
    consumeTps: parts.reduce((sum, part) => sum + part.consumeTps, 0),
    queues,
    totalLag: queues.reduce((sum, queue) => sum + queue.lag, 0),
  };
}
