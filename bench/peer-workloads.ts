// The workloads of `npm run bench:peer` (docs/perf-notes.md §7: W1, W2, W3, W4, W6, W8; W9-tx: transactions,
// docs/transactions.md; W10-pop: pop consumption, docs/pop.md; W11-grpc: gRPC, docs/grpc.md) and how each drives
// the OFFICIAL Apache RocketMQ benchmark tools (org.apache.rocketmq.example.benchmark.Producer, BatchProducer,
// TransactionProducer, Consumer) or, for pop, the official push consumer in POP mode (test/compat/java PopBench),
// or, for gRPC, the official RocketMQ 5 Java client (test/compat/java-grpc GrpcBench): their command lines and
// the parsing of their report lines.
// Depends on nothing but node built-ins (the tools run through scripts/rocketmq-peer.sh).

import type { FlushDiskType } from './broker-process.js';

export interface Workload {
  readonly id: string;
  /** The label of the last line and the tables, e.g. "1KiB x64". */
  readonly label: string;
  readonly tool: 'Producer' | 'BatchProducer' | 'TransactionProducer';
  readonly threads: number;
  readonly sizeBytes: number;
  /** Messages per request (BatchProducer -b); 1 for Producer. */
  readonly batch: number;
  readonly flushDiskType: FlushDiskType;
  /** Runs the benchmark Consumer alongside (produce + consume). */
  readonly consume: boolean;
  /** Also measures send latency with our TS load generator (plain sends; not for transactions). */
  readonly probe: boolean;
  /** Consumes with pop (PopBench) instead of the benchmark Consumer: the group is set to POP first. */
  readonly pop?: PopConsumption;
  /** Sends and consumes over gRPC (GrpcBench, peer-grpc.ts): ours directly, Apache through its proxy. */
  readonly grpc?: GrpcLoad;
  /** The master's role of a master/slave pair (peer-ha.ts): CPU counts both brokers, replication lag sampled. */
  readonly ha?: 'ASYNC_MASTER' | 'SYNC_MASTER';
}

/** The official RocketMQ 5 Java clients of a W11-grpc workload (test/compat/java-grpc GrpcBench). */
export interface GrpcLoad {
  readonly producers: number;
  /** sendAsync calls each producer keeps outstanding. */
  readonly inFlight: number;
  /** 0: produce only. */
  readonly consumers: number;
  readonly mode: 'push' | 'simple';
}

/** The pop consumers of a W10-pop workload. */
export interface PopConsumption {
  readonly consumers: number;
  /** popBatchNums. */
  readonly batch: number;
  /** Messages (by msgId hash) answered RECONSUME_LATER every time: never acked, through revive. */
  readonly unackedPercent: number;
}

const base = {
  tool: 'Producer',
  threads: 64,
  sizeBytes: 1024,
  batch: 1,
  flushDiskType: 'ASYNC_FLUSH',
  consume: false,
  probe: true,
} as const;

