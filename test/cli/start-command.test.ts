// `clean-rocketmq start -c broker.conf`: the file's keys reach the broker (SYNC_FLUSH flushes before each
// reply, the CommitLog lands in storePathCommitLog), flags win for ports; `--version`, true `--help`
// texts, and bad flags or config keys end in one line naming the key and the reason, exit code 2.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrokerStore } from '../../ts/broker/infra/store-component.js';
import { brokerOverridesFromFile } from '../../ts/cli/start-command.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { Producer } from '../../ts/index.js';
import { AllInOne } from '../../ts/server/all-in-one.js';
import { exitCodeOf, waitForLine } from '../support/child-lines.js';

const root = join(import.meta.dirname, '..', '..');
const cliArgs = ['--import', import.meta.resolve('tsx'), join(root, 'ts/cli/main.ts')];
const work = mkdtempSync(join(tmpdir(), 'clean-rocketmq-start-c-'));
/** No dashboard and no /metrics: their default ports (8080, 5557) would collide between parallel tests. */
const QUIET_PORTS = ['--dashboard-port', '0', '--metrics-port', '0'];
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI to its end: exit code, stdout, stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...cliArgs, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function writeConf(name: string, lines: string[]): string {
  const path = join(work, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function sendOne(namesrvAddr: string, topic: string): Promise<void> {
  const producer = new Producer({ namesrvAddr, producerGroup: 'start-c', logger: createMemoryLogger() });
  await producer.startup();
  try {
    await producer.send({ topic, body: 'hello' });
  } finally {
    await producer.shutdown();
  }
}

describe('clean-rocketmq start -c broker.conf', () => {
  it('puts the CommitLog in storePathCommitLog; the flags win for ports', async () => {
    const commitLogDir = join(work, 'cli-commitlog');
    const conf = writeConf('cli.conf', [
      'flushDiskType=SYNC_FLUSH',
      `storePathCommitLog=${commitLogDir}`,
      'mappedFileSizeCommitLog=4194304',
      'listenPort=1',
    ]);
    const args = ['start', '-c', conf, '--data-dir', join(work, 'cli-data'), '--registry-port', '0', ...QUIET_PORTS];
    const child = spawn(process.execPath, [...cliArgs, ...args, '--broker-port', '0', '--grpc-port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const ready = await waitForLine(child, /^clean-rocketmq ready: registry (\S+), broker \S+:(\d+)$/);
      expect(Number(ready[2])).toBeGreaterThan(1);
      await sendOne(ready[1]!, 'StartConfTopic');
      expect(readdirSync(commitLogDir)).toContain('00000000000000000000');
    } finally {
      child.kill('SIGTERM');
      expect(await exitCodeOf(child)).toBe(0);
    }
  }, 180_000);

  it('--store memory writes nothing in --data-dir', async () => {
    const dataDir = join(work, 'memory-data');
    const args = [
      'start',
      '--store',
      'memory',
      '--data-dir',
      dataDir,
      '--registry-port',
      '0',
      '--broker-port',
      '0',
      ...QUIET_PORTS,
    ];
    const child = spawn(process.execPath, [...cliArgs, ...args, '--grpc-port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const ready = await waitForLine(child, /^clean-rocketmq ready: registry (\S+), broker \S+$/);
      await sendOne(ready[1]!, 'MemoryTopic');
      expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
    } finally {
      child.kill('SIGTERM');
      expect(await exitCodeOf(child)).toBe(0);
    }
  }, 180_000);

  it('applies the same file in process: SYNC_FLUSH has each send flushed before its reply', async () => {
    const commitLogDir = join(work, 'inproc-commitlog');
    const conf = writeConf('inproc.conf', [
      'flushDiskType=SYNC_FLUSH',
      `storePathCommitLog=${commitLogDir}`,
      'mappedFileSizeCommitLog=4194304',
    ]);
    const broker = brokerOverridesFromFile(conf, createMemoryLogger());
    expect(broker).toEqual({
      flushDiskType: 'SYNC_FLUSH',
      storePathCommitLog: commitLogDir,
      mappedFileSizeCommitLog: 4194304,
      brokerConfigPath: conf,
    });
    const server = new AllInOne(
      { dataDir: join(work, 'inproc-data'), registryPort: 0, brokerPort: 0, broker },
      createMemoryLogger(),
    );
    await server.start();
    try {
      const store = server.brokerServer.store as BrokerStore;
      for (let i = 0; i < 3; i += 1) {
        await sendOne(server.registryAddress, 'SyncFlushTopic');
        expect(store.getFlushedPhysicalOffset()).toBe(store.getMaxPhysicalOffset());
      }
      expect(readdirSync(commitLogDir)).toContain('00000000000000000000');
    } finally {
      await server.stop();
    }
  }, 60_000);
});

// Each case is its own CLI process (mostly tsx start-up): run them side by side.
// A loaded 2-core CI machine takes many seconds per tsx start-up: generous timeouts.
describe.concurrent('clean-rocketmq: version, help, bad input', { timeout: 180_000 }, () => {
  it('--version prints the package version', async () => {
    const { code, stdout } = await cli('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help texts say nothing is "not served yet"', async () => {
    const helps = await Promise.all(['start', 'broker', 'registry'].map((command) => cli(command, '--help')));
    for (const { code, stdout } of helps) {
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/not served|not yet/);
    }
    expect(helps[0]!.stdout).toContain('-c, --config <file>');
  });

  it.each([
    [['start', '--bogus'], /^error: unknown option '--bogus'$/],
    [['start', '--store', 'tape'], /^error: option '--store <kind>' argument 'tape' is invalid/],
    [['start', '--broker-port', '70000'], /^error: option '--broker-port <port>' argument '70000' is invalid/],
    [['frobnicate'], /^error: unknown command 'frobnicate'$/],
    [['start', '-c', '/nonexistent/broker.conf'], /^clean-rocketmq: -c \/nonexistent\/broker\.conf: no such file$/],
  ])('%j: one line, exit code 2', async (args, line) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(line);
  });

  it('a bad broker.conf value: one line naming the key and the reason, exit code 2', async () => {
    const conf = writeConf('bad.conf', ['flushDiskType=SOMETIMES']);
    const { code, stderr } = await cli(
      'start',
      '-c',
      conf,
      '--registry-port',
      '0',
      '--broker-port',
      '0',
      ...QUIET_PORTS,
    );
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'clean-rocketmq: broker.conf key flushDiskType: "SOMETIMES" is not one of ASYNC_FLUSH, SYNC_FLUSH',
    );
    const { code: brokerCode, stderr: brokerErr } = await cli('start', '-c', writeConf('n.conf', ['listenPort=x']));
    expect(brokerCode).toBe(2);
    expect(brokerErr.trim()).toBe('clean-rocketmq: broker.conf key listenPort: "x" is not an integer');
  });
});
