// `npm run bench:peer`: our broker against Apache RocketMQ 5.5.0 on this box, both driven by the
// OFFICIAL Java benchmark tools, alternating ours/Apache per round (A B A B), broker and name server
// pinned to one core and the load generators to the other. Downloads the Apache jars once into .peer/
// (scripts/rocketmq-peer.sh), writes docs/bench-results/<date>-<commit>.json, and ends with the W1 line.
// Depends on peer-run.ts, peer-workloads.ts, peer-report.ts, ours-build.ts, load-summary.ts.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../ts/store/native-binding.js';
import { pinSelf } from './load-summary.js';
import { buildOurs } from './ours-build.js';
import { closingLine, markdownTables, type PeerResults, summarize } from './peer-report.js';
import { type PeerRunOptions, type RunRecord, runOne } from './peer-run.js';
import { QUEUE_COUNT, type Workload, WORKLOADS } from './peer-workloads.js';

const USAGE = `usage: npm run bench:peer -- [options]
  --quick            W1 only, 2 rounds, 8 s warm-up, 15 s window, 6 s probe (under 5 minutes)
  --workloads LIST   comma-separated ids (${WORKLOADS.map((w) => w.id).join(',')}); default all
  --rounds N         rounds of ours-then-Apache (2 = A B A B)
  --warmup S         warm-up of the official tool before the window (15)
  --seconds S        measured window (30)
  --probe S          TypeScript latency probe after each official run, 0 = none (10)
  --ours FROM        head (compile the committed HEAD into .peer/) | worktree (dist/ as is) (head)
  --broker-cpus L    taskset list for brokers and name servers (1)
  --client-cpus L    taskset list for the load generators and this process (0)
  --out FILE         results JSON (docs/bench-results/<date>-<commit>.json)
  --note TEXT        a note kept in the results JSON (repeatable), e.g. "shared machine"`;

function machine(): PeerResults['machine'] {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const version = (command: string, args: string[]): string => {
    const out = spawnSync(command, args, { encoding: 'utf8' });
    return `${out.stdout ?? ''}${out.stderr ?? ''}`.trim().split('\n')[0] ?? 'unknown';
  };
  return {
    cpu: model,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    node: process.version,
    java: version('java', ['-version']),
  };
}

