// NativeMessageStore: the MessageStore backed by the Rust store through N-API. One native call per
// append batch (drafts from the reused RecordDraftEncoder, offsets into a reused Float64Array) and
// per read; every native error is rethrown here as a StoreError. Depends on native-binding.ts.

import { keepAliveNodeScheduler } from '../common/node-scheduler.js';
import { DEFAULT_SYNC_FLUSH_TIMEOUT_MS, FlushWaiters } from './flush-waiters.js';
import type {
  AppendResult,
  GetMessageStatus,
  GetMessagesOptions,
  GetMessagesResult,
  MessageStore,
  QueryMessageResult,
  StoreMessage,
} from './message-store-api.js';
import { DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES } from './message-store-api.js';
import {
  type NativeHaOptions,
  type NativeHaStatus,
  type NativeStore,
  type NativeStoreOptions,
  nativeStoreClass,
} from './native-binding.js';
import { RecordDraftEncoder } from './record-draft-encoder.js';
import { StoreError, StoreErrorCode, toStoreError } from './store-errors.js';

/** Store options, RocketMQ's names with units (see native/index.d.ts for every key). */
export type MessageStoreOptions = NativeStoreOptions;

const INITIAL_OFFSETS_CAPACITY = 2 * 256;

export class NativeMessageStore implements MessageStore {
  private readonly native: NativeStore;
  private readonly encoder = new RecordDraftEncoder();
  private offsets = new Float64Array(INITIAL_OFFSETS_CAPACITY);
  // Referenced timers: a pending flush wait keeps the process alive (the native flush callback does not).
  private readonly flushWaiters = new FlushWaiters(keepAliveNodeScheduler);

  private flushErrorListener: ((error: string) => void) | null = null;

  private constructor(native: NativeStore) {
    this.native = native;
    native.setFlushListener((flushedOffset, error) => {
      if (typeof error === 'string') this.flushErrorListener?.(error);
      this.flushWaiters.onFlushed(flushedOffset, error);
    });
  }

  /** Tells `listener` of every failed flush pass (an ASYNC_FLUSH failure has no waiter to fail). */
  onFlushError(listener: (error: string) => void): void {
    this.flushErrorListener = listener;
  }

  /** Flush reports received from the native flush thread: one per flush pass or group commit. */
  get flushCompletions(): number {
    return this.flushWaiters.completions;
  }

  /** Opens (creating or recovering) the store under `options.storePath`. */
  static open(options: MessageStoreOptions): NativeMessageStore {
    return new NativeMessageStore(callNative(() => nativeStoreClass().open(options)));
  }

  append(messages: readonly StoreMessage[]): AppendResult {
    if (messages.length === 0) throw new StoreError(StoreErrorCode.INVALID_ARG, 'an append batch holds no message');
    return this.appendDrafts(this.encoder.encode(messages), messages.length);
  }

  /**
   * Appends `count` drafts already in the CommitLog layout, back to back (see RecordDraftEncoder).
   * For callers that hold encoded records; the store validates every draft.
   */
  appendDrafts(drafts: Uint8Array, count: number): AppendResult {
    const needed = count * 2;
    if (this.offsets.length < needed) {
      let capacity = this.offsets.length * 2;
      while (capacity < needed) capacity *= 2;
      this.offsets = new Float64Array(capacity);
    }
    let storeTimestamp: number;
    try {
      // Inlined rather than through callNative: this is the per-batch hot path.
      storeTimestamp = this.native.appendBatch(drafts, count, this.offsets);
    } catch (error) {
      throw toStoreError(error);
    }
    const offsets = this.offsets.subarray(0, needed);
    return { storeTimestamp, messageCount: count, offsets, endOffset: batchEndOffset(drafts, count, offsets) };
  }

  whenFlushed(endOffset: number, timeoutMs = DEFAULT_SYNC_FLUSH_TIMEOUT_MS): Promise<void> {
    return this.flushWaiters.wait(endOffset, timeoutMs);
  }

  queryMessage(topic: string, key: string, maxCount: number, beginMs: number, endMs: number): QueryMessageResult {
    return callNative(() => this.native.queryMessage(topic, key, maxCount, beginMs, endMs));
  }

