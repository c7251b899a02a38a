// What the broker knows of resolved transactions, shared by END_TRANSACTION and the check pass (Java
// keeps it in the op-record maps of `TransactionalMessageServiceImpl#check`): the half offsets with
// an op record (a window from the half progress on, and the newest ones behind it), the transaction
// ids resolved in this process, and the op records read or written (where the op progress is).
// Pure and bounded. Depends on transaction-progress.ts.

import { OpRecordIndex, RecentOffsets, RecentValues, ResolvedHalfOffsets } from './transaction-progress.js';

export interface LedgerBounds {
  /** Half offsets kept ahead of the progress (one bit each). */
  readonly windowMaxOffsets: number;
  /** Resolved half offsets and transaction ids remembered behind the progress too. */
  readonly recentMax: number;
}

export class TransactionLedger {
  /** Half queue offsets with an op record, from the half progress on (what the check skips). */
  private readonly resolved: ResolvedHalfOffsets;
  /** The latest resolved half offsets, before the progress too (bounded): a repeated END is refused. */
  private readonly recentlyResolved: RecentOffsets;
  /** UNIQ_KEYs resolved by END_TRANSACTION in this process (bounded): every copy of a half is done. */
  private readonly resolvedIds: RecentValues<string>;
  /** UNIQ_KEYs of halves the check re-appended in this process (bounded): only they can have copies. */
  private readonly copiedIds: RecentValues<string>;
  /** Halves stored up to then (before this process) may have copies this process never saw. */
  private startedAtMs = Number.POSITIVE_INFINITY;
  /** Op records not yet behind the half progress: where the op progress is. */
  private readonly opRecords = new OpRecordIndex();
  /** The next op queue offset to read (records before it are indexed). */
  opReadOffset = 0;

  constructor(bounds: LedgerBounds) {
    this.resolved = new ResolvedHalfOffsets(bounds.windowMaxOffsets);
    this.recentlyResolved = new RecentOffsets(bounds.recentMax);
    this.resolvedIds = new RecentValues<string>(bounds.recentMax);
    this.copiedIds = new RecentValues<string>(bounds.recentMax);
  }

  /**
   * Starts over at the loaded progress: the window from `halfProgress`, op records read from
   * `opReadOffset`; halves stored up to `nowMs` are from before this process.
   */
  reset(halfProgress: number, opReadOffset: number, nowMs: number): void {
    this.resolved.reset(halfProgress);
    this.opReadOffset = opReadOffset;
    this.startedAtMs = nowMs;
  }

  /** The check re-appends a copy of the half with this UNIQ_KEY (a check-back or an immunity copy). */
  noteCopied(uniqueId: string): void {
    if (uniqueId !== '') this.copiedIds.add(uniqueId);
  }

  /**
   * Whether an END of this half must be matched by transaction id too: only a half that may have
   * copies (copied by this process, or stored before it started) can be resolved through another
   * copy. Every other END skips the id memory (most ENDs: they arrive before any check).
   */
  tracksId(uniqueId: string, storeTimestampMs: number): boolean {
    if (uniqueId === '') return false;
    if (storeTimestampMs <= this.startedAtMs) return true;
    return this.copiedIds.size > 0 && this.copiedIds.has(uniqueId);
  }

  isResolved(halfQueueOffset: number): boolean {
    return this.resolved.has(halfQueueOffset) || this.recentlyResolved.has(halfQueueOffset);
  }

  /** Resolved with its op record stored (not only claimed): what the check may move its progress past. */
  isConfirmed(halfQueueOffset: number): boolean {
    return this.resolved.has(halfQueueOffset);
  }

  isResolvedId(uniqueId: string): boolean {
    return uniqueId !== '' && this.resolvedIds.has(uniqueId);
  }

  /** An END accepted, its op record not yet stored: a second END for the half (or its id) is refused. */
  claim(halfQueueOffset: number, uniqueId: string): void {
    if (uniqueId !== '') this.resolvedIds.add(uniqueId);
    this.recentlyResolved.add(halfQueueOffset);
  }

  /** The claim's append failed: the half is open again. */
  release(halfQueueOffset: number, uniqueId: string): void {
    this.recentlyResolved.delete(halfQueueOffset);
    this.resolvedIds.delete(uniqueId);
  }

  /** The half's op record is stored. */
  confirm(halfQueueOffset: number): void {
    this.resolved.add(halfQueueOffset);
  }

  /** An op record read from the store: its halves are resolved. */
  readOpRecord(opQueueOffset: number, halfQueueOffsets: readonly number[]): void {
    let maxHalfOffset = -1;
    for (const offset of halfQueueOffsets) {
      this.resolved.add(offset);
      this.recentlyResolved.add(offset);
      maxHalfOffset = Math.max(maxHalfOffset, offset);
    }
    this.opRecords.add(opQueueOffset, maxHalfOffset);
  }

  /** An op record this broker appended: indexed at once, and not read back when it is next in line. */
  noteOwnOpRecord(opQueueOffset: number, maxHalfQueueOffset: number): void {
    if (opQueueOffset !== this.opReadOffset) return;
    this.opRecords.add(opQueueOffset, maxHalfQueueOffset);
    this.opReadOffset += 1;
  }

  /** The half progress moved to `halfProgress`: forgets what is behind it; returns the op progress. */
  advanceTo(halfProgress: number): number {
    this.resolved.forgetBefore(halfProgress);
    this.opRecords.pruneBefore(halfProgress);
    return this.opRecords.progress(this.opReadOffset);
  }
}
