// Specification of the front door's limits on a RemotingServer over real TCP (docs/reliability.md):
// incomplete-frame budgets per connection and in total, idle and slow-frame deadlines, paused reading
// and capped reply queues, header limits before parsing, strict header integers, path-free remarks.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseCode } from '../../ts/remoting/codes.js';
import { encodeFrame } from '../../ts/remoting/frame-codec.js';
import type { FrontDoorLimits } from '../../ts/remoting/front-door-limits.js';
import { createRequest, createResponse } from '../../ts/remoting/remoting-command.js';
import { REQUEST_SLICE } from '../../ts/remoting/remoting-connection.js';
import {
  openRawSocket,
  rawJsonFrame,
  sleep,
  startHarness,
  waitFor,
  type Harness,
  type RawSocket,
} from './remoting-fixtures.js';

const ECHO = 9001;
const BIG = 9004;
const FAIL = 9005;
const BIG_REPLY_BYTES = 256 * 1024;

let harness: Harness | null = null;
let handled = 0;

afterEach(async () => {
  await harness?.stop();
  harness = null;
});

async function start(limits: Partial<FrontDoorLimits>): Promise<Harness> {
  handled = 0;
  harness = await startHarness({ limits });
  harness.server.registerProcessor([ECHO], (request) => {
    handled++;
    return createResponse(request, ResponseCode.SUCCESS, null, { ...request.extFields });
  });
  const big = Buffer.alloc(BIG_REPLY_BYTES, 7);
  harness.server.registerProcessor([BIG], (request) => createResponse(request, ResponseCode.SUCCESS, null, {}, big));
  harness.server.registerProcessor([FAIL], () => {
    readFileSync('/nonexistent-front-door/secret/dir/file.json');
    return null;
  });
  return harness;
}

function closedFor(h: Harness, reason: string): boolean {
  return h.logger.lines.some(
    (line) =>
      line.message === 'closing connection' &&
      (line.fields?.reason === reason || line.fields?.code === reason || String(line.fields?.reason).includes(reason)),
  );
}

/** The first `sizeBytes` of a frame that claims `claimedBytes` in its length field. */
function partialFrame(claimedBytes: number, sizeBytes: number): Buffer {
  const bytes = Buffer.alloc(sizeBytes, 1);
  bytes.writeInt32BE(claimedBytes - 4, 0);
  return bytes;
}

async function stillServes(h: Harness): Promise<void> {
  const response = await h.client.invoke(h.address, createRequest(ECHO, { still: 'here' }), 2000);
  expect(response.extFields.still).toBe('here');
}

describe('front door: incomplete frames are budgeted', () => {
  it('closes a connection whose incomplete frame passes maxPendingFrameBytes, and gives the bytes back', async () => {
    const h = await start({ maxPendingFrameBytes: 64 * 1024 });
    const raw = await openRawSocket(h.server.port);
    raw.socket.write(partialFrame(1024 * 1024, 100 * 1024));
    await raw.closed;
    expect(closedFor(h, 'ERR_BUDGET_EXCEEDED')).toBe(true);
    await waitFor(() => h.server.pendingFrameBytes === 0);
    await stillServes(h);
  });

  it('closes the connection that would pass the process-wide budget; the others keep their frames', async () => {
    const h = await start({ maxPendingFrameTotalBytes: 1024 * 1024 });
    const sockets: RawSocket[] = [];
    for (let n = 0; n < 4; n++) {
      const raw = await openRawSocket(h.server.port);
      raw.socket.write(partialFrame(300 * 1024, 100 * 1024));
      sockets.push(raw);
      await sleep(30);
    }
    await waitFor(() => sockets.filter((raw) => raw.isClosed()).length === 1);
    expect(sockets[3]?.isClosed()).toBe(true);
    expect(h.server.pendingFrameBytes).toBe(3 * 300 * 1024);
    expect(h.server.pendingFrameBytes).toBeLessThanOrEqual(h.server.limits.maxPendingFrameTotalBytes);
    for (const raw of sockets) raw.socket.destroy();
    await waitFor(() => h.server.pendingFrameBytes === 0);
    await stillServes(h);
  });

  it('closes a connection whose large frame the budget cannot hold on its first chunk', async () => {
    const h = await start({ maxPendingFrameTotalBytes: 1024 * 1024 });
    const raw = await openRawSocket(h.server.port);
    raw.socket.write(partialFrame(4 * 1024 * 1024, 64 * 1024));
    await raw.closed;
    expect(closedFor(h, 'ERR_BUDGET_EXCEEDED')).toBe(true);
    expect(h.server.pendingFrameBytes).toBe(0);
    await stillServes(h);
  });

  it('still decodes a large frame sent in pieces (gathered into one buffer)', async () => {
    const h = await start({});
    const raw = await openRawSocket(h.server.port);
    const frame = encodeFrame(createRequest(ECHO, { n: '1' }, Buffer.alloc(3 * 1024 * 1024, 5)));
    for (let at = 0; at < frame.length; at += 100_000) {
      raw.socket.write(frame.subarray(at, at + 100_000));
      await sleep(1);
    }
    await waitFor(() => raw.received.length === 1, 5000);
    expect(raw.received[0]?.extFields.n).toBe('1');
    expect(h.server.pendingFrameBytes).toBe(0);
    raw.socket.destroy();
  });
});

