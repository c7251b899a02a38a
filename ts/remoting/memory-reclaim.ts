// MemoryReclaimer: gives memory back once a flow of incomplete frames has stopped. Their buffers (the
// frame pool's, socket reads) are freed only when V8 collects them, which an idle server may not do for
// minutes, and glibc keeps freed heap pages resident; so after a quiet sweep the server empties the pool
// and asks for one full collection, and at the next sweep (V8 frees the buffers on a thread meanwhile)
// gives the allocator's free pages back (docs/reliability.md §3). Depends on node:v8, node:vm,
// frame-buffer-pool.ts, front-door-limits.ts.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FrameBufferPool } from './frame-buffer-pool.js';
import type { ByteBudget } from './front-door-limits.js';

/** Incomplete-frame bytes let go since the last collection that make the next quiet sweep collect. */
export const RECLAIM_MIN_BYTES = 32 * 1024 * 1024;

export type ReleaseFreeMemory = () => boolean;

export class MemoryReclaimer {
  /** The budget's releasedTotalBytes at the last collection; its totals at the previous sweep. */
  private releasedAtCollection = 0;
  private takenAtSweep = 0;
  private releasedAtSweep = 0;
  private releasePending = false;

  private readonly budget: ByteBudget;
  private readonly framePool: FrameBufferPool;

  constructor(
    frontDoor: { readonly pendingFrameBudget: ByteBudget; readonly framePool: FrameBufferPool },
    private readonly releaseFreeMemory: ReleaseFreeMemory,
  ) {
    this.budget = frontDoor.pendingFrameBudget;
    this.framePool = frontDoor.framePool;
  }

  /**
   * Called on every sweep: collects when no incomplete-frame byte was taken or let go since the previous
   * sweep, and at least RECLAIM_MIN_BYTES were let go (a frame completed or its connection closed: its
   * buffers became garbage) since the last collection; releases free memory one sweep later.
   * Returns what it did, for the log.
   */
  sweep(): 'collected' | 'released' | null {
    if (this.releasePending) {
      this.releasePending = false;
      this.releaseFreeMemory();
      return 'released';
    }
    const taken = this.budget.takenTotalBytes;
    const released = this.budget.releasedTotalBytes;
    const quiet = taken === this.takenAtSweep && released === this.releasedAtSweep;
    this.takenAtSweep = taken;
    this.releasedAtSweep = released;
    if (!quiet || released - this.releasedAtCollection < RECLAIM_MIN_BYTES) return null;
    this.releasedAtCollection = released;
    this.framePool.clear();
    collectGarbage();
    this.releasePending = true;
    return 'collected';
  }
}

let collect: (() => void) | null | undefined;

/** A full garbage collection, if the runtime lets us ask for one (else nothing). */
export function collectGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  }
  collect?.();
}
