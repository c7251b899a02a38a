// Shared fixtures of the broker suites: a broker on 127.0.0.1 and an ephemeral port over a fresh
// store folder (small files), and a cleanup list run after each test in reverse order.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../../ts/broker/server/broker.js';
import { type BrokerConfig, defaultBrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { RemotingClient } from '../../../ts/remoting/remoting-client.js';

export type CleanupStep = () => Promise<void> | void;

/** Runs and empties `steps`, last first (call from afterEach). */
export async function runCleanup(steps: CleanupStep[]): Promise<void> {
  for (const step of steps.splice(0).reverse()) await step();
}

/** A started broker without registries unless `namesrvAddr` is given; stopped and deleted by `cleanup`. */
export async function startTestBroker(cleanup: CleanupStep[], overrides: Partial<BrokerConfig> = {}): Promise<Broker> {
  const storePathRootDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-broker-'));
  cleanup.push(() => rmSync(storePathRootDir, { recursive: true, force: true }));
  const config: BrokerConfig = {
    ...defaultBrokerConfig(),
    brokerName: 'broker-a',
    brokerIP1: '127.0.0.1',
    listenPort: 0,
    namesrvAddr: '',
    storePathRootDir,
    mappedFileSizeCommitLog: 1024 * 1024,
    maxHashSlotNum: 1024,
    maxIndexNum: 4096,
    ...overrides,
  };
  const broker = new Broker(config, createMemoryLogger());
  await broker.start();
  cleanup.push(() => broker.stop());
  return broker;
}

/** A Remoting client closed by `cleanup`. */
export function testClient(cleanup: CleanupStep[]): RemotingClient {
  const remoting = new RemotingClient({ logger: createMemoryLogger() });
  cleanup.push(() => remoting.close());
  return remoting;
}
