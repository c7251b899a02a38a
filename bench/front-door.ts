// `npm run bench:front-door`: the front door's floods of issue 25 against a broker or a registry run as a
// child process of the CLI, with the probe (test/server/front-door-probe.ts, its own process) sending
// every 100 ms; prints the probe's p50/p99/max during each flood, the server's own event-loop delay
// (bench/front-door-loop-delay.ts, preloaded) and its peak RSS. Flags: --target broker|registry,
// --rounds N, --only <text of a flood's name>, --baseline <another checkout, run before this one for
// each flood>, --node-arg <flag> (repeatable: --cpu-prof, --trace-gc, …; with --trace-gc the pauses of
// 5 ms or more are printed). Depends on node:child_process, node:net (docs/reliability.md §3: results).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const MiB = 1024 * 1024;
const thisRepo = fileURLToPath(new URL('..', import.meta.url));
const probeScript = fileURLToPath(new URL('../test/server/front-door-probe.ts', import.meta.url));
const loopDelay = fileURLToPath(new URL('./front-door-loop-delay.ts', import.meta.url));

type Kind = 'broker' | 'registry';

interface Server {
  readonly port: number;
  readonly child: ChildProcess;
  readonly stderr: string[];
  /** The server's stdout lines (with --trace-gc, its collections). */
  readonly stdout: string[];
  stop(): Promise<void>;
}

interface Flood {
  readonly name: string;
  readonly keys: Record<string, number>;
  run(port: number): Promise<void>;
}

