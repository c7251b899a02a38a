// Shared fixtures of the official-Java-client compatibility suites: building test/compat/java once,
// running its ClientProbe (JSON lines on stdout), and a registry plus a broker on ephemeral
// loopback ports over a temp store folder, stopped and deleted by `stop`.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Runs ClientProbe with `args`; returns its JSON lines. */
export async function clientProbe(...args: string[]): Promise<ProbeLine[]> {
  const { stdout } = await run('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', classpath, 'cleanrocketmq.compat.ClientProbe', ...args], {
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

export interface CompatCluster {
  readonly namesrv: string;
  readonly broker: Broker;
  stop(): Promise<void>;
}

/** A registry and a broker `broker-a` registered with it, with small store files. */
export async function startCompatCluster(overrides: Partial<BrokerConfig> = {}): Promise<CompatCluster> {
  const { registry, address: namesrv } = await startTestRegistry();
  const storePathRootDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-compat-'));
  const broker = new Broker(
    {
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
    },
    createMemoryLogger(),
  );
  await broker.start();
  return {
    namesrv,
    broker,
    stop: async () => {
      await broker.stop();
      await registry.stop();
      rmSync(storePathRootDir, { recursive: true, force: true });
    },
  };
}
