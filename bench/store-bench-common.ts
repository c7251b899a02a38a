// Shared pieces of the store benchmarks: the workload (topic, properties, hosts), fresh data
// folders, the pure-Rust runner (the store crate's `append_bench` example) and medians.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketAddress } from '../ts/common/socket-address.js';
import type { StoreMessage } from '../ts/store/message-store-api.js';
import { packageRoot } from '../ts/store/native-binding.js';

export const QUEUE_COUNT = 8;
export const TOPIC = 'BenchTopic';
const BORN_TIMESTAMP = 1_700_000_000_000;
const BORN_HOST = socketAddress('127.0.0.1', 50000);
const STORE_HOST = socketAddress('127.0.0.1', 10911);

export interface RunResult {
  readonly msgPerSec: number;
  readonly mbPerSec: number;
  readonly messages: number;
}

export const root = packageRoot();
const rustBinary = join(root, 'target', 'release', 'examples', 'append_bench');

export function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'clean-rocketmq-bench-'));
}

export function buildRustBench(): void {
  console.error('building the pure-Rust bench (cargo build --release --example append_bench)...');
  const built = spawnSync('cargo', ['build', '--release', '-p', 'clean-rocketmq-store', '--example', 'append_bench'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) throw new Error(`cargo build of append_bench failed (exit ${built.status})`);
}

/** One pure-Rust run; `extraArgs` are append_bench flags such as `--flush sync --pool on`. */
export function runRust(sizeBytes: number, batchSize: number, seconds: number, extraArgs: string[] = []): RunResult {
  const dir = freshDir();
  try {
    const args = ['--size', `${sizeBytes}`, '--batch', `${batchSize}`, '--seconds', `${seconds}`, '--dir', dir];
    const output = execFileSync(rustBinary, [...args, ...extraArgs], { encoding: 'utf8' });
    const lastLine = output.trim().split('\n').at(-1) ?? '';
    return JSON.parse(lastLine) as RunResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The properties append_bench writes: TAGS, KEYS, a UNIQ_KEY unique per message, WAIT. */
export function benchProperties(seq: number): string {
  const uniqKey = `7F0000010001${seq.toString(16).toUpperCase().padStart(20, '0')}`;
  return `TAGS\x01TagA\x02KEYS\x01key-${seq}\x02UNIQ_KEY\x01${uniqKey}\x02WAIT\x01true\x02`;
}

/** Fills `batch` with fresh messages of `body`, numbered from `sequence.value + 1`. */
export function fillBatch(batch: StoreMessage[], body: Buffer, sequence: { value: number }): void {
  for (let i = 0; i < batch.length; i++) {
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
}

export function median(runs: readonly RunResult[]): RunResult {
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
