// Starts and stops the brokers under test as child processes on 127.0.0.1, optionally pinned with
// taskset: ours (`clean-rocketmq start`, or `registry` + `broker -c broker.conf` when broker.conf
// settings matter) and Apache RocketMQ (name server + broker through scripts/rocketmq-peer.sh), and the
// SLAVE of a master/slave pair (startSlave, peer-ha.ts). Each gets a fresh data folder, deleted on stop.
// Depends on node:child_process, node:net, load-protocol.ts (registration check), ts/remoting.

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJsonLogger } from '../ts/common/logger.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import { clusterMasters } from './load-protocol.js';

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';
export type BrokerKind = 'ours' | 'rocketmq';

export interface BrokerLaunch {
  /** A fresh folder for the store and the logs; removed by stop() unless keepData. */
  readonly dataDir: string;
  /** taskset CPU list for the broker and its name server, e.g. "1"; unpinned when absent. */
  readonly cpus?: string;
  readonly flushDiskType: FlushDiskType;
  readonly keepData?: boolean;
  /** Where the processes' stdout and stderr go (default <dataDir>/logs, removed with it). */
  readonly logDir?: string;
  /** Extra node flags for our broker (e.g. profiler switches); ignored for Apache RocketMQ. */
  readonly nodeArgs?: readonly string[];
  /** Our all-in-one broker's gRPC port (W11-grpc); none when absent. Apache's gRPC is its proxy (peer-grpc.ts). */
  readonly grpcPort?: number;

  /** Extra broker.conf lines (`key=value`), e.g. the metrics keys of bench:metrics. */
  readonly extraConf?: readonly string[];
  /** brokerRole (ASYNC_MASTER when absent); SLAVE with brokerId 1 for the slave of a pair (peer-ha.ts). */
  readonly brokerRole?: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
}

export interface RunningBroker {
  readonly kind: BrokerKind;
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  readonly brokerPid: number;
  /** The name server's own process (Apache's); absent when it runs inside the broker's process (ours, `start`). */
  readonly namesrvPid?: number;
  /** From spawn to registered with its name server. */
  readonly startupMs: number;
  readonly logDir: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 10_000;

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A port p with p-2 and p+1 free too (Java's broker also listens on listenPort-2 and +1). */
async function freeBrokerPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port > 1026 && port < 65534 && (await isFree(port - 2)) && (await isFree(port + 1))) return port;
  }
  throw new Error('no free port triple for the Java broker');
}

function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}

/** Spawns a process whose output goes to `logFile`; resolves once a stdout line matches `ready`. */
function spawnUntil(
  command: string,
  args: string[],
  logFile: string,
  ready: RegExp,
  timeoutMs: number,
  env?: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    const log = createWriteStream(logFile);
    child.stderr?.pipe(log);
    let buffered = '';
    let settled = false;
    const finish = (error: Error | null, match?: RegExpExecArray): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== null) {
        child.kill('SIGKILL');
        reject(error);
      } else if (match !== undefined) resolve({ child, match });
    };
    const timer = setTimeout(
      () => finish(new Error(`${command} ${args.join(' ')}: not ready after ${timeoutMs} ms (see ${logFile})`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (settled) return;
      buffered = (buffered + chunk.toString('utf8')).slice(-65536);
      const match = ready.exec(buffered);
      if (match !== null) finish(null, match);
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code, signal) =>
      finish(new Error(`${command} exited (${code ?? signal}) before it was ready; see ${logFile}`)),
    );
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Polls the name server until `brokerAddr` is a registered master. */
async function waitRegistered(namesrvAddr: string, brokerAddr: string, timeoutMs: number): Promise<void> {
  const client = new RemotingClient({ name: 'bench-probe', logger: createJsonLogger('error') });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const masters = await clusterMasters(client, namesrvAddr).catch(() => [] as string[]);
      if (masters.includes(brokerAddr)) return;
      if (Date.now() > deadline)
        throw new Error(`${brokerAddr} did not register with ${namesrvAddr} within ${timeoutMs} ms`);
      await sleep(200);
    }
  } finally {
    await client.close();
  }
}

