// RemotingConnection: one TCP socket speaking Remoting in both directions, shared by server and
// client. Owns the socket's frame decoder, the in-flight invokes (matched by opaque), the write batch
// (all frames of one event-loop turn go out in one corked writev) and its queued reply bytes (read
// paused past half its cap, closed at the cap). On a server, a ConnectionGuard adds the shared budgets
// and the idle, slow-frame and drain deadlines (docs/reliability.md). Depends on node:net,
// frame-codec.ts, frame-decoder.ts, front-door-limits.ts, ts/common/logger.ts.

import type { Socket } from 'node:net';
import type { Logger } from '../common/logger.js';
import { requestCodeName } from './codes.js';
import { encodeFrameParts } from './frame-codec.js';
import type { FrameBufferPool } from './frame-buffer-pool.js';
import { FrameDecoder } from './frame-decoder.js';
import type { ByteBudget, FrontDoorLimits } from './front-door-limits.js';
import { ONEWAY_FLAG, RESPONSE_FLAG, isResponse, type RemotingCommand } from './remoting-command.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';

export interface RemotingConnectionOptions {
  readonly logger: Logger;
  /** Receives every request (not response) that arrives on this connection. */
  readonly onRequest: (request: RemotingCommand, connection: RemotingConnection) => void;
  readonly maxFrameSizeBytes?: number;
  /** Bytes the socket may hold unsent before the peer counts as stuck and is dropped. */
  readonly maxWriteBufferBytes?: number;
  /** How long close() waits for queued bytes to drain before destroying the socket. */
  readonly closeGraceMs?: number;
  /** A server's limits, shared budgets and coarse clock; a client connection has none. */
  readonly guard?: ConnectionGuard;
}

/** What a server shares with each of its connections to bound them (docs/reliability.md). */
export interface ConnectionGuard {
  readonly limits: FrontDoorLimits;
  /** Bytes of incomplete frames, all connections together. */
  readonly pendingFrameBudget: ByteBudget;
  /** Buffers of large incomplete frames, reused across connections within pendingFrameBudget's limit. */
  readonly framePool: FrameBufferPool;
  /** Queued reply bytes, all connections together. */
  readonly writeBufferBudget: ByteBudget;
  /** Milliseconds on a monotonic clock, refreshed by the server's sweep (read on every chunk: no call). */
  readonly clock: { nowMs: number };
}

export const DEFAULT_MAX_WRITE_BUFFER_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CLOSE_GRACE_MS = 1000;
/** Bytes of a large frame a server socket may read before it lets the other sockets have the turn. */
export const READ_SLICE_BYTES = 256 * 1024;
/** Requests of one connection a server runs per turn; the rest of a pipelined batch waits a turn. */
export const REQUEST_SLICE = 64;

interface PendingInvoke {
  readonly resolve: (response: RemotingCommand) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class RemotingConnection {
  /** The peer as "ip:port" ("[v6]:port" for IPv6), fixed at construction. */
  readonly remoteAddress: string;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  private readonly logger: Logger;
  private readonly decoder: FrameDecoder;
  private readonly pending = new Map<number, PendingInvoke>();
  private readonly closeListeners: Array<(connection: RemotingConnection) => void> = [];
  private readonly maxWriteBufferBytes: number;
  private readonly closeGraceMs: number;
  private readonly guard: ConnectionGuard | null;
  private writeBatch: Buffer[] = [];
  /** Reply bytes queued here or in the socket (as of the last flush or drain), charged to the budget. */
  private queuedReplyBytes = 0;
  private lastActiveMs = 0;
  /** When the incomplete frame now buffered began arriving; -1 when none is. */
  private frameStartedMs = -1;
  /** When reading was paused for unread replies; -1 when reading. */
  private pausedSinceMs = -1;
  /** Requests read in the chunk that paused reading, run once the peer has read its replies. */
  private deferred: RemotingCommand[] = [];
  private flushScheduled = false;
  /** Whether a turn is scheduled to run the next slice of held requests. */
  private heldScheduled = false;
  /** Bytes of a large frame read since this socket last yielded its turn; whether a resume is scheduled. */
  private readSliceBytes = 0;
  private yieldPending = false;
  private isClosed = false;
  private closeReason: string | null = null;
  private markClosed: () => void = () => {};

  constructor(
    private readonly socket: Socket,
    private readonly options: RemotingConnectionOptions,
  ) {
    this.remoteAddress = formatRemoteAddress(socket);
    this.logger = options.logger.child({ remoteAddress: this.remoteAddress });
    const guard = options.guard ?? null;
    this.guard = guard;
    this.decoder = new FrameDecoder({
      maxFrameSizeBytes: options.maxFrameSizeBytes ?? guard?.limits.maxFrameSizeBytes,
      maxPendingFrameBytes: guard?.limits.maxPendingFrameBytes,
      budget: guard?.pendingFrameBudget,
      framePool: guard?.framePool,
      headerLimits: guard?.limits,
    });
    this.maxWriteBufferBytes =
      options.maxWriteBufferBytes ?? guard?.limits.maxWriteBufferBytes ?? DEFAULT_MAX_WRITE_BUFFER_BYTES;
    this.lastActiveMs = guard?.clock.nowMs ?? 0;
    this.closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.logger.debug('socket error', { error: error.message }));
    socket.on('close', () => this.onSocketClose());
    socket.on('drain', () => this.onDrain());
  }

