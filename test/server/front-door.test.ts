// The front door's findings (issue 25), each as it was found, against the broker and the registry
// over real TCP, with a probe client sending every 100 ms throughout: partial frames are budgeted and
// timed out, idle connections close, unread replies are capped, huge headers are refused before they
// are parsed, header integers are strict, and error remarks carry no server paths.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { openRawSocket, rawJsonFrame, sleep, waitFor, type RawSocket } from '../remoting/remoting-fixtures.js';
import {
  closedFor,
  Probe,
  PROBE_P99_LIMIT_MS,
  startTarget,
  type Target,
  type TargetKind,
} from './front-door-fixtures.js';

const MiB = 1024 * 1024;
/** How long a child's log line may trail the close a test saw (it comes through a pipe). */
const LOG_LAG_MS = 5000;
let target: Target | null = null;
let probe: Probe | null = null;
const sockets: RawSocket[] = [];

afterEach(async () => {
  for (const raw of sockets.splice(0)) raw.socket.destroy();
  await probe?.stop();
  probe = null;
  await target?.stop();
  target = null;
});

async function startWithProbe(kind: TargetKind, keys: Parameters<typeof startTarget>[1]): Promise<Target> {
  target = await startTarget(kind, keys);
  probe = new Probe(`127.0.0.1:${target.port}`, kind);
  probe.start();
  return target;
}

async function open(port: number): Promise<RawSocket> {
  const raw = await openRawSocket(port);
  sockets.push(raw);
  return raw;
}

async function expectProbeHealthy(): Promise<void> {
  const p = probe as Probe;
  await waitFor(() => p.latenciesMs.length >= 5, 15_000);
  expect(p.failures).toBe(0);
  expect(p.p99Ms()).toBeLessThan(PROBE_P99_LIMIT_MS);
}