/** broker.conf shared by both brokers (Java ignores our keys and we warn about its). */
function brokerConf(launch: BrokerLaunch, namesrvAddr: string, listenPort: number, haListenPort?: number): string {
  return [
    'brokerClusterName=DefaultCluster',
    'brokerName=broker-a',
    `brokerId=${launch.brokerRole === 'SLAVE' ? 1 : 0}`,
    `brokerRole=${launch.brokerRole ?? 'ASYNC_MASTER'}`,
    `flushDiskType=${launch.flushDiskType}`,
    `namesrvAddr=${namesrvAddr}`,
    `brokerIP1=${HOST}`,
    `brokerIP2=${HOST}`,
    `bindAddress=${HOST}`,
    `listenPort=${listenPort}`,
    ...(haListenPort === undefined ? [] : [`haListenPort=${haListenPort}`]),
    `storePathRootDir=${join(launch.dataDir, 'store')}`,
    // No gRPC endpoint: the Remoting workloads compare brokers, and Apache's runs no proxy (older builds warn).
    'grpcServerPort=0',
    ...(launch.extraConf ?? []),
    '',
  ].join('\n');
}

function cleanup(launch: BrokerLaunch): void {
  if (launch.keepData !== true) rmSync(launch.dataDir, { recursive: true, force: true });
}

/** `clean-rocketmq start` on ephemeral ports; gRPC off unless launch.grpcPort, no dashboard (old builds lack flags). */
function allInOneArgs(launch: BrokerLaunch, distDir: string): string[] {
  const grpc = existsSync(join(distDir, 'broker', 'grpc')) ? ['--grpc-port', String(launch.grpcPort ?? 0)] : [];
  const noDashboard = existsSync(join(distDir, 'dashboard')) ? ['--dashboard-port', '0'] : [];
  const noMetrics = existsSync(join(distDir, 'cli', 'observability-options.js')) ? ['--metrics-port', '0'] : [];
  const ports = ['--registry-port', '0', '--broker-port', '0', ...grpc, ...noDashboard, ...noMetrics];
  return [...(launch.nodeArgs ?? []), join(distDir, 'cli', 'main.js'), 'start', '--data-dir', launch.dataDir, ...ports];
}