  get isOpen(): boolean {
    return !this.isClosed && !this.socket.destroyed;
  }

  /** Reply bytes queued and not yet known to have left (as of the last flush or drain). */
  get queuedBytes(): number {
    return this.queuedReplyBytes;
  }

  /** Bytes held of a frame not yet complete. */
  get pendingFrameBytes(): number {
    return this.decoder.bufferedBytes;
  }

  /** Invokes in flight (sent, not yet answered or timed out). */
  get pendingInvokes(): number {
    return this.pending.size;
  }

  /** Calls `listener` once when the connection closes (at once if it already has). */
  onClose(listener: (connection: RemotingConnection) => void): void {
    if (this.isClosed) listener(this);
    else this.closeListeners.push(listener);
  }

  /**
   * Queues `command` for this turn's write batch. Returns false when the connection is closed, or is
   * closed now because the frame would take its queued bytes past a cap (the frame is dropped); throws
   * a RemotingError when the command cannot be encoded.
   */
  send(command: RemotingCommand): boolean {
    if (!this.isOpen) return false;
    const parts = encodeFrameParts(command);
    const sizeBytes = (parts[0] as Buffer).length + (parts.length > 1 ? (parts[1] as Buffer).length : 0);
    if (!this.admitReply(sizeBytes)) return false;
    for (const part of parts) this.writeBatch.push(part);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  /** Sends `request` and resolves with the response of the same opaque, or rejects with ERR_TIMEOUT. */
  invoke(request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (!this.isOpen) return Promise.reject(this.closedError());
    if (this.pending.has(request.opaque)) {
      return Promise.reject(new Error(`opaque ${request.opaque} is already in flight on ${this.remoteAddress}`));
    }
    const outgoing = (request.flag & (ONEWAY_FLAG | RESPONSE_FLAG)) === 0 ? request : { ...request, flag: 0 };
    return new Promise<RemotingCommand>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request.opaque);
        const name = requestCodeName(request.code) ?? String(request.code);
        reject(
          new RemotingError(
            RemotingErrorCode.TIMEOUT,
            `no response to ${name} (opaque ${request.opaque}) from ${this.remoteAddress} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(request.opaque, { resolve, reject, timer });
      try {
        this.send(outgoing);
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(request.opaque);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Sends `request` with the oneway flag: the peer sends no reply. Throws when closed. */
  invokeOneway(request: RemotingCommand): void {
    if (!this.send({ ...request, flag: (request.flag & ~RESPONSE_FLAG) | ONEWAY_FLAG })) throw this.closedError();
  }

  /**
   * Flushes queued frames, half-closes, and destroys the socket if the peer has not closed within
   * closeGraceMs. Resolves when the socket has closed.
   */
  close(reason = 'closed locally'): Promise<void> {
    if (this.isClosed || this.socket.destroyed) return this.closed;
    this.closeReason ??= reason;
    this.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), this.closeGraceMs).unref();
    return this.closed;
  }

  /** Drops the connection at once (bad input from the peer), logging why. */
  destroy(reason: string, fields: Record<string, unknown> = {}): void {
    if (this.socket.destroyed) return;
    this.closeReason ??= reason;
    this.logger.warn('closing connection', { reason, ...fields });
    this.writeBatch = [];
    this.socket.destroy();
  }

  /**
   * Closes the connection when a deadline has passed: idle (no read, no write), a frame started too
   * long ago, or reading paused for unread replies that did not drain. Called by the server's sweep.
   */
  checkDeadlines(nowMs: number): void {
    const guard = this.guard;
    if (guard === null || !this.isOpen) return;
    const limits = guard.limits;
    if (this.pausedSinceMs >= 0) this.settleQueuedBytes();
    if (nowMs - this.lastActiveMs > limits.idleTimeoutMs) {
      this.destroy('idle', { idleTimeoutMs: limits.idleTimeoutMs });
    } else if (this.frameStartedMs >= 0 && nowMs - this.frameStartedMs > limits.frameTimeoutMs) {
      this.destroy('frame not completed in time', {
        frameTimeoutMs: limits.frameTimeoutMs,
        pendingFrameBytes: this.decoder.bufferedBytes,
      });
    } else if (this.pausedSinceMs >= 0 && nowMs - this.pausedSinceMs > limits.writeDrainTimeoutMs) {
      this.destroy('peer did not read its replies in time', {
        writeDrainTimeoutMs: limits.writeDrainTimeoutMs,
        queuedBytes: this.queuedReplyBytes,
      });
    }
  }

  private onData(chunk: Buffer): void {
    const { commands, error } = this.decoder.push(chunk);
    const guard = this.guard;
    if (guard !== null) {
      this.noteRead(guard.clock.nowMs, commands.length > 0);
      this.yieldWhileGathering(chunk.length);
    }
    let admitted = 0;
    for (const command of commands) {
      if (isResponse(command)) {
        this.receive(command);
      } else if (this.pausedSinceMs >= 0 || this.deferred.length > 0 || (guard !== null && admitted >= REQUEST_SLICE)) {
        this.deferred.push(command);
      } else {
        admitted++;
        this.receive(command);
      }
    }
    if (this.deferred.length > 0 && this.pausedSinceMs < 0) this.holdForNextTurn();
    if (error !== null) this.destroy(error.message, { code: error.code });
  }

  /**
   * Fairness: a server socket gathering a large frame stops being read every READ_SLICE_BYTES and is
   * read again on the next turn, so one turn never copies megabytes from each of many sockets while
   * other connections' requests wait (libuv reads up to 32 chunks of 64 KiB per socket per turn).
   */
  private yieldWhileGathering(readBytes: number): void {
    if (!this.decoder.isGathering) {
      this.readSliceBytes = 0;
      return;
    }
    this.readSliceBytes += readBytes;
    if (this.readSliceBytes < READ_SLICE_BYTES || this.yieldPending) return;
    this.readSliceBytes = 0;
    this.yieldPending = true;
    this.socket.pause();
    setImmediate(() => {
      this.yieldPending = false;
      if (this.pausedSinceMs < 0 && this.deferred.length === 0 && !this.socket.destroyed) this.socket.resume();
    });
  }

  /**
   * Fairness: a server runs at most REQUEST_SLICE requests of one connection per turn; the rest of a
   * pipelined batch runs a slice per turn after the other connections had theirs, and the socket is
   * not read meanwhile (its replies, built in the same turn, would otherwise hold the loop).
   */
  private holdForNextTurn(): void {
    this.socket.pause();
    if (this.heldScheduled) return;
    this.heldScheduled = true;
    setImmediate(() => {
      this.heldScheduled = false;
      if (this.pausedSinceMs < 0) this.runHeldRequests();
    });
  }

  /** Runs a slice of the held requests; holds the rest for the next turn, or reads again when none is left. */
  private runHeldRequests(): void {
    for (let n = 0; n < REQUEST_SLICE && this.deferred.length > 0 && this.pausedSinceMs < 0 && this.isOpen; n++) {
      this.receive(this.deferred.shift() as RemotingCommand);
    }
    if (this.pausedSinceMs >= 0 || !this.isOpen) return;
    if (this.deferred.length > 0) this.holdForNextTurn();
    else if (!this.yieldPending) this.socket.resume();
  }

  /** Activity for the idle deadline; the start of the frame now buffered for the frame deadline. */
  private noteRead(nowMs: number, completedFrame: boolean): void {
    this.lastActiveMs = nowMs;
    if (this.decoder.bufferedBytes === 0) this.frameStartedMs = -1;
    else if (completedFrame || this.frameStartedMs < 0) this.frameStartedMs = nowMs;
  }

  /** Takes a reply of `sizeBytes` into the queue, or closes the connection when a cap would be passed. */
  private admitReply(sizeBytes: number): boolean {
    const queued = this.queuedReplyBytes + sizeBytes;
    if (queued > this.maxWriteBufferBytes) {
      this.destroy('peer is not reading its replies', {
        queuedBytes: this.queuedReplyBytes,
        replyBytes: sizeBytes,
        maxWriteBufferBytes: this.maxWriteBufferBytes,
      });
      return false;
    }
    const budget = this.guard?.writeBufferBudget;
    if (budget !== undefined && !budget.tryReserve(sizeBytes)) {
      this.destroy('reply would pass the process-wide reply budget', {
        queuedBytes: this.queuedReplyBytes,
        replyBytes: sizeBytes,
        maxWriteBufferTotalBytes: budget.limitBytes,
      });
      return false;
    }
    this.queuedReplyBytes = queued;
    if (queued > this.maxWriteBufferBytes / 2 && this.pausedSinceMs < 0) this.pauseReading();
    return true;
  }

  /** Stops reading requests until the peer has read enough of its replies (see onDrain). */
  private pauseReading(): void {
    this.pausedSinceMs = this.guard?.clock.nowMs ?? 0;
    this.socket.pause();
    this.logger.debug('reading paused: replies not read', { queuedBytes: this.queuedReplyBytes });
  }

  private onDrain(): void {
    this.settleQueuedBytes();
  }

  /** Brings the queued count down to what is still unsent, gives the rest back, and resumes reading. */
  private settleQueuedBytes(): void {
    const unsent = this.writeBatchBytes() + this.socket.writableLength;
    if (unsent < this.queuedReplyBytes) {
      this.guard?.writeBufferBudget.release(this.queuedReplyBytes - unsent);
      this.queuedReplyBytes = unsent;
    }
    if (this.pausedSinceMs >= 0 && unsent <= this.maxWriteBufferBytes / 4 && !this.socket.destroyed) {
      this.pausedSinceMs = -1;
      this.runHeldRequests();
    }
  }

  private writeBatchBytes(): number {
    let sizeBytes = 0;
    for (const part of this.writeBatch) sizeBytes += part.length;
    return sizeBytes;
  }

  private receive(command: RemotingCommand): void {
    if (!isResponse(command)) {
      this.options.onRequest(command, this);
      return;
    }
    const invoke = this.pending.get(command.opaque);
    if (invoke === undefined) {
      // A response after its invoke timed out, or one we never asked for.
      this.logger.debug('response without a pending request', { opaque: command.opaque, code: command.code });
      return;
    }
    this.pending.delete(command.opaque);
    clearTimeout(invoke.timer);
    invoke.resolve(command);
  }

  /** Writes this turn's frames in one corked batch (one writev), then counts what is still unsent. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.writeBatch;
    if (batch.length === 0 || this.socket.destroyed) return;
    this.writeBatch = [];
    this.socket.cork();
    for (const part of batch) this.socket.write(part);
    this.socket.uncork();
    const unsent = this.socket.writableLength;
    if (unsent < this.queuedReplyBytes) {
      this.guard?.writeBufferBudget.release(this.queuedReplyBytes - unsent);
      this.queuedReplyBytes = unsent;
    }
    const guard = this.guard;
    if (guard !== null) this.lastActiveMs = guard.clock.nowMs;
  }

  private onSocketClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writeBatch = [];
    this.deferred = [];
    this.decoder.dispose();
    this.guard?.writeBufferBudget.release(this.queuedReplyBytes);
    this.queuedReplyBytes = 0;
    const error = this.closedError();
    for (const invoke of this.pending.values()) {
      clearTimeout(invoke.timer);
      invoke.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.pending.clear();
    this.logger.debug('connection closed', { reason: this.closeReason ?? 'closed by peer' });
    for (const listener of this.closeListeners.splice(0)) {
      try {
        listener(this);
      } catch (listenerError) {
        this.logger.error('close listener failed', { error: String(listenerError) });
      }
    }
    this.markClosed();
  }

  private closedError(): RemotingError {
    const reason = this.closeReason ?? 'closed by peer';
    return new RemotingError(
      RemotingErrorCode.CONNECTION_CLOSED,
      `connection to ${this.remoteAddress} is closed (${reason})`,
    );
  }
}

function formatRemoteAddress(socket: Socket): string {
  let host = socket.remoteAddress ?? 'unknown';
  if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice('::ffff:'.length);
  const port = socket.remotePort ?? 0;
  // join() gives a flat string: the address is a Map key on every request (a concatenation would be
  // a rope, flattened again by each lookup).
  return host.includes(':') ? [`[${host}]`, port].join(':') : [host, port].join(':');
}
