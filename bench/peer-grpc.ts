// The gRPC workload of `npm run bench:peer` (W11-grpc): our broker with its in-process gRPC endpoint against
// Apache RocketMQ 5.5.0's broker plus its proxy in Cluster mode (scripts/rocketmq-peer.sh proxy), both driven by
// GrpcBench (the official RocketMQ 5 Java client, test/compat/java-grpc); broker CPU counts proxy + broker for
// Apache, and each process's memory is kept. Depends on broker-process.ts, peer-run.ts, peer-workloads.ts,
// proc-stats.ts, load-protocol.ts, load-summary.ts, ts/remoting.

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJsonLogger } from '../ts/common/logger.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import { type BrokerKind, freePort, type RunningBroker, startOurs, startRocketmq } from './broker-process.js';
import type { BrokerUsage } from './load-generator.js';
import { storedMessageCount } from './load-protocol.js';
import { ensureTopic } from './load-summary.js';
import type { OfficialResult, PeerRunOptions, ProbeResult, RunRecord } from './peer-run.js';
import { type GrpcLoad, numberField, QUEUE_COUNT, ToolOutput, type Workload } from './peer-workloads.js';
import { busyCores, ProcessMeter, type ProcessWindow, readCpuMicros, readSystemCpu } from './proc-stats.js';

/** One process of a run: what it used over the window. */
export interface ProcessUsage {
  /** "broker" (ours: broker + registry + gRPC in one process), "proxy", "namesrv". */
  readonly role: string;
  readonly cpuUsPerMsg: number;
  readonly cores: number;
  readonly peakRssMiB: number;
  readonly peakRssAnonMiB: number;
}

/** GrpcBench's JSON line for the measured window. */
interface GrpcWindow {
  readonly seconds: number;
  readonly sent: number;
  readonly sendTps: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly consumed: number;
  readonly consumeTps: number;
  readonly b2cP99Ms: number;
}

interface GrpcTarget {
  readonly broker: RunningBroker;
  readonly grpcEndpoint: string;
  /** The processes whose CPU is the broker side's: ours; Apache's broker and proxy. */
  readonly servers: ReadonlyArray<{ role: string; pid: number }>;
  stop(): Promise<void>;
}

const GRPC_GROUP = 'grpc_bench';
const STOP_GRACE_MS = 10_000;
const PROXY_READY = /rocketmq-proxy startup successfully/;

/** The proxy's rmq-proxy.json: Cluster mode against `namesrvAddr`, gRPC and Remoting on the given ports. */
function proxyConfig(namesrvAddr: string, grpcPort: number, remotingPort: number): string {
  const config = {
    rocketMQClusterName: 'DefaultCluster',
    namesrvAddr,
    grpcServerPort: grpcPort,
    remotingListenPort: remotingPort,
  };
  return `${JSON.stringify(config, null, 1)}\n`;
}

/** Spawns a process pinned to `cpus` with its output in `logFile`; resolves once a stdout line matches `ready`. */
function spawnReady(args: string[], cpuList: string, logFile: string, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', cpuList, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(logFile);
    child.stderr.pipe(log);
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready after 180 s: ${args.join(' ')} (see ${logFile})`));
    }, 180_000);
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before it was ready: ${args.join(' ')} (see ${logFile})`));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)])) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Apache's proxy in Cluster mode beside a running name server and broker, on the broker CPUs. */
async function startProxy(options: PeerRunOptions, broker: RunningBroker, dataDir: string, logDir: string) {
  const grpcPort = await freePort();
  const confFile = join(dataDir, 'rmq-proxy.json');
  writeFileSync(confFile, proxyConfig(broker.namesrvAddr, grpcPort, await freePort()));
  const args = ['bash', options.peerScript, 'proxy', join(dataDir, 'proxy-home'), confFile];
  const child = await spawnReady(args, options.brokerCpus, join(logDir, 'proxy.log'), PROXY_READY);
  return { child, grpcEndpoint: `127.0.0.1:${grpcPort}` };
}

