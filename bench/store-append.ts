// `npm run bench:store`: append throughput through N-API (StoreMessage objects → RecordDraftEncoder →
// NativeMessageStore, as a broker would) against the same workload in pure Rust (the store crate's
// `append_bench` example), interleaved per cell; prints a table, writes .bench-data/store-append.json.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { socketAddress } from '../ts/common/socket-address.js';
import type { StoreMessage } from '../ts/store/message-store-api.js';
import { packageRoot } from '../ts/store/native-binding.js';
import { NativeMessageStore } from '../ts/store/native-message-store.js';

const MESSAGE_SIZES_BYTES = [128, 1024, 4096];
const BATCH_SIZES = [1, 32, 256];
/** Measured window of one run; each cell runs rust, napi, rust, napi. */
const RUN_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1.5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const WARMUP_MS = 300;
const YIELD_EVERY_MS = 20;
const QUEUE_COUNT = 8;
const TOPIC = 'BenchTopic';
const BORN_TIMESTAMP = 1_700_000_000_000;
const BORN_HOST = socketAddress('127.0.0.1', 50000);
const STORE_HOST = socketAddress('127.0.0.1', 10911);

interface RunResult {
  readonly msgPerSec: number;
  readonly mbPerSec: number;
  readonly messages: number;
}

interface CellResult {
  readonly sizeBytes: number;
  readonly batchSize: number;
  readonly napi: RunResult;
  readonly rust: RunResult;
  readonly napiRuns: RunResult[];
  readonly rustRuns: RunResult[];
}

const root = packageRoot();
const rustBinary = join(root, 'target', 'release', 'examples', 'append_bench');

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'clean-rocketmq-bench-'));
}

function buildRustBench(): void {
  console.error('building the pure-Rust bench (cargo build --release --example append_bench)...');
  const built = spawnSync('cargo', ['build', '--release', '-p', 'clean-rocketmq-store', '--example', 'append_bench'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) throw new Error(`cargo build of append_bench failed (exit ${built.status})`);
}

function runRust(sizeBytes: number, batchSize: number): RunResult {
  const dir = freshDir();
  try {
    const args = ['--size', `${sizeBytes}`, '--batch', `${batchSize}`, '--seconds', `${RUN_SECONDS}`, '--dir', dir];
    const output = execFileSync(rustBinary, args, { encoding: 'utf8' });
    const lastLine = output.trim().split('\n').at(-1) ?? '';
    return JSON.parse(lastLine) as RunResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The properties append_bench writes: TAGS, KEYS, a UNIQ_KEY unique per message, WAIT. */
function benchProperties(seq: number): string {
  const uniqKey = `7F0000010001${seq.toString(16).toUpperCase().padStart(20, '0')}`;
  return `TAGS\x01TagA\x02KEYS\x01key-${seq}\x02UNIQ_KEY\x01${uniqKey}\x02WAIT\x01true\x02`;
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
    for (let i = 0; i < batchSize; i++) {
      const seq = ++sequence.value;
      batch[i] = {
        topic: TOPIC,
        queueId: seq % QUEUE_COUNT,
        body,
        properties: benchProperties(seq),
        bornTimestamp: BORN_TIMESTAMP,
        bornHost: BORN_HOST,
        storeHost: STORE_HOST,
      };
    }
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

function median(runs: readonly RunResult[]): RunResult {
  const sorted = [...runs].sort((a, b) => a.msgPerSec - b.msgPerSec);
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid] as RunResult;
  const [a, b] = [sorted[mid - 1] as RunResult, sorted[mid] as RunResult];
  return {
    msgPerSec: (a.msgPerSec + b.msgPerSec) / 2,
    mbPerSec: (a.mbPerSec + b.mbPerSec) / 2,
    messages: a.messages + b.messages,
  };
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
        rustRuns.push(runRust(sizeBytes, batchSize));
        napiRuns.push(await runNapi(sizeBytes, batchSize));
      }
      const cell = { sizeBytes, batchSize, napi: median(napiRuns), rust: median(rustRuns), napiRuns, rustRuns };
      cells.push(cell);
      const [napiRate, rustRate] = [Math.round(cell.napi.msgPerSec), Math.round(cell.rust.msgPerSec)];
      console.error(`  ${sizeBytes} B x${batchSize}: napi ${napiRate} msg/s, rust ${rustRate} msg/s`);
    }
  }
  console.log(`\n${formatTable(cells)}\n`);
  const dataDir = join(root, '.bench-data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'store-append.json'), `${JSON.stringify({ environment: env, cells }, null, 2)}\n`);
  console.log(`results: ${join('.bench-data', 'store-append.json')}`);
  const headline = cells.find((c) => c.sizeBytes === 1024 && c.batchSize === 256);
  if (headline === undefined) throw new Error('the 1 KiB x 256 cell is missing');
  const ratio = headline.napi.msgPerSec / headline.rust.msgPerSec;
  console.log(`store-append 1KiB x256: ${Math.round(headline.napi.msgPerSec)} msg/s, napi/rust=${ratio.toFixed(2)}`);
}

await main();
