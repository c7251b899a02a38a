// FrameBufferPool: the buffers of large frames whose connections closed before the frames completed,
// lent again to the next large frame instead of left to the garbage collector; a flood of partial frames
// then reuses the same memory (docs/reliability.md §3). Bounded together with the incomplete-frame
// budget: pooled bytes plus the budget's bytes in use never pass its limit. Depends on
// front-door-limits.ts.

import type { ByteBudget } from './front-door-limits.js';

export class FrameBufferPool {
  private free: Buffer[] = [];
  private pooledSizeBytes = 0;

  constructor(private readonly budget: ByteBudget) {}

  /** Bytes held by pooled buffers. */
  get pooledBytes(): number {
    return this.pooledSizeBytes;
  }

  /**
   * A buffer of exactly `sizeBytes` (its contents undefined): a view of a pooled one when one fits
   * without wasting more than its half, else a new one.
   */
  take(sizeBytes: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buffer = this.free[i] as Buffer;
      if (buffer.length >= sizeBytes && buffer.length <= 2 * sizeBytes) {
        this.free.splice(i, 1);
        this.pooledSizeBytes -= buffer.length;
        return buffer.subarray(0, sizeBytes);
      }
    }
    return Buffer.allocUnsafeSlow(sizeBytes);
  }

  /** Takes back the buffer of a frame that will never complete, if the budget's limit leaves room for it. */
  give(frame: Buffer): void {
    const whole = Buffer.from(frame.buffer, frame.byteOffset, frame.buffer.byteLength - frame.byteOffset);
    if (this.pooledSizeBytes + whole.length + this.budget.usedBytes > this.budget.limitBytes) return;
    this.free.push(whole);
    this.pooledSizeBytes += whole.length;
  }

  /** Lets every pooled buffer go (the server is quiet: see memory-reclaim.ts). */
  clear(): void {
    this.free = [];
    this.pooledSizeBytes = 0;
  }
}