function selectWorkloads(list: string | undefined, quick: boolean): Workload[] {
  if (quick && list === undefined) return WORKLOADS.filter((w) => w.id === 'W1');
  if (list === undefined) return [...WORKLOADS];
  const ids = list.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknown.length > 0)
    throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.id).join(', ')}`);
  return WORKLOADS.filter((w) => ids.includes(w.id));
}

function describe(run: RunRecord): string {
  if (run.error !== null) return `FAILED: ${run.error}`;
  const o = run.official;
  const b = run.broker;
  const p = run.probe;
  const rssMiB = ((b?.peakRssAnonBytes ?? 0) / 2 ** 20).toFixed(0);
  return (
    `${Math.round(o?.tps ?? 0)} msg/s (tool ${o?.toolTps ?? '—'}), ` +
    `avg RT ${o?.avgRtMs ?? '—'} ms, max RT ${o?.maxRtMs ?? '—'} ms, ` +
    `broker ${b?.cpuUsPerMsg.toFixed(1)} µs/msg (${b?.cores.toFixed(2)} cores), RssAnon ${rssMiB} MiB` +
    (o?.consumeTps != null ? `, consume ${o.consumeTps}/s B2C avg ${o.b2cAvgMs} ms lag ${o.lagEnd}` : '') +
    (p === null
      ? ''
      : ` | probe ${Math.round(p.tps)} msg/s ` +
        `p50 ${p.p50Ms.toFixed(2)} p99 ${p.p99Ms.toFixed(2)} max ${p.maxMs.toFixed(1)} ms`) +
    ` | machine busy ${run.machineBusyCores?.toFixed(2)} cores` +
    (run.replication === undefined
      ? ''
      : ` | replication lag max ${run.replication.maxMsgs ?? '—'} avg ${run.replication.avgMsgs?.toFixed(0) ?? '—'} ` +
        `end ${run.replication.endMsgs ?? '—'} msgs (${run.replication.samples} samples)`)
  );
}

function parseCliArgs() {
  return parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      workloads: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      seconds: { type: 'string' },
      probe: { type: 'string' },
      ours: { type: 'string', default: 'head' },
      'broker-cpus': { type: 'string', default: '1' },
      'client-cpus': { type: 'string', default: '0' },
      out: { type: 'string' },
      note: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

/** Each workload, each round, ours then Apache: the A B A B order. */
async function runAlternating(options: PeerRunOptions, workloads: Workload[], rounds: number): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (const workload of workloads) {
    for (let round = 1; round <= rounds; round++) {
      for (const side of ['ours', 'rocketmq'] as const) {
        const run = await runOne(options, workload, side, round);
        runs.push(run);
        console.log(
          `${workload.id} ${workload.label} round ${round} ${side === 'ours' ? 'ours' : 'rocketmq'}: ${describe(run)}`,
        );
      }
    }
  }
  return runs;
}

/** Writes the results JSON and prints the tables, the file and the W1 line. */
function report(results: PeerResults, out: string): void {
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
  console.log('');
  for (const line of markdownTables(results.summary)) console.log(line);
  console.log(`results: ${out}`);
  const w1 = results.summary.find((s) => s.id === 'W1') ?? results.summary[0];
  if (w1 !== undefined) console.log(closingLine(w1));
}

/** The pop workloads' consumers (PopBench) are built with the Java compatibility probes. */
function buildPopConsumers(root: string, workloads: readonly Workload[]): void {
  if (!workloads.some((workload) => workload.pop !== undefined)) return;
  execFileSync('bash', [join(root, 'scripts', 'compat-java.sh'), 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The gRPC workloads need Apache's proxy jars and GrpcBench (test/compat/java-grpc). */
function prepareGrpc(root: string, peerScript: string, workloads: readonly Workload[]): void {
  if (!workloads.some((workload) => workload.grpc !== undefined)) return;
  execFileSync('bash', [peerScript, 'fetch-proxy'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const script = join(root, 'scripts', 'compat-java-grpc.sh');
  execFileSync('bash', [script, 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function main(): Promise<void> {
  const values = parseCliArgs();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick;
  const workloads = selectWorkloads(values.workloads, quick);
  const rounds = Number(values.rounds ?? 2);
  const warmupSeconds = Number(values.warmup ?? (quick ? 8 : 15));
  const seconds = Number(values.seconds ?? (quick ? 15 : 30));
  const probeSeconds = Number(values.probe ?? (quick ? 6 : 10));
  if (values.ours !== 'head' && values.ours !== 'worktree') throw new Error('--ours: head or worktree');
  const root = packageRoot();
  const startedAt = new Date();

  pinSelf(values['client-cpus']);
  const peerScript = join(root, 'scripts', 'rocketmq-peer.sh');
  execFileSync('bash', [peerScript, 'fetch'], { stdio: ['ignore', 'inherit', 'inherit'] });
  buildPopConsumers(root, workloads);
  prepareGrpc(root, peerScript, workloads);
  const ours = buildOurs(root, values.ours);
  if (ours.from === 'worktree' && ours.dirtyPaths.length > 0)
    console.error(`bench:peer: measuring dist/ with uncommitted changes in ${ours.dirtyPaths.length} path(s)`);
  const stamp = startedAt.toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
  const logRoot = join(root, '.peer', 'runs', stamp);
  const options: PeerRunOptions = {
    peerScript,
    oursDistDir: ours.distDir,
    brokerCpus: values['broker-cpus'],
    clientCpus: values['client-cpus'],
    warmupSeconds,
    seconds,
    probeSeconds,
    logRoot,
  };
  console.log(
    `bench:peer: ${workloads.map((w) => w.id).join(', ')} x ${rounds} rounds (ours, Apache alternating); ` +
      `warm-up ${warmupSeconds} s, window ${seconds} s, probe ${probeSeconds} s; ` +
      `brokers on CPU ${options.brokerCpus}, load on CPU ${options.clientCpus}; ` +
      `ours = ${ours.from} ${ours.commit}; logs ${logRoot}`,
  );

  const runs = await runAlternating(options, workloads, rounds);
  const summary = summarize(workloads, runs);
  const results: PeerResults = {
    kind: 'clean-rocketmq bench:peer',
    date: startedAt.toISOString(),
    command: `npm run bench:peer -- ${process.argv.slice(2).join(' ')}`.trim(),
    commit: ours.commit,
    ours: { from: ours.from, dirtyPaths: ours.dirtyPaths, nativeBuiltAt: ours.nativeBuiltAt },
    rocketmqVersion: '5.5.0',
    machine: machine(),
    settings: {
      brokerCpus: options.brokerCpus,
      clientCpus: options.clientCpus,
      warmupSeconds,
      seconds,
      probeSeconds,
      rounds,
      queues: QUEUE_COUNT,
    },
    notes: values.note ?? [],
    workloads,
    runs,
    summary,
  };
  const fileName = `${stamp.slice(0, 10)}-${ours.commit}${quick ? '-quick' : ''}.json`;
  report(results, values.out ?? join(root, 'docs', 'bench-results', fileName));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
