// MemoryMessageStore: the MessageStore in TypeScript with no files, for tests and embedding. Same
// validation, StoreError codes, record bytes, read statuses and offsets as NativeMessageStore, with the
// store time from an injected clock. It keeps every message for its lifetime (nothing expires, memory is
// not bounded) and has no CommitLog file boundaries (no blank end-of-file records), so physical offsets
// run on where the native store would skip to its next file. Depends on the other ts/store/ modules.

import { DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES } from './message-store-api.js';
import {
  DEFAULT_MESSAGE_DELAY_LEVEL,
  dispatchTagsCode,
  indexKeys,
  parseDelayLevels,
} from './consume-queue-tags-code.js';
import { MessageSysFlag } from '../protocol/message-sys-flag.js';
import { MemoryCommitLog, type RecordStamp, recordStoreTimestamp } from './memory-commit-log.js';
import { MemoryKeyIndex } from './memory-key-index.js';
import {
  type AppendResult,
  GetMessageStatus,
  type GetMessagesOptions,
  type GetMessagesResult,
  type MessageStore,
  type QueryMessageResult,
  type StoreMessage,
} from './message-store-api.js';
import { RecordDraftEncoder } from './record-draft-encoder.js';
import { StoreError, StoreErrorCode } from './store-errors.js';

export interface MemoryMessageStoreOptions {
  /** The clock that stamps STORETIMESTAMP (a Scheduler's `now`). */
  readonly now: () => number;
  /** `maxMessageSize`: the largest body accepted (default 4 MiB). */
  readonly maxMessageSizeBytes?: number;
  /** Queue ids accepted: [0, maxQueuesPerTopic) (default 1024). */
  readonly maxQueuesPerTopic?: number;
  /** `messageDelayLevel`, for the deliver-time tags code of SCHEDULE_TOPIC_XXXX units. */
  readonly messageDelayLevel?: string;
  /** `messageIndexEnable` (default true): without it `queryMessage` is refused. */
  readonly messageIndexEnable?: boolean;
}

const DEFAULT_MAX_MESSAGE_SIZE_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_QUEUES_PER_TOPIC = 1024;
/** `maxMsgsNumBatch`: a query by key returns at most this many records. */
const MAX_QUERY_MESSAGES = 64;
/** Units scanned at most per read when a tag filter skips them (`maxFilterMessageSize` 16000 / 20). */
const MAX_FILTERED_UNITS_PER_READ = 800;
const MAX_TOPIC_SIZE_BYTES = 255;
const TOPIC_NAME_PATTERN = /^[%|a-zA-Z0-9_-]+$/;
const TRANSACTION_TYPE_MASK = 0xc;

/** One ConsumeQueue unit. */
interface QueueUnit {
  readonly physicalOffset: number;
  readonly sizeBytes: number;
  readonly tagsCode: number;
}

export class MemoryMessageStore implements MessageStore {
  private readonly now: () => number;
  private readonly maxMessageSizeBytes: number;
  private readonly maxQueuesPerTopic: number;
  private readonly delayLevelsMs: readonly number[];
  private readonly keyIndex: MemoryKeyIndex | undefined;
  private readonly encoder = new RecordDraftEncoder();
  private readonly commitLog = new MemoryCommitLog();
  /** ConsumeQueues by `topic \0 queueId`. */
  private readonly queues = new Map<string, QueueUnit[]>();
  private closed = false;

  constructor(options: MemoryMessageStoreOptions) {
    this.now = options.now;
    this.maxMessageSizeBytes = options.maxMessageSizeBytes ?? DEFAULT_MAX_MESSAGE_SIZE_BYTES;
    this.maxQueuesPerTopic = options.maxQueuesPerTopic ?? DEFAULT_MAX_QUEUES_PER_TOPIC;
    this.delayLevelsMs = parseDelayLevels(options.messageDelayLevel ?? DEFAULT_MESSAGE_DELAY_LEVEL);
    this.keyIndex = options.messageIndexEnable === false ? undefined : new MemoryKeyIndex();
  }