async function startTarget(options: PeerRunOptions, side: BrokerKind, dataDir: string, logDir: string) {
  const launch = { dataDir, cpus: options.brokerCpus, flushDiskType: 'ASYNC_FLUSH' as const, logDir, keepData: true };
  if (side === 'ours') {
    const grpcPort = await freePort();
    const broker = await startOurs({ ...launch, grpcPort }, options.oursDistDir, false);
    const servers = [{ role: 'broker', pid: broker.brokerPid }];
    return { broker, grpcEndpoint: `127.0.0.1:${grpcPort}`, servers, stop: () => broker.stop() };
  }
  const broker = await startRocketmq(launch, options.peerScript);
  try {
    const proxy = await startProxy(options, broker, dataDir, logDir);
    const servers = [
      { role: 'broker', pid: broker.brokerPid },
      { role: 'proxy', pid: proxy.child.pid ?? 0 },
    ];
    const stop = async (): Promise<void> => {
      await stopProcess(proxy.child);
      await broker.stop();
    };
    return { broker, grpcEndpoint: proxy.grpcEndpoint, servers, stop };
  } catch (error) {
    await broker.stop();
    throw error;
  }
}

/** GrpcBench pinned to the client CPUs; its report lines go to `output`, its window JSON to `windows`. */
function spawnGrpcBench(
  options: PeerRunOptions,
  load: GrpcLoad,
  endpoint: string,
  topic: string,
  logFile: string,
  sinks: { output: ToolOutput; windows: GrpcWindow[] },
): ChildProcess {
  const target = join(dirname(options.peerScript), '..', 'test', 'compat', 'java-grpc', 'target');
  const classpath = `${join(target, 'classes')}:${join(target, 'dependency')}/*`;
  const logRoot = join(dirname(logFile), 'grpc-client-logs');
  const java = ['-Xms512m', '-Xmx512m', '-XX:+UseG1GC', `-Drocketmq.client.logRoot=${logRoot}`];
  const quiet = ['-Drocketmq.log.level=ERROR', '-Drocketmq.client.logLevel=ERROR'];
  const loadArgs = ['-p', String(load.producers), '-w', String(load.inFlight), '-s', '1024'];
  const consumeArgs = ['-c', String(load.consumers), '-m', load.mode, '-g', GRPC_GROUP, '-ri', '1000'];
  const main = ['cleanrocketmq.compat.grpc.GrpcBench', '-e', endpoint, '-t', topic, ...loadArgs, ...consumeArgs];
  const child = spawn('taskset', ['-c', options.clientCpus, 'java', ...java, ...quiet, '-cp', classpath, ...main], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    sinks.output.push(chunk);
    log.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{"window"')) sinks.windows.push(JSON.parse(line) as GrpcWindow);
  });
  child.stderr.pipe(log);
  child.stdin.on('error', () => undefined);
  return child;
}

async function waitForWindow(windows: GrpcWindow[], timeoutMs: number): Promise<GrpcWindow> {
  const deadline = performance.now() + timeoutMs;
  while (windows.length === 0) {
    if (performance.now() > deadline) throw new Error('GrpcBench printed no window line');
    await sleep(100);
  }
  return windows[0]!;
}

/** Sums the broker side's processes into one usage (Apache: proxy + broker; the RSS peaks are summed). */
function combined(windows: ProcessWindow[], stored: number): BrokerUsage {
  const sum = (get: (window: ProcessWindow) => number): number => windows.reduce((total, w) => total + get(w), 0);
  const cpuUs = sum((w) => w.cpuUs);
  return {
    cpuUs,
    cores: sum((w) => w.cores),
    peakRssBytes: sum((w) => w.peakRssBytes),
    peakRssAnonBytes: sum((w) => w.peakRssAnonBytes),
    endRssBytes: sum((w) => w.endRssBytes),
    endRssAnonBytes: sum((w) => w.endRssAnonBytes),
    samples: [],
    cpuUsPerMsg: stored === 0 ? 0 : cpuUs / stored,
  };
}

function usageOf(role: string, window: ProcessWindow, stored: number): ProcessUsage {
  return {
    role,
    cpuUsPerMsg: stored === 0 ? 0 : window.cpuUs / stored,
    cores: window.cores,
    peakRssMiB: window.peakRssBytes / 2 ** 20,
    peakRssAnonMiB: window.peakRssAnonBytes / 2 ** 20,
  };
}

