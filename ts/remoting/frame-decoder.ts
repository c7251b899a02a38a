// FrameDecoder: turns a connection's socket chunks into RemotingCommands across chunk boundaries.
// A frame inside one chunk is a view (no copy); only a frame split across chunks is copied once.
// Buffering is bounded by maxFrameSizeBytes. Errors are returned, never thrown, and are final.
// Depends on frame-codec.ts, remoting-error.ts.

import {
  DEFAULT_MAX_FRAME_SIZE_BYTES,
  FRAME_LENGTH_FIELD_SIZE_BYTES,
  FRAME_PREFIX_SIZE_BYTES,
  decodeFrame,
} from './frame-codec.js';
import type { RemotingCommand } from './remoting-command.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';

export interface FrameDecoderOptions {
  /** The largest whole frame (length field included) accepted; Java's default is 16 MiB. */
  readonly maxFrameSizeBytes?: number;
}

/** What one `push` produced: the commands completed by it, and the error that ended the stream, if any. */
export interface FrameDecodeResult {
  readonly commands: RemotingCommand[];
  readonly error: RemotingError | null;
}

export class FrameDecoder {
  readonly maxFrameSizeBytes: number;
  private chunks: Buffer[] = [];
  private bufferedSizeBytes = 0;
  /** The size of the frame at the head of the buffer once its length field is read, else -1. */
  private frameSizeBytes = -1;
  private failure: RemotingError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameSizeBytes = options.maxFrameSizeBytes ?? DEFAULT_MAX_FRAME_SIZE_BYTES;
    if (!Number.isInteger(this.maxFrameSizeBytes) || this.maxFrameSizeBytes < FRAME_PREFIX_SIZE_BYTES) {
      throw new RangeError(
        `maxFrameSizeBytes ${this.maxFrameSizeBytes} must be an integer ≥ ${FRAME_PREFIX_SIZE_BYTES}`,
      );
    }
  }

  /** Bytes held for a frame not yet complete. */
  get bufferedBytes(): number {
    return this.bufferedSizeBytes;
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
      if (chunk.length > 0) {
        this.chunks.push(chunk);
        this.bufferedSizeBytes += chunk.length;
      }
      this.drain(commands);
    } catch (error) {
      this.fail(
        error instanceof RemotingError
          ? error
          : new RemotingError(RemotingErrorCode.BAD_FRAME, `frame decoding failed: ${String(error)}`, { cause: error }),
      );
    }
    return { commands, error: this.failure };
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
      commands.push(decodeFrame(frame));
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
    this.chunks = [];
    this.bufferedSizeBytes = 0;
    this.frameSizeBytes = -1;
  }
}
