// Specification of RemotingConnection on its own: one corked write per event-loop turn, close
// semantics, and invoke on a closed connection. Covers ts/remoting/remoting-connection.ts.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { FrameDecoder } from '../../ts/remoting/frame-decoder.js';
import { createRequest, type RemotingCommand } from '../../ts/remoting/remoting-command.js';
import { RemotingConnection } from '../../ts/remoting/remoting-connection.js';
import { isRemotingError } from '../../ts/remoting/remoting-error.js';
import { waitFor } from './remoting-fixtures.js';

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

/** A connected pair: our RemotingConnection on one end, a raw socket collecting frames on the other. */
async function pair(): Promise<{
  connection: RemotingConnection;
  socket: Socket;
  peer: Socket;
  received: RemotingCommand[];
}> {
  const received: RemotingCommand[] = [];
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer((peer) => {
      const decoder = new FrameDecoder();
      peer.on('data', (chunk: Buffer) => received.push(...decoder.push(chunk).commands));
      peer.on('error', () => {});
      resolve(peer);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server?.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const connection = new RemotingConnection(socket, {
    logger: createMemoryLogger(),
    onRequest: () => {},
    closeGraceMs: 100,
  });
  return { connection, socket, peer: await accepted, received };
}

describe('remoting connection', () => {
  it('writes all frames sent in one turn as one corked batch', async () => {
    const { connection, socket, peer, received } = await pair();
    const cork = vi.spyOn(socket, 'cork');
    const write = vi.spyOn(socket, 'write');
    for (let i = 0; i < 100; i++) connection.send(createRequest(10, { i: String(i) }, Buffer.from('body')));
    expect(write).not.toHaveBeenCalled();
    await waitFor(() => received.length === 100);
    expect(cork).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(200);
    expect(received.map((command) => command.extFields.i)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    await connection.close();
    peer.destroy();
  });

  it('rejects invokes in flight and later ones once closed, and notifies close listeners', async () => {
    const { connection, peer } = await pair();
    const inFlight = connection.invoke(createRequest(10), 5000);
    let notified = 0;
    connection.onClose(() => notified++);
    peer.destroy();
    const error = await inFlight.catch((reason: unknown) => reason);
    expect(isRemotingError(error, 'ERR_CONNECTION_CLOSED')).toBe(true);
    await connection.closed;
    expect(notified).toBe(1);
    connection.onClose(() => notified++);
    expect(notified).toBe(2);
    expect(connection.isOpen).toBe(false);
    expect(connection.send(createRequest(10))).toBe(false);
    const late = await connection.invoke(createRequest(10), 100).catch((reason: unknown) => reason);
    expect(isRemotingError(late, 'ERR_CONNECTION_CLOSED')).toBe(true);
    expect(() => connection.invokeOneway(createRequest(10))).toThrow(/closed/);
  });

  it('rejects an invoke whose command cannot be encoded without leaving it pending', async () => {
    const { connection, peer } = await pair();
    const request: RemotingCommand = { ...createRequest(200050), serializeType: 'ROCKETMQ' };
    const error = await connection.invoke(request, 1000).catch((reason: unknown) => reason);
    expect(isRemotingError(error, 'ERR_FIELD_OUT_OF_RANGE')).toBe(true);
    expect(connection.pendingInvokes).toBe(0);
    await connection.close();
    peer.destroy();
  });
});
