// Test fixtures for the remoting suites: a started server + client pair on 127.0.0.1:0, a raw TCP
// socket that writes bytes as given and decodes what comes back, and a polling wait.
import { connect, type Socket } from 'node:net';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { FrameDecoder } from '../../ts/remoting/frame-decoder.js';
import type { RemotingCommand } from '../../ts/remoting/remoting-command.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { RemotingServer, type RemotingServerOptions } from '../../ts/remoting/remoting-server.js';

export type MemoryLogger = ReturnType<typeof createMemoryLogger>;

export interface Harness {
  readonly server: RemotingServer;
  readonly client: RemotingClient;
  readonly address: string;
  readonly logger: MemoryLogger;
  stop(): Promise<void>;
}

export async function startHarness(options: Partial<RemotingServerOptions> = {}): Promise<Harness> {
  const logger = createMemoryLogger();
  const server = new RemotingServer({ port: 0, host: '127.0.0.1', logger, closeGraceMs: 200, ...options });
  await server.start();
  const client = new RemotingClient({ logger, closeGraceMs: 200 });
  return {
    server,
    client,
    address: `127.0.0.1:${server.port}`,
    logger,
    async stop() {
      await client.stop();
      await server.stop();
    },
  };
}

export interface RawSocket {
  readonly socket: Socket;
  /** Responses decoded so far. */
  readonly received: RemotingCommand[];
  /** Resolves when the socket closes, with whether the server ended it first. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

/** A plain TCP socket to `port`: writes exactly what the test gives it. */
export async function openRawSocket(port: number): Promise<RawSocket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: RemotingCommand[] = [];
  const decoder = new FrameDecoder();
  let isClosed = false;
  socket.on('data', (chunk: Buffer) => received.push(...decoder.push(chunk).commands));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  return { socket, received, closed, isClosed: () => isClosed };
}

export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A JSON-header frame from the header's text as given (numbers the encoder would never write). */
export function rawJsonFrame(headerText: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.from(headerText, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeInt32BE(4 + header.length + body.length, 0);
  prefix.writeUInt32BE(header.length, 4);
  return Buffer.concat([prefix, header, body]);
}