function officialOf(window: GrpcWindow, stored: number, seconds: number, output: ToolOutput, toolCpuUs: number) {
  const last = output.last();
  const consuming = window.consumed > 0 || numberField(last, 'Consumed Total') !== 0;
  const official: OfficialResult = {
    tool: 'GrpcBench',
    tps: stored / seconds,
    toolTps: window.sendTps,
    avgRtMs: numberField(last, 'Average RT(ms)'),
    maxRtMs: window.maxMs,
    sendFailed: window.failed,
    responseFailed: null,
    toolCpuUsPerMsg: stored === 0 ? 0 : toolCpuUs / stored,
    consumeTps: consuming ? window.consumeTps : null,
    b2cAvgMs: consuming ? numberField(last, 'AVG(B2C) RT(ms)') : null,
    b2cMaxMs: consuming ? numberField(last, 'MAX(B2C) RT(ms)') : null,
    lagEnd: null,
  };
  const probe: ProbeResult = {
    tps: window.sendTps,
    p50Ms: window.p50Ms,
    p99Ms: window.p99Ms,
    p999Ms: window.p999Ms,
    maxMs: window.maxMs,
    e2eP99Ms: consuming ? window.b2cP99Ms : null,
    brokerCpuUsPerMsg: null,
    failed: window.failed,
  };
  return { official, probe };
}

/** Warm-up, then the window: GrpcBench marks it (stdin), the broker counts it, /proc meters every server. */
async function measure(options: PeerRunOptions, load: GrpcLoad, target: GrpcTarget, topic: string, logDir: string) {
  const output = new ToolOutput(performance.now());
  const windows: GrpcWindow[] = [];
  const bench = spawnGrpcBench(options, load, target.grpcEndpoint, topic, join(logDir, 'grpc-bench.log'), {
    output,
    windows,
  });
  const admin = new RemotingClient({ name: 'bench-peer-grpc', logger: createJsonLogger('error') });
  try {
    await sleep(options.warmupSeconds * 1000);
    const metered = [
      ...target.servers,
      ...(target.broker.namesrvPid ? [{ role: 'namesrv', pid: target.broker.namesrvPid }] : []),
    ];
    const meters = metered.map((server) => new ProcessMeter(server.pid));
    const storedAtMark = await storedMessageCount(admin, target.broker.brokerAddr, topic, QUEUE_COUNT);
    const toolAtMark = readCpuMicros(bench.pid ?? 0);
    const systemAtMark = readSystemCpu();
    for (const meter of meters) meter.mark();
    bench.stdin?.write('mark\n');
    const markedAt = performance.now();
    await sleep(options.seconds * 1000);
    bench.stdin?.write('end\n');
    const seconds = (performance.now() - markedAt) / 1000;
    const processWindows = meters.map((meter) => meter.finish());
    const machineBusyCores = busyCores(systemAtMark, readSystemCpu(), cpus().length);
    const toolCpuUs = readCpuMicros(bench.pid ?? 0) - toolAtMark;
    const stored = (await storedMessageCount(admin, target.broker.brokerAddr, topic, QUEUE_COUNT)) - storedAtMark;
    const window = await waitForWindow(windows, 10_000);
    const servers = processWindows.slice(0, target.servers.length);
    return {
      ...officialOf(window, stored, seconds, output, toolCpuUs),
      broker: combined(servers, stored),
      processes: metered.map((server, i) => usageOf(server.role, processWindows[i]!, stored)),
      machineBusyCores,
    };
  } finally {
    bench.stdin?.end();
    await stopProcess(bench);
    await admin.close();
  }
}

/** One W11-grpc run on one side; failures are recorded, not thrown. */
export async function runGrpcOne(
  options: PeerRunOptions,
  workload: Workload,
  side: BrokerKind,
  round: number,
): Promise<RunRecord> {
  const load = workload.grpc!;
  const dataDir = mkdtempSync(join(tmpdir(), `clean-rocketmq-peer-grpc-${side}-`));
  const logDir = join(options.logRoot, `${workload.id}-${side}-${round}`);
  mkdirSync(logDir, { recursive: true });
  const topic = `Bench${workload.id.replace(/[^A-Za-z0-9]/g, '')}`;
  let target: GrpcTarget | null = null;
  const record = { workload: workload.id, side, round };
  try {
    target = await startTarget(options, side, dataDir, logDir);
    await ensureTopic(target.broker.brokerAddr, topic, QUEUE_COUNT, target.broker.namesrvAddr);
    const measured = await measure(options, load, target, topic, logDir);
    return { ...record, startupMs: target.broker.startupMs, ...measured, error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const empty = { official: null, broker: null, machineBusyCores: null, probe: null };
    return { ...record, startupMs: target?.broker.startupMs ?? null, ...empty, error: message };
  } finally {
    await target?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