  /** Runs one expiry and disk check now; `manual` also arms RocketMQ's admin `deleteExpiredCommitLog`. */
  cleanExpiredFiles(manual: boolean): void {
    callNative(() => this.native.cleanExpiredFiles(manual));
  }

  /** Every CommitLog byte below this offset is on disk. */
  getFlushedPhysicalOffset(): number {
    return callNative(() => this.native.getFlushedPhysicalOffset());
  }

  getMessages(
    topic: string,
    queueId: number,
    queueOffset: number,
    maxCount: number,
    options: GetMessagesOptions = {},
  ): GetMessagesResult {
    const tagCodes = options.tagCodes;
    const codes = tagCodes == null || tagCodes instanceof Float64Array ? tagCodes : Float64Array.from(tagCodes);
    const maxSizeBytes = options.maxSizeBytes ?? DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES;
    const result = callNative(() =>
      this.native.getMessages(topic, queueId, queueOffset, maxCount, maxSizeBytes, codes),
    );
    return { ...result, status: result.status as GetMessageStatus };
  }

  getMessageByOffset(physicalOffset: number): Buffer {
    return callNative(() => this.native.getMessageByOffset(physicalOffset));
  }

  getMessagesByOffsets(physicalOffsets: readonly number[]): Buffer {
    return callNative(() => this.native.getMessagesByOffsets(Float64Array.from(physicalOffsets)));
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return callNative(() => this.native.getMinOffsetInQueue(topic, queueId));
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return callNative(() => this.native.getMaxOffsetInQueue(topic, queueId));
  }

  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    return callNative(() => this.native.getOffsetInQueueByTime(topic, queueId, timestampMs));
  }

  getEarliestMessageStoreTime(topic: string, queueId: number): number {
    return callNative(() => this.native.getEarliestMessageStoreTime(topic, queueId));
  }

  getMinPhysicalOffset(): number {
    return callNative(() => this.native.getMinPhysicalOffset());
  }

  getMaxPhysicalOffset(): number {
    return callNative(() => this.native.getMaxPhysicalOffset());
  }

  /**
   * Replication, master side (docs/replication.md): serves slaves on `port` (0: any free port) from the
   * store's own threads; returns the port. `onAck(offset)` hears each slave report.
   */
  startHaMaster(port: number, options: NativeHaOptions, onAck?: (ackedOffset: number) => void): number {
    const bound = callNative(() => this.native.startHaMaster(port, options));
    if (onAck !== undefined) callNative(() => this.native.setHaAckListener(onAck));
    return bound;
  }

  /** Replication, slave side: appends what the master at `masterAddress` (`host:port`, "" for later) sends. */
  startHaSlave(masterAddress: string, options: NativeHaOptions): void {
    callNative(() => this.native.startHaSlave(masterAddress, options));
  }

  /** The master's HA address, learned from the registry. */
  setHaMasterAddress(masterAddress: string): void {
    callNative(() => this.native.setHaMasterAddress(masterAddress));
  }

  getHaStatus(): NativeHaStatus {
    return this.native.getHaStatus();
  }

  /** Flushes everything and releases the store; pending flush waits then settle (resolved on success). */
  close(): void {
    try {
      this.native.close();
    } catch (error) {
      const storeError = toStoreError(error);
      this.flushWaiters.rejectAll(storeError);
      throw storeError;
    }
    this.flushWaiters.resolveAll();
  }
}

/** One past the last record: its physical offset plus its TOTALSIZE (walked from the drafts' heads). */
function batchEndOffset(drafts: Uint8Array, count: number, offsets: Float64Array): number {
  const view = new DataView(drafts.buffer, drafts.byteOffset, drafts.byteLength);
  let start = 0;
  for (let i = 1; i < count; i += 1) start += view.getInt32(start);
  return (offsets[2 * (count - 1)] as number) + view.getInt32(start);
}

/** Runs one native call, rethrowing its error as a StoreError (appendDrafts inlines the same). */
function callNative<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toStoreError(error);
  }
}
