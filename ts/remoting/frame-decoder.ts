// FrameDecoder: turns a connection's socket chunks into RemotingCommands across chunk boundaries.
// A frame inside one chunk is a view (no copy); only a frame split across chunks is copied once. The
// bytes held are bounded per connection and by a shared ByteBudget. Errors are returned, never thrown,
// and are final. Depends on frame-codec.ts, front-door-limits.ts, remoting-error.ts.

import {
  DEFAULT_MAX_FRAME_SIZE_BYTES,
  FRAME_LENGTH_FIELD_SIZE_BYTES,
  FRAME_PREFIX_SIZE_BYTES,
  decodeFrame,
} from './frame-codec.js';
import type { FrameBufferPool } from './frame-buffer-pool.js';
import { type ByteBudget, DEFAULT_HEADER_LIMITS, type HeaderLimits } from './front-door-limits.js';
import type { RemotingCommand } from './remoting-command.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';

export interface FrameDecoderOptions {
  /** The largest whole frame (length field included) accepted; Java's default is 16 MiB. */
  readonly maxFrameSizeBytes?: number;
  /** Bytes of incomplete frames this stream may hold; default maxFrameSizeBytes. */
  readonly maxPendingFrameBytes?: number;
  /** The process-wide budget for bytes of incomplete frames, shared with other streams. */
  readonly budget?: ByteBudget;
  /** Where large split frames get their buffers, and give them back when they never complete. */
  readonly framePool?: FrameBufferPool;
  readonly headerLimits?: HeaderLimits;
}

/**
 * A split frame at least this large is gathered into one buffer of its final size as it arrives, so
 * the socket's read chunks are freed at once (many small chunks held from a peak fragment the heap).
 */
const GATHER_MIN_FRAME_BYTES = 256 * 1024;

/** What one `push` produced: the commands completed by it, and the error that ended the stream, if any. */
export interface FrameDecodeResult {
  readonly commands: RemotingCommand[];
  readonly error: RemotingError | null;
}

