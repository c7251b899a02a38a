// The checkpoints of every pop whose messages are not all acked or revived yet, in memory: the merge
// buffer (Java `PopBufferMergeService`: an ack that finds its checkpoint still unwritten only sets a
// bit, and a checkpoint acked in full before it is due to be written is never written) and the revive
// state (which checkpoints are due, which of their messages are still un-acked, how far each revive
// queue's log may be forgotten). Bounded by its caller (`isFull`). Pure: no clock, no store.
// Depends on pop-checkpoint.ts.

import { type PopCheckPoint, reviveTimeOf } from './pop-checkpoint.js';

export interface InflightCheckpoint {
  readonly key: string;
  readonly ck: PopCheckPoint;
  readonly reviveQueueId: number;
  /** When the pop happened (the buffer's stay time counts from here). */
  readonly addedAtMs: number;
  /** Bit i: message i of the checkpoint is acked. */
  ackedBits: number;
  /** The checkpoint is in the revive log (or being written to it). */
  stored: boolean;
  /** Its queue offset in its revive queue once written; -1 before. */
  reviveLogOffset: number;
}

export type AckOutcome =
  /** No live checkpoint for this receipt: acked, revived or never popped. */
  | { readonly kind: 'unknown' }
  /** The message was acked before. */
  | { readonly kind: 'already-acked'; readonly entry: InflightCheckpoint }
  /** Marked; `complete` when every message of the checkpoint is now acked (it was removed). */
  | { readonly kind: 'acked'; readonly entry: InflightCheckpoint; readonly complete: boolean };

/** The key of a checkpoint: one pop (popTime) of one queue from one start offset by one group. */
export function checkpointKey(group: string, topic: string, queueId: number, startOffset: number, popTime: number) {
  return `${group}@${topic}@${queueId}@${startOffset}@${popTime}`;
}

/** The bits of every message of a checkpoint (up to 32), as an unsigned 32-bit value. */
export function allAckedBits(ck: PopCheckPoint): number {
  return ck.num >= 32 ? 0xffffffff : 2 ** ck.num - 1;
}

export class InflightCheckpoints {
  private readonly entries = new Map<string, InflightCheckpoint>();
  /** Messages not acked yet, over all checkpoints. */
  private inflightMessages = 0;

  constructor(private readonly maxCheckpoints: number) {}

  get size(): number {
    return this.entries.size;
  }

  get messageCount(): number {
    return this.inflightMessages;
  }

  isFull(): boolean {
    return this.entries.size >= this.maxCheckpoints;
  }

  /** Adds a pop's checkpoint (bits already set in `ck.bitMap` count as acked). */
  add(ck: PopCheckPoint, reviveQueueId: number, addedAtMs: number, stored: boolean, reviveLogOffset = -1) {
    const key = checkpointKey(ck.cid, ck.topic, ck.queueId, ck.startOffset, ck.popTime);
    const entry: InflightCheckpoint = {
      key,
      ck,
      reviveQueueId,
      addedAtMs,
      ackedBits: (ck.bitMap & allAckedBits(ck)) >>> 0,
      stored,
      reviveLogOffset,
    };
    const previous = this.entries.get(key);
    if (previous !== undefined) this.inflightMessages -= unackedCount(previous);
    this.entries.set(key, entry);
    this.inflightMessages += unackedCount(entry);
    return entry;
  }

  get(key: string): InflightCheckpoint | undefined {
    return this.entries.get(key);
  }

  /** Marks the message at `queueOffset` of the checkpoint `key` acked. */
  ack(key: string, queueOffset: number): AckOutcome {
    const entry = this.entries.get(key);
    if (entry === undefined) return { kind: 'unknown' };
    const index = entry.ck.queueOffsetDiff.indexOf(queueOffset - entry.ck.startOffset);
    if (index < 0) return { kind: 'unknown' };
    const bit = 1 << index;
    if ((entry.ackedBits & bit) !== 0) return { kind: 'already-acked', entry };
    entry.ackedBits = (entry.ackedBits | bit) >>> 0;
    this.inflightMessages--;
    const complete = (entry.ackedBits & allAckedBits(entry.ck)) >>> 0 === allAckedBits(entry.ck);
    if (complete) this.entries.delete(key);
    return { kind: 'acked', entry, complete };
  }

  /** Whether the message at `queueOffset` of checkpoint `key` is popped and not acked. */
  isInflight(key: string, queueOffset: number): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    const index = entry.ck.queueOffsetDiff.indexOf(queueOffset - entry.ck.startOffset);
    return index >= 0 && (entry.ackedBits & (1 << index)) === 0;
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.inflightMessages -= unackedCount(entry);
    this.entries.delete(key);
  }

  /** Checkpoints whose invisible time has ended by `nowMs`, at most `maxCount`. */
  due(nowMs: number, maxCount: number): InflightCheckpoint[] {
    const due: InflightCheckpoint[] = [];
    for (const entry of this.entries.values()) {
      if (reviveTimeOf(entry.ck) <= nowMs) due.push(entry);
      if (due.length >= maxCount) break;
    }
    return due;
  }

  /** Checkpoints not written yet that were added at or before `addedBeforeMs` (all when Infinity). */
  unstored(addedBeforeMs: number): InflightCheckpoint[] {
    const found: InflightCheckpoint[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.stored && entry.addedAtMs <= addedBeforeMs) found.push(entry);
    }
    return found;
  }

  /** Per revive queue (0 … queueCount-1), the lowest revive-log offset of a written, live checkpoint. */
  lowestReviveLogOffsets(queueCount: number): Array<number | undefined> {
    const lowest: Array<number | undefined> = new Array<number | undefined>(queueCount).fill(undefined);
    for (const entry of this.entries.values()) {
      if (entry.reviveLogOffset < 0 || entry.reviveQueueId >= queueCount) continue;
      const current = lowest[entry.reviveQueueId];
      if (current === undefined || entry.reviveLogOffset < current) lowest[entry.reviveQueueId] = entry.reviveLogOffset;
    }
    return lowest;
  }
}

/** The queue offsets of a checkpoint's messages that are not acked. */
export function unackedOffsets(entry: Pick<InflightCheckpoint, 'ck' | 'ackedBits'>): number[] {
  const offsets: number[] = [];
  entry.ck.queueOffsetDiff.forEach((diff, index) => {
    if ((entry.ackedBits & (1 << index)) === 0) offsets.push(entry.ck.startOffset + diff);
  });
  return offsets;
}

function unackedCount(entry: InflightCheckpoint): number {
  return unackedOffsets(entry).length;
}
