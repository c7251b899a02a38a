// `npm run bench:store`: append throughput through N-API (StoreMessage objects → RecordDraftEncoder →
// NativeMessageStore, as a broker would) against the same workload in pure Rust (the store crate's
// `append_bench` example), interleaved per cell; prints a table, writes .bench-data/store-append.json.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { StoreMessage } from '../ts/store/message-store-api.js';
import { NativeMessageStore } from '../ts/store/native-message-store.js';
import { buildRustBench, fillBatch, freshDir, median, root, type RunResult, runRust } from './store-bench-common.js';
import { formatFlushModes, runFlushModes } from './store-flush-modes.js';

const MESSAGE_SIZES_BYTES = [128, 1024, 4096];
const BATCH_SIZES = [1, 32, 256];
/** Measured window of one run; each cell runs rust, napi, rust, napi. */
const RUN_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
/** Measured window of one run in the flush-mode section. */
const FLUSH_MODE_SECONDS = Number(process.env['BENCH_FLUSH_SECONDS'] ?? 0.8);
const WARMUP_MS = 300;
const YIELD_EVERY_MS = 20;

interface CellResult {
  readonly sizeBytes: number;
  readonly batchSize: number;
  readonly napi: RunResult;
  readonly rust: RunResult;
  readonly napiRuns: RunResult[];
  readonly rustRuns: RunResult[];
}

/** Appends batches built from StoreMessage objects for `windowMs`; the encoding is part of the cost. */
async function appendFor(
  store: NativeMessageStore,
  body: Buffer,
  batchSize: number,
  windowMs: number,
  sequence: { value: number },
): Promise<{ messages: number; elapsedMs: number }> {
  const batch = new Array<StoreMessage>(batchSize);
  const started = performance.now();
  let lastYield = started;
  let messages = 0;
  let now = started;
  while (now - started < windowMs) {
    fillBatch(batch, body, sequence);
    store.append(batch);
    messages += batchSize;
    now = performance.now();
    if (now - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = now = performance.now();
    }
  }
  return { messages, elapsedMs: now - started };
}

async function runNapi(sizeBytes: number, batchSize: number): Promise<RunResult> {
  const dir = freshDir();
  const store = NativeMessageStore.open({ storePath: dir });
  try {
    const body = Buffer.alloc(sizeBytes, 'm');
    const sequence = { value: 0 };
    await appendFor(store, body, batchSize, WARMUP_MS, sequence);
    const { messages, elapsedMs } = await appendFor(store, body, batchSize, RUN_SECONDS * 1000, sequence);
    const msgPerSec = (messages * 1000) / elapsedMs;
    return { msgPerSec, mbPerSec: (msgPerSec * sizeBytes) / 1_000_000, messages };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function environment(): Record<string, string | number> {
  const version = (command: string, args: string[]): string =>
    spawnSync(command, args, { encoding: 'utf8' }).stdout?.trim() ?? 'unknown';
  return {
    date: new Date().toISOString(),
    node: process.version,
    rustc: version('rustc', ['--version']),
    commit: version('git', ['-C', root, 'rev-parse', '--short', 'HEAD']),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    tmpdir: tmpdir(),
    runSeconds: RUN_SECONDS,
    rounds: ROUNDS,
  };
}

function formatTable(cells: readonly CellResult[]): string {
  const header = ['size', 'batch', 'napi msg/s', 'napi MB/s', 'rust msg/s', 'rust MB/s', 'napi/rust'];
  const rows = cells.map((c) => [
    `${c.sizeBytes}`,
    `${c.batchSize}`,
    Math.round(c.napi.msgPerSec).toLocaleString('en-US'),
    c.napi.mbPerSec.toFixed(1),
    Math.round(c.rust.msgPerSec).toLocaleString('en-US'),
    c.rust.mbPerSec.toFixed(1),
    (c.napi.msgPerSec / c.rust.msgPerSec).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: readonly string[]): string => cols.map((col, i) => col.padStart(widths[i] ?? 0)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const env = environment();
  buildRustBench();
  console.error(
    `${env['cpu']} x${env['cores']}, node ${env['node']}, ${env['rustc']}; ${RUN_SECONDS}s per run, ${ROUNDS} rounds\n`,
  );
  const cells: CellResult[] = [];
  for (const sizeBytes of MESSAGE_SIZES_BYTES) {
    for (const batchSize of BATCH_SIZES) {
      const rustRuns: RunResult[] = [];
      const napiRuns: RunResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        rustRuns.push(runRust(sizeBytes, batchSize, RUN_SECONDS));
        napiRuns.push(await runNapi(sizeBytes, batchSize));
      }
      const cell = { sizeBytes, batchSize, napi: median(napiRuns), rust: median(rustRuns), napiRuns, rustRuns };
      cells.push(cell);
      const [napiRate, rustRate] = [Math.round(cell.napi.msgPerSec), Math.round(cell.rust.msgPerSec)];
      console.error(`  ${sizeBytes} B x${batchSize}: napi ${napiRate} msg/s, rust ${rustRate} msg/s`);
    }
  }
  console.log(`\n${formatTable(cells)}\n`);
  console.error('\ndurability modes:');
  const flushModes = await runFlushModes(FLUSH_MODE_SECONDS);
  console.log(`${formatFlushModes(flushModes)}\n`);
  const dataDir = join(root, '.bench-data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'store-append.json'),
    `${JSON.stringify({ environment: env, cells, flushModes }, null, 2)}\n`,
  );
  console.log(`results: ${join('.bench-data', 'store-append.json')}`);
  const headline = cells.find((c) => c.sizeBytes === 1024 && c.batchSize === 256);
  if (headline === undefined) throw new Error('the 1 KiB x 256 cell is missing');
  const ratio = headline.napi.msgPerSec / headline.rust.msgPerSec;
  console.log(`store-append 1KiB x256: ${Math.round(headline.napi.msgPerSec)} msg/s, napi/rust=${ratio.toFixed(2)}`);
}

await main();
