// Shared fixtures of the client suites: the broker under test (the all-in-one registry and broker,
// or with CLIENT_TEST_TARGET=apache Apache RocketMQ 5.5.0, the reference; both on 127.0.0.1 over a
// fresh temp folder, with short delay levels), names unique per test, topic creation that waits for
// the route, and polling helpers. Every client made here is shut down by `cleanup`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import type { ClientOptions } from '../../ts/client/client-options.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { AllInOne } from '../../ts/server/all-in-one.js';
import { APACHE_START_TIMEOUT_MS, startApacheRocketMq } from './apache-cluster.js';

export type CleanupStep = () => Promise<void> | void;

/** Runs and empties `steps`, last first. */
export async function runCleanup(steps: CleanupStep[]): Promise<void> {
  for (const step of steps.splice(0).reverse()) await step();
}

/** Delay levels of one second each, so retries and DELAY messages come back within ~1 s. */
export const FAST_DELAY_LEVELS = '1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s';

/** Which broker the suites run against: ours (default) or Apache RocketMQ (`CLIENT_TEST_TARGET=apache`). */
export type ClusterTarget = 'clean-rocketmq' | 'apache';

export function clusterTarget(): ClusterTarget {
  const target = process.env['CLIENT_TEST_TARGET'] ?? '';
  if (target === '' || target === 'clean-rocketmq') return 'clean-rocketmq';
  if (target === 'apache') return 'apache';
  throw new Error(`CLIENT_TEST_TARGET must be "apache" or "clean-rocketmq", not "${target}"`);
}

/** The timeout of `beforeAll(startCluster)`: Apache's JVMs take 10-20 s (and a first run downloads them). */
export const CLUSTER_START_TIMEOUT_MS = clusterTarget() === 'apache' ? APACHE_START_TIMEOUT_MS : 10_000;

export interface TestCluster {
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  /** Options every client of the suite shares (the name server, a silent logger, fast periods). */
  clientOptions(): ClientOptions;
  stop(): Promise<void>;
}

/** A name server and a broker `broker-a` of DefaultCluster on 127.0.0.1, of the target under test. */
export async function startCluster(): Promise<TestCluster> {
  return clusterTarget() === 'apache' ? startApacheCluster() : startAllInOne();
}

/** Apache RocketMQ's name server and broker (test/client/apache-cluster.ts). */
async function startApacheCluster(): Promise<TestCluster> {
  const apache = await startApacheRocketMq({ messageDelayLevel: FAST_DELAY_LEVELS });
  const { namesrvAddr } = apache;
  return {
    namesrvAddr,
    brokerAddr: apache.brokerAddr,
    clientOptions: () => ({ namesrvAddr, clientIp: '127.0.0.1', logger: createMemoryLogger() }),
    stop: () => apache.stop(),
  };
}

/** A registry and a broker (all-in-one) on ephemeral ports of 127.0.0.1 in a temp folder. */
async function startAllInOne(): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-client-'));
  const server = new AllInOne(
    {
      dataDir,
      registryPort: 0,
      brokerPort: 0,
      host: '127.0.0.1',
      broker: {
        mappedFileSizeCommitLog: 4 * 1024 * 1024,
        mappedFileSizeConsumeQueue: 20 * 10_000,
        maxHashSlotNum: 1024,
        maxIndexNum: 4096,
        messageDelayLevel: FAST_DELAY_LEVELS,
        enablePropertyFilter: true,
      },
    },
    createMemoryLogger(),
  );
  await server.start();
  const namesrvAddr = server.registryAddress;
  return {
    namesrvAddr,
    brokerAddr: server.brokerAddress,
    clientOptions: () => ({ namesrvAddr, clientIp: '127.0.0.1', logger: createMemoryLogger() }),
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A topic or group name unique within the process. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

/** Polls `check` every 20 ms until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates `topic` with `queueNums` queues and waits until the name server routes it. */
export async function createTopic(admin: Admin, topic: string, queueNums: number): Promise<void> {
  await admin.createTopic(topic, { readQueueNums: queueNums, writeQueueNums: queueNums });
  await waitFor(`the route of ${topic}`, async () => {
    const route = await admin.topicRoute(topic).catch(() => null);
    return route !== null && route.queueDatas.some((q) => q.writeQueueNums === queueNums);
  });
}

/** A started Admin client, shut down by `cleanup`. */
export async function startAdmin(cluster: TestCluster, cleanup: CleanupStep[]): Promise<Admin> {
  const admin = new Admin(cluster.clientOptions());
  await admin.startup();
  cleanup.push(() => admin.shutdown());
  return admin;
}

/**
 * A client suite's hooks: one cluster started before its tests (handed to `onStarted`), each test's
 * cleanup steps run after it, the cluster stopped at the end.
 */
export function useTestCluster(cleanup: CleanupStep[], onStarted: (cluster: TestCluster) => void): void {
  let started: TestCluster | undefined;
  beforeAll(async () => {
    started = await startCluster();
    onStarted(started);
  }, CLUSTER_START_TIMEOUT_MS);
  afterAll(() => started?.stop());
  afterEach(() => runCleanup(cleanup));
}