describe('front door: deadlines', () => {
  it('closes an idle connection after idleTimeoutMs and a stalled frame after frameTimeoutMs', async () => {
    const h = await start({ idleTimeoutMs: 600, frameTimeoutMs: 200 });
    const idle = await openRawSocket(h.server.port);
    const stalled = await openRawSocket(h.server.port);
    stalled.socket.write(Buffer.from([0, 0, 1]));
    const opened = Date.now();
    await stalled.closed;
    expect(Date.now() - opened).toBeLessThan(550);
    await idle.closed;
    expect(Date.now() - opened).toBeGreaterThanOrEqual(500);
    expect(closedFor(h, 'idle')).toBe(true);
    expect(closedFor(h, 'frame not completed in time')).toBe(true);
  });

  it('keeps a connection that keeps talking', async () => {
    const h = await start({ idleTimeoutMs: 300, frameTimeoutMs: 300 });
    const connection = await h.client.connection(h.address);
    for (let n = 0; n < 8; n++) {
      await connection.invoke(createRequest(ECHO), 1000);
      await sleep(100);
    }
    expect(connection.isOpen).toBe(true);
  });
});

describe('front door: replies a peer does not read', () => {
  it('never queues past the cap for a peer that does not read, and closes it', async () => {
    const cap = 2 * 1024 * 1024;
    const h = await start({ maxWriteBufferBytes: cap, writeDrainTimeoutMs: 300 });
    const raw = await openRawSocket(h.server.port);
    raw.socket.pause();
    const requests = Buffer.concat(Array.from({ length: 2000 }, () => encodeFrame(createRequest(BIG))));
    raw.socket.write(requests);
    let peak = 0;
    while (!raw.isClosed()) {
      peak = Math.max(peak, h.server.queuedReplyBytes);
      await sleep(2);
    }
    expect(peak).toBeLessThanOrEqual(cap);
    const closing = h.logger.lines.find((line) => line.fields?.reason === 'peer is not reading its replies');
    expect(Number(closing?.fields?.queuedBytes)).toBeGreaterThan(cap / 2);
    expect(Number(closing?.fields?.queuedBytes)).toBeLessThanOrEqual(cap);
    expect(Number(closing?.fields?.queuedBytes) + Number(closing?.fields?.replyBytes)).toBeGreaterThan(cap);
    await waitFor(() => h.server.queuedReplyBytes === 0);
    await stillServes(h);
  });

  it('runs a pipelined batch a slice of requests per turn, answering every request in order', async () => {
    const h = await start({});
    let turn = 0;
    let ticker = setImmediate(function tick() {
      turn++;
      ticker = setImmediate(tick);
    });
    const perTurn = new Map<number, number>();
    h.server.registerProcessor([BIG + 10], (request) => {
      perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
      return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.alloc(BIG_REPLY_BYTES, 1));
    });
    try {
      const raw = await openRawSocket(h.server.port);
      const requests = Array.from({ length: 300 }, () => createRequest(BIG + 10));
      raw.socket.write(Buffer.concat(requests.map((request) => encodeFrame(request))));
      await waitFor(() => raw.received.length === 300, 10_000);
      expect(raw.received.map((reply) => reply.opaque)).toEqual(requests.map((request) => request.opaque));
      expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(REQUEST_SLICE);
      raw.socket.destroy();
    } finally {
      clearImmediate(ticker);
    }
  });

  it('resumes a slow reader that catches up, and answers all of its requests', async () => {
    const h = await start({ maxWriteBufferBytes: 16 * 1024 * 1024, writeDrainTimeoutMs: 5000 });
    const raw = await openRawSocket(h.server.port);
    raw.socket.pause();
    for (let n = 0; n < 40; n++) raw.socket.write(encodeFrame(createRequest(BIG)));
    await sleep(300);
    raw.socket.resume();
    await waitFor(() => raw.received.length === 40, 5000);
    expect(raw.isClosed()).toBe(false);
    raw.socket.destroy();
  });

  it('bounds the reply bytes of all connections together', async () => {
    const total = 3 * 1024 * 1024;
    const h = await start({ maxWriteBufferBytes: 64 * 1024 * 1024, maxWriteBufferTotalBytes: total });
    const sockets: RawSocket[] = [];
    for (let n = 0; n < 3; n++) {
      const raw = await openRawSocket(h.server.port);
      raw.socket.pause();
      raw.socket.write(Buffer.concat(Array.from({ length: 200 }, () => encodeFrame(createRequest(BIG)))));
      sockets.push(raw);
    }
    let peak = 0;
    for (let n = 0; n < 200 && sockets.some((raw) => !raw.isClosed()); n++) {
      peak = Math.max(peak, h.server.queuedReplyBytes);
      await sleep(2);
    }
    expect(peak).toBeLessThanOrEqual(total);
    expect(closedFor(h, 'process-wide reply budget')).toBe(true);
    for (const raw of sockets) raw.socket.destroy();
    await waitFor(() => h.server.queuedReplyBytes === 0);
  });
});