  /** Validates the whole batch first (all or nothing, checks in the native store's order), then stores it. */
  append(messages: readonly StoreMessage[]): AppendResult {
    if (messages.length === 0) throw new StoreError(StoreErrorCode.INVALID_ARG, 'an append batch holds no message');
    const drafts = this.encoder.encode(messages);
    this.checkOpen();
    messages.forEach((message, index) => this.validate(message, index, messages.length));
    const storeTimestampMs = this.now();
    const stamps = messages.map((message) => ({ queueOffset: this.nextQueueOffset(message), storeTimestampMs }));
    const physicalOffsets = this.commitLog.appendBatch(drafts, stamps);
    const offsets = new Float64Array(messages.length * 2);
    messages.forEach((message, index) => {
      const physicalOffset = physicalOffsets[index] as number;
      const stamp = stamps[index] as RecordStamp;
      offsets[2 * index] = physicalOffset;
      offsets[2 * index + 1] = stamp.queueOffset;
      this.dispatch(message, physicalOffset, stamp);
    });
    const endOffset = this.commitLog.maxPhysicalOffset;
    return { storeTimestamp: storeTimestampMs, messageCount: messages.length, offsets, endOffset };
  }

  /** Everything is "on disk" at once: there is no disk. After close it rejects with ERR_STORE_CLOSED. */
  whenFlushed(_endOffset: number, _timeoutMs?: number): Promise<void> {
    return this.closed ? Promise.reject(closedError()) : Promise.resolve();
  }

  getMessages(
    topic: string,
    queueId: number,
    queueOffset: number,
    maxCount: number,
    options: GetMessagesOptions = {},
  ): GetMessagesResult {
    checkNonNegativeInteger(queueOffset, 'queueOffset');
    const maxSizeBytes = options.maxSizeBytes ?? DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES;
    checkNonNegativeInteger(maxSizeBytes, 'maxSizeBytes');
    this.checkOpen();
    this.checkQueueId(queueId);
    const units = this.queues.get(queueKey(topic, queueId));
    const maxOffset = units?.length ?? 0;
    const result = { minOffset: 0, maxOffset, messageCount: 0, buffer: Buffer.alloc(0) };
    if (maxOffset === 0) return { ...result, status: GetMessageStatus.NO_MESSAGE_IN_QUEUE, nextBeginOffset: 0 };
    if (queueOffset === maxOffset) {
      return { ...result, status: GetMessageStatus.OFFSET_OVERFLOW_ONE, nextBeginOffset: queueOffset };
    }
    if (queueOffset > maxOffset) {
      return { ...result, status: GetMessageStatus.OFFSET_OVERFLOW_BADLY, nextBeginOffset: maxOffset };
    }
    return this.readFromQueue(units as QueueUnit[], queueOffset, maxCount, maxSizeBytes, options.tagCodes);
  }

  queryMessage(topic: string, key: string, maxCount: number, beginMs: number, endMs: number): QueryMessageResult {
    this.checkOpen();
    if (this.keyIndex === undefined) {
      throw new StoreError(StoreErrorCode.INVALID_ARG, 'messageIndexEnable is off: no index to query');
    }
    const limit = Math.min(Math.max(maxCount >>> 0, 1), MAX_QUERY_MESSAGES);
    const found = this.keyIndex.query(topic, key, limit, Math.trunc(beginMs), Math.trunc(endMs));
    const records = found.physicalOffsets.map((offset) => this.commitLog.recordAt(offset) as Buffer);
    return {
      messageCount: records.length,
      buffer: Buffer.concat(records),
      indexLastUpdateTimestamp: found.lastUpdateTimestampMs,
      indexLastUpdatePhyoffset: found.lastUpdatePhysicalOffset,
    };
  }

