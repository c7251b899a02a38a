// Turns the runs of `npm run bench:peer` into per-workload medians (ours vs Apache RocketMQ) and
// ratios, a Markdown table for docs/benchmarks.md, and the closing summary line. Also the JSON
// document written to docs/bench-results/ and read by bench/charts.ts. Depends on peer-run.ts and
// peer-workloads.ts (types only).

import type { RunRecord } from './peer-run.js';
import type { Workload } from './peer-workloads.js';

export interface SideSummary {
  readonly runs: number;
  readonly errors: string[];
  readonly tps: number | null;
  readonly avgRtMs: number | null;
  readonly maxRtMs: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly p999Ms: number | null;
  readonly probeMaxMs: number | null;
  readonly probeTps: number | null;
  readonly cpuUsPerMsg: number | null;
  readonly brokerCores: number | null;
  readonly peakRssMiB: number | null;
  readonly peakRssAnonMiB: number | null;
  readonly consumeTps: number | null;
  readonly b2cAvgMs: number | null;
  readonly b2cMaxMs: number | null;
  readonly e2eP99Ms: number | null;
  readonly lagEnd: number | null;
  readonly machineBusyCores: number | null;
  readonly toolCpuUsPerMsg: number | null;
  /** W11-grpc: each server process's median RssAnon peak and CPU-µs/msg, e.g. "proxy 480 MiB 1200 µs". */
  readonly processes?: string;
  /** W1-ha-*: medians of the replication lag's max and average over the window (messages). */
  readonly replicationLagMax?: number | null;
  readonly replicationLagAvg?: number | null;
}

export interface WorkloadSummary {
  readonly id: string;
  readonly label: string;
  readonly ours: SideSummary;
  readonly rocketmq: SideSummary;
  /** ours / rocketmq of the medians. */
  readonly ratio: {
    tps: number | null;
    cpuUsPerMsg: number | null;
    p99: number | null;
    avgRt: number | null;
    rssAnon: number | null;
  };
}

/** The JSON document of one bench:peer run (docs/bench-results/<date>-<commit>.json). */
export interface PeerResults {
  readonly kind: 'clean-rocketmq bench:peer';
  readonly date: string;
  readonly command: string;
  readonly commit: string;
  readonly ours: { from: string; dirtyPaths: string[]; nativeBuiltAt: string };
  readonly rocketmqVersion: string;
  readonly machine: { cpu: string; cores: number; memGiB: number; kernel: string; node: string; java: string };
  readonly settings: {
    brokerCpus: string;
    clientCpus: string;
    warmupSeconds: number;
    seconds: number;
    probeSeconds: number;
    rounds: number;
    queues: number;
  };
  readonly notes: string[];
  readonly workloads: Workload[];
  readonly runs: RunRecord[];
  readonly summary: WorkloadSummary[];
}

export function median(values: ReadonlyArray<number | null | undefined>): number | null {
  const present = values
    .filter((value): value is number => typeof value === 'number' && Number.isFinite(value))
    .sort((a, b) => a - b);
  if (present.length === 0) return null;
  const mid = present.length >> 1;
  return present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
}

function ratio(ours: number | null, theirs: number | null): number | null {
  return ours === null || theirs === null || theirs === 0 ? null : ours / theirs;
}

function summarizeSide(runs: RunRecord[]): SideSummary {
  const ok = runs.filter((run) => run.error === null);
  const pick = (get: (run: RunRecord) => number | null | undefined): number | null => median(ok.map(get));
  const mebibytes = (bytes: number | undefined): number | null => (bytes === undefined ? null : bytes / 1024 / 1024);
  return {
    runs: ok.length,
    errors: runs.flatMap((run) => (run.error === null ? [] : [run.error])),
    tps: pick((run) => run.official?.tps),
    avgRtMs: pick((run) => run.official?.avgRtMs),
    maxRtMs: pick((run) => run.official?.maxRtMs),
    p50Ms: pick((run) => run.probe?.p50Ms),
    p99Ms: pick((run) => run.probe?.p99Ms),
    p999Ms: pick((run) => run.probe?.p999Ms),
    probeMaxMs: pick((run) => run.probe?.maxMs),
    probeTps: pick((run) => run.probe?.tps),
    cpuUsPerMsg: pick((run) => run.broker?.cpuUsPerMsg),
    brokerCores: pick((run) => run.broker?.cores),
    peakRssMiB: pick((run) => mebibytes(run.broker?.peakRssBytes)),
    peakRssAnonMiB: pick((run) => mebibytes(run.broker?.peakRssAnonBytes)),
    consumeTps: pick((run) => run.official?.consumeTps),
    b2cAvgMs: pick((run) => run.official?.b2cAvgMs),
    b2cMaxMs: pick((run) => run.official?.b2cMaxMs),
    e2eP99Ms: pick((run) => run.probe?.e2eP99Ms),
    lagEnd: pick((run) => run.official?.lagEnd),
    machineBusyCores: pick((run) => run.machineBusyCores),
    toolCpuUsPerMsg: pick((run) => run.official?.toolCpuUsPerMsg),
    ...processSummary(ok),
    ...replicationSummary(ok),
  };
}

