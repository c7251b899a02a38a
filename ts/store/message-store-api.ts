// The MessageStore interface the broker's domain code depends on, and the values that cross it:
// the message to append, the append result, the read result and its status table (Java
// `GetMessageStatus`). Implemented by NativeMessageStore and MemoryMessageStore; no N-API or file system here.

import type { SocketAddress } from '../common/socket-address.js';

export type { SocketAddress } from '../common/socket-address.js';

/** One message to append: the fields a CommitLog record takes from the producer and the broker. */
export interface StoreMessage {
  readonly topic: string;
  readonly queueId: number;
  readonly body: Uint8Array;
  /** The producer's `Message.flag`; 0 when absent. */
  readonly flag?: number;
  /** The encoded property string (`name\x01value\x02...`, see ts/common/message-properties.ts). */
  readonly properties?: string;
  /** sysFlag bits; the IPv6 host bits (0x10, 0x20) are derived from the hosts. */
  readonly sysFlag?: number;
  /** ms since the epoch, from the producer. */
  readonly bornTimestamp: number;
  readonly bornHost: SocketAddress;
  readonly storeHost: SocketAddress;
  readonly reconsumeTimes?: number;
  /** CommitLog offset of the half message, for commit records; 0 when absent. */
  readonly preparedTransactionOffset?: number;
}

/** The result of one append batch. */
export interface AppendResult {
  /** The store timestamp (ms) shared by every record of the batch. */
  readonly storeTimestamp: number;
  readonly messageCount: number;
  /**
   * `[physicalOffset_i, queueOffset_i]` pairs, 2 * messageCount numbers. A view of a buffer the store
   * reuses on its next append: copy what must outlive that.
   */
  readonly offsets: Float64Array;
  /** The physical offset one past the batch's last record: what a flush must reach to cover it. */
  readonly endOffset: number;
}

/** The result of a query by key (Java `QueryMessageResult`). */
export interface QueryMessageResult {
  readonly messageCount: number;
  /** The raw records, back to back, newest first. Hash matches: callers re-check the keys. */
  readonly buffer: Buffer;
  readonly indexLastUpdateTimestamp: number;
  readonly indexLastUpdatePhyoffset: number;
}

/** Java `GetMessageStatus`, by ordinal. */
export const GetMessageStatus = {
  FOUND: 0,
  NO_MATCHED_MESSAGE: 1,
  MESSAGE_WAS_REMOVING: 2,
  OFFSET_FOUND_NULL: 3,
  OFFSET_OVERFLOW_BADLY: 4,
  OFFSET_OVERFLOW_ONE: 5,
  OFFSET_TOO_SMALL: 6,
  NO_MATCHED_LOGIC_QUEUE: 7,
  NO_MESSAGE_IN_QUEUE: 8,
} as const;

export type GetMessageStatus = (typeof GetMessageStatus)[keyof typeof GetMessageStatus];

export interface GetMessagesResult {
  readonly status: GetMessageStatus;
  /** Where the next read of this queue should start. */
  readonly nextBeginOffset: number;
  readonly minOffset: number;
  readonly maxOffset: number;
  readonly messageCount: number;
  /** The raw CommitLog records, back to back: a PULL response body as it is sent. */
  readonly buffer: Buffer;
}

/** Read limits, as the pull request gives them (Java `maxTransferCountOnMessageInMemory` and friends). */
export interface GetMessagesOptions {
  /** Byte budget of one read; at least one message is returned if any. Default 256 KiB. */
  readonly maxSizeBytes?: number;
  /** Only units whose tags hash code is listed (see ts/common/tag-code.ts); absent or null: all. */
  readonly tagCodes?: readonly number[] | Float64Array | null;
}

export interface MessageStore {
  /** Appends a batch all or nothing: one store call per batch. Throws StoreError. */
  append(messages: readonly StoreMessage[]): AppendResult;
  getMessages(
    topic: string,
    queueId: number,
    queueOffset: number,
    maxCount: number,
    options?: GetMessagesOptions,
  ): GetMessagesResult;
  /**
   * Settles once the CommitLog is on disk up to `endOffset` (an AppendResult's): under SYNC_FLUSH the
   * group commit that covers it; rejects with ERR_FLUSH_DISK_TIMEOUT after `timeoutMs` (5000).
   */
  whenFlushed(endOffset: number, timeoutMs?: number): Promise<void>;
  /** Records indexed under `topic#key` (KEYS or UNIQ_KEY) stored within [beginMs, endMs], at most 64. */
  queryMessage(topic: string, key: string, maxCount: number, beginMs: number, endMs: number): QueryMessageResult;
  /** One whole record at a physical offset (a copy). */
  getMessageByOffset(physicalOffset: number): Buffer;
  /** The records at several physical offsets, back to back in one Buffer (one store call); missing ones skipped. */
  getMessagesByOffsets(physicalOffsets: readonly number[]): Buffer;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  /** The next queue offset to be written. */
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  /** The first queue offset stored at or after `timestampMs`; the max offset when all are older. */
  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number;
  /** The store time of the queue's first message, -1 when it has none. */
  getEarliestMessageStoreTime(topic: string, queueId: number): number;
  getMinPhysicalOffset(): number;
  getMaxPhysicalOffset(): number;
  /** Flushes and releases the store; idempotent. Every later call throws ERR_STORE_CLOSED. */
  close(): void;
}