  getMessageByOffset(physicalOffset: number): Buffer {
    checkNonNegativeInteger(physicalOffset, 'physicalOffset');
    this.checkOpen();
    const record = this.commitLog.recordAt(physicalOffset);
    if (record === undefined) {
      throw new StoreError(
        StoreErrorCode.OFFSET_ILLEGAL,
        `no message starts at physical offset ${physicalOffset} (log spans [0, ${this.commitLog.maxPhysicalOffset}))`,
      );
    }
    return Buffer.from(record);
  }

  getMessagesByOffsets(physicalOffsets: readonly number[]): Buffer {
    for (const offset of physicalOffsets) checkNonNegativeInteger(offset, 'physicalOffset');
    this.checkOpen();
    const records: Buffer[] = [];
    for (const offset of physicalOffsets) {
      const record = this.commitLog.recordAt(offset);
      if (record !== undefined) records.push(record);
    }
    return Buffer.concat(records);
  }

  /** Nothing expires: every queue starts at 0. */
  getMinOffsetInQueue(_topic: string, queueId: number): number {
    this.checkOpen();
    this.checkQueueId(queueId);
    return 0;
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    this.checkOpen();
    this.checkQueueId(queueId);
    return this.queues.get(queueKey(topic, queueId))?.length ?? 0;
  }

