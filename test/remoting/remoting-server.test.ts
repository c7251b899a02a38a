// Specification of RemotingServer, RemotingClient and RemotingConnection over real TCP on
// 127.0.0.1: opaque matching, oneway, timeouts, error replies, server-initiated requests, split
// and oversized frames, garbage input, connection events and shutdown.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { encodeFrame } from '../../ts/remoting/frame-codec.js';
import { asOneway, createRequest, createResponse, type RemotingCommand } from '../../ts/remoting/remoting-command.js';
import type { RemotingConnection } from '../../ts/remoting/remoting-connection.js';
import { isRemotingError } from '../../ts/remoting/remoting-error.js';
import { openRawSocket, sleep, startHarness, waitFor, type Harness } from './remoting-fixtures.js';

const ECHO = 9001;
const SLOW = 9002;
const NEVER = 9003;

let harness: Harness;

beforeEach(async () => {
  harness = await startHarness();
  const { server } = harness;
  server.registerProcessor([ECHO], (request) =>
    createResponse(request, ResponseCode.SUCCESS, null, { ...request.extFields }, request.body),
  );
  server.registerProcessor([SLOW], async (request) => {
    await sleep(Number(request.extFields.delayMs));
    return createResponse(request, ResponseCode.SUCCESS, null, { n: request.extFields.n ?? '' });
  });
  server.registerProcessor([NEVER], () => null);
});

afterEach(async () => {
  await harness.stop();
});

async function expectRejection(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(isRemotingError(error) ? error.code : error).toBe(code);
}