/** Our broker: all-in-one (`start`) for ASYNC_FLUSH, registry + broker with broker.conf otherwise. */
export async function startOurs(
  launch: BrokerLaunch,
  distDir: string,
  split = launch.flushDiskType !== 'ASYNC_FLUSH',
): Promise<RunningBroker> {
  const logDir = launch.logDir ?? join(launch.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const main = join(distDir, 'cli', 'main.js');
  const startedAt = performance.now();
  if (!split) {
    const [command, args] = pinned(launch.cpus, process.execPath, allInOneArgs(launch, distDir));
    const { child, match } = await spawnUntil(
      command,
      args,
      join(logDir, 'all-in-one.log'),
      /ready: registry ([^\s,]+), broker ([^\s,]+)/,
      60_000,
    );
    const namesrvAddr = match[1] ?? '';
    const brokerAddr = match[2] ?? '';
    return {
      kind: 'ours',
      namesrvAddr,
      brokerAddr,
      brokerPid: child.pid ?? 0,
      startupMs: performance.now() - startedAt,
      logDir,
      stop: async () => {
        await stopChild(child);
        cleanup(launch);
      },
    };
  }
  const registryPort = await freePort();
  const listenPort = await freePort();
  const namesrvAddr = `${HOST}:${registryPort}`;
  const [registryCommand, registryArgs] = pinned(launch.cpus, process.execPath, [
    main,
    'registry',
    '--host',
    HOST,
    '--port',
    String(registryPort),
  ]);
  const registry = await spawnUntil(
    registryCommand,
    registryArgs,
    join(logDir, 'registry.log'),
    /registry listening on/,
    60_000,
  );
  const confFile = join(launch.dataDir, 'broker.conf');
  writeFileSync(confFile, brokerConf(launch, namesrvAddr, listenPort, await freePort()));
  return startBroker('ours', launch, registry.child, namesrvAddr, startedAt, logDir, {
    command: pinned(launch.cpus, process.execPath, [...(launch.nodeArgs ?? []), main, 'broker', '-c', confFile]),
    ready: /listening on ([^\s,]+)/,
    readyTimeoutMs: 60_000,
    registeredTimeoutMs: 30_000,
  });
}

interface BrokerSpawn {
  readonly command: [string, string[]];
  /** Matches the broker's ready line; group 1 is its address. */
  readonly ready: RegExp;
  readonly readyTimeoutMs: number;
  readonly registeredTimeoutMs: number;
}

/**
 * Starts a broker once its name server runs, waits until it is registered there, and returns both
 * as one RunningBroker (stopped broker first). On failure the name server is stopped too.
 */
async function startBroker(
  kind: BrokerKind,
  launch: BrokerLaunch,
  nameServer: ChildProcess,
  namesrvAddr: string,
  startedAt: number,
  logDir: string,
  spawnAs: BrokerSpawn,
): Promise<RunningBroker> {
  try {
    const [command, args] = spawnAs.command;
    const broker = await spawnUntil(command, args, join(logDir, 'broker.log'), spawnAs.ready, spawnAs.readyTimeoutMs);
    const brokerAddr = broker.match[1] ?? '';
    await waitRegistered(namesrvAddr, brokerAddr, spawnAs.registeredTimeoutMs);
    return {
      kind,
      namesrvAddr,
      brokerAddr,
      brokerPid: broker.child.pid ?? 0,
      namesrvPid: nameServer.pid,
      startupMs: performance.now() - startedAt,
      logDir,
      stop: async () => {
        await stopChild(broker.child);
        await stopChild(nameServer);
        cleanup(launch);
      },
    };
  } catch (error) {
    await stopChild(nameServer);
    throw error;
  }
}

/** Apache RocketMQ 5.5.0: name server and broker from the jars in .peer/ (scripts/rocketmq-peer.sh). */
export async function startRocketmq(launch: BrokerLaunch, peerScript: string): Promise<RunningBroker> {
  const logDir = launch.logDir ?? join(launch.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const namesrvPort = await freePort();
  const listenPort = await freeBrokerPort();
  const namesrvAddr = `${HOST}:${namesrvPort}`;
  const nsConf = join(launch.dataDir, 'ns.conf');
  writeFileSync(nsConf, `listenPort=${namesrvPort}\nbindAddress=${HOST}\n`);
  const startedAt = performance.now();
  const [nsCommand, nsArgs] = pinned(launch.cpus, 'bash', [
    peerScript,
    'namesrv',
    join(launch.dataDir, 'namesrv-home'),
    nsConf,
  ]);
  const namesrv = await spawnUntil(
    nsCommand,
    nsArgs,
    join(logDir, 'namesrv.log'),
    /The Name Server boot success/,
    120_000,
  );
  const confFile = join(launch.dataDir, 'broker.conf');
  writeFileSync(confFile, brokerConf(launch, namesrvAddr, listenPort));
  return startBroker('rocketmq', launch, namesrv.child, namesrvAddr, startedAt, logDir, {
    command: pinned(launch.cpus, 'bash', [peerScript, 'broker', join(launch.dataDir, 'broker-home'), confFile]),
    ready: /The broker\[[^,]+, (\S+)\] boot success/,
    readyTimeoutMs: 180_000,
    registeredTimeoutMs: 60_000,
  });
}

/** The slave of a pair: a broker process registered with the master's name server; no name server of its own. */
export interface RunningSlave {
  readonly brokerAddr: string;
  readonly brokerPid: number;
  stop(): Promise<void>;
}

/**
 * Starts the SLAVE (brokerId 1) of `master`'s group: ours (`broker -c broker.conf`) or Apache's, on a fresh
 * data folder, registered with the master's name server; it learns the master's HA address from there.
 */
export async function startSlave(
  kind: BrokerKind,
  launch: BrokerLaunch,
  master: RunningBroker,
  from: { distDir: string; peerScript: string },
): Promise<RunningSlave> {
  const logDir = launch.logDir ?? join(launch.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const slaveLaunch: BrokerLaunch = { ...launch, brokerRole: 'SLAVE' };
  const confFile = join(launch.dataDir, 'broker.conf');
  const listenPort = kind === 'ours' ? await freePort() : await freeBrokerPort();
  const haPort = kind === 'ours' ? await freePort() : undefined;
  writeFileSync(confFile, brokerConf(slaveLaunch, master.namesrvAddr, listenPort, haPort));
  const main = join(from.distDir, 'cli', 'main.js');
  const [command, args] =
    kind === 'ours'
      ? pinned(launch.cpus, process.execPath, [main, 'broker', '-c', confFile])
      : pinned(launch.cpus, 'bash', [from.peerScript, 'broker', join(launch.dataDir, 'broker-home'), confFile]);
  const ready = kind === 'ours' ? /listening on ([^\s,]+)/ : /The broker\[[^,]+, (\S+)\] boot success/;
  const { child, match } = await spawnUntil(command, args, join(logDir, 'slave.log'), ready, 180_000);
  return {
    brokerAddr: match[1] ?? '',
    brokerPid: child.pid ?? 0,
    stop: async () => {
      await stopChild(child);
      cleanup(launch);
    },
  };
}
