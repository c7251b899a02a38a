// Memory under partial frames (issue 25): the broker and the registry run as child processes of the
// CLI; 200 connections each send 15 MiB of a 16 MiB frame and wait. The process holds no more than its
// incomplete-frame budget, closes them all, and its RSS comes back to within 64 MiB of where it
// started, while a probe client sending every 100 ms keeps getting answers (docs/reliability.md §3).

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openRawSocket, sleep, waitFor, type RawSocket } from '../remoting/remoting-fixtures.js';
import { Probe, PROBE_P99_LIMIT_MS, startTarget, type Target } from './front-door-fixtures.js';

const MiB = 1024 * 1024;
const BUDGET_BYTES = 256 * MiB;
/**
 * RSS may pass the budget by the socket reads and frames that V8 has not collected yet (how many depends
 * on how busy the host is); without the budget, 200 partial frames would take 3 GiB.
 */
const PEAK_RSS_MAX_BYTES = 3 * BUDGET_BYTES;

let target: Target | null = null;
let probe: Probe | null = null;

afterEach(async () => {
  await probe?.stop();
  probe = null;
  await target?.stop();
  target = null;
});

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

/** The bytes in use the server reported each time it closed a connection for the process-wide budget. */
function budgetInUseAtCloses(t: Target): number[] {
  return t.lines
    .filter((line) => line.message === 'closing connection' && line.fields?.code === 'ERR_BUDGET_EXCEEDED')
    .map((line) => /process budget of \d+ \((\d+) in use\)/.exec(String(line.fields?.reason))?.[1])
    .filter((inUse) => inUse !== undefined)
    .map(Number);
}

describe.each(['broker', 'registry'] as const)('front door memory: %s as a child process', (kind) => {
  it('holds 200 partial 15 MiB frames within its budget, closes them, and gives the memory back', async () => {
    const t = await startTarget(kind, {
      serverPendingFrameTotalMaxBytes: BUDGET_BYTES,
      serverFrameTimeoutMillis: 3000,
      serverChannelMaxIdleTimeSeconds: 10,
    });
    target = t;
    probe = new Probe(`127.0.0.1:${t.port}`, kind);
    probe.start();
    await sleep(1500);
    const startRss = rssBytes(t.pid);
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(t.pid))), 20);
    const partial = Buffer.alloc(15 * MiB, 1);
    partial.writeInt32BE(16 * MiB - 4, 0);
    const raws: RawSocket[] = [];
    try {
      for (let n = 0; n < 200; n++) {
        const raw = await openRawSocket(t.port);
        raw.socket.write(partial);
        raws.push(raw);
      }
      await waitFor(() => raws.every((raw) => raw.isClosed()), 30_000);
      clearInterval(sampler);
      await waitFor(() => budgetInUseAtCloses(t).length > 0, 5000);
      for (const bytes of budgetInUseAtCloses(t)) expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
      expect(peakRss - startRss).toBeLessThan(PEAK_RSS_MAX_BYTES);
      await waitFor(() => rssBytes(t.pid) <= startRss + 64 * MiB, 30_000);
      const p = probe;
      await waitFor(() => p.latenciesMs.length >= 5, 15_000);
      expect(p.failures).toBe(0);
      expect(p.p99Ms()).toBeLessThan(PROBE_P99_LIMIT_MS);
    } finally {
      clearInterval(sampler);
      for (const raw of raws) raw.socket.destroy();
    }
  }, 120_000);
});
