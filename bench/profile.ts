// `npm run bench:profile`: profiles our broker under one bench:peer workload driven by the OFFICIAL
// Java benchmark Producer. Starts the broker (dist/ of the work tree, pinned like bench:peer) with
// `--perf-basic-prof` so `perf` can name JIT frames, warms up, then records the broker process with
// `perf record -e cpu-clock -g` (every thread: the event loop, libuv workers, the store's Rust threads)
// and, with --cpu-prof, also writes a V8 `.cpuprofile` of the main thread. Prints where the CPU goes
// by shared object, by thread and by symbol. Outputs go to .peer/profiles/<stamp>/.
// Depends on perf (linux-perf), broker-process.ts, peer-run.ts (the tool's spawn),
// cpuprofile-summary.ts, load-protocol.ts, scripts/rocketmq-peer.sh.

import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createJsonLogger } from '../ts/common/logger.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import { packageRoot } from '../ts/store/native-binding.js';
import { type RunningBroker, startOurs } from './broker-process.js';
import { summarizeCpuProfile } from './cpuprofile-summary.js';
import { createTopic, storedMessageCount } from './load-protocol.js';
import { pinSelf } from './load-summary.js';
import { ProcessMeter } from './proc-stats.js';
import { spawnTool, stopTool } from './peer-run.js';
import { producerArgs, QUEUE_COUNT, type Workload, WORKLOADS } from './peer-workloads.js';

const USAGE = `usage: npm run bench:profile -- [options]   (run npm run build first: it profiles dist/)
  --workload ID      one of ${WORKLOADS.map((w) => w.id).join(',')} (W1)
  --warmup S         seconds of load before recording (15)
  --seconds S        seconds recorded (20)
  --cpu-prof         also write a V8 .cpuprofile of the broker's main thread (adds sampling overhead)
  --broker-cpus L    taskset list for the broker (1)
  --client-cpus L    taskset list for the Java Producer and this process (0)
  --top N            symbols listed (40)
  --dist DIR         the compiled broker to profile (dist/ of the work tree), e.g. .peer/ours-<commit>/dist
                     that bench:peer compiled, to compare two commits under the same machine load
  --node-args=ARGS   extra node flags for the broker, space-separated
                     (e.g. --node-args="--max-semi-space-size=32")`;

function run(command: string, args: string[]): string {
  const out = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${out.status}\n${out.stderr}`);
  return out.stdout;
}

/** `perf report` lines with a percentage, without the header comments. */
function report(perfData: string, sort: string, limit: number): string[] {
  const text = run('perf', [
    'report',
    '-i',
    perfData,
    '--no-children',
    '--stdio',
    '--percent-limit',
    '0.3',
    '-g',
    'none',
    '--sort',
    sort,
  ]);
  return text
    .split('\n')
    .filter((line) => /^\s+\d+\.\d+%/.test(line))
    .slice(0, limit);
}

function parseCliArgs() {
  return parseArgs({
    options: {
      workload: { type: 'string', default: 'W1' },
      warmup: { type: 'string', default: '15' },
      seconds: { type: 'string', default: '20' },
      'cpu-prof': { type: 'boolean', default: false },
      'broker-cpus': { type: 'string', default: '1' },
      'client-cpus': { type: 'string', default: '0' },
      top: { type: 'string', default: '40' },
      dist: { type: 'string', default: '' },
      'node-args': { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

type CliValues = ReturnType<typeof parseCliArgs>;

/** Our broker from dist/, with perf's JIT map and, with --cpu-prof, V8's profile into outDir. */
function startProfiledBroker(values: CliValues, workload: Workload, outDir: string): Promise<RunningBroker> {
  const extraNodeArgs = values['node-args'].split(' ').filter((arg) => arg !== '');
  const nodeArgs = [
    '--perf-basic-prof-only-functions',
    ...extraNodeArgs,
    ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', outDir] : []),
  ];
  return startOurs(
    {
      dataDir: join(outDir, 'data'),
      cpus: values['broker-cpus'],
      flushDiskType: workload.flushDiskType,
      logDir: outDir,
      nodeArgs,
    },
    values.dist === '' ? join(packageRoot(), 'dist') : resolve(values.dist),
  );
}

/** Warms up under the official Producer, records the broker with perf, returns the summary lines. */
async function recordUnderLoad(
  values: CliValues,
  workload: Workload,
  broker: RunningBroker,
  outDir: string,
): Promise<string[]> {
  const top = Number(values.top);
  const peerScript = join(packageRoot(), 'scripts', 'rocketmq-peer.sh');
  const admin = new RemotingClient({ name: 'bench-profile', logger: createJsonLogger('error') });
  let producer: ChildProcess | undefined;
  try {
    const topic = `Profile${workload.id.replace(/[^A-Za-z0-9]/g, '')}`;
    await createTopic(admin, broker.brokerAddr, topic, QUEUE_COUNT);
    const tool = { peerScript, clientCpus: values['client-cpus'] };
    producer = spawnTool(
      tool,
      join(outDir, 'tool-home'),
      workload.tool,
      producerArgs(workload, broker.namesrvAddr, topic),
      join(outDir, 'producer.log'),
    );
    await sleep(Number(values.warmup) * 1000);

    const storedAtMark = await storedMessageCount(admin, broker.brokerAddr, topic, QUEUE_COUNT);
    const meter = new ProcessMeter(broker.brokerPid);
    meter.mark();
    const perfData = join(outDir, 'perf.data');
    const perfArgs = ['-e', 'cpu-clock', '-F', '999', '-g', '-p', String(broker.brokerPid), '-o', perfData];
    run('perf', ['record', ...perfArgs, '--', 'sleep', values.seconds]);
    const usage = meter.finish();
    const stored = (await storedMessageCount(admin, broker.brokerAddr, topic, QUEUE_COUNT)) - storedAtMark;
    const seconds = Number(values.seconds);

    return [
      `bench:profile ${workload.id} ${workload.label}: ${Math.round(stored / seconds)} msg/s stored while recording, ` +
        `broker ${(usage.cpuUs / Math.max(1, stored)).toFixed(1)} CPU-µs/msg (${usage.cores.toFixed(2)} cores)`,
      '',
      '## by thread (comm)',
      ...report(perfData, 'comm', 20),
      '',
      '## by shared object',
      ...report(perfData, 'dso', 20),
      '',
      `## top ${top} symbols`,
      ...report(perfData, 'dso,sym', top),
    ];
  } finally {
    if (producer !== undefined) await stopTool(producer);
    await admin.close();
  }
}