describe('front door: header limits', () => {
  const cases: Array<[string, Buffer]> = [
    [
      'too many extFields',
      rawJsonFrame(
        `{"code":${ECHO},"extFields":{${Array.from({ length: 2000 }, (_, n) => `"k${n}":"v"`).join(',')}},"opaque":1}`,
      ),
    ],
    ['a long key', encodeFrame(createRequest(ECHO, { ['k'.repeat(2000)]: 'v' }))],
    ['a long value', encodeFrame(createRequest(ECHO, { k: 'v'.repeat(200 * 1024) }))],
    [
      'deep nesting',
      rawJsonFrame(`{"code":${ECHO},"x":${'['.repeat(40)}${']'.repeat(40)},"opaque":1,"pad":"${'p'.repeat(5000)}"}`),
    ],
    ['too many header bytes', rawJsonFrame(`{"code":${ECHO},"opaque":1,"remark":"${'r'.repeat(300 * 1024)}"}`)],
    [
      'too many binary extFields',
      encodeFrame({
        ...createRequest(ECHO, Object.fromEntries(Array.from({ length: 2000 }, (_, n) => [`k${n}`, 'v']))),
        serializeType: 'ROCKETMQ',
      }),
    ],
  ];
  for (const [name, frame] of cases) {
    it(`refuses a header with ${name} before running anything, closing only that connection`, async () => {
      const h = await start({});
      const raw = await openRawSocket(h.server.port);
      raw.socket.write(frame);
      await raw.closed;
      expect(raw.received).toEqual([]);
      expect(handled).toBe(0);
      expect(closedFor(h, 'ERR_OVER_LIMIT')).toBe(true);
      await stillServes(h);
    });
  }
});

describe('front door: strict header integers', () => {
  const headers = [
    `{"code":${4294967296 + ECHO},"opaque":1}`,
    `{"code":${ECHO}.9,"opaque":1}`,
    `{"code":1e100,"opaque":1}`,
    `{"code":${ECHO},"opaque":9007199254740993}`,
    `{"code":${ECHO},"opaque":1e308}`,
    `{"code":${ECHO},"opaque":-9223372036854775808}`,
    `{"code":${ECHO},"opaque":1,"flag":2147483648}`,
    `{"code":${ECHO},"opaque":1,"version":"1.5"}`,
  ];
  for (const header of headers) {
    it(`refuses ${header} with no reply and runs nothing`, async () => {
      const h = await start({});
      const raw = await openRawSocket(h.server.port);
      raw.socket.write(rawJsonFrame(header));
      await raw.closed;
      expect(raw.received).toEqual([]);
      expect(handled).toBe(0);
      expect(closedFor(h, 'ERR_BAD_HEADER')).toBe(true);
    });
  }

  it('accepts the ends of the int range and decimal strings', async () => {
    const h = await start({});
    const raw = await openRawSocket(h.server.port);
    raw.socket.write(rawJsonFrame(`{"code":"${ECHO}","opaque":-2147483648,"flag":0,"version":2147483647}`));
    await waitFor(() => raw.received.length === 1);
    expect(raw.received[0]?.opaque).toBe(-2147483648);
    raw.socket.destroy();
  });
});

describe('front door: error replies', () => {
  it('answers an unexpected failure without server paths, and logs it once with its cause', async () => {
    const h = await start({});
    const response = await h.client.invoke(h.address, createRequest(FAIL), 2000);
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('ENOENT: open failed');
    const logged = h.logger.lines.filter((line) => line.message === 'request processor failed');
    expect(logged).toHaveLength(1);
    expect(String(logged[0]?.fields?.cause)).toContain('/nonexistent-front-door/secret/dir/file.json');
  });
});
