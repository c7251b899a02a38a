// The embedded all-in-one (`startAllInOne` from the package root): ephemeral ports, a produce and a
// consume through it, and nothing left open after stop() (a child process that must exit on its own).
// `store: 'memory'` opens no file at all; broker.conf keys given as `brokerConfig` apply.

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BrokerStore } from '../../ts/broker/infra/store-component.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { Producer, startAllInOne } from '../../ts/index.js';
import { AllInOne } from '../../ts/server/all-in-one.js';

const run = promisify(execFile);
const child = join(import.meta.dirname, 'embedded-child.ts');

async function runChild(store: 'memory' | 'disk', cwd: string) {
  // A 60 s cap: if stop() left a timer or socket open the child never exits and the test fails.
  const tsx = import.meta.resolve('tsx');
  // TMPDIR=cwd: the disk store's temp data folder is made there, and must be gone after stop().
  const env = { ...process.env, TMPDIR: cwd };
  const { stdout } = await run(process.execPath, ['--import', tsx, child, store], { cwd, env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { sent: string; received: string[]; left: string[] };
}

describe('startAllInOne (embedded)', () => {
  it("README's vitest example is readme-vitest-example.test.ts, line for line", () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const example = /```ts\n(import \{ afterAll[\s\S]*?)```/.exec(readme)?.[1];
    const testFile = readFileSync(join(import.meta.dirname, 'readme-vitest-example.test.ts'), 'utf8');
    const body = testFile.slice(testFile.indexOf('import {')).replace("'../../ts/index.js'", "'clean-rocketmq'");
    expect(example).toBe(body);
  });

  for (const store of ['memory', 'disk'] as const) {
    it(`${store}: serves a produce and a consume, then stop() leaves the event loop empty`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'clean-rocketmq-embedded-cwd-'));
      try {
        const result = await runChild(store, cwd);
        expect(result.received).toEqual([result.sent]);
        expect(result.left).toEqual([]);
        // tsx keeps its compile cache under TMPDIR.
        expect(readdirSync(cwd).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }, 90_000);
  }

  it('memory: opens no file (the data folder given stays absent)', async () => {
    const dataDir = join(tmpdir(), `clean-rocketmq-never-${process.pid}`);
    const mq = await startAllInOne({ store: 'memory', dataDir, logger: createMemoryLogger() });
    try {
      expect(mq.namesrvAddr).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(mq.brokerAddr).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(mq.grpcAddr).toBeUndefined();
      const producer = new Producer({ namesrvAddr: mq.namesrvAddr, producerGroup: 'p', logger: createMemoryLogger() });
      await producer.startup();
      await producer.send({ topic: 'MemoryOnly', body: 'x' });
      await producer.shutdown();
      expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
    } finally {
      await mq.stop();
    }
  });

  it('grpc: true serves RocketMQ 5 clients on a free port too', async () => {
    const mq = await startAllInOne({ store: 'memory', grpc: true, logger: createMemoryLogger() });
    try {
      expect(mq.grpcAddr).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(mq.grpcAddr).not.toBe(mq.brokerAddr);
    } finally {
      await mq.stop();
    }
  });

  it('applies broker.conf keys: SYNC_FLUSH flushes before each reply, CommitLog in storePathCommitLog', async () => {
    const commitLogDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-embedded-commitlog-'));
    const server = new AllInOne(
      {
        registryPort: 0,
        brokerPort: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'clean-rocketmq-embedded-data-')),
        broker: { flushDiskType: 'SYNC_FLUSH', storePathCommitLog: commitLogDir, mappedFileSizeCommitLog: 4 << 20 },
      },
      createMemoryLogger(),
    );
    await server.start();
    try {
      const producer = new Producer({
        namesrvAddr: server.registryAddress,
        producerGroup: 'p',
        logger: createMemoryLogger(),
      });
      await producer.startup();
      const store = server.brokerServer.store as BrokerStore;
      for (let i = 0; i < 3; i += 1) {
        await producer.send({ topic: 'SyncFlushTopic', body: `m${i}` });
        expect(store.getFlushedPhysicalOffset()).toBe(store.getMaxPhysicalOffset());
      }
      await producer.shutdown();
      expect(readdirSync(commitLogDir)).toContain('00000000000000000000');
    } finally {
      await server.stop();
      rmSync(commitLogDir, { recursive: true, force: true });
    }
  });
});