/** "broker 120 MiB 250 µs/msg, proxy …" from the runs' per-process usage (W11-grpc), medians per role. */
function processSummary(runs: RunRecord[]): { processes?: string } {
  const roles = [...new Set(runs.flatMap((run) => (run.processes ?? []).map((process) => process.role)))];
  if (roles.length === 0) return {};
  const of = (role: string) => runs.flatMap((run) => (run.processes ?? []).filter((p) => p.role === role));
  const cells = roles.map((role) => {
    const rss = median(of(role).map((p) => p.peakRssAnonMiB));
    const cpu = median(of(role).map((p) => p.cpuUsPerMsg));
    return `${role} ${fixed(rss, 0)} MiB ${fixed(cpu, 0)} µs/msg`;
  });
  return { processes: cells.join(', ') };
}

/** The replication lag's medians (W1-ha-*), absent for the other workloads. */
function replicationSummary(runs: RunRecord[]): Pick<SideSummary, 'replicationLagMax' | 'replicationLagAvg'> {
  const lags = runs.flatMap((run) => (run.replication === undefined ? [] : [run.replication]));
  if (lags.length === 0) return {};
  return {
    replicationLagMax: median(lags.map((lag) => lag.maxMsgs)),
    replicationLagAvg: median(lags.map((lag) => lag.avgMsgs)),
  };
}

export function summarize(workloads: readonly Workload[], runs: readonly RunRecord[]): WorkloadSummary[] {
  return workloads
    .filter((workload) => runs.some((run) => run.workload === workload.id))
    .map((workload) => {
      const ours = summarizeSide(runs.filter((run) => run.workload === workload.id && run.side === 'ours'));
      const rocketmq = summarizeSide(runs.filter((run) => run.workload === workload.id && run.side === 'rocketmq'));
      return {
        id: workload.id,
        label: workload.label,
        ours,
        rocketmq,
        ratio: {
          tps: ratio(ours.tps, rocketmq.tps),
          cpuUsPerMsg: ratio(ours.cpuUsPerMsg, rocketmq.cpuUsPerMsg),
          p99: ratio(ours.p99Ms, rocketmq.p99Ms),
          avgRt: ratio(ours.avgRtMs, rocketmq.avgRtMs),
          rssAnon: ratio(ours.peakRssAnonMiB, rocketmq.peakRssAnonMiB),
        },
      };
    });
}

function fixed(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits);
}

function integer(value: number | null): string {
  return value === null ? '—' : Math.round(value).toLocaleString('en-US');
}

type SideCell = (side: SideSummary) => string;

/** W1-ha-*: the replication lag row; none for the other workloads. */
function replicationRows(s: WorkloadSummary): string[] {
  if (s.ours.replicationLagMax === undefined && s.rocketmq.replicationLagMax === undefined) return [];
  const cell = (x: SideSummary): string =>
    `${integer(x.replicationLagMax ?? null)} / ${integer(x.replicationLagAvg ?? null)}`;
  return [
    `| replication lag max / avg (messages, master − slave, sampled 1/s) | ${cell(s.ours)} | ${cell(s.rocketmq)} | — |`,
  ];
}
type SideValue = (side: SideSummary) => number | null;

