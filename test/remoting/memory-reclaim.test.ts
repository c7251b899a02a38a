// Specification of how memory comes back after incomplete frames (docs/reliability.md §3): the frame
// buffer pool lends the buffers of frames that never completed to the next large frame, within the
// budget's limit, and the reclaimer collects only after a quiet sweep and releases one sweep later.
import { describe, expect, it } from 'vitest';
import { FrameBufferPool } from '../../ts/remoting/frame-buffer-pool.js';
import { FrameDecoder } from '../../ts/remoting/frame-decoder.js';
import { ByteBudget } from '../../ts/remoting/front-door-limits.js';
import { MemoryReclaimer, RECLAIM_MIN_BYTES } from '../../ts/remoting/memory-reclaim.js';

const MiB = 1024 * 1024;

function partialFrame(claimedBytes: number, sizeBytes: number): Buffer {
  const bytes = Buffer.alloc(sizeBytes, 1);
  bytes.writeInt32BE(claimedBytes - 4, 0);
  bytes.writeInt32BE(16, 4);
  return bytes;
}

describe('FrameBufferPool', () => {
  it('lends the buffer of a frame that never completed to the next large frame', () => {
    const budget = new ByteBudget(64 * MiB);
    const pool = new FrameBufferPool(budget);
    const first = new FrameDecoder({ budget, framePool: pool });
    first.push(partialFrame(4 * MiB, MiB));
    expect(first.isGathering).toBe(true);
    first.dispose();
    expect(budget.usedBytes).toBe(0);
    expect(pool.pooledBytes).toBe(4 * MiB);
    const second = new FrameDecoder({ budget, framePool: pool });
    second.push(partialFrame(3 * MiB, MiB));
    expect(pool.pooledBytes).toBe(0);
    second.dispose();
    expect(pool.pooledBytes).toBe(4 * MiB);
  });

  it('keeps pooled bytes plus the bytes in use within the budget limit', () => {
    const budget = new ByteBudget(6 * MiB);
    const pool = new FrameBufferPool(budget);
    const first = new FrameDecoder({ budget, framePool: pool });
    first.push(partialFrame(4 * MiB, MiB));
    first.dispose();
    expect(pool.pooledBytes).toBe(4 * MiB);
    const [b, c] = [0, 1].map(() => new FrameDecoder({ budget, framePool: pool }));
    for (const decoder of [b, c]) expect(decoder?.push(partialFrame(1.5 * MiB, MiB / 2)).error).toBeNull();
    expect(budget.usedBytes).toBe(3 * MiB);
    b?.dispose();
    expect(pool.pooledBytes).toBe(4 * MiB);
    c?.dispose();
    expect(pool.pooledBytes).toBe(5.5 * MiB);
    expect(pool.pooledBytes + budget.usedBytes).toBeLessThanOrEqual(budget.limitBytes);
  });

  it('does not lend a buffer more than twice the size asked for, and lets all go on clear', () => {
    const budget = new ByteBudget(64 * MiB);
    const pool = new FrameBufferPool(budget);
    pool.give(Buffer.allocUnsafeSlow(8 * MiB));
    expect(pool.take(MiB).buffer.byteLength).toBe(MiB);
    expect(pool.pooledBytes).toBe(8 * MiB);
    const lent = pool.take(5 * MiB);
    expect(lent.length).toBe(5 * MiB);
    expect(lent.buffer.byteLength).toBe(8 * MiB);
    pool.give(lent);
    expect(pool.pooledBytes).toBe(8 * MiB);
    pool.clear();
    expect(pool.pooledBytes).toBe(0);
  });
});

describe('MemoryReclaimer', () => {
  function setup() {
    const budget = new ByteBudget(1024 * MiB);
    const framePool = new FrameBufferPool(budget);
    let released = 0;
    const reclaimer = new MemoryReclaimer({ pendingFrameBudget: budget, framePool }, () => {
      released++;
      return true;
    });
    return { budget, framePool, reclaimer, released: () => released };
  }

  it('collects after a quiet sweep once enough bytes were let go, and releases one sweep later', () => {
    const { budget, framePool, reclaimer, released } = setup();
    expect(budget.tryReserve(RECLAIM_MIN_BYTES)).toBe(true);
    expect(reclaimer.sweep()).toBeNull();
    budget.release(RECLAIM_MIN_BYTES);
    framePool.give(Buffer.allocUnsafeSlow(MiB));
    expect(reclaimer.sweep()).toBeNull();
    expect(reclaimer.sweep()).toBe('collected');
    expect(framePool.pooledBytes).toBe(0);
    expect(released()).toBe(0);
    expect(reclaimer.sweep()).toBe('released');
    expect(released()).toBe(1);
    expect(reclaimer.sweep()).toBeNull();
  });

  it('does not collect while bytes keep arriving or after a small flow', () => {
    const { budget, reclaimer } = setup();
    for (let n = 0; n < 5; n++) {
      expect(budget.tryReserve(RECLAIM_MIN_BYTES)).toBe(true);
      budget.release(RECLAIM_MIN_BYTES);
      expect(reclaimer.sweep()).toBeNull();
    }
    expect(reclaimer.sweep()).toBe('collected');
    expect(reclaimer.sweep()).toBe('released');
    expect(budget.tryReserve(RECLAIM_MIN_BYTES - 1)).toBe(true);
    budget.release(RECLAIM_MIN_BYTES - 1);
    expect(reclaimer.sweep()).toBeNull();
    expect(reclaimer.sweep()).toBeNull();
  });
});
