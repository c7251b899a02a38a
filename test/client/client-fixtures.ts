// Shared fixtures of the client suites: the all-in-one registry and broker on 127.0.0.1 and ephemeral
// ports over a fresh temp folder (small store files, short delay levels), names unique per test,
// topic creation that waits for the route, and polling helpers. Every client made here is shut
// down by `cleanup`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '../../ts/client/admin/admin.js';
import type { ClientOptions } from '../../ts/client/client-options.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { AllInOne } from '../../ts/server/all-in-one.js';

export type CleanupStep = () => Promise<void> | void;

/** Runs and empties `steps`, last first. */
export async function runCleanup(steps: CleanupStep[]): Promise<void> {
  for (const step of steps.splice(0).reverse()) await step();
}

/** Delay levels of one second each, so retries and DELAY messages come back within ~1 s. */
export const FAST_DELAY_LEVELS = '1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s';

export interface TestCluster {
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  /** Options every client of the suite shares (the name server, a silent logger, fast periods). */
  clientOptions(): ClientOptions;
  stop(): Promise<void>;
}

/** A registry and a broker (all-in-one) on ephemeral ports of 127.0.0.1 in a temp folder. */
export async function startCluster(): Promise<TestCluster> {
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
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
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