/** The rows of one workload's table: a metric per row, columns ours, Apache, ours/Apache. */
function workloadRows(s: WorkloadSummary): string[] {
  const row = (name: string, cell: SideCell, r: number | null): string =>
    `| ${name} | ${cell(s.ours)} | ${cell(s.rocketmq)} | ${fixed(r, 2)} |`;
  const ratioOf = (get: SideValue): number | null => ratio(get(s.ours), get(s.rocketmq));
  const rows = [
    row('TPS (msg/s, official tool, broker-counted)', (x) => integer(x.tps), s.ratio.tps),
    row('avg RT (ms, official tool)', (x) => fixed(x.avgRtMs, 3), s.ratio.avgRt),
    row(
      'max RT (ms, official tool, incl. warm-up)',
      (x) => integer(x.maxRtMs),
      ratioOf((x) => x.maxRtMs),
    ),
    row('p99 send RT (ms, TS probe)', (x) => fixed(x.p99Ms, 3), s.ratio.p99),
    row(
      'p99.9 / max send RT (ms, TS probe)',
      (x) => `${fixed(x.p999Ms, 2)} / ${fixed(x.probeMaxMs, 1)}`,
      ratioOf((x) => x.probeMaxMs),
    ),
    row(
      'TPS (TS probe)',
      (x) => integer(x.probeTps),
      ratioOf((x) => x.probeTps),
    ),
    row('broker CPU-µs/msg', (x) => fixed(x.cpuUsPerMsg, 1), s.ratio.cpuUsPerMsg),
    row(
      'broker cores used',
      (x) => fixed(x.brokerCores, 2),
      ratioOf((x) => x.brokerCores),
    ),
    row(
      'broker RSS peak (MiB)',
      (x) => fixed(x.peakRssMiB, 0),
      ratioOf((x) => x.peakRssMiB),
    ),
    row('broker RssAnon peak (MiB)', (x) => fixed(x.peakRssAnonMiB, 0), s.ratio.rssAnon),
  ];
  if (s.ours.consumeTps !== null || s.rocketmq.consumeTps !== null) {
    rows.push(
      row(
        'consume TPS (official Consumer; PopBench acks for W10-pop)',
        (x) => integer(x.consumeTps),
        ratioOf((x) => x.consumeTps),
      ),
      row(
        'B2C avg / max (ms, official Consumer)',
        (x) => `${fixed(x.b2cAvgMs, 1)} / ${integer(x.b2cMaxMs)}`,
        ratioOf((x) => x.b2cAvgMs),
      ),
      row(
        'end-to-end p99 (ms, TS probe)',
        (x) => fixed(x.e2eP99Ms, 2),
        ratioOf((x) => x.e2eP99Ms),
      ),
      row('lag at end (messages)', (x) => integer(x.lagEnd), null),
    );
  }
  rows.push(
    row(
      'Java load generator CPU-µs/msg',
      (x) => fixed(x.toolCpuUsPerMsg, 1),
      ratioOf((x) => x.toolCpuUsPerMsg),
    ),
    row('machine busy (cores of 2)', (x) => fixed(x.machineBusyCores, 2), null),
  );
  if (s.ours.processes !== undefined || s.rocketmq.processes !== undefined)
    rows.push(row('per process: RssAnon peak, CPU-µs/msg', (x) => x.processes ?? '—', null));
  rows.push(...replicationRows(s));
  return rows;
}

/** One Markdown table per workload: a row per metric, columns ours, Apache, ours/Apache. */
export function markdownTables(summaries: readonly WorkloadSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    lines.push(`**${s.id} — ${s.label}** (runs: ours ${s.ours.runs}, Apache ${s.rocketmq.runs})`, '');
    lines.push('| metric (median) | ours | Apache RocketMQ 5.5.0 | ours/Apache |', '|---|---:|---:|---:|');
    lines.push(...workloadRows(s));
    for (const error of [...s.ours.errors.map((e) => `ours: ${e}`), ...s.rocketmq.errors.map((e) => `Apache: ${e}`)])
      lines.push('', `- failed run: ${error}`);
    lines.push('');
  }
  return lines;
}

/** `W1 1KiB x64: ours <tps> tps, rocketmq <tps> tps, ratio <r>, cpu-us/msg ratio <c>`. */
export function closingLine(summary: WorkloadSummary): string {
  return (
    `${summary.id} ${summary.label}: ours ${integer(summary.ours.tps).replace(/,/g, '')} tps, ` +
    `rocketmq ${integer(summary.rocketmq.tps).replace(/,/g, '')} tps, ratio ${fixed(summary.ratio.tps, 2)}, ` +
    `cpu-us/msg ratio ${fixed(summary.ratio.cpuUsPerMsg, 2)}`
  );
}
