// One run of `npm run bench:peer`: start one broker (ours or Apache RocketMQ) on a fresh data dir,
// create the workload's topic, drive it with the OFFICIAL Java benchmark tools (warm-up, then a
// measured window: messages counted from the broker's queue offsets, broker CPU and RSS from /proc),
// then with our TypeScript generator for send-latency percentiles (the Java tools report only
// average and max), and stop it. Depends on broker-process.ts, peer-workloads.ts, load-generator.ts,
// load-protocol.ts, load-summary.ts, proc-stats.ts, peer-pop.ts (the pop workloads' consumers), peer-grpc.ts (W11),
// peer-ha.ts (W1-ha-*: a master/slave pair).

import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJsonLogger } from '../ts/common/logger.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import { type BrokerKind, type RunningBroker, startOurs, startRocketmq } from './broker-process.js';
import { type BrokerUsage, runLoad } from './load-generator.js';
import { consumerOffsetSum, storedMessageCount } from './load-protocol.js';
import { ensureTopic } from './load-summary.js';
import {
  consumerArgs,
  numberField,
  producerArgs,
  QUEUE_COUNT,
  TOOL_PACKAGE,
  ToolOutput,
  type ToolReport,
  type Workload,
} from './peer-workloads.js';
import { busyCores, ProcessMeter, readCpuMicros, readSystemCpu } from './proc-stats.js';
import { setPopMode, spawnPopBench } from './peer-pop.js';
import { type ProcessUsage, runGrpcOne } from './peer-grpc.js';
import { type ReplicationLag, runHaOne } from './peer-ha.js';

export interface PeerRunOptions {
  readonly peerScript: string;
  readonly oursDistDir: string;
  readonly brokerCpus: string;
  readonly clientCpus: string;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** Seconds of the TypeScript latency probe after the official run; 0 skips it. */
  readonly probeSeconds: number;
  /** Where each run's logs go (kept). */
  readonly logRoot: string;
  /** Extra broker.conf lines for our broker only (bench:metrics). */
  readonly oursExtraConf?: readonly string[];
}

export interface OfficialResult {
  readonly tool: string;
  /** Messages stored during the window (sum of the topic's queue max offsets) per second. */
  readonly tps: number;
  /** The tool's own last report in the window (10 s sliding; Send MPS for BatchProducer). */
  readonly toolTps: number | null;
  /** Per request, the tool's last report (10 s sliding, ms resolution). */
  readonly avgRtMs: number | null;
  /** Cumulative since the tool started, warm-up included (as the tool reports it). */
  readonly maxRtMs: number | null;
  readonly sendFailed: number | null;
  readonly responseFailed: number | null;
  /** CPU of the Java tools (producer and consumer) per message stored. */
  readonly toolCpuUsPerMsg: number;
  readonly consumeTps: number | null;
  readonly b2cAvgMs: number | null;
  readonly b2cMaxMs: number | null;
  /** Stored minus committed offsets of benchmark_consumer at the end of the window. */
  readonly lagEnd: number | null;
}

export interface ProbeResult {
  readonly tps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly e2eP99Ms: number | null;
  readonly brokerCpuUsPerMsg: number | null;
  readonly failed: number;
}

export interface RunRecord {
  readonly workload: string;
  readonly side: BrokerKind;
  readonly round: number;
  readonly startupMs: number | null;
  readonly official: OfficialResult | null;
  /** The broker over the official window. */
  readonly broker: BrokerUsage | null;
  readonly machineBusyCores: number | null;
  readonly probe: ProbeResult | null;
  /** W11-grpc: each server process (ours: one; Apache: broker, proxy, name server), `broker` being their sum. */
  readonly processes?: ProcessUsage[];
  /** W1-ha-*: master max offset − slave max offset (messages, the topic's queues) sampled each second. */
  readonly replication?: ReplicationLag;
  readonly error: string | null;
}

const TOOL_STOP_GRACE_MS = 5000;
const CONSUMER_GROUP = 'benchmark_consumer';

/**
 * Starts an official benchmark tool (`Producer`, `BatchProducer`, `Consumer`) pinned to `clientCpus`,
 * its stdout and stderr going to `logFile` (and stdout to `output`, when given). `home` holds the
 * Java client's own files and logs.
 */
export function spawnTool(
  options: Pick<PeerRunOptions, 'peerScript' | 'clientCpus'>,
  home: string,
  tool: string,
  args: string[],
  logFile: string,
  output?: ToolOutput,
): ChildProcess {
  const child = spawn(
    'taskset',
    ['-c', options.clientCpus, 'bash', options.peerScript, 'client', home, `${TOOL_PACKAGE}.${tool}`, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = createWriteStream(logFile);
  child.stdout.on('data', (chunk: Buffer) => {
    output?.push(chunk);
    log.write(chunk);
  });
  child.stderr.pipe(log);
  return child;
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the tool has exited. */
export async function stopTool(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => false), sleep(TOOL_STOP_GRACE_MS).then(() => true)])) {
    child.kill('SIGKILL');
    await exited;
  }
}

