// AdminStoreView: what the admin requests read from the store and the file system — queue offsets,
// the store time of one queue position (Java `getMessageStoreTimeStamp`), the CommitLog's offsets
// and oldest record (`getEarliestMessageTime`), and the space of the disks holding the store (statfs).
// Reads straight from the store (not through StatsMessageStore), so admin views are not counted as
// consumption. Depends on ts/store, node:fs and domain/admin types.

import { statfsSync } from 'node:fs';
import { GetMessageStatus, type MessageStore } from '../../store/message-store-api.js';
import { decodeStoredRecord } from '../../protocol/record-decoder.js';
import type { CommitLogReader, CommitLogState, DiskSpace } from '../domain/admin/runtime-info.js';
import type { QueueOffsetsReader } from '../domain/admin/topic-stats.js';
import type { ResetOffsetStore } from '../domain/admin/reset-offset.js';

/** The store calls used here; `getFlushedPhysicalOffset` is NativeMessageStore's. */
export type AdminStore = MessageStore & { getFlushedPhysicalOffset(): number };

export class AdminStoreView implements QueueOffsetsReader, ResetOffsetStore, CommitLogReader {
  constructor(private readonly store: () => AdminStore) {}

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.store().getMinOffsetInQueue(topic, queueId);
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.store().getMaxOffsetInQueue(topic, queueId);
  }

  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    return this.store().getOffsetInQueueByTime(topic, queueId, timestampMs);
  }

  /** The store time of the message at `queueOffset`; -1 when it is not there (expired, not yet written). */
  storeTimeAt(topic: string, queueId: number, queueOffset: number): number {
    const read = this.store().getMessages(topic, queueId, queueOffset, 1);
    if (read.status !== GetMessageStatus.FOUND || read.messageCount === 0) return -1;
    return decodeStoredRecord(read.buffer).storeTimestamp;
  }

  /** The CommitLog's min, max and flushed offsets, and the store time of its oldest record (-1: none). */
  commitLog(): CommitLogState {
    const store = this.store();
    const minOffset = store.getMinPhysicalOffset();
    const maxOffset = store.getMaxPhysicalOffset();
    const earliestMessageTimeMs =
      maxOffset > minOffset ? decodeStoredRecord(store.getMessageByOffset(minOffset)).storeTimestamp : -1;
    return { minOffset, maxOffset, flushedOffset: store.getFlushedPhysicalOffset(), earliestMessageTimeMs };
  }
}

/** The space of the file system holding `path`; null when the path does not exist. */
export function readDiskSpace(path: string): DiskSpace | null {
  try {
    const stats = statfsSync(path);
    return {
      totalBytes: stats.blocks * stats.bsize,
      freeBytes: stats.bfree * stats.bsize,
      usableBytes: stats.bavail * stats.bsize,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
