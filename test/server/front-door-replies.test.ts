// Findings 3 and 6 of issue 25 over real TCP: pipelined requests from peers that do not read their
// replies (PULLs on the broker, GET_KV_CONFIG on the registry), and PULL/SEND edge values answered as
// Apache answers them.

import { afterEach, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { encodeFrame } from '../../ts/remoting/frame-codec.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { openRawSocket, waitFor, type RawSocket } from '../remoting/remoting-fixtures.js';
import { closedFor, Probe, PROBE_P99_LIMIT_MS, startTarget, type Target } from './front-door-fixtures.js';

const MiB = 1024 * 1024;
/** How long a child's log line may trail the close a test saw (it comes through a pipe). */
const LOG_LAG_MS = 5000;
let target: Target | null = null;
let probe: Probe | null = null;
let client: RemotingClient | null = null;
const sockets: RawSocket[] = [];

afterEach(async () => {
  for (const raw of sockets.splice(0)) raw.socket.destroy();
  await probe?.stop();
  await client?.close();
  await target?.stop();
  probe = null;
  client = null;
  target = null;
});

function sendV2(topic: string, body: Buffer, bornTimestamp = '1') {
  const fields = { a: 'pg', b: topic, c: 'TBW102', d: '4', e: '0', f: '0', g: bornTimestamp, h: '0', j: '0' };
  return createRequest(RequestCode.SEND_MESSAGE_V2, { ...fields, k: 'false', m: 'false' }, body);
}

function pull(topic: string, fields: Record<string, string> = {}) {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'cg',
    topic,
    queueId: '0',
    queueOffset: '0',
    maxMsgNums: '32',
    sysFlag: '4',
    commitOffset: '0',
    suspendTimeoutMillis: '0',
    subscription: '*',
    subVersion: '1',
    ...fields,
  });
}

async function startBroker(keys: Parameters<typeof startTarget>[1] = {}): Promise<{ t: Target; address: string }> {
  target = await startTarget('broker', keys);
  client = new RemotingClient({ logger: createMemoryLogger() });
  return { t: target, address: `127.0.0.1:${target.port}` };
}

async function fill(address: string, topic: string, count: number, sizeBytes: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const reply = await (client as RemotingClient).invoke(address, sendV2(topic, Buffer.alloc(sizeBytes, n)), 3000);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
  }
}

async function expectProbeHealthy(p: Probe): Promise<void> {
  await waitFor(() => p.latenciesMs.length >= 5, 15_000);
  expect(p.failures).toBe(0);
  expect(p.p99Ms()).toBeLessThan(PROBE_P99_LIMIT_MS);
}

/** The queued-byte figures of every close for unread replies; none may pass the cap. */
function closeFigures(t: Target): number[] {
  return t.lines
    .filter((line) => line.message === 'closing connection' && String(line.fields?.reason).includes('repl'))
    .map((line) => Number(line.fields?.queuedBytes));
}

describe('front door findings: broker replies a peer does not read (3)', () => {
  it('one connection pipelining 20,000 PULLs without reading stays under its cap and is closed', async () => {
    const cap = 8 * MiB;
    const { t, address } = await startBroker({ serverWriteBufferMaxBytes: cap, serverWriteDrainTimeoutMillis: 500 });
    await fill(address, 'fd-backlog', 64, 8 * 1024);
    probe = new Probe(address, t.kind);
    probe.start();
    const raw = await openRawSocket(t.port);
    sockets.push(raw);
    raw.socket.pause();
    const frames = Buffer.concat(Array.from({ length: 20_000 }, () => encodeFrame(pull('fd-backlog'))));
    raw.socket.write(frames);
    await waitFor(() => raw.isClosed(), 10_000);
    await waitFor(() => closeFigures(t).length > 0, LOG_LAG_MS);
    for (const queued of closeFigures(t)) expect(queued).toBeLessThanOrEqual(cap);
    await expectProbeHealthy(probe);
  }, 30_000);

  it('six connections pulling a backlog without reading are closed within the process-wide cap', async () => {
    const total = 24 * MiB;
    const { t, address } = await startBroker({
      serverWriteBufferTotalMaxBytes: total,
      serverWriteDrainTimeoutMillis: 500,
    });
    await fill(address, 'fd-backlog', 64, 8 * 1024);
    probe = new Probe(address, t.kind);
    probe.start();
    const frames = Buffer.concat(Array.from({ length: 3000 }, () => encodeFrame(pull('fd-backlog'))));
    const raws: RawSocket[] = [];
    for (let n = 0; n < 6; n++) {
      const raw = await openRawSocket(t.port);
      sockets.push(raw);
      raws.push(raw);
      raw.socket.pause();
      raw.socket.write(frames);
    }
    await waitFor(() => raws.every((raw) => raw.isClosed()), 10_000);
    await waitFor(() => closedFor(t, 'process-wide reply budget'), LOG_LAG_MS);
    await expectProbeHealthy(probe);
  }, 30_000);
});