function toolCpuUs(children: ChildProcess[]): number {
  return children.reduce((sum, child) => {
    try {
      return sum + (child.pid === undefined ? 0 : readCpuMicros(child.pid));
    } catch {
      return sum;
    }
  }, 0);
}

/** The Consumer first when the workload consumes (given time to subscribe), then the producing tool. */
async function spawnTools(
  options: PeerRunOptions,
  workload: Workload,
  namesrvAddr: string,
  topic: string,
  logDir: string,
  tools: ChildProcess[],
  outputs: { producerOut: ToolOutput; consumerOut: ToolOutput },
): Promise<void> {
  const home = join(logDir, 'tool-home'); // kept with the run's logs (the Java clients' own logs)
  if (workload.pop !== undefined) {
    const log = join(logDir, 'pop-consumer.log');
    tools.push(spawnPopBench(options, workload.pop, namesrvAddr, topic, log, outputs.consumerOut));
    await sleep(5000); // start, and ask the broker for the assignment, before the first message
  } else if (workload.consume) {
    const args = consumerArgs(namesrvAddr, topic);
    tools.push(spawnTool(options, home, 'Consumer', args, join(logDir, 'consumer.log'), outputs.consumerOut));
    await sleep(3000); // subscribe and rebalance before the first message
  }
  const args = producerArgs(workload, namesrvAddr, topic);
  tools.push(spawnTool(options, home, workload.tool, args, join(logDir, 'producer.log'), outputs.producerOut));
}

/** What the window measured: broker-counted messages, the tools' last reports, the consumer's lag. */
interface OfficialWindow {
  stored: number;
  storedTotal: number;
  windowSeconds: number;
  toolCpu: number;
  committed: number | null;
}

function officialResult(
  workload: Workload,
  window: OfficialWindow,
  last: ToolReport | undefined,
  consumerReports: ToolReport[],
): OfficialResult {
  const { stored, storedTotal, windowSeconds, toolCpu, committed } = window;
  const batch = workload.tool === 'BatchProducer';
  const b2cMaxes = consumerReports.map((report) => numberField(report, 'MAX(B2C) RT(ms)') ?? 0);
  return {
    tool: workload.tool,
    tps: stored / windowSeconds,
    toolTps: numberField(last, batch ? 'Send MPS' : 'Send TPS'),
    // TransactionProducer writes "AVG RT(ms)".
    avgRtMs: numberField(last, 'Average RT(ms)') ?? numberField(last, 'AVG RT(ms)'),
    maxRtMs: numberField(last, 'Max RT(ms)'),
    sendFailed: numberField(last, 'Send Failed'),
    responseFailed: numberField(last, batch ? 'Send Message Failed' : 'Response Failed'),
    toolCpuUsPerMsg: stored === 0 ? 0 : toolCpu / stored,
    consumeTps: workload.consume ? numberField(consumerReports.at(-1), 'Consume TPS') : null,
    b2cAvgMs: workload.consume ? numberField(consumerReports.at(-1), 'AVG(B2C) RT(ms)') : null,
    b2cMaxMs: workload.consume && b2cMaxes.length > 0 ? Math.max(...b2cMaxes) : null,
    lagEnd: committed === null ? null : storedTotal - committed,
  };
}

/** Called as the measured window starts and ends (peer-ha.ts: the slave's CPU, the replication lag). */
export interface WindowWatch {
  start(): void;
  end(): void;
}

