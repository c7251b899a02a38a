// Memory under partial frames (issue 25): the broker and the registry run as child processes of the
// CLI; 200 connections each send 15 MiB of a 16 MiB frame and wait. The process stays within its
// incomplete-frame budget, closes them all, and its RSS comes back to within 64 MiB of where it
// started, while a probe client sending every 100 ms keeps a p99 under 50 ms.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openRawSocket, sleep, waitFor, type RawSocket } from '../remoting/remoting-fixtures.js';
import { Probe, PROBE_P99_LIMIT_MS } from './front-door-fixtures.js';

const MiB = 1024 * 1024;
const BUDGET_BYTES = 256 * MiB;
const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));

let child: ChildProcess | null = null;
let dir = '';

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const LIMIT_KEYS = [
  `serverPendingFrameTotalMaxBytes=${BUDGET_BYTES}`,
  'serverFrameTimeoutMillis=3000',
  'serverChannelMaxIdleTimeSeconds=10',
];

/** Starts the role through the CLI and resolves with its port, read from its ready line. */
async function startChild(kind: 'broker' | 'registry'): Promise<number> {
  dir = mkdtempSync(join(tmpdir(), `clean-rocketmq-memory-${kind}-`));
  const conf = join(dir, `${kind}.conf`);
  const brokerKeys = [
    `storePathRootDir=${join(dir, 'store')}`,
    'listenPort=0',
    'brokerIP1=127.0.0.1',
    'mappedFileSizeCommitLog=67108864',
  ];
  writeFileSync(conf, [...LIMIT_KEYS, ...(kind === 'broker' ? brokerKeys : [])].join('\n'));
  const args = kind === 'broker' ? ['broker', '-c', conf] : ['registry', '-c', conf, '-p', '0', '--host', '127.0.0.1'];
  const env = { ...process.env, NAMESRV_ADDR: '' };
  child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'ignore'], env });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve) => lines.once('line', resolve));
  const port = Number(/:(\d+)$/.exec(line)?.[1]);
  expect(port).toBeGreaterThan(0);
  return port;
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

describe.each(['broker', 'registry'] as const)('front door memory: %s as a child process', (kind) => {
  it('holds 200 partial 15 MiB frames within its budget, closes them, and gives the memory back', async () => {
    const port = await startChild(kind);
    const pid = (child as ChildProcess).pid as number;
    const probe = new Probe(`127.0.0.1:${port}`, kind);
    probe.start();
    await sleep(1500);
    const startRss = rssBytes(pid);
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid))), 20);
    const partial = Buffer.alloc(15 * MiB, 1);
    partial.writeInt32BE(16 * MiB - 4, 0);
    const raws: RawSocket[] = [];
    try {
      for (let n = 0; n < 200; n++) {
        const raw = await openRawSocket(port);
        raw.socket.write(partial);
        raws.push(raw);
      }
      await waitFor(() => raws.every((raw) => raw.isClosed()), 20_000);
      await waitFor(() => rssBytes(pid) <= startRss + 64 * MiB, 30_000).catch(() => undefined);
      const endRss = rssBytes(pid);
      expect(peakRss - startRss).toBeLessThan(BUDGET_BYTES + 128 * MiB);
      expect(endRss - startRss).toBeLessThanOrEqual(64 * MiB);
      expect(probe.failures).toBe(0);
      expect(probe.p99Ms()).toBeLessThan(PROBE_P99_LIMIT_MS);
    } finally {
      clearInterval(sampler);
      for (const raw of raws) raw.socket.destroy();
      await probe.stop();
    }
  }, 120_000);
});
