// Specification of the streaming frame decoder: frames split at any byte boundary decode, views
// instead of copies where possible, the size limit, and no throwing on any input (fast-check).
// Covers ts/remoting/frame-decoder.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../ts/remoting/frame-codec.js';
import { FrameDecoder } from '../../ts/remoting/frame-decoder.js';
import { ByteBudget } from '../../ts/remoting/front-door-limits.js';
import { createRequest, type RemotingCommand } from '../../ts/remoting/remoting-command.js';

function sampleCommands(count: number): RemotingCommand[] {
  return Array.from({ length: count }, (_, i) => ({
    ...createRequest(10 + i, { topic: `T${i}`, queueId: String(i) }, i % 2 === 0 ? Buffer.from(`body-${i}`) : null),
    serializeType: i % 3 === 0 ? ('ROCKETMQ' as const) : ('JSON' as const),
  }));
}

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('frame decoder', () => {
  it('decodes frames fed one byte at a time', () => {
    const commands = sampleCommands(5);
    const stream = Buffer.concat(commands.map(encodeFrame));
    const decoder = new FrameDecoder();
    const decoded: RemotingCommand[] = [];
    for (let i = 0; i < stream.length; i++) {
      const result = decoder.push(stream.subarray(i, i + 1));
      expect(result.error).toBeNull();
      decoded.push(...result.commands);
    }
    expect(decoded).toEqual(commands);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('returns bodies as views into the chunk when a frame sits in one chunk', () => {
    const chunk = encodeFrame(createRequest(10, {}, Buffer.from('zero-copy')));
    const [command] = new FrameDecoder().push(chunk).commands;
    expect(command?.body?.buffer).toBe(chunk.buffer);
  });

  it('rejects a frame over maxFrameSizeBytes from its length field alone, and stays failed', () => {
    const decoder = new FrameDecoder({ maxFrameSizeBytes: 64 });
    const big = encodeFrame(createRequest(10, {}, Buffer.alloc(100)));
    const result = decoder.push(big.subarray(0, 4));
    expect(result.error?.code).toBe('ERR_FRAME_TOO_LARGE');
    expect(decoder.bufferedBytes).toBe(0);
    expect(decoder.push(encodeFrame(createRequest(10))).error?.code).toBe('ERR_FRAME_TOO_LARGE');
  });

  it('accepts a frame of exactly maxFrameSizeBytes', () => {
    const frame = encodeFrame(createRequest(10, {}, Buffer.alloc(100)));
    const result = new FrameDecoder({ maxFrameSizeBytes: frame.length }).push(frame);
    expect(result.error).toBeNull();
    expect(result.commands).toHaveLength(1);
  });

  it('returns the frames completed before a bad one, then the error', () => {
    const good = encodeFrame(createRequest(10));
    const bad = Buffer.from([0, 0, 0, 4, 9, 0, 0, 0]);
    const result = new FrameDecoder().push(Buffer.concat([good, bad, good]));
    expect(result.commands).toHaveLength(1);
    expect(result.error?.code).toBe('ERR_BAD_FRAME');
  });

  it('decodes any sequence of frames split into any chunks (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.nat(),
        (count, cuts, truncateBy) => {
          const commands = sampleCommands(count);
          const frames = commands.map(encodeFrame);
          const whole = Buffer.concat(frames);
          // Cut off the tail: only the frames that are still complete may come out.
          const stream = whole.subarray(0, whole.length - (truncateBy % (whole.length + 1)));
          let complete = 0;
          for (let end = 0; complete < frames.length; complete++) {
            end += (frames[complete] as Buffer).length;
            if (end > stream.length) break;
          }
          const decoder = new FrameDecoder();
          const decoded: RemotingCommand[] = [];
          for (const chunk of split(stream, cuts)) {
            const result = decoder.push(chunk);
            expect(result.error).toBeNull();
            decoded.push(...result.commands);
          }
          expect(decoded).toEqual(commands.slice(0, complete));
        },
      ),
    );
  });

  it('never throws on random bytes in random chunks, and bounds what it buffers (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
        const decoder = new FrameDecoder({ maxFrameSizeBytes: 256 });
        for (const chunk of split(Buffer.from(bytes), cuts)) {
          const result = decoder.push(chunk);
          expect(Array.isArray(result.commands)).toBe(true);
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(256 + chunk.length);
        }
      }),
    );
  });
});

describe('frame decoder: budgets and large split frames', () => {
  it('gathers large frames split anywhere, with small frames around them, and holds nothing after', () => {
    const large = createRequest(20, { n: 'large' }, Buffer.alloc(600 * 1024, 9));
    const commands = [createRequest(21, { n: 'before' }), large, createRequest(22, { n: 'after' }), large];
    const bytes = Buffer.concat(commands.map((command) => encodeFrame(command)));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const budget = new ByteBudget(4 * 1024 * 1024);
        const decoder = new FrameDecoder({ budget });
        const decoded = split(bytes, cuts).flatMap((chunk) => decoder.push(chunk).commands);
        expect(decoded.map((command) => command.extFields.n)).toEqual(['before', 'large', 'after', 'large']);
        expect(decoded[1]?.body?.equals(large.body as Buffer)).toBe(true);
        expect(decoder.bufferedBytes).toBe(0);
        expect(budget.usedBytes).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('charges held bytes to the shared budget, fails past it, and gives everything back on dispose', () => {
    const budget = new ByteBudget(1000);
    const first = new FrameDecoder({ budget });
    const second = new FrameDecoder({ budget });
    const partial = Buffer.alloc(600);
    partial.writeInt32BE(5000, 0);
    expect(first.push(partial).error).toBeNull();
    expect(budget.usedBytes).toBe(600);
    expect(second.push(partial).error?.code).toBe('ERR_BUDGET_EXCEEDED');
    expect(budget.usedBytes).toBe(600);
    first.dispose();
    expect(budget.usedBytes).toBe(0);
  });

  it('charges a large frame whole on its first chunk; refuses one the budget cannot hold before buffering it', () => {
    const MiB = 1024 * 1024;
    const budget = new ByteBudget(8 * MiB);
    const admitted = new FrameDecoder({ budget });
    const refused = new FrameDecoder({ budget });
    const partial = Buffer.alloc(64 * 1024);
    partial.writeInt32BE(6 * MiB - 4, 0);
    partial.writeInt32BE(16, 4);
    expect(admitted.push(partial).error).toBeNull();
    expect(admitted.isGathering).toBe(true);
    expect(budget.usedBytes).toBe(6 * MiB);
    expect(refused.push(partial).error?.code).toBe('ERR_BUDGET_EXCEEDED');
    expect(refused.isGathering).toBe(false);
    expect(budget.usedBytes).toBe(6 * MiB);
    admitted.dispose();
    expect(budget.usedBytes).toBe(0);
  });

  it('fails a stream holding more than maxPendingFrameBytes', () => {
    const decoder = new FrameDecoder({ maxPendingFrameBytes: 100 });
    const partial = Buffer.alloc(101);
    partial.writeInt32BE(5000, 0);
    expect(decoder.push(partial).error?.code).toBe('ERR_BUDGET_EXCEEDED');
  });
});