  /** The first queue offset stored at or after `timestampMs` (binary search on store times). */
  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    this.checkOpen();
    this.checkQueueId(queueId);
    const units = this.queues.get(queueKey(topic, queueId)) ?? [];
    let low = 0;
    let high = units.length;
    while (low < high) {
      const middle = low + Math.floor((high - low) / 2);
      if (this.storeTimeOf(units[middle] as QueueUnit) >= Math.trunc(timestampMs)) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  getEarliestMessageStoreTime(topic: string, queueId: number): number {
    this.checkOpen();
    this.checkQueueId(queueId);
    const first = this.queues.get(queueKey(topic, queueId))?.[0];
    return first === undefined ? -1 : this.storeTimeOf(first);
  }

  getMinPhysicalOffset(): number {
    this.checkOpen();
    return 0;
  }

  getMaxPhysicalOffset(): number {
    this.checkOpen();
    return this.commitLog.maxPhysicalOffset;
  }

  /** Idempotent; every later call throws ERR_STORE_CLOSED. */
  close(): void {
    this.closed = true;
  }

  /** The read loop: tag filter, count and byte budgets (at least one message), then the status. */
  private readFromQueue(
    units: readonly QueueUnit[],
    queueOffset: number,
    maxCount: number,
    maxSizeBytes: number,
    tagCodes: GetMessagesOptions['tagCodes'],
  ): GetMessagesResult {
    // A u32 across N-API, as in the native store.
    const countLimit = Math.max(maxCount >>> 0, 1);
    const scanLimit = Math.max(MAX_FILTERED_UNITS_PER_READ, countLimit);
    const records: Buffer[] = [];
    let sizeBytes = 0;
    let next = queueOffset;
    while (next - queueOffset < scanLimit && next < units.length) {
      const unit = units[next] as QueueUnit;
      const fullBySize = records.length > 0 && sizeBytes + unit.sizeBytes > maxSizeBytes;
      if (records.length >= countLimit || fullBySize) break;
      next += 1;
      if (tagCodes != null && !tagCodes.includes(unit.tagsCode)) continue;
      records.push(this.commitLog.recordAt(unit.physicalOffset) as Buffer);
      sizeBytes += unit.sizeBytes;
    }
    return {
      status: records.length > 0 ? GetMessageStatus.FOUND : GetMessageStatus.NO_MATCHED_MESSAGE,
      nextBeginOffset: next,
      minOffset: 0,
      maxOffset: units.length,
      messageCount: records.length,
      buffer: Buffer.concat(records, sizeBytes),
    };
  }

  /** The native store's draft checks, in its order; the message's index and the batch size in the text. */
  private validate(message: StoreMessage, index: number, count: number): void {
    const at = (code: StoreErrorCode, text: string) => new StoreError(code, `message ${index} of ${count}: ${text}`);
    if (message.body.length > this.maxMessageSizeBytes) {
      const text = `body of ${message.body.length} bytes exceeds maxMessageSize ${this.maxMessageSizeBytes}`;
      throw at(StoreErrorCode.MESSAGE_ILLEGAL, text);
    }
    const topicSizeBytes = Buffer.byteLength(message.topic);
    if (topicSizeBytes === 0 || topicSizeBytes > MAX_TOPIC_SIZE_BYTES) {
      throw at(StoreErrorCode.MESSAGE_ILLEGAL, `topic length ${topicSizeBytes} outside [1, ${MAX_TOPIC_SIZE_BYTES}]`);
    }
    this.checkQueueId(message.queueId, at);
    if (!TOPIC_NAME_PATTERN.test(message.topic)) {
      throw at(StoreErrorCode.MESSAGE_ILLEGAL, `topic "${message.topic}" has characters outside [%|a-zA-Z0-9_-]`);
    }
  }

  private checkQueueId(queueId: number, at = (code: StoreErrorCode, text: string) => new StoreError(code, text)): void {
    const id = queueId | 0;
    if (id < 0 || id >= this.maxQueuesPerTopic) {
      throw at(StoreErrorCode.QUEUE_ID_ILLEGAL, `queueId ${id} outside [0, ${this.maxQueuesPerTopic})`);
    }
  }

  /** NOT and COMMIT records take the queue's next offset; PREPARED and ROLLBACK ones get 0 and no unit. */
  private nextQueueOffset(message: StoreMessage): number {
    if (!isEnqueued(message)) return 0;
    const key = queueKey(message.topic, message.queueId);
    let units = this.queues.get(key);
    if (units === undefined) {
      units = [];
      this.queues.set(key, units);
    }
    // Reserve the slot now so that the batch's next message of this queue takes the following offset.
    units.push(PENDING_UNIT);
    return units.length - 1;
  }

  /** Fills the ConsumeQueue unit reserved by nextQueueOffset and indexes the record's keys. */
  private dispatch(message: StoreMessage, physicalOffset: number, stamp: RecordStamp): void {
    const properties = message.properties ?? '';
    if (isEnqueued(message)) {
      const units = this.queues.get(queueKey(message.topic, message.queueId)) as QueueUnit[];
      const sizeBytes = (this.commitLog.recordAt(physicalOffset) as Buffer).length;
      const tagsCode = dispatchTagsCode(message.topic, properties, stamp.storeTimestampMs, this.delayLevelsMs);
      units[stamp.queueOffset] = { physicalOffset, sizeBytes, tagsCode };
    }
    if (this.keyIndex !== undefined && transactionType(message) !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
      this.keyIndex.put(message.topic, indexKeys(properties), physicalOffset, stamp.storeTimestampMs);
    }
  }

  private storeTimeOf(unit: QueueUnit): number {
    return recordStoreTimestamp(this.commitLog.recordAt(unit.physicalOffset) as Buffer);
  }

  private checkOpen(): void {
    if (this.closed) throw closedError();
  }
}

const PENDING_UNIT: QueueUnit = { physicalOffset: -1, sizeBytes: 0, tagsCode: 0 };

/** Queue ids are int32 as in the record and across N-API (`| 0`, as `setInt32` and napi convert them). */
function queueKey(topic: string, queueId: number): string {
  return `${topic}\u0000${queueId | 0}`;
}

function transactionType(message: StoreMessage): number {
  return (message.sysFlag ?? 0) & TRANSACTION_TYPE_MASK;
}

function isEnqueued(message: StoreMessage): boolean {
  const type = transactionType(message);
  return type === MessageSysFlag.TRANSACTION_NOT_TYPE || type === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

function closedError(): StoreError {
  return new StoreError(StoreErrorCode.STORE_CLOSED, 'the store is closed');
}

/** Offsets and sizes cross the native boundary as non-negative integers; anything else is refused there. */
function checkNonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StoreError(StoreErrorCode.INVALID_ARG, `${name} must be a non-negative integer, got ${value}`);
  }
}
