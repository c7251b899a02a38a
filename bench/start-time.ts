// `npm run bench:start`: time to ready of the all-in-one, median of N starts (default 10) each:
// startAllInOne in this process (memory store, disk store), `clean-rocketmq start` as a new process
// (spawn to its ready line; compiled dist/ when present, else tsx), and with `--apache N` Apache
// RocketMQ 5.5.0's name server + broker (scripts/apache-rocketmq.sh start, to broker registered).
// Prints one table; nothing is written.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createMemoryLogger } from '../ts/common/logger.js';
import { startAllInOne } from '../ts/server/embedded.js';

const root = join(import.meta.dirname, '..');
const STARTS = Number(process.env['BENCH_STARTS'] ?? 10);
const apacheFlag = process.argv.indexOf('--apache');
const APACHE_STARTS = apacheFlag < 0 ? 0 : Number(process.argv[apacheFlag + 1] ?? 3);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function embeddedStartMs(store: 'memory' | 'disk'): Promise<number> {
  const started = performance.now();
  const mq = await startAllInOne({ store, logger: createMemoryLogger() });
  const readyMs = performance.now() - started;
  await mq.stop();
  return readyMs;
}

/** `clean-rocketmq start` on ephemeral ports: spawn to its ready line, then SIGTERM. */
async function cliStartMs(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-bench-start-'));
  const compiled = join(root, 'dist/cli/start-command.js');
  const entry = existsSync(compiled) ? [join(root, 'dist/cli/main.js')] : ['--import', 'tsx', 'ts/cli/main.ts'];
  const args = [
    'start',
    '--data-dir',
    dataDir,
    '--registry-port',
    '0',
    '--broker-port',
    '0',
    '--grpc-port',
    '0',
    '--dashboard-port',
    '0',
    '--metrics-port',
    '0',
  ];
  const started = performance.now();
  const child = spawn(process.execPath, [...entry, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line: string) => line.startsWith('clean-rocketmq ready') && resolve());
    child.once('exit', (code) => reject(new Error(`clean-rocketmq start exited (${code}) before ready`)));
  });
  const readyMs = performance.now() - started;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
  return readyMs;
}

function apacheStartMs(): number {
  const runDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-bench-apache-'));
  const script = join(root, 'scripts/apache-rocketmq.sh');
  const started = performance.now();
  const start = spawnSync('bash', [script, 'start', runDir], { encoding: 'utf8' });
  const readyMs = performance.now() - started;
  spawnSync('bash', [script, 'stop', runDir], { env: { ...process.env, APACHE_STOP_GRACE_S: '0' } });
  rmSync(runDir, { recursive: true, force: true });
  if (start.status !== 0) throw new Error(`apache-rocketmq.sh start failed: ${start.stderr}`);
  return readyMs;
}

async function measure(name: string, runs: number, once: () => Promise<number> | number) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await once());
  return { name, runs, medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples) };
}

const rows = [
  await measure('startAllInOne, store: memory', STARTS, () => embeddedStartMs('memory')),
  await measure('startAllInOne, store: disk', STARTS, () => embeddedStartMs('disk')),
  await measure('clean-rocketmq start (new process)', STARTS, cliStartMs),
];
if (APACHE_STARTS > 0) rows.push(await measure('Apache 5.5.0 namesrv + broker', APACHE_STARTS, apacheStartMs));
console.log('| start | runs | median ms | min ms | max ms |\n|---|---:|---:|---:|---:|');
for (const row of rows) {
  const cells = [row.medianMs, row.minMs, row.maxMs].map((ms) => ms.toFixed(0));
  console.log(`| ${row.name} | ${row.runs} | ${cells.join(' | ')} |`);
}
