// The dashboard under test for test/client/dashboard-browser.test.ts: against clean-rocketmq the
// broker-embedded dashboard of an all-in-one (dashboardPort), against Apache RocketMQ 5.5.0
// (CLIENT_TEST_TARGET=apache) the standalone one over the Admin SDK; and headless Debian chromium
// through playwright-core (scripts/ensure-chromium.sh installs it).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { nodeScheduler } from '../../ts/common/node-scheduler.js';
import { AdminBackend } from '../../ts/dashboard/admin-backend.js';
import { DashboardServer } from '../../ts/dashboard/dashboard-server.js';
import { AllInOne } from '../../ts/server/all-in-one.js';
import { freePort } from '../support/free-port.js';
import { clusterTarget, startCluster, type TestCluster } from './client-fixtures.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Bundles the front end into dist/dashboard/web (esbuild, well under a second) so the test serves this tree's. */
export function buildFrontEnd(): void {
  const script = new URL('../../scripts/build-dashboard.mjs', import.meta.url).pathname;
  execFileSync(process.execPath, [script, '--no-check'], { stdio: 'inherit' });
}

export interface DashboardUnderTest {
  readonly cluster: TestCluster;
  /** http://127.0.0.1:port/ */
  readonly url: string;
  stop(): Promise<void>;
}

/** An all-in-one whose broker serves the dashboard on a free port, with `token` when given. */
export async function startEmbeddedDashboard(token = ''): Promise<DashboardUnderTest & { server: AllInOne }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-dashboard-'));
  const dashboardPort = await freePort();
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
        dashboardPort,
        dashboardToken: token,
      },
    },
    createMemoryLogger(),
  );
  await server.start();
  const namesrvAddr = server.registryAddress;
  const cluster: TestCluster = {
    namesrvAddr,
    brokerAddr: server.brokerAddress,
    clientOptions: () => ({ namesrvAddr, clientIp: '127.0.0.1', logger: createMemoryLogger() }),
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return { cluster, server, url: `http://127.0.0.1:${dashboardPort}/`, stop: () => cluster.stop() };
}

/** The standalone dashboard (port 0: any) over the Admin SDK against `cluster`. */
export async function startStandaloneDashboard(cluster: TestCluster): Promise<DashboardUnderTest> {
  const backend = new AdminBackend(cluster.clientOptions());
  await backend.start();
  const server = new DashboardServer(
    backend,
    { port: 0, host: '127.0.0.1', token: '' },
    nodeScheduler,
    createMemoryLogger(),
  );
  await server.start();
  return {
    cluster,
    url: `http://127.0.0.1:${server.port}/`,
    stop: async () => {
      await server.stop();
      await cluster.stop();
    },
  };
}

/** The dashboard the target calls for: embedded on clean-rocketmq, standalone against Apache. */
export async function startDashboardUnderTest(): Promise<DashboardUnderTest> {
  if (clusterTarget() === 'apache') return startStandaloneDashboard(await startCluster());
  return startEmbeddedDashboard();
}

/** Chromium with a fresh profile folder (Playwright passes it as --user-data-dir), removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
