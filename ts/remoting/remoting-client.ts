// RemotingClient: the dialling side (broker → name server, SDK → broker, tests). One lazily opened
// connection per "host:port", reopened on the next call after it closes; requests the server sends
// back on that connection go to registered processors. Depends on node:net, remoting-connection.ts,
// request-dispatcher.ts, ts/common (logger, lifecycle).

import { connect } from 'node:net';
import type { Component } from '../common/lifecycle.js';
import type { Logger } from '../common/logger.js';
import type { RemotingCommand } from './remoting-command.js';
import { RemotingConnection } from './remoting-connection.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';
import { RequestDispatcher, type RequestHandler } from './request-dispatcher.js';

export interface RemotingClientOptions {
  /** Component name; default 'remoting-client'. */
  readonly name?: string;
  readonly logger: Logger;
  /** Longest wait for a TCP connect; default 3000 ms (also capped by each call's timeoutMs). */
  readonly connectTimeoutMs?: number;
  readonly maxFrameSizeBytes?: number;
  readonly maxWriteBufferBytes?: number;
  readonly closeGraceMs?: number;
}

export const DEFAULT_INVOKE_TIMEOUT_MS = 3000;
const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

export class RemotingClient implements Component {
  readonly name: string;
  private readonly logger: Logger;
  private readonly dispatcher: RequestDispatcher;
  private readonly connections = new Map<string, Promise<RemotingConnection>>();
  private isStopped = false;

  constructor(private readonly options: RemotingClientOptions) {
    this.name = options.name ?? 'remoting-client';
    this.logger = options.logger.child({ component: this.name });
    this.dispatcher = new RequestDispatcher(this.logger);
  }

  /** Routes requests the server sends to this client (e.g. CHECK_TRANSACTION_STATE) to `handler`. */
  registerProcessor(codes: readonly number[], handler: RequestHandler): void {
    this.dispatcher.register(codes, handler);
  }

  /** Sends `request` to `address` ("host:port") and resolves with its response. */
  async invoke(
    address: string,
    request: RemotingCommand,
    timeoutMs = DEFAULT_INVOKE_TIMEOUT_MS,
  ): Promise<RemotingCommand> {
    const deadline = Date.now() + timeoutMs;
    const connection = await this.connection(address, timeoutMs);
    return connection.invoke(request, Math.max(1, deadline - Date.now()));
  }

  /** Sends `request` as oneway; resolves once it is queued on the connection. */
  async invokeOneway(address: string, request: RemotingCommand, timeoutMs = DEFAULT_INVOKE_TIMEOUT_MS): Promise<void> {
    const connection = await this.connection(address, timeoutMs);
    connection.invokeOneway(request);
  }

  /** The open connection to `address`, dialling it if there is none. */
  connection(address: string, timeoutMs = DEFAULT_INVOKE_TIMEOUT_MS): Promise<RemotingConnection> {
    if (this.isStopped) {
      return Promise.reject(new RemotingError(RemotingErrorCode.CONNECTION_CLOSED, `${this.name} is stopped`));
    }
    const existing = this.connections.get(address);
    if (existing !== undefined) return existing;
    const opening = this.open(
      address,
      Math.min(this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs),
    );
    this.connections.set(address, opening);
    opening.then(
      (connection) => connection.onClose(() => this.forget(address, opening)),
      () => this.forget(address, opening),
    );
    return opening;
  }

  /** Closes the connection to `address`, if any. */
  async closeConnection(address: string): Promise<void> {
    const opening = this.connections.get(address);
    if (opening === undefined) return;
    this.connections.delete(address);
    const connection = await opening.catch(() => null);
    await connection?.close();
  }

  start(): void {
    this.isStopped = false;
  }

  /** Closes every connection; in-flight invokes reject with ERR_CONNECTION_CLOSED. */
  async stop(): Promise<void> {
    this.isStopped = true;
    await Promise.all([...this.connections.keys()].map((address) => this.closeConnection(address)));
  }

  /** Same as stop(). */
  close(): Promise<void> {
    return this.stop();
  }

  private forget(address: string, opening: Promise<RemotingConnection>): void {
    if (this.connections.get(address) === opening) this.connections.delete(address);
  }

  private open(address: string, timeoutMs: number): Promise<RemotingConnection> {
    return new Promise((resolve, reject) => {
      // Inside the executor, so a bad address rejects rather than throws.
      const { host, port } = parseAddress(address);
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RemotingError(RemotingErrorCode.TIMEOUT, `connect to ${address} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(
          new RemotingError(RemotingErrorCode.CONNECT_FAILED, `connect to ${address} failed: ${error.message}`, {
            cause: error,
          }),
        );
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(
          new RemotingConnection(socket, {
            logger: this.logger,
            onRequest: (request, from) => this.dispatcher.dispatch(request, from),
            maxFrameSizeBytes: this.options.maxFrameSizeBytes,
            maxWriteBufferBytes: this.options.maxWriteBufferBytes,
            closeGraceMs: this.options.closeGraceMs,
          }),
        );
      });
    });
  }
}

/** Splits "host:port" or "[v6]:port". */
export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (colon <= 0 || host === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new RemotingError(RemotingErrorCode.BAD_ADDRESS, `${JSON.stringify(address)} is not host:port`);
  }
  return { host, port };
}