describe.each(['broker', 'registry'] as const)('front door findings: %s', (kind) => {
  it('1: 20 connections with 15 MiB of a 16 MiB frame stay within the budget and are closed', async () => {
    const t = await startWithProbe(kind, { serverPendingFrameTotalMaxBytes: 64 * MiB, serverFrameTimeoutMillis: 1500 });
    const partial = Buffer.alloc(15 * MiB, 1);
    partial.writeInt32BE(16 * MiB - 4, 0);
    const raws: RawSocket[] = [];
    for (let n = 0; n < 20; n++) {
      const raw = await open(t.port);
      raw.socket.write(partial);
      raws.push(raw);
    }
    await waitFor(() => raws.filter((raw) => raw.isClosed()).length >= 16, 15_000);
    await waitFor(() => closedFor(t, 'ERR_BUDGET_EXCEEDED'), LOG_LAG_MS);
    await waitFor(() => raws.every((raw) => raw.isClosed()), 15_000);
    await waitFor(() => closedFor(t, 'frame not completed in time'), LOG_LAG_MS);
    await sleep(300);
    await expectProbeHealthy();
  }, 30_000);

  it('2: a silent connection and 200 connections that sent 3 bytes are all closed', async () => {
    const t = await startWithProbe(kind, { serverChannelMaxIdleTimeSeconds: 1, serverFrameTimeoutMillis: 500 });
    const silent = await open(t.port);
    const stuck: RawSocket[] = [];
    for (let n = 0; n < 200; n++) {
      const raw = await open(t.port);
      raw.socket.write(Buffer.from([0, 0, 0]));
      stuck.push(raw);
    }
    await waitFor(() => stuck.every((raw) => raw.isClosed()), 10_000);
    await waitFor(() => silent.isClosed(), 10_000);
    await waitFor(() => closedFor(t, 'idle'), LOG_LAG_MS);
    await expectProbeHealthy();
  }, 30_000);

  it('4: 20 headers of 200,000 extFields keys (3.6 MB) are refused without stalling anyone', async () => {
    const t = await startWithProbe(kind, {});
    const keys = Array.from({ length: 200_000 }, (_, n) => `"k${String(n).padStart(9, '0')}":"vv"`).join(',');
    const frame = rawJsonFrame(`{"code":999,"extFields":{${keys}},"flag":0,"opaque":1}`);
    expect(frame.length).toBeGreaterThan(3_000_000);
    await sleep(250);
    const raws: RawSocket[] = [];
    for (let n = 0; n < 20; n++) {
      const raw = await open(t.port);
      raw.socket.write(frame);
      raws.push(raw);
    }
    await waitFor(() => raws.every((raw) => raw.isClosed()), 10_000);
    expect(raws.every((raw) => raw.received.length === 0)).toBe(true);
    await waitFor(() => closedFor(t, 'ERR_OVER_LIMIT'), LOG_LAG_MS);
    await sleep(300);
    await expectProbeHealthy();
  }, 30_000);

  it('5: a code or opaque that is not a Java int is refused with no reply', async () => {
    const t = await startWithProbe(kind, {});
    const code = kind === 'broker' ? RequestCode.SEND_MESSAGE_V2 : RequestCode.GET_BROKER_CLUSTER_INFO;
    const send = '"extFields":{"a":"pg","b":"fd-strict","c":"TBW102","d":"4","e":"0","f":"0","g":"1","h":"0","j":"0"}';
    const headers = [
      `{"code":${2 ** 32 + code},${send},"flag":0,"opaque":1}`,
      `{"code":${code}.9,${send},"flag":0,"opaque":1}`,
      `{"code":1e100,${send},"flag":0,"opaque":1}`,
      `{"code":${code},${send},"flag":0,"opaque":9007199254740993}`,
      `{"code":${code},${send},"flag":0,"opaque":1e308}`,
      `{"code":${code},${send},"flag":0,"opaque":-9223372036854775808}`,
    ];
    for (const header of headers) {
      const raw = await open(t.port);
      raw.socket.write(rawJsonFrame(header, Buffer.from('body')));
      await raw.closed;
      expect(raw.received).toEqual([]);
    }
    await waitFor(() => closedFor(t, 'ERR_BAD_HEADER'), LOG_LAG_MS);
    if (kind === 'broker') {
      const client = new RemotingClient({ logger: createMemoryLogger() });
      const topics = await client.invoke(`127.0.0.1:${t.port}`, createRequest(RequestCode.GET_ALL_TOPIC_CONFIG));
      await client.close();
      expect(topics.body?.toString()).not.toContain('fd-strict');
    }
    await expectProbeHealthy();
  }, 30_000);

  it('7: a failure behind an error reply leaks no server path and is logged once with its cause', async () => {
    const t = await startWithProbe(kind, {});
    const client = new RemotingClient({ logger: createMemoryLogger() });
    const blocker = kind === 'broker' ? join(t.dir, 'config', 'topics.json.tmp') : join(t.dir, 'kvConfig.json.tmp');
    try {
      let request;
      mkdirSync(blocker, { recursive: true });
      if (kind === 'broker') {
        request = createRequest(
          RequestCode.SEND_MESSAGE_V2,
          { a: 'pg', b: 'fd-new-topic', c: 'TBW102', d: '4', e: '0', f: '0', g: '1', h: '0', j: '0', k: 'false' },
          Buffer.from('x'),
        );
      } else {
        request = createRequest(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: 'v' });
      }
      const response = await client.invoke(`127.0.0.1:${t.port}`, request, 3000);
      expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
      expect(response.remark).not.toContain(t.dir);
      expect(response.remark).not.toMatch(/\/tmp\//);
      // The log line comes through the child's stderr pipe, which the reply over TCP may overtake.
      const loggedFailures = () => t.lines.filter((line) => line.message === 'request processor failed');
      await vi.waitFor(() => expect(loggedFailures().length).toBeGreaterThan(0), { timeout: 10_000 });
      const logged = loggedFailures();
      expect(logged).toHaveLength(1);
      expect(String(logged[0]?.fields?.cause)).toContain(t.dir);
    } finally {
      rmSync(blocker, { recursive: true, force: true });
      await client.close();
    }
  }, 30_000);
});
