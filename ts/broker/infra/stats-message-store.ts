// StatsMessageStore: the broker's MessageStore with BrokerStats counting on the way through (Java
// counts in CommitLog#putMessage and DefaultMessageStore#getMessage): every append (per topic: messages
// and record bytes; its duration; failures) and every queue read by a consumer (found or missed,
// messages, duration).
// The same per-run pass feeds BrokerMetrics' in counters and message sizes when given (docs/metrics.md).
// Everything else is passed straight on. Depends on the store interface and domain/admin/broker-stats.ts.

import { performance } from 'node:perf_hooks';
import type {
  AppendResult,
  GetMessagesOptions,
  GetMessagesResult,
  MessageStore,
  QueryMessageResult,
  StoreMessage,
} from '../../store/message-store-api.js';
import { GetMessageStatus } from '../../store/message-store-api.js';
import type { BrokerStats } from '../domain/admin/broker-stats.js';
import { RMQ_SYS_SCHEDULE_TOPIC, TIMER_TOPIC } from '../../protocol/topics.js';
import type { BrokerMetrics, TopicIn } from '../services/broker-metrics.js';

/** What the put pass tells the metrics: one topic's counters per run, dead letters per run. */
export type PutMetrics = Pick<BrokerMetrics, 'topicIn' | 'noteDeadLetters'>;

/**
 * Reads of these topics are the delay and timer services scanning their own queues (Java's services
 * read the ConsumeQueue directly, outside getMessage's counters): not counted as gets.
 */
const INTERNAL_SCAN_TOPICS: ReadonlySet<string> = new Set([RMQ_SYS_SCHEDULE_TOPIC, TIMER_TOPIC]);

export class StatsMessageStore implements MessageStore {
  constructor(
    private readonly inner: () => MessageStore,
    private readonly stats: BrokerStats,
    private readonly metrics: PutMetrics | null = null,
  ) {}

  append(messages: readonly StoreMessage[]): AppendResult {
    const startedMs = performance.now();
    let result: AppendResult;
    try {
      result = this.inner().append(messages);
    } catch (error) {
      this.stats.recordPutFailure();
      throw error;
    }
    this.stats.recordPutTime(performance.now() - startedMs);
    this.countPuts(messages, result);
    return result;
  }

  /**
   * Messages and bytes per topic, one call per run of one topic. A record's size is the distance to
   * the next record (the batch end for the last); a file roll inside a batch adds its blank tail.
   */
  private countPuts(messages: readonly StoreMessage[], result: AppendResult): void {
    const { offsets } = result;
    let runTopic = messages[0]?.topic ?? '';
    let runIn = this.metrics?.topicIn(runTopic) ?? null;
    let runCount = 0;
    let runBytes = 0;
    for (let i = 0; i < result.messageCount; i++) {
      const topic = messages[i]?.topic ?? runTopic;
      if (topic !== runTopic) {
        this.endRun(runTopic, runCount, runBytes, runIn);
        runTopic = topic;
        runIn = this.metrics?.topicIn(runTopic) ?? null;
        runCount = 0;
        runBytes = 0;
      }
      const next = i + 1 < result.messageCount ? (offsets[2 * (i + 1)] ?? result.endOffset) : result.endOffset;
      const sizeBytes = next - (offsets[2 * i] ?? next);
      runCount += 1;
      runBytes += sizeBytes;
      runIn?.sizes.observe(sizeBytes);
    }
    if (runCount > 0) this.endRun(runTopic, runCount, runBytes, runIn);
  }

  private endRun(topic: string, messageCount: number, sizeBytes: number, counters: TopicIn | null): void {
    this.stats.recordPut(topic, messageCount, sizeBytes);
    if (counters === null) return;
    counters.messages += messageCount;
    counters.bytes += sizeBytes;
    this.metrics?.noteDeadLetters(topic, messageCount);
  }

  getMessages(
    topic: string,
    queueId: number,
    queueOffset: number,
    maxCount: number,
    options?: GetMessagesOptions,
  ): GetMessagesResult {
    if (INTERNAL_SCAN_TOPICS.has(topic))
      return this.inner().getMessages(topic, queueId, queueOffset, maxCount, options);
    const startedMs = performance.now();
    const result = this.inner().getMessages(topic, queueId, queueOffset, maxCount, options);
    const found = result.status === GetMessageStatus.FOUND ? result.messageCount : 0;
    this.stats.recordGet(topic, found, performance.now() - startedMs);
    return result;
  }

  whenFlushed(endOffset: number, timeoutMs?: number): Promise<void> {
    return this.inner().whenFlushed(endOffset, timeoutMs);
  }

  queryMessage(topic: string, key: string, maxCount: number, beginMs: number, endMs: number): QueryMessageResult {
    return this.inner().queryMessage(topic, key, maxCount, beginMs, endMs);
  }

  getMessageByOffset(physicalOffset: number): Buffer {
    return this.inner().getMessageByOffset(physicalOffset);
  }

  getMessagesByOffsets(physicalOffsets: readonly number[]): Buffer {
    return this.inner().getMessagesByOffsets(physicalOffsets);
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.inner().getMinOffsetInQueue(topic, queueId);
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.inner().getMaxOffsetInQueue(topic, queueId);
  }

  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    return this.inner().getOffsetInQueueByTime(topic, queueId, timestampMs);
  }

  getEarliestMessageStoreTime(topic: string, queueId: number): number {
    return this.inner().getEarliestMessageStoreTime(topic, queueId);
  }

  getMinPhysicalOffset(): number {
    return this.inner().getMinPhysicalOffset();
  }

  getMaxPhysicalOffset(): number {
    return this.inner().getMaxPhysicalOffset();
  }

  close(): void {
    this.inner().close();
  }
}