describe('remoting: request and response', () => {
  it('matches many concurrent responses to their requests by opaque, out of order', async () => {
    const count = 200;
    const finished: number[] = [];
    const responses = await Promise.all(
      Array.from({ length: count }, async (_, n) => {
        const request = createRequest(SLOW, { n: String(n), delayMs: String((count - n) % 40) });
        const response = await harness.client.invoke(harness.address, request, 5000);
        finished.push(n);
        expect(response.opaque).toBe(request.opaque);
        return response;
      }),
    );
    expect(responses.map((response) => response.extFields.n)).toEqual(
      Array.from({ length: count }, (_, n) => String(n)),
    );
    expect(finished).not.toEqual([...finished].sort((a, b) => a - b));
  });

  it('carries extFields, body, JAVA and version 479 on the reply', async () => {
    const response = await harness.client.invoke(
      harness.address,
      createRequest(ECHO, { topic: 'T' }, Buffer.from('hi')),
    );
    expect(response).toMatchObject({ code: 0, flag: 1, language: 'JAVA', version: 479, extFields: { topic: 'T' } });
    expect(response.body?.toString()).toBe('hi');
  });

  it('answers a binary (ROCKETMQ) request in JSON', async () => {
    const raw = await openRawSocket(harness.server.port);
    const request: RemotingCommand = { ...createRequest(ECHO, { a: 'b' }), serializeType: 'ROCKETMQ' };
    raw.socket.write(encodeFrame(request));
    await waitFor(() => raw.received.length === 1);
    expect(raw.received[0]).toMatchObject({ opaque: request.opaque, serializeType: 'JSON', extFields: { a: 'b' } });
    raw.socket.destroy();
  });

  it("answers an unknown code with 3 and Java's remark", async () => {
    const response = await harness.client.invoke(harness.address, createRequest(4242));
    expect(response.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(response.remark).toBe(' request type 4242 not supported');
  });

  it('answers 1 with the error message when a processor throws or rejects', async () => {
    harness.server.registerProcessor([RequestCode.HEART_BEAT], () => {
      throw new Error('boom');
    });
    harness.server.registerProcessor([RequestCode.UNREGISTER_CLIENT], () => Promise.reject(new Error('late boom')));
    const thrown = await harness.client.invoke(harness.address, createRequest(RequestCode.HEART_BEAT));
    expect(thrown).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'boom' });
    const rejected = await harness.client.invoke(harness.address, createRequest(RequestCode.UNREGISTER_CLIENT));
    expect(rejected).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'late boom' });
    expect(harness.logger.lines.some((line) => line.message === 'request processor failed')).toBe(true);
  });

  it('answers 1 when the processor returns a reply that cannot be encoded', async () => {
    harness.server.registerProcessor([RequestCode.POP_MESSAGE], (request) => ({
      ...createResponse(request, ResponseCode.SUCCESS),
      code: 200050,
      serializeType: 'ROCKETMQ',
    }));
    const response = await harness.client.invoke(harness.address, createRequest(RequestCode.POP_MESSAGE));
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toMatch(/^reply could not be encoded: code 200050 does not fit/);
  });

  it('sends no reply to a oneway request, even for an unknown code', async () => {
    const seen: number[] = [];
    harness.server.registerProcessor([RequestCode.UPDATE_CONSUMER_OFFSET], (request) => {
      seen.push(request.opaque);
      return createResponse(request, ResponseCode.SUCCESS);
    });
    const raw = await openRawSocket(harness.server.port);
    const oneway = asOneway(createRequest(RequestCode.UPDATE_CONSUMER_OFFSET));
    raw.socket.write(Buffer.concat([encodeFrame(oneway), encodeFrame(asOneway(createRequest(4242)))]));
    await waitFor(() => seen.length === 1);
    await harness.client.invokeOneway(harness.address, createRequest(RequestCode.UPDATE_CONSUMER_OFFSET));
    await waitFor(() => seen.length === 2);
    // A later request's reply arrives, and it is the only frame on the wire.
    const probe = createRequest(ECHO);
    raw.socket.write(encodeFrame(probe));
    await waitFor(() => raw.received.length > 0);
    await sleep(20);
    expect(raw.received.map((command) => command.opaque)).toEqual([probe.opaque]);
    expect(seen[0]).toBe(oneway.opaque);
    raw.socket.destroy();
  });

  it('rejects with ERR_TIMEOUT when no reply comes, and forgets the opaque', async () => {
    const connection = await harness.client.connection(harness.address);
    const started = Date.now();
    await expectRejection(harness.client.invoke(harness.address, createRequest(NEVER), 50), 'ERR_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(connection.pendingInvokes).toBe(0);
    // The connection is still usable.
    expect((await harness.client.invoke(harness.address, createRequest(ECHO))).code).toBe(0);
  });

  it('lets the server send a request to the client over the same connection', async () => {
    harness.client.registerProcessor([RequestCode.GET_CONSUMER_RUNNING_INFO], (request) =>
      createResponse(request, ResponseCode.SUCCESS, null, { clientId: `client-of-${request.extFields.consumerGroup}` }),
    );
    const accepted: RemotingConnection[] = [];
    harness.server.onConnection((connection) => accepted.push(connection));
    await harness.client.invoke(harness.address, createRequest(ECHO));
    const [toClient] = accepted;
    if (toClient === undefined) throw new Error('no connection accepted');
    const response = await toClient.invoke(
      createRequest(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'cg' }),
      1000,
    );
    expect(response).toMatchObject({ code: 0, extFields: { clientId: 'client-of-cg' } });
    const unknown = await toClient.invoke(createRequest(RequestCode.CHECK_TRANSACTION_STATE), 1000);
    expect(unknown.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });
});

/** Whether the server logged closing a connection for this error code. */
function closedFor(code: string): boolean {
  return harness.logger.lines.some((line) => line.message === 'closing connection' && line.fields?.code === code);
}