export class FrameDecoder {
  readonly maxFrameSizeBytes: number;
  private readonly maxPendingFrameBytes: number;
  private readonly budget: ByteBudget | null;
  private readonly framePool: FrameBufferPool | null;
  private readonly headerLimits: HeaderLimits;
  private chunks: Buffer[] = [];
  private bufferedSizeBytes = 0;
  /** A large split frame being gathered (its full size), and the bytes of it received so far. */
  private gathered: Buffer | null = null;
  private gatheredSizeBytes = 0;
  /** Bytes taken from the shared budget: what this stream held after its last push. */
  private reservedSizeBytes = 0;
  /** The size of the frame at the head of the buffer once its length field is read, else -1. */
  private frameSizeBytes = -1;
  private failure: RemotingError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameSizeBytes = options.maxFrameSizeBytes ?? DEFAULT_MAX_FRAME_SIZE_BYTES;
    this.maxPendingFrameBytes = options.maxPendingFrameBytes ?? this.maxFrameSizeBytes;
    this.budget = options.budget ?? null;
    this.framePool = options.framePool ?? null;
    this.headerLimits = options.headerLimits ?? DEFAULT_HEADER_LIMITS;
    if (!Number.isInteger(this.maxFrameSizeBytes) || this.maxFrameSizeBytes < FRAME_PREFIX_SIZE_BYTES) {
      throw new RangeError(
        `maxFrameSizeBytes ${this.maxFrameSizeBytes} must be an integer ≥ ${FRAME_PREFIX_SIZE_BYTES}`,
      );
    }
  }

  /** Bytes held for a frame not yet complete. */
  get bufferedBytes(): number {
    return this.bufferedSizeBytes + this.gatheredSizeBytes;
  }

  /** Whether a large split frame is being gathered (more of its bytes are awaited). */
  get isGathering(): boolean {
    return this.gathered !== null;
  }

  /** The error that ended this stream, or null. */
  get error(): RemotingError | null {
    return this.failure;
  }

  /**
   * Adds a chunk and returns every command it completed. After an error the stream is dead: the
   * buffer is dropped and every later push returns the same error (the connection must close).
   */
  push(chunk: Buffer): FrameDecodeResult {
    const commands: RemotingCommand[] = [];
    if (this.failure !== null) return { commands, error: this.failure };
    try {
      const rest = this.gathered === null ? chunk : this.gather(chunk, commands);
      if (rest.length > 0) {
        this.chunks.push(rest);
        this.bufferedSizeBytes += rest.length;
      }
      this.drain(commands);
      if (this.bufferedSizeBytes > 0 && this.frameSizeBytes >= GATHER_MIN_FRAME_BYTES) this.startGathering();
      this.account(this.heldBytes());
    } catch (error) {
      this.fail(
        error instanceof RemotingError
          ? error
          : new RemotingError(RemotingErrorCode.BAD_FRAME, `frame decoding failed: ${String(error)}`, { cause: error }),
      );
    }
    return { commands, error: this.failure };
  }

  /** Gives back every byte held and its share of the budget (the connection has closed). */
  dispose(): void {
    if (this.failure === null) this.failure = new RemotingError(RemotingErrorCode.BAD_FRAME, 'stream disposed');
    this.dropBuffers();
  }

  /** Copies the part of `chunk` that belongs to the frame being gathered; returns the rest of the chunk. */
  private gather(chunk: Buffer, commands: RemotingCommand[]): Buffer {
    const frame = this.gathered as Buffer;
    const copied = chunk.copy(frame, this.gatheredSizeBytes, 0, frame.length - this.gatheredSizeBytes);
    this.gatheredSizeBytes += copied;
    if (this.gatheredSizeBytes < frame.length) return chunk.subarray(chunk.length);
    this.gathered = null;
    this.gatheredSizeBytes = 0;
    this.frameSizeBytes = -1;
    commands.push(decodeFrame(frame, this.headerLimits));
    return chunk.subarray(copied);
  }

  /**
   * Moves the buffered start of a large frame into one buffer of the frame's size, once its header
   * length is known to be within the limit (a huge header is refused before its bytes are held).
   */
  private startGathering(): void {
    if (this.bufferedSizeBytes < FRAME_PREFIX_SIZE_BYTES) return;
    const headerSizeBytes = this.peekByte(5) * 65536 + this.peekByte(6) * 256 + this.peekByte(7);
    if (headerSizeBytes > this.headerLimits.maxHeaderBytes) {
      throw new RemotingError(
        RemotingErrorCode.OVER_LIMIT,
        `header of ${headerSizeBytes} bytes exceeds maxHeaderBytes ${this.headerLimits.maxHeaderBytes}`,
      );
    }
    // The whole frame is charged before its buffer exists: a frame the budgets cannot hold closes its
    // connection on its first chunk, before the peer's megabytes are read and copied.
    this.account(this.frameSizeBytes);
    const pool = this.framePool;
    const frame = pool === null ? Buffer.allocUnsafeSlow(this.frameSizeBytes) : pool.take(this.frameSizeBytes);
    let at = 0;
    for (const chunk of this.chunks) at += chunk.copy(frame, at);
    this.chunks = [];
    this.bufferedSizeBytes = 0;
    this.gathered = frame;
    this.gatheredSizeBytes = at;
  }

  /** Bytes charged to the budgets: the buffered bytes, and the whole size of a frame being gathered. */
  private heldBytes(): number {
    return this.bufferedSizeBytes + (this.gathered === null ? 0 : this.gathered.length);
  }

  /** Checks `held` bytes against this stream's limit and the shared budget, and settles the budget. */
  private account(held: number): void {
    if (held > this.maxPendingFrameBytes) {
      throw new RemotingError(
        RemotingErrorCode.BUDGET_EXCEEDED,
        `${held} bytes of incomplete frames exceed maxPendingFrameBytes ${this.maxPendingFrameBytes}`,
      );
    }
    const budget = this.budget;
    if (budget === null || held === this.reservedSizeBytes) return;
    if (held < this.reservedSizeBytes) {
      budget.release(this.reservedSizeBytes - held);
    } else if (!budget.tryReserve(held - this.reservedSizeBytes)) {
      throw new RemotingError(
        RemotingErrorCode.BUDGET_EXCEEDED,
        `${held} bytes of incomplete frames exceed the process budget of ${budget.limitBytes} ` +
          `(${budget.usedBytes} in use)`,
      );
    }
    this.reservedSizeBytes = held;
  }

  private drain(commands: RemotingCommand[]): void {
    for (;;) {
      if (this.frameSizeBytes < 0) {
        if (this.bufferedSizeBytes < FRAME_LENGTH_FIELD_SIZE_BYTES) return;
        this.frameSizeBytes = this.readFrameSize();
      }
      if (this.bufferedSizeBytes < this.frameSizeBytes) return;
      const frame = this.take(this.frameSizeBytes);
      this.frameSizeBytes = -1;
      commands.push(decodeFrame(frame, this.headerLimits));
    }
  }

  /** Reads and checks the head frame's length field, before buffering the frame. */
  private readFrameSize(): number {
    const length = this.peekUInt32();
    const frameSizeBytes = length + FRAME_LENGTH_FIELD_SIZE_BYTES;
    if (frameSizeBytes > this.maxFrameSizeBytes) {
      throw new RemotingError(
        RemotingErrorCode.FRAME_TOO_LARGE,
        `frame of ${frameSizeBytes} bytes exceeds maxFrameSizeBytes ${this.maxFrameSizeBytes}`,
      );
    }
    if (frameSizeBytes < FRAME_PREFIX_SIZE_BYTES) {
      throw new RemotingError(RemotingErrorCode.BAD_FRAME, `frame length field ${length} is below the minimum of 4`);
    }
    return frameSizeBytes;
  }

  /** The buffered byte at `index` (which must be below bufferedSizeBytes). */
  private peekByte(index: number): number {
    let at = index;
    for (const chunk of this.chunks) {
      if (at < chunk.length) return chunk[at] as number;
      at -= chunk.length;
    }
    return 0;
  }

  private peekUInt32(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readUInt32BE(0);
    let value = 0;
    let read = 0;
    for (const chunk of this.chunks) {
      for (let i = 0; i < chunk.length && read < 4; i++, read++) value = value * 256 + (chunk[i] as number);
      if (read === 4) break;
    }
    return value;
  }

  /** Removes `sizeBytes` from the head: a view when one chunk holds them, else one copy. */
  private take(sizeBytes: number): Buffer {
    this.bufferedSizeBytes -= sizeBytes;
    const first = this.chunks[0] as Buffer;
    if (first.length >= sizeBytes) {
      const frame = first.subarray(0, sizeBytes);
      if (first.length === sizeBytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(sizeBytes);
      return frame;
    }
    const frame = Buffer.allocUnsafe(sizeBytes);
    let copied = 0;
    let used = 0;
    while (copied < sizeBytes) {
      const chunk = this.chunks[used] as Buffer;
      const n = Math.min(chunk.length, sizeBytes - copied);
      chunk.copy(frame, copied, 0, n);
      copied += n;
      if (n === chunk.length) used++;
      else this.chunks[used] = chunk.subarray(n);
    }
    // One splice per frame keeps a frame fed byte by byte linear, not quadratic.
    this.chunks.splice(0, used);
    return frame;
  }

  private fail(error: RemotingError): void {
    this.failure = error;
    this.dropBuffers();
  }

  private dropBuffers(): void {
    const gathered = this.gathered;
    this.chunks = [];
    this.bufferedSizeBytes = 0;
    this.gathered = null;
    this.gatheredSizeBytes = 0;
    this.frameSizeBytes = -1;
    if (this.budget !== null) this.budget.release(this.reservedSizeBytes);
    this.reservedSizeBytes = 0;
    if (gathered !== null) this.framePool?.give(gathered);
  }
}
