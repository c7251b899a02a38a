// RemotingServer: the TCP listener of a name server or broker. Accepts connections, wraps each in a
// RemotingConnection, dispatches requests to registered processors, and tells listeners when a
// connection opens or closes (so the registry can drop a broker whose channel closed). Holds the
// front door's shared budgets and sweeps its connections for idle, slow-frame and drain deadlines.
// Depends on node:net, front-door-limits.ts, remoting-connection.ts, request-dispatcher.ts, ts/common.

import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Component } from '../common/lifecycle.js';
import type { Logger } from '../common/logger.js';
import { FrameBufferPool } from './frame-buffer-pool.js';
import { ByteBudget, DEFAULT_FRONT_DOOR_LIMITS, type FrontDoorLimits } from './front-door-limits.js';
import { MemoryReclaimer, type ReleaseFreeMemory } from './memory-reclaim.js';
import { type ConnectionGuard, RemotingConnection } from './remoting-connection.js';
import { RequestDispatcher, type RequestHandler } from './request-dispatcher.js';

export interface RemotingServerOptions {
  /** Component name, e.g. 'registry-remoting'; default 'remoting-server'. */
  readonly name?: string;
  /** 0 picks an ephemeral port (read it back from `port`). */
  readonly port: number;
  /** Default '0.0.0.0'. */
  readonly host?: string;
  readonly logger: Logger;
  /** Largest accepted frame, length field included; default 16 MiB (overrides limits). */
  readonly maxFrameSizeBytes?: number;
  /** Unsent bytes a connection may hold before it is dropped; default 64 MiB (overrides limits). */
  readonly maxWriteBufferBytes?: number;
  /** The front door's limits and budgets; unset ones take DEFAULT_FRONT_DOOR_LIMITS. */
  readonly limits?: Partial<FrontDoorLimits>;
  /** How long stop() lets each connection drain before destroying it; default 1000 ms. */
  readonly closeGraceMs?: number;
  /**
   * Gives the allocator's free memory back to the OS after a flow of incomplete frames has stopped
   * (the broker and the registry pass ts/store's releaseFreeMemory); default: nothing.
   */
  readonly releaseFreeMemory?: ReleaseFreeMemory;
}

export type ConnectionListener = (connection: RemotingConnection) => void;

export class RemotingServer implements Component {
  readonly name: string;
  private readonly logger: Logger;
  private readonly dispatcher: RequestDispatcher;
  private readonly connectionSet = new Set<RemotingConnection>();
  private readonly openListeners: ConnectionListener[] = [];
  private readonly closeListeners: ConnectionListener[] = [];
  private readonly guard: ConnectionGuard;
  private server: Server | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly reclaimer: MemoryReclaimer;
  private boundPort = -1;

  constructor(private readonly options: RemotingServerOptions) {
    this.name = options.name ?? 'remoting-server';
    this.logger = options.logger.child({ component: this.name });
    this.dispatcher = new RequestDispatcher(this.logger);
    const limits: FrontDoorLimits = {
      ...DEFAULT_FRONT_DOOR_LIMITS,
      ...options.limits,
      ...(options.maxFrameSizeBytes !== undefined && { maxFrameSizeBytes: options.maxFrameSizeBytes }),
      ...(options.maxWriteBufferBytes !== undefined && { maxWriteBufferBytes: options.maxWriteBufferBytes }),
    };
    const pendingFrameBudget = new ByteBudget(limits.maxPendingFrameTotalBytes);
    this.guard = {
      limits,
      pendingFrameBudget,
      framePool: new FrameBufferPool(pendingFrameBudget),
      writeBufferBudget: new ByteBudget(limits.maxWriteBufferTotalBytes),
      clock: { nowMs: performance.now() },
    };
    this.reclaimer = new MemoryReclaimer(this.guard, options.releaseFreeMemory ?? (() => false));
  }

  /** The limits in force. */
  get limits(): FrontDoorLimits {
    return this.guard.limits;
  }

  /** Bytes of incomplete frames held across all connections (within limits.maxPendingFrameTotalBytes). */
  get pendingFrameBytes(): number {
    return this.guard.pendingFrameBudget.usedBytes;
  }

  /** Reply bytes queued across all connections (within limits.maxWriteBufferTotalBytes). */
  get queuedReplyBytes(): number {
    return this.guard.writeBufferBudget.usedBytes;
  }

  /** The listening port (the real one when options.port was 0). Throws before start(). */
  get port(): number {
    if (this.boundPort < 0) throw new Error(`${this.name} is not listening`);
    return this.boundPort;
  }

  /** The open connections. */
  get connections(): ReadonlySet<RemotingConnection> {
    return this.connectionSet;
  }

  /** Routes requests with these codes to `handler`; a null result sends no reply. */
  registerProcessor(codes: readonly number[], handler: RequestHandler): void {
    this.dispatcher.register(codes, handler);
  }

  /** Called for every accepted connection. */
  onConnection(listener: ConnectionListener): void {
    this.openListeners.push(listener);
  }

  /** Called when an accepted connection closes, for whatever reason. */
  onClose(listener: ConnectionListener): void {
    this.closeListeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.server !== null) throw new Error(`${this.name} is already started`);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    const host = this.options.host ?? '0.0.0.0';
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.server = null;
      throw error;
    }
    server.on('error', (error) => this.logger.error('listener error', { error: error.message }));
    this.startSweep();
    const address = server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : this.options.port;
    this.logger.info('listening', { host, port: this.boundPort });
  }

  /** Stops accepting, closes every connection (draining queued replies), and waits for all of it. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...this.connectionSet].map((connection) => connection.close('server stopping')));
    await listenerClosed;
    this.boundPort = -1;
    this.logger.info('stopped');
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection = new RemotingConnection(socket, {
      logger: this.logger,
      onRequest: (request, from) => this.dispatcher.dispatch(request, from),
      closeGraceMs: this.options.closeGraceMs,
      guard: this.guard,
    });
    this.connectionSet.add(connection);
    this.logger.debug('connection opened', { remoteAddress: connection.remoteAddress });
    connection.onClose(() => {
      this.connectionSet.delete(connection);
      this.notify(this.closeListeners, connection);
    });
    this.notify(this.openListeners, connection);
  }

  /**
   * Every quarter of the shortest deadline (10 ms to 1 s): refreshes the connections' coarse clock and
   * closes those past a deadline. One timer per server, none per connection.
   */
  private startSweep(): void {
    const limits = this.guard.limits;
    const shortestMs = Math.min(limits.idleTimeoutMs, limits.frameTimeoutMs, limits.writeDrainTimeoutMs);
    const intervalMs = Math.min(1000, Math.max(10, Math.floor(shortestMs / 4)));
    this.sweepTimer = setInterval(() => this.sweep(), intervalMs);
    this.sweepTimer.unref();
  }

  private sweep(): void {
    const nowMs = performance.now();
    this.guard.clock.nowMs = nowMs;
    for (const connection of this.connectionSet) connection.checkDeadlines(nowMs);
    const reclaimed = this.reclaimer.sweep();
    if (reclaimed !== null) {
      const durationMs = Math.round(performance.now() - nowMs);
      this.logger.info(`memory of incomplete frames ${reclaimed}`, { heldBytes: this.pendingFrameBytes, durationMs });
    }
  }

  private notify(listeners: readonly ConnectionListener[], connection: RemotingConnection): void {
    for (const listener of listeners) {
      try {
        listener(connection);
      } catch (error) {
        this.logger.error('connection listener failed', { error: String(error) });
      }
    }
  }
}