describe('front door findings: registry replies a peer does not read (3)', () => {
  it('one connection pipelining 5,000 GET_KV_CONFIG without reading stays under its cap and is closed', async () => {
    const cap = 8 * MiB;
    target = await startTarget('registry', { serverWriteBufferMaxBytes: cap, serverWriteDrainTimeoutMillis: 500 });
    const t = target;
    const address = `127.0.0.1:${t.port}`;
    client = new RemotingClient({ logger: createMemoryLogger() });
    const put = createRequest(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: 'v'.repeat(100_000) });
    expect((await client.invoke(address, put)).code).toBe(ResponseCode.SUCCESS);
    probe = new Probe(address, t.kind);
    probe.start();
    const raw = await openRawSocket(t.port);
    sockets.push(raw);
    raw.socket.pause();
    const get = () => createRequest(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' });
    raw.socket.write(Buffer.concat(Array.from({ length: 5000 }, () => encodeFrame(get()))));
    // The server runs a slice of the pipelined requests per turn and stops reading at half the cap, so
    // it is the drain deadline that closes this peer (which, not reading, may not see the close).
    await waitFor(() => closeFigures(t).length > 0, 10_000 + LOG_LAG_MS);
    for (const queued of closeFigures(t)) expect(queued).toBeLessThanOrEqual(cap);
    await expectProbeHealthy(probe);
  }, 30_000);
});

describe('front door findings: registry replies peers do not read, all connections together (3)', () => {
  it('six connections pipelining GET_KV_CONFIG without reading are closed within the process-wide cap', async () => {
    target = await startTarget('registry', {
      serverWriteBufferTotalMaxBytes: 24 * MiB,
      serverWriteDrainTimeoutMillis: 500,
    });
    const t = target;
    const address = `127.0.0.1:${t.port}`;
    client = new RemotingClient({ logger: createMemoryLogger() });
    const put = createRequest(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: 'v'.repeat(100_000) });
    expect((await client.invoke(address, put)).code).toBe(ResponseCode.SUCCESS);
    probe = new Probe(address, t.kind);
    probe.start();
    const get = () => createRequest(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' });
    const frames = Buffer.concat(Array.from({ length: 1000 }, () => encodeFrame(get())));
    const raws: RawSocket[] = [];
    for (let n = 0; n < 6; n++) {
      const raw = await openRawSocket(t.port);
      sockets.push(raw);
      raws.push(raw);
      raw.socket.pause();
      raw.socket.write(frames);
    }
    await waitFor(() => closeFigures(t).length >= 6, 10_000 + LOG_LAG_MS);
    expect(closedFor(t, 'process-wide reply budget')).toBe(true);
    await expectProbeHealthy(probe);
  }, 30_000);
});

describe('front door findings: PULL and SEND edge values as Apache answers them (6)', () => {
  it('answers queueOffset -5 with PULL_OFFSET_MOVED and nextBeginOffset = min', async () => {
    const { address } = await startBroker();
    await fill(address, 'fd-edge', 3, 16);
    const reply = await (client as RemotingClient).invoke(address, pull('fd-edge', { queueOffset: '-5' }));
    expect(reply.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(reply.extFields.nextBeginOffset).toBe(reply.extFields.minOffset);
    expect(reply.extFields.minOffset).toBe('0');
  });

  it('answers queueOffset 2^53 (a long) with PULL_OFFSET_MOVED and nextBeginOffset = max', async () => {
    const { address } = await startBroker();
    await fill(address, 'fd-edge', 3, 16);
    const reply = await (client as RemotingClient).invoke(address, pull('fd-edge', { queueOffset: String(2 ** 53) }));
    expect(reply.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(reply.extFields.nextBeginOffset).toBe('3');
  });

  it('ignores maxMsgBytes -1 as Apache does and returns the messages', async () => {
    const { address } = await startBroker();
    await fill(address, 'fd-edge', 3, 16);
    const reply = await (client as RemotingClient).invoke(address, pull('fd-edge', { maxMsgBytes: '-1' }));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(decodeStoredRecords(reply.body ?? Buffer.alloc(0))).toHaveLength(3);
  });

  it('returns exactly the first message for maxMsgNums 0 and -1', async () => {
    const { address } = await startBroker();
    await fill(address, 'fd-edge', 3, 16);
    for (const maxMsgNums of ['0', '-1']) {
      const reply = await (client as RemotingClient).invoke(address, pull('fd-edge', { maxMsgNums }));
      expect(reply.code).toBe(ResponseCode.SUCCESS);
      expect(decodeStoredRecords(reply.body ?? Buffer.alloc(0)).map((message) => message.queueOffset)).toEqual([0]);
    }
  });

  it('stores bornTimestamp 9e18 as sent', async () => {
    const { address } = await startBroker();
    const sent = await (client as RemotingClient).invoke(
      address,
      sendV2('fd-born', Buffer.from('x'), '9000000000000000000'),
    );
    expect(sent.code).toBe(ResponseCode.SUCCESS);
    const reply = await (client as RemotingClient).invoke(address, pull('fd-born'));
    expect(decodeStoredRecords(reply.body ?? Buffer.alloc(0))[0]?.bornTimestamp).toBe(9e18);
  });
});