export async function runOfficial(
  options: PeerRunOptions,
  workload: Workload,
  broker: RunningBroker,
  topic: string,
  runDir: string,
  logDir: string,
  watch?: WindowWatch,
): Promise<{ official: OfficialResult; usage: BrokerUsage; machineBusyCores: number }> {
  const origin = performance.now();
  const producerOut = new ToolOutput(origin);
  const consumerOut = new ToolOutput(origin);
  const tools: ChildProcess[] = [];
  const admin = new RemotingClient({ name: 'bench-peer', logger: createJsonLogger('error') });
  try {
    if (workload.pop !== undefined) await setPopMode(admin, broker.brokerAddr, topic);
    await spawnTools(options, workload, broker.namesrvAddr, topic, logDir, tools, { producerOut, consumerOut });
    await sleep(options.warmupSeconds * 1000);

    const storedAtMark = await storedMessageCount(admin, broker.brokerAddr, topic, QUEUE_COUNT);
    const meter = new ProcessMeter(broker.brokerPid);
    meter.mark();
    const toolCpuAtMark = toolCpuUs(tools);
    const systemAtMark = readSystemCpu();
    const markedAt = performance.now();
    watch?.start();
    await sleep(options.seconds * 1000);
    const windowSeconds = (performance.now() - markedAt) / 1000;
    const brokerWindow = meter.finish();
    watch?.end();
    const machineBusyCores = busyCores(systemAtMark, readSystemCpu(), cpus().length);
    const toolCpu = toolCpuUs(tools) - toolCpuAtMark;
    // Committed offsets first: messages stored after this query cannot make the lag negative.
    // Pop consumers commit no ordinary offsets of benchmark_consumer: no lag for them.
    const committed =
      workload.consume && workload.pop === undefined
        ? await consumerOffsetSum(admin, broker.brokerAddr, CONSUMER_GROUP, topic, QUEUE_COUNT)
        : null;
    const stored = (await storedMessageCount(admin, broker.brokerAddr, topic, QUEUE_COUNT)) - storedAtMark;
    const storedTotal = storedAtMark + stored;
    const windowFromMs = markedAt - origin;
    const windowToMs = windowFromMs + windowSeconds * 1000 + 500;
    const last = producerOut.between(windowFromMs, windowToMs).at(-1) ?? producerOut.last();
    const consumerReports = consumerOut.between(windowFromMs, windowToMs);
    const window = { stored, storedTotal, windowSeconds, toolCpu, committed };
    const official = officialResult(workload, window, last, consumerReports);
    return {
      official,
      usage: { ...brokerWindow, cpuUsPerMsg: stored === 0 ? 0 : brokerWindow.cpuUs / stored },
      machineBusyCores,
    };
  } finally {
    await Promise.all(tools.map((tool) => stopTool(tool)));
    await admin.close();
  }
}

export async function runProbe(
  options: PeerRunOptions,
  workload: Workload,
  broker: RunningBroker,
  topic: string,
  logDir: string,
): Promise<ProbeResult> {
  const logFile = join(logDir, 'probe.log');
  const result = await runLoad({
    brokerAddr: broker.brokerAddr,
    topic,
    queueCount: QUEUE_COUNT,
    threads: workload.threads,
    sizeBytes: workload.sizeBytes,
    batch: workload.batch,
    warmupSeconds: 2,
    seconds: options.probeSeconds,
    consume: workload.consume,
    serializeType: 'ROCKETMQ',
    brokerPid: broker.brokerPid,
    print: (line) => appendFileSync(logFile, `${line}\n`),
  });
  return {
    tps: result.tps,
    p50Ms: result.sendRt.p50Us / 1000,
    p99Ms: result.sendRt.p99Us / 1000,
    p999Ms: result.sendRt.p999Us / 1000,
    maxMs: result.sendRt.maxUs / 1000,
    e2eP99Ms: result.e2e === null ? null : result.e2e.p99Us / 1000,
    brokerCpuUsPerMsg: result.broker?.cpuUsPerMsg ?? null,
    failed: result.sendFailed + result.responseFailed,
  };
}

/** One workload on one broker; failures are recorded, not thrown. */
export async function runOne(
  options: PeerRunOptions,
  workload: Workload,
  side: BrokerKind,
  round: number,
): Promise<RunRecord> {
  if (workload.grpc !== undefined) return runGrpcOne(options, workload, side, round);
  if (workload.ha !== undefined) return runHaOne(options, workload, side, round);
  const runDir = mkdtempSync(join(tmpdir(), `clean-rocketmq-peer-${side}-`));
  const logDir = join(options.logRoot, `${workload.id}-${side}-${round}`);
  mkdirSync(logDir, { recursive: true });
  const extraConf = side === 'ours' ? options.oursExtraConf : undefined;
  const launch = {
    dataDir: runDir,
    cpus: options.brokerCpus,
    flushDiskType: workload.flushDiskType,
    logDir,
    extraConf,
  };
  const topic = `Bench${workload.id.replace(/[^A-Za-z0-9]/g, '')}`;
  let broker: RunningBroker | null = null;
  try {
    broker =
      side === 'ours'
        ? await startOurs(launch, options.oursDistDir, true)
        : await startRocketmq(launch, options.peerScript);
    await ensureTopic(broker.brokerAddr, topic, QUEUE_COUNT, broker.namesrvAddr);
    const { official, usage, machineBusyCores } = await runOfficial(options, workload, broker, topic, runDir, logDir);
    const probed = options.probeSeconds > 0 && workload.probe;
    const probe = probed ? await runProbe(options, workload, broker, topic, logDir) : null;
    return {
      workload: workload.id,
      side,
      round,
      startupMs: broker.startupMs,
      official,
      broker: usage,
      machineBusyCores,
      probe,
      error: null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      workload: workload.id,
      side,
      round,
      startupMs: broker?.startupMs ?? null,
      official: null,
      broker: null,
      machineBusyCores: null,
      probe: null,
      error: message,
    };
  } finally {
    await broker?.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}
