// Shared fixtures of the official-Java-client compatibility suites: building test/compat/java once,
// running its ClientProbe (JSON lines on stdout; to completion, or as a process whose lines are
// watched while it runs), and a registry plus a broker on ephemeral loopback ports over a temp store
// folder, restartable on the same port and store, stopped and deleted by `stop`.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Broker } from '../../ts/broker/server/broker.js';
import { type BrokerConfig, defaultBrokerConfig } from '../../ts/broker/server/broker-config.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { startTestRegistry } from '../registry/registry-fixtures.js';

export const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const classpath = `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`;

/** Client options that make route refresh and rebalance take 1 s instead of 30 s and 20 s. */
export const FAST_CLIENT = ['--poll-namesrv-ms', '1000', '--rebalance-ms', '1000'];

export type ProbeLine = Record<string, unknown>;

/** Builds the Maven project (skipped when up to date). */
export async function buildJavaProbes(): Promise<void> {
  await run('bash', [`${root}scripts/compat-java.sh`, 'build'], { timeout: 600_000 });
}

const JVM_ARGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', classpath];
const JAVA_ARGS = [...JVM_ARGS, 'cleanrocketmq.compat.ClientProbe'];

/** Runs ClientProbe with `args`; returns its JSON lines. */
export async function clientProbe(...args: string[]): Promise<ProbeLine[]> {
  const { stdout } = await run('java', [...JAVA_ARGS, ...args], {
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProbeLine);
}

/** The per-message lines of a probe run (all but the final `done` line). */
export function messageLines(lines: readonly ProbeLine[]): ProbeLine[] {
  return lines.filter((line) => line['done'] === undefined);
}

/** A ClientProbe process still running: its lines so far, and a way to wait for more. */
export interface RunningProbe {
  /** The JSON lines printed so far, in order. */
  readonly lines: readonly ProbeLine[];
  /** Resolves once `until(lines)` holds; rejects after `timeoutMs` or when the process exits first. */
  waitFor(what: string, until: (lines: readonly ProbeLine[]) => boolean, timeoutMs: number): Promise<void>;
  /** Writes "stop" to stdin (consume --stop-on-stdin) and waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** Resolves to the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGKILL (cleanup after a failed test). */
  kill(): void;
}

/** Starts ClientProbe with `args` and watches its stdout line by line. */
export function startClientProbe(...args: string[]): RunningProbe {
  return startJavaProbe('ClientProbe', ...args);
}

/** Starts the probe class `probe` (of cleanrocketmq.compat) with `args` and watches its stdout line by line. */
export function startJavaProbe(probe: string, ...args: string[]): RunningProbe {
  const child = spawn('java', [...JVM_ARGS, `cleanrocketmq.compat.${probe}`, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: ProbeLine[] = [];
  let stderrTail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  });
  child.stdin.on('error', () => undefined); // the probe may exit before reading stdin
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.trim() === '') return;
    lines.push(JSON.parse(line) as ProbeLine);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const context = (): string =>
    `; last lines: ${lines
      .slice(-3)
      .map((line) => JSON.stringify(line))
      .join(' ')}; stderr: ${stderrTail.slice(-1500)}`;
  const waitFor = (what: string, until: (seen: readonly ProbeLine[]) => boolean, timeoutMs: number): Promise<void> =>
    waitUntil(
      what,
      () => {
        if (until(lines)) return true;
        if (exitCode !== undefined) throw new Error(`probe exited (${exitCode}) while waiting for ${what}${context()}`);
        return false;
      },
      timeoutMs,
      context,
    );
  return {
    lines,
    waitFor,
    exited,
    stop: async () => {
      child.stdin.end('stop\n');
      return exited;
    },
    kill: () => {
      if (exitCode === undefined) child.kill('SIGKILL');
    },
  };
}

/** Polls `until` every 50 ms; rejects after `timeoutMs` (with `context()` in the message). */
export async function waitUntil(
  what: string,
  until: () => boolean,
  timeoutMs: number,
  context = (): string => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!until()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface CompatCluster {
  readonly namesrv: string;
  /** The running broker (a new object after `restartBroker`). */
  readonly broker: Broker;
  /** Stops the broker and starts a new one on the same port and store folder; the registry stays up. */
  restartBroker(): Promise<Broker>;
  stop(): Promise<void>;
}

/** A registry and a broker `broker-a` registered with it, with small store files. */
export async function startCompatCluster(overrides: Partial<BrokerConfig> = {}): Promise<CompatCluster> {
  const { registry, address: namesrv } = await startTestRegistry();
  const storePathRootDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-compat-'));
  const config: BrokerConfig = {
    ...defaultBrokerConfig(),
    brokerName: 'broker-a',
    brokerIP1: '127.0.0.1',
    listenPort: 0,
    namesrvAddr: namesrv,
    storePathRootDir,
    mappedFileSizeCommitLog: 16 * 1024 * 1024,
    maxHashSlotNum: 1024,
    maxIndexNum: 4096,
    ...overrides,
  };
  let broker = new Broker(config, createMemoryLogger());
  await broker.start();
  return {
    namesrv,
    get broker() {
      return broker;
    },
    restartBroker: async () => {
      const listenPort = broker.port;
      // The HA listener's port as well: listenPort + 1 may meanwhile be another socket's ephemeral port.
      const haListenPort = Number(broker.replication.haServerAddr.split(':').pop() ?? 0);
      await broker.stop();
      broker = new Broker({ ...config, listenPort, haListenPort }, createMemoryLogger());
      await broker.start();
      return broker;
    },
    stop: async () => {
      await broker.stop();
      await registry.stop();
      rmSync(storePathRootDir, { recursive: true, force: true });
    },
  };
}
