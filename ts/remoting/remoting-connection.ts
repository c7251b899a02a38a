// RemotingConnection: one TCP socket speaking Remoting in both directions, shared by server and
// client. Owns the socket's frame decoder, the in-flight invokes (matched by opaque), and the write
// batch (all frames of one event-loop turn go out in one corked writev). Incoming requests go to
// `onRequest`. Depends on node:net, frame-codec.ts, frame-decoder.ts, ts/common/logger.ts.

import type { Socket } from 'node:net';
import type { Logger } from '../common/logger.js';
import { requestCodeName } from './codes.js';
import { encodeFrameParts } from './frame-codec.js';
import { FrameDecoder } from './frame-decoder.js';
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
}

export const DEFAULT_MAX_WRITE_BUFFER_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CLOSE_GRACE_MS = 1000;

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
  private writeBatch: Buffer[] = [];
  private flushScheduled = false;
  private isClosed = false;
  private closeReason: string | null = null;
  private markClosed: () => void = () => {};

  constructor(
    private readonly socket: Socket,
    private readonly options: RemotingConnectionOptions,
  ) {
    this.remoteAddress = formatRemoteAddress(socket);
    this.logger = options.logger.child({ remoteAddress: this.remoteAddress });
    this.decoder = new FrameDecoder({ maxFrameSizeBytes: options.maxFrameSizeBytes });
    this.maxWriteBufferBytes = options.maxWriteBufferBytes ?? DEFAULT_MAX_WRITE_BUFFER_BYTES;
    this.closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.logger.debug('socket error', { error: error.message }));
    socket.on('close', () => this.onSocketClose());
  }

  get isOpen(): boolean {
    return !this.isClosed && !this.socket.destroyed;
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
   * Queues `command` for this turn's write batch. Returns false when the connection is closed (the
   * frame is dropped); throws a RemotingError when the command cannot be encoded.
   */
  send(command: RemotingCommand): boolean {
    if (!this.isOpen) return false;
    const parts = encodeFrameParts(command);
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

  private onData(chunk: Buffer): void {
    const { commands, error } = this.decoder.push(chunk);
    for (const command of commands) this.receive(command);
    if (error !== null) this.destroy(error.message, { code: error.code });
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

  /** Writes this turn's frames in one corked batch (one writev), then checks the backlog bound. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.writeBatch;
    if (batch.length === 0 || this.socket.destroyed) return;
    this.writeBatch = [];
    this.socket.cork();
    for (const part of batch) this.socket.write(part);
    this.socket.uncork();
    if (this.socket.writableLength > this.maxWriteBufferBytes) {
      this.destroy('peer is not reading', {
        writableBytes: this.socket.writableLength,
        maxWriteBufferBytes: this.maxWriteBufferBytes,
      });
    }
  }

  private onSocketClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.writeBatch = [];
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