async function startServer(
  kind: Kind,
  keys: Record<string, number>,
  nodeArgs: string[],
  repo: string,
): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `clean-rocketmq-bench-front-door-${kind}-`));
  const conf = join(dir, `${kind}.conf`);
  const roleKeys =
    kind === 'broker'
      ? [`storePathRootDir=${dir}`, 'listenPort=0', 'brokerIP1=127.0.0.1', 'grpcServerPort=0']
      : [`kvConfigPath=${join(dir, 'kvConfig.json')}`];
  const keyLines = Object.entries(keys).map(([key, value]) => `${key}=${value}`);
  writeFileSync(conf, [...roleKeys, 'mappedFileSizeCommitLog=67108864', ...keyLines].join('\n'));
  const args = kind === 'broker' ? ['broker', '-c', conf] : ['registry', '-c', conf, '-p', '0', '--host', '127.0.0.1'];
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--import', loopDelay, join(repo, 'ts/cli/main.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NAMESRV_ADDR: '' },
    },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line: string) => stderr.push(line));
  const stdout: string[] = [];
  const ready = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line: string) => {
      stdout.push(line);
      if (line.includes('listening on')) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}: ${stderr.join('\n')}`)));
  });
  const port = Number(/listening on [^\s,]*:(\d+)/.exec(ready)?.[1]);
  return {
    port,
    child,
    stderr,
    stdout,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function openSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  socket.on('data', () => {});
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function untilAllClosed(sockets: Socket[], timeoutMs: number): Promise<void> {
  const closed = sockets.map(
    (socket) => new Promise((resolve) => (socket.closed ? resolve(0) : socket.once('close', resolve))),
  );
  await Promise.race([Promise.all(closed), sleep(timeoutMs)]);
  for (const socket of sockets) socket.destroy();
}

/** Connections that each send 15 MiB of a 16 MiB frame and wait (the memory test's flood). */
function partialFrames(count: number, budgetBytes: number): Flood {
  return {
    name: `${count} x 15 MiB partial frames, budget ${budgetBytes / MiB} MiB`,
    keys: { serverPendingFrameTotalMaxBytes: budgetBytes, serverFrameTimeoutMillis: 3000 },
    run: async (port) => {
      const partial = Buffer.alloc(15 * MiB, 1);
      partial.writeInt32BE(16 * MiB - 4, 0);
      const sockets: Socket[] = [];
      for (let n = 0; n < count; n++) {
        const socket = await openSocket(port);
        socket.write(partial);
        sockets.push(socket);
      }
      await untilAllClosed(sockets, 60_000);
    },
  };
}

/** Connections that each send a JSON header of 200,000 extFields keys (3.6 MB). */
function hugeHeaders(count: number): Flood {
  return {
    name: `${count} headers of 200,000 extFields keys`,
    keys: {},
    run: async (port) => {
      const keys = Array.from({ length: 200_000 }, (_, n) => `"k${String(n).padStart(9, '0')}":"vv"`).join(',');
      const header = Buffer.from(`{"code":999,"extFields":{${keys}},"flag":0,"opaque":1}`);
      const prefix = Buffer.alloc(8);
      prefix.writeInt32BE(4 + header.length, 0);
      prefix.writeUInt32BE(header.length, 4);
      const frame = Buffer.concat([prefix, header]);
      const sockets: Socket[] = [];
      for (let n = 0; n < count; n++) {
        const socket = await openSocket(port);
        socket.write(frame);
        sockets.push(socket);
      }
      await untilAllClosed(sockets, 30_000);
    },
  };
}

function startProbe(port: number, kind: Kind): { latenciesMs: number[]; failures: () => number; stop(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', probeScript, `127.0.0.1:${port}`, kind], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const latenciesMs: number[] = [];
  let failures = 0;
  createInterface({ input: child.stdout }).on('line', (line: string) => {
    if (line === 'fail') failures++;
    else latenciesMs.push(Number(line));
  });
  return { latenciesMs, failures: () => failures, stop: () => child.stdin.end() };
}

/** With --trace-gc: the collections that paused the server 5 ms or more, and their total. */
function printLongCollections(lines: string[]): void {
  let totalMs = 0;
  for (const line of lines) {
    const pauseMs = Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(line)?.[1] ?? NaN);
    if (Number.isNaN(pauseMs)) continue;
    totalMs += pauseMs;
    if (pauseMs >= 5) console.log(`  gc ${line.replace(/^\[\d+:0x[0-9a-f]+\]\s+/, '')}`);
  }
  if (totalMs > 0) console.log(`  gc total ${totalMs.toFixed(1)} ms`);
}

function rssBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))] ?? NaN;
}

async function runFlood(kind: Kind, flood: Flood, nodeArgs: string[], repo: string): Promise<string> {
  const server = await startServer(kind, flood.keys, nodeArgs, repo);
  const probe = startProbe(server.port, kind);
  try {
    await sleep(1500);
    server.child.kill('SIGUSR2');
    const from = probe.latenciesMs.length;
    const gcFrom = server.stdout.length;
    const started = performance.now();
    const startRss = rssBytes(server.child.pid as number);
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(server.child.pid as number))), 20);
    await flood.run(server.port);
    clearInterval(sampler);
    const floodMs = performance.now() - started;
    await sleep(300);
    server.child.kill('SIGUSR2');
    await sleep(200);
    printLongCollections(server.stdout.slice(gcFrom));
    const during = probe.latenciesMs.slice(from).sort((a, b) => a - b);
    const loop = server.stderr.filter((line) => line.startsWith('loop-delay')).at(-1) ?? 'loop-delay ?';
    const figures = [50, 99].map((p) => `p${p}=${percentile(during, p).toFixed(1)}`).join(' ');
    return (
      `${repo === thisRepo ? 'this' : repo} ${kind} | ${flood.name} | ${(floodMs / 1000).toFixed(1)} s | ` +
      `probe n=${during.length} ${figures} ` +
      `max=${(during.at(-1) ?? NaN).toFixed(1)} fail=${probe.failures()} | server ${loop} | ` +
      `peak RSS +${((peakRss - startRss) / MiB).toFixed(0)} MiB`
    );
  } finally {
    probe.stop();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'broker' },
      rounds: { type: 'string', default: '1' },
      only: { type: 'string', default: '' },
      baseline: { type: 'string' },
      'node-arg': { type: 'string', multiple: true, default: [] },
    },
  });
  const kind = values.target as Kind;
  const floods = [partialFrames(200, 256 * MiB), partialFrames(20, 64 * MiB), hugeHeaders(20)];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const flood of floods.filter((f) => f.name.includes(values.only))) {
      for (const repo of values.baseline === undefined ? [thisRepo] : [values.baseline, thisRepo]) {
        console.log(await runFlood(kind, flood, values['node-arg'], repo));
      }
    }
  }
}

await main();
