// `npm run bench:metrics`: what serving /metrics costs. W1 (the official Java producer and consumer,
// as bench:peer runs them) against our broker without the endpoint, then with it and a scrape every
// second, alternating per round (A B A B) in the same run; prints both and their ratios (docs/metrics.md).
// Depends on peer-run.ts, peer-workloads.ts, ours-build.ts, broker-process.ts, load-summary.ts.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../ts/store/native-binding.js';
import { freePort } from './broker-process.js';
import { pinSelf } from './load-summary.js';
import { buildOurs } from './ours-build.js';
import { type PeerRunOptions, type RunRecord, runOne } from './peer-run.js';
import { WORKLOADS } from './peer-workloads.js';

const USAGE = `usage: npm run bench:metrics -- [options]
  --rounds N         rounds of without-then-with (2 = A B A B)
  --warmup S         warm-up of the official tool before the window (10)
  --seconds S        measured window (20)
  --scrape-ms MS     scrape interval while the endpoint is on (1000)
  --ours FROM        head (compile the committed HEAD into .peer/) | worktree (dist/ as is) (head)
  --broker-cpus L    taskset list for the broker and its name server (1)
  --client-cpus L    taskset list for the load generators and this process (0)`;

interface Variant {
  readonly name: 'without' | 'with';
  readonly runs: RunRecord[];
  scrapes: number;
  scrapeFailures: number;
}

/** Scrapes `url` every `intervalMs` until stopped; counts answers (the broker is up only part of the time). */
function startScraper(url: string, intervalMs: number, variant: Variant): () => void {
  const timer = setInterval(() => {
    fetch(url)
      .then(async (response) => {
        await response.text();
        if (response.status === 200) variant.scrapes += 1;
        else variant.scrapeFailures += 1;
      })
      .catch(() => undefined);
  }, intervalMs);
  return () => clearInterval(timer);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function summary(variant: Variant): { tps: number; usPerMsg: number; avgRtMs: number } {
  const ok = variant.runs.filter((run) => run.error === null);
  return {
    tps: mean(ok.map((run) => run.official?.tps ?? Number.NaN)),
    usPerMsg: mean(ok.map((run) => run.broker?.cpuUsPerMsg ?? Number.NaN)),
    avgRtMs: mean(ok.map((run) => Number(run.official?.avgRtMs ?? Number.NaN))),
  };
}

function parseCliArgs() {
  return parseArgs({
    options: {
      rounds: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '20' },
      'scrape-ms': { type: 'string', default: '1000' },
      ours: { type: 'string', default: 'head' },
      'broker-cpus': { type: 'string', default: '1' },
      'client-cpus': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

async function runRounds(options: PeerRunOptions, rounds: number, scrapeMs: number): Promise<Variant[]> {
  const w1 = WORKLOADS.find((workload) => workload.id === 'W1');
  if (w1 === undefined) throw new Error('no W1 workload');
  const without: Variant = { name: 'without', runs: [], scrapes: 0, scrapeFailures: 0 };
  const withMetrics: Variant = { name: 'with', runs: [], scrapes: 0, scrapeFailures: 0 };
  for (let round = 1; round <= rounds; round++) {
    without.runs.push(await runOne({ ...options, oursExtraConf: ['metricsExporterType=DISABLE'] }, w1, 'ours', round));
    const port = await freePort();
    const conf = ['metricsExporterType=PROM', 'metricsPromExporterHost=127.0.0.1', `metricsPromExporterPort=${port}`];
    const stop = startScraper(`http://127.0.0.1:${port}/metrics`, scrapeMs, withMetrics);
    try {
      withMetrics.runs.push(await runOne({ ...options, oursExtraConf: conf }, w1, 'ours', round));
    } finally {
      stop();
    }
    for (const variant of [without, withMetrics]) {
      const run = variant.runs[variant.runs.length - 1];
      const detail =
        run?.error ?? `${Math.round(run?.official?.tps ?? 0)} msg/s, ${run?.broker?.cpuUsPerMsg.toFixed(1)} µs/msg`;
      console.log(`W1 round ${round} ${variant.name} /metrics: ${detail}`);
    }
  }
  return [without, withMetrics];
}

async function main(): Promise<void> {
  const values = parseCliArgs();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.ours !== 'head' && values.ours !== 'worktree') throw new Error('--ours: head or worktree');
  const root = packageRoot();
  pinSelf(values['client-cpus']);
  const peerScript = join(root, 'scripts', 'rocketmq-peer.sh');
  execFileSync('bash', [peerScript, 'fetch'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const ours = buildOurs(root, values.ours);
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
  const options: PeerRunOptions = {
    peerScript,
    oursDistDir: ours.distDir,
    brokerCpus: values['broker-cpus'],
    clientCpus: values['client-cpus'],
    warmupSeconds: Number(values.warmup),
    seconds: Number(values.seconds),
    probeSeconds: 0,
    logRoot: join(root, '.peer', 'runs', `metrics-${stamp}`),
  };
  console.log(
    `bench:metrics: W1 x ${values.rounds} rounds, ours = ${ours.from} ${ours.commit}; logs ${options.logRoot}`,
  );
  const [without, withMetrics] = await runRounds(options, Number(values.rounds), Number(values['scrape-ms']));
  if (without === undefined || withMetrics === undefined) return;
  const a = summary(without);
  const b = summary(withMetrics);
  console.log('');
  console.log('| W1, ours | msg/s | broker µs/msg | avg RT ms |');
  console.log('|---|---|---|---|');
  console.log(`| without /metrics | ${Math.round(a.tps)} | ${a.usPerMsg.toFixed(1)} | ${a.avgRtMs.toFixed(2)} |`);
  console.log(
    `| /metrics scraped every ${values['scrape-ms']} ms (${withMetrics.scrapes} scrapes) | ${Math.round(b.tps)} | ` +
      `${b.usPerMsg.toFixed(1)} | ${b.avgRtMs.toFixed(2)} |`,
  );
  console.log(`| with / without | ${(b.tps / a.tps).toFixed(3)} | ${(b.usPerMsg / a.usPerMsg).toFixed(3)} | |`);
  if (withMetrics.scrapes === 0) console.error('bench:metrics: no scrape answered: the endpoint was not measured');
}

await main();
