// MemoryCommitLog: the memory store's CommitLog. Each append batch is one byte chunk (a copy of the
// drafts) whose records are stamped in place with the fields the store fills (BODYCRC, QUEUEOFFSET,
// PHYSICALOFFSET, STORETIMESTAMP) and found again by physical offset. Records follow each other with no
// file boundary and no blank end-of-file record. Depends on commit-log-record.ts and node:zlib.

import { crc32 } from 'node:zlib';
import { MessageSysFlag, RecordOffset, readInt64, writeInt64 } from './commit-log-record.js';

/** The fields of one record the store fills, and where its STORETIMESTAMP lives. */
export interface RecordStamp {
  readonly queueOffset: number;
  readonly storeTimestampMs: number;
}

/** Where a draft's variable parts sit (the positions depend on the host sizes in SYSFLAG). */
export interface DraftLayout {
  readonly totalSizeBytes: number;
  readonly sysFlag: number;
  readonly storeTimestampPosition: number;
  readonly bodyPosition: number;
  readonly bodySizeBytes: number;
}

/** Reads the layout of the record starting at `start` in `records`. */
export function draftLayout(records: Buffer, start: number): DraftLayout {
  const sysFlag = records.readInt32BE(start + RecordOffset.SYS_FLAG);
  const bornHostSizeBytes = (sysFlag & MessageSysFlag.BORNHOST_V6) !== 0 ? 20 : 8;
  const storeHostSizeBytes = (sysFlag & MessageSysFlag.STOREHOST_V6) !== 0 ? 20 : 8;
  const storeTimestampPosition = RecordOffset.BORN_HOST + bornHostSizeBytes;
  // STORETIMESTAMP, STOREHOST, RECONSUMETIMES (4), PREPARED TRANSACTION OFFSET (8), then BODYLENGTH.
  const bodyLengthPosition = storeTimestampPosition + 8 + storeHostSizeBytes + 4 + 8;
  return {
    totalSizeBytes: records.readInt32BE(start),
    sysFlag,
    storeTimestampPosition,
    bodyPosition: bodyLengthPosition + 4,
    bodySizeBytes: records.readInt32BE(start + bodyLengthPosition),
  };
}

/** The STORETIMESTAMP of a stored record. */
export function recordStoreTimestamp(record: Buffer): number {
  const bornV6 = (record.readInt32BE(RecordOffset.SYS_FLAG) & MessageSysFlag.BORNHOST_V6) !== 0;
  return readInt64(viewOf(record), bornV6 ? 68 : 56);
}

export class MemoryCommitLog {
  /** Every record by its physical offset: views into the chunk of its batch. */
  private readonly records = new Map<number, Buffer>();
  private endOffset = 0;

  /** One past the last record. */
  get maxPhysicalOffset(): number {
    return this.endOffset;
  }

  /**
   * Copies `count` validated drafts into one chunk, stamps each with its stamp and physical offset,
   * and returns those offsets in append order.
   */
  appendBatch(drafts: Uint8Array, stamps: readonly RecordStamp[]): number[] {
    const chunk = Buffer.from(drafts);
    const view = viewOf(chunk);
    const physicalOffsets: number[] = [];
    let start = 0;
    for (const stamp of stamps) {
      const layout = draftLayout(chunk, start);
      const physicalOffset = this.endOffset + start;
      const body = chunk.subarray(start + layout.bodyPosition, start + layout.bodyPosition + layout.bodySizeBytes);
      chunk.writeInt32BE((crc32(body) & 0x7fffffff) | 0, start + RecordOffset.BODY_CRC);
      writeInt64(view, start + RecordOffset.QUEUE_OFFSET, stamp.queueOffset);
      writeInt64(view, start + RecordOffset.PHYSICAL_OFFSET, physicalOffset);
      writeInt64(view, start + layout.storeTimestampPosition, stamp.storeTimestampMs);
      this.records.set(physicalOffset, chunk.subarray(start, start + layout.totalSizeBytes));
      physicalOffsets.push(physicalOffset);
      start += layout.totalSizeBytes;
    }
    if (start !== chunk.length) throw new Error(`drafts end at byte ${start}, the batch holds ${chunk.length}`);
    this.endOffset += chunk.length;
    return physicalOffsets;
  }

  /** The record starting at `physicalOffset` (a view, not a copy), or undefined when none starts there. */
  recordAt(physicalOffset: number): Buffer | undefined {
    return this.records.get(physicalOffset);
  }
}

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
