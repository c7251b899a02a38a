// NativeMessageStore: the MessageStore backed by the Rust store through N-API. One native call per
// append batch (drafts from the reused RecordDraftEncoder, offsets into a reused Float64Array) and
// per read; every native error is rethrown here as a StoreError. Depends on native-binding.ts.

import type {
  AppendResult,
  GetMessageStatus,
  GetMessagesOptions,
  GetMessagesResult,
  MessageStore,
  StoreMessage,
} from './message-store-api.js';
import { type NativeStore, type NativeStoreOptions, nativeStoreClass } from './native-binding.js';
import { RecordDraftEncoder } from './record-draft-encoder.js';
import { StoreError, StoreErrorCode, toStoreError } from './store-errors.js';

/** Store options, RocketMQ's names with units (see native/index.d.ts for every key). */
export type MessageStoreOptions = NativeStoreOptions;

/** RocketMQ `maxTransferBytesOnMessageInMemory`. */
export const DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES = 256 * 1024;
const INITIAL_OFFSETS_CAPACITY = 2 * 256;

export class NativeMessageStore implements MessageStore {
  private readonly native: NativeStore;
  private readonly encoder = new RecordDraftEncoder();
  private offsets = new Float64Array(INITIAL_OFFSETS_CAPACITY);

  private constructor(native: NativeStore) {
    this.native = native;
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
    return { storeTimestamp, messageCount: count, offsets: this.offsets.subarray(0, needed) };
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

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return callNative(() => this.native.getMinOffsetInQueue(topic, queueId));
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return callNative(() => this.native.getMaxOffsetInQueue(topic, queueId));
  }

  getMinPhysicalOffset(): number {
    return callNative(() => this.native.getMinPhysicalOffset());
  }

  getMaxPhysicalOffset(): number {
    return callNative(() => this.native.getMaxPhysicalOffset());
  }

  close(): void {
    callNative(() => this.native.close());
  }
}

/** Runs one native call, rethrowing its error as a StoreError (appendDrafts inlines the same). */
function callNative<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toStoreError(error);
  }
}