/** The --cpu-prof profiles in outDir: top functions by self and by total time, appended to summary.txt. */
function summarizeCpuProfiles(values: CliValues, outDir: string): string[] {
  const top = Number(values.top);
  const profiles = readdirSync(outDir).filter((name) => name.endsWith('.cpuprofile'));
  for (const name of profiles) {
    // The profile spans start-up, warm-up and the recording: keep the recorded share at the end.
    const recorded = Number(values.seconds) / (Number(values.seconds) + Number(values.warmup));
    const functions = summarizeCpuProfile(join(outDir, name), 1 - recorded);
    const lines = [
      '',
      `## ${name}: main thread, top ${top} by self time (% of samples)`,
      ...functions
        .sort((a, b) => b.selfPercent - a.selfPercent)
        .slice(0, top)
        .map((f) => `${f.selfPercent.toFixed(2).padStart(6)}%  ${f.name}`),
      '',
      `## ${name}: top ${top} by total time`,
      ...functions
        .sort((a, b) => b.totalPercent - a.totalPercent)
        .slice(0, top)
        .map((f) => `${f.totalPercent.toFixed(2).padStart(6)}%  ${f.name}`),
    ];
    appendFileSync(join(outDir, 'summary.txt'), `${lines.join('\n')}\n`);
    for (const line of lines) console.log(line);
  }
  return profiles;
}

async function main(): Promise<void> {
  const values = parseCliArgs();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const workload = WORKLOADS.find((w) => w.id === values.workload);
  if (workload === undefined) throw new Error(`unknown workload ${values.workload}`);
  const root = packageRoot();
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
  const outDir = join(root, '.peer', 'profiles', `${stamp}-${workload.id}`);
  mkdirSync(outDir, { recursive: true });
  pinSelf(values['client-cpus']);
  const peerScript = join(root, 'scripts', 'rocketmq-peer.sh');
  execFileSync('bash', [peerScript, 'fetch'], { stdio: ['ignore', 'inherit', 'inherit'] });

  const broker = await startProfiledBroker(values, workload, outDir);
  try {
    const lines = await recordUnderLoad(values, workload, broker, outDir);
    writeFileSync(join(outDir, 'summary.txt'), `${lines.join('\n')}\n`);
    for (const line of lines) console.log(line);
  } finally {
    await broker.stop();
  }
  const profiles = summarizeCpuProfiles(values, outDir);
  console.log(`\nperf data, summary${profiles.length > 0 ? ' and .cpuprofile' : ''} in ${outDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