describe('remoting: framing on the wire', () => {
  it('decodes frames written one byte at a time', async () => {
    const raw = await openRawSocket(harness.server.port);
    const request = createRequest(ECHO, { topic: 'split' }, Buffer.from('byte by byte'));
    for (const byte of encodeFrame(request)) {
      raw.socket.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => raw.received.length === 1);
    expect(raw.received[0]).toMatchObject({ opaque: request.opaque, extFields: { topic: 'split' } });
    expect(raw.received[0]?.body?.toString()).toBe('byte by byte');
    raw.socket.destroy();
  });

  it('closes a connection that sends a frame over maxFrameSizeBytes, and only that one', async () => {
    await harness.stop();
    harness = await startHarness({ maxFrameSizeBytes: 1024 });
    harness.server.registerProcessor([ECHO], (request) => createResponse(request, ResponseCode.SUCCESS));
    const raw = await openRawSocket(harness.server.port);
    raw.socket.write(encodeFrame(createRequest(ECHO, {}, Buffer.alloc(2000))));
    await raw.closed;
    expect(closedFor('ERR_FRAME_TOO_LARGE')).toBe(true);
    expect((await harness.client.invoke(harness.address, createRequest(ECHO))).code).toBe(0);
  });

  it('closes a connection that sends a malformed header, logging why', async () => {
    const healthy = await harness.client.connection(harness.address);
    const raw = await openRawSocket(harness.server.port);
    const header = Buffer.from('{not json');
    const frame = Buffer.alloc(8);
    frame.writeInt32BE(4 + header.length, 0);
    frame.writeUInt32BE(header.length, 4);
    raw.socket.write(Buffer.concat([frame, header]));
    await raw.closed;
    expect(closedFor('ERR_BAD_HEADER')).toBe(true);
    expect(healthy.isOpen).toBe(true);
    expect((await healthy.invoke(createRequest(ECHO), 1000)).code).toBe(0);
  });

  it('survives garbage on one connection while another keeps working (fast-check)', async () => {
    const healthy = await harness.client.connection(harness.address);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const raw = await openRawSocket(harness.server.port);
        raw.socket.end(Buffer.from(bytes));
        await raw.closed;
        const response = await healthy.invoke(createRequest(ECHO, { still: 'here' }), 1000);
        expect(response.extFields.still).toBe('here');
      }),
      { numRuns: 30 },
    );
    await waitFor(() => harness.server.connections.size === 1);
  });
});

describe('remoting: connections and lifecycle', () => {
  it('reports accepted and closed connections', async () => {
    const opened: string[] = [];
    const closed: string[] = [];
    harness.server.onConnection((connection) => opened.push(connection.remoteAddress));
    harness.server.onClose((connection) => closed.push(connection.remoteAddress));
    await harness.client.invoke(harness.address, createRequest(ECHO));
    await waitFor(() => opened.length === 1);
    expect(opened[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    await harness.client.closeConnection(harness.address);
    await waitFor(() => closed.length === 1);
    expect(closed).toEqual(opened);
    expect(harness.server.connections.size).toBe(0);
  });

  it('reconnects on the next call after the connection closed', async () => {
    const first = await harness.client.connection(harness.address);
    for (const connection of harness.server.connections) await connection.close();
    await first.closed;
    const response = await harness.client.invoke(harness.address, createRequest(ECHO));
    expect(response.code).toBe(0);
    expect(await harness.client.connection(harness.address)).not.toBe(first);
  });

  it('fails calls after stop(), to an address nobody listens on, and to a bad address', async () => {
    const port = harness.server.port;
    await harness.stop();
    await expectRejection(harness.client.invoke(`127.0.0.1:${port}`, createRequest(ECHO)), 'ERR_CONNECTION_CLOSED');
    harness = await startHarness();
    await expectRejection(harness.client.invoke(`127.0.0.1:${port}`, createRequest(ECHO), 1000), 'ERR_CONNECT_FAILED');
    await expectRejection(harness.client.invoke('no-port', createRequest(ECHO)), 'ERR_BAD_ADDRESS');
  });

  it('stop() closes every connection and fails in-flight invokes with ERR_CONNECTION_CLOSED', async () => {
    const pending = harness.client.invoke(harness.address, createRequest(NEVER), 5000);
    await waitFor(() => harness.server.connections.size === 1);
    const stopped = harness.server.stop();
    await expectRejection(pending, 'ERR_CONNECTION_CLOSED');
    await stopped;
    expect(harness.server.connections.size).toBe(0);
    expect(() => harness.server.port).toThrow();
  });

  it('refuses a second processor for the same code', () => {
    expect(() => harness.server.registerProcessor([ECHO], () => null)).toThrow(/already has a processor/);
  });
});
