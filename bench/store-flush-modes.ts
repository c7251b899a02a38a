// The durability section of `npm run bench:store`: 1 KiB x 32 appends under ASYNC_FLUSH and
// SYNC_FLUSH, with the TransientStorePool off and on, through N-API and in pure Rust. Under
// SYNC_FLUSH a message counts once its group commit is acknowledged, with at most 8 batches
// waiting (as concurrent producers would); under ASYNC_FLUSH when the append returns.

import { rmSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { StoreMessage } from '../ts/store/message-store-api.js';
import { NativeMessageStore } from '../ts/store/native-message-store.js';
import { fillBatch, freshDir, median, type RunResult, runRust } from './store-bench-common.js';

const SIZE_BYTES = 1024;
const BATCH_SIZE = 32;
const IN_FLIGHT_BATCHES = 8;
const WARMUP_MS = 200;
const YIELD_EVERY_MS = 20;

export interface FlushMode {
  readonly name: string;
  readonly sync: boolean;
  readonly pool: boolean;
}

export const FLUSH_MODES: readonly FlushMode[] = [
  { name: 'ASYNC_FLUSH', sync: false, pool: false },
  { name: 'ASYNC_FLUSH + pool', sync: false, pool: true },
  { name: 'SYNC_FLUSH', sync: true, pool: false },
  { name: 'SYNC_FLUSH + pool', sync: true, pool: true },
];

export interface FlushModeResult {
  readonly mode: string;
  readonly napi: RunResult;
  readonly rust: RunResult;
}

async function appendAcknowledged(store: NativeMessageStore, mode: FlushMode, windowMs: number): Promise<number> {
  const body = Buffer.alloc(SIZE_BYTES, 'm');
  const batch = new Array<StoreMessage>(BATCH_SIZE);
  const sequence = { value: 0 };
  const waiting: Promise<void>[] = [];
  const started = performance.now();
  let lastYield = started;
  let messages = 0;
  while (performance.now() - started < windowMs) {
    fillBatch(batch, body, sequence);
    const result = store.append(batch);
    if (mode.sync) {
      waiting.push(store.whenFlushed(result.endOffset));
      if (waiting.length > IN_FLIGHT_BATCHES) await waiting.shift();
    } else if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    messages += BATCH_SIZE;
  }
  await Promise.all(waiting);
  return messages;
}

async function runNapi(mode: FlushMode, seconds: number): Promise<RunResult> {
  const dir = freshDir();
  const store = NativeMessageStore.open({
    storePath: dir,
    flushDiskType: mode.sync ? 'SYNC_FLUSH' : 'ASYNC_FLUSH',
    transientStorePoolEnable: mode.pool,
    transientStorePoolSize: 2,
  });
  try {
    await appendAcknowledged(store, mode, WARMUP_MS);
    const started = performance.now();
    const messages = await appendAcknowledged(store, mode, seconds * 1000);
    const msgPerSec = (messages * 1000) / (performance.now() - started);
    return { msgPerSec, mbPerSec: (msgPerSec * SIZE_BYTES) / 1_000_000, messages };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each mode runs rust, napi, rust, napi; the medians are reported. */
export async function runFlushModes(seconds: number): Promise<FlushModeResult[]> {
  const results: FlushModeResult[] = [];
  for (const mode of FLUSH_MODES) {
    const flags = ['--flush', mode.sync ? 'sync' : 'async', '--pool', mode.pool ? 'on' : 'off'];
    const rustRuns: RunResult[] = [];
    const napiRuns: RunResult[] = [];
    for (let round = 0; round < 2; round++) {
      rustRuns.push(runRust(SIZE_BYTES, BATCH_SIZE, seconds, [...flags, '--in-flight', `${IN_FLIGHT_BATCHES}`]));
      napiRuns.push(await runNapi(mode, seconds));
    }
    const result = { mode: mode.name, napi: median(napiRuns), rust: median(rustRuns) };
    console.error(
      `  ${mode.name}: napi ${Math.round(result.napi.msgPerSec)} msg/s, ` +
        `rust ${Math.round(result.rust.msgPerSec)} msg/s`,
    );
    results.push(result);
  }
  return results;
}

export function formatFlushModes(results: readonly FlushModeResult[]): string {
  const header = ['mode (1 KiB x 32)', 'napi msg/s', 'rust msg/s', 'napi/rust'];
  const rows = results.map((r) => [
    r.mode,
    Math.round(r.napi.msgPerSec).toLocaleString('en-US'),
    Math.round(r.rust.msgPerSec).toLocaleString('en-US'),
    (r.napi.msgPerSec / r.rust.msgPerSec).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: readonly string[]): string =>
    cols.map((col, i) => (i === 0 ? col.padEnd(widths[i] ?? 0) : col.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