export const WORKLOADS: readonly Workload[] = [
  { ...base, id: 'W1', label: '1KiB x64' },
  { ...base, id: 'W2-128B', label: '128B x64', sizeBytes: 128 },
  { ...base, id: 'W2-4KiB', label: '4KiB x64', sizeBytes: 4096 },
  { ...base, id: 'W3', label: '1KiB x1', threads: 1 },
  { ...base, id: 'W4', label: '1KiB x64 batch 16', tool: 'BatchProducer', batch: 16 },
  { ...base, id: 'W6', label: '1KiB x64 SYNC_FLUSH', flushDiskType: 'SYNC_FLUSH' },
  { ...base, id: 'W8', label: '1KiB x64 + consume', consume: true },
  // W1 against a master/slave pair (docs/replication.md): the slave copies the master's CommitLog.
  { ...base, id: 'W1-ha-async', label: '1KiB x64, ASYNC_MASTER + SLAVE', ha: 'ASYNC_MASTER' },
  { ...base, id: 'W1-ha-sync', label: '1KiB x64, SYNC_MASTER + SLAVE', ha: 'SYNC_MASTER' },
  // Each message: a half, END_TRANSACTION commit, the committed message (TPS counts those) and an op record.
  { ...base, id: 'W9-tx', label: '1KiB x64 transactions', tool: 'TransactionProducer', probe: false },
  // The Producer at 64 threads, 4 pop consumers (official push consumer, POP mode) popping 32 at a time.
  {
    ...base,
    id: 'W10-pop',
    label: '1KiB x64 + pop x4 batch 32',
    consume: true,
    probe: false,
    pop: { consumers: 4, batch: 32, unackedPercent: 0 },
  },
  {
    ...base,
    id: 'W10-pop-revive',
    label: '1KiB x64 + pop x4 batch 32, 10% never acked',
    consume: true,
    probe: false,
    pop: { consumers: 4, batch: 32, unackedPercent: 10 },
  },
  // gRPC: 1 Java Producer with 64 sendAsync in flight and 1 PushConsumer; Apache = proxy (Cluster mode) + broker.
  {
    ...base,
    id: 'W11-grpc',
    label: 'gRPC 1KiB x64 in flight + push consume',
    consume: true,
    probe: false,
    grpc: { producers: 1, inFlight: 64, consumers: 1, mode: 'push' },
  },
  // The send path alone: the Java client spends its CPU on sends only, so the servers are pushed harder.
  {
    ...base,
    id: 'W11-grpc-send',
    label: 'gRPC 1KiB x64 in flight, send only',
    probe: false,
    grpc: { producers: 1, inFlight: 64, consumers: 0, mode: 'push' },
  },
];

/** The consumer group of the pop workloads (set to POP on the broker before the consumers start). */
export const POP_CONSUMER_GROUP = 'benchmark_pop_consumer';

/** Arguments after the class name for PopBench. */
export function popBenchArgs(pop: PopConsumption, namesrvAddr: string, topic: string): string[] {
  return [
    ...['-n', namesrvAddr, '-t', topic, '-g', POP_CONSUMER_GROUP],
    ...['-c', String(pop.consumers), '-b', String(pop.batch), '-u', String(pop.unackedPercent), '-ri', '1000'],
  ];
}

export const QUEUE_COUNT = 8;
export const TOOL_PACKAGE = 'org.apache.rocketmq.example.benchmark';

/** Arguments after the class name for the workload's producer tool (reports every second). */
export function producerArgs(workload: Workload, namesrvAddr: string, topic: string): string[] {
  const args = [
    '-n',
    namesrvAddr,
    '-t',
    topic,
    '-w',
    String(workload.threads),
    '-s',
    String(workload.sizeBytes),
    '-ri',
    '1000',
  ];
  return workload.tool === 'BatchProducer' ? [...args, '-b', String(workload.batch)] : args;
}

export function consumerArgs(namesrvAddr: string, topic: string): string[] {
  return ['-n', namesrvAddr, '-t', topic, '-g', 'benchmark_consumer', '-w', '20', '-ri', '1000'];
}

/** One report line of a benchmark tool as key → value ("Send TPS" → "17453"). */
export type ToolReport = ReadonlyMap<string, string>;

/** Parses "Current Time: … | Send TPS: N | …" lines; other lines give null. */
export function parseToolLine(line: string): ToolReport | null {
  if (!line.startsWith('Current Time: ')) return null;
  const fields = new Map<string, string>();
  for (const part of line.split(' | ')) {
    const colon = part.indexOf(': ');
    if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 2).trim());
  }
  return fields;
}

export function numberField(report: ToolReport | undefined, key: string): number | null {
  const value = report?.get(key);
  if (value === undefined) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Collects a tool's report lines with the time each arrived (ms since an origin). */
export class ToolOutput {
  readonly reports: Array<{ atMs: number; report: ToolReport }> = [];
  private partial = '';

  constructor(private readonly originMs: number) {}

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const report = parseToolLine(line.trim());
      if (report !== null) this.reports.push({ atMs: performance.now() - this.originMs, report });
    }
  }

  /** Reports that arrived in [fromMs, toMs]. */
  between(fromMs: number, toMs: number): ToolReport[] {
    return this.reports.filter((entry) => entry.atMs >= fromMs && entry.atMs <= toMs).map((entry) => entry.report);
  }

  last(): ToolReport | undefined {
    return this.reports.at(-1)?.report;
  }
}
