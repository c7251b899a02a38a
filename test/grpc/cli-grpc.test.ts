// The CLI's gRPC endpoint: `clean-rocketmq start --grpc-port P` prints the gRPC address on its ready
// line and an official Node.js producer sends through it (the message read back over Remoting);
// `clean-rocketmq broker` takes `grpcServerPort` from broker.conf, and `--grpc-port 0` turns it off.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Producer } from 'rocketmq-client-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import { PullConsumer } from '../../ts/client/consumer/pull-consumer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { freePort } from '../support/free-port.js';
import { createTopic, runCleanup, SILENT_LOGGER, uniqueName, waitFor, type CleanupStep } from './grpc-fixtures.js';

const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));
const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

/** Runs the CLI with `args`, returns its first stdout line; the process is stopped by `cleanup`. */
async function runCli(args: string[]): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise<string>((resolve) => lines.once('line', resolve));
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-cli-grpc-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('clean-rocketmq: the gRPC endpoint', () => {
  it('start --grpc-port P prints the gRPC address, and a Node.js producer sends through it', async () => {
    const grpcPort = await freePort();
    const args = [
      'start',
      '--data-dir',
      tempDir(),
      '--registry-port',
      '0',
      '--broker-port',
      '0',
      '--dashboard-port',
      '0',
      '--metrics-port',
      '0',
    ];
    const line = await runCli([...args, '--grpc-port', String(grpcPort)]);
    const match = /^clean-rocketmq ready: registry (\S+), broker (\S+), gRPC (\S+)$/.exec(line);
    expect(match?.[3]).toBe(`127.0.0.1:${grpcPort}`);
    const namesrvAddr = match?.[1] ?? '';
    const admin = new Admin({ namesrvAddr, clientIp: '127.0.0.1', logger: createMemoryLogger() });
    await admin.startup();
    cleanup.push(() => admin.shutdown());
    const topic = uniqueName('grpc_cli');
    await createTopic(admin, topic, 1);
    const producer = new Producer({
      endpoints: match?.[3] ?? '',
      namespace: '',
      topics: [topic],
      logger: SILENT_LOGGER,
    });
    await producer.startup();
    cleanup.push(() => producer.shutdown());
    const receipt = await producer.send({ topic, body: Buffer.from('through the CLI') });
    const consumer = new PullConsumer({
      namesrvAddr,
      consumerGroup: uniqueName('cli_check'),
      logger: createMemoryLogger(),
    });
    await consumer.startup();
    cleanup.push(() => consumer.shutdown());
    const [queue] = await consumer.fetchMessageQueues(topic);
    let found: string[] = [];
    await waitFor('the message', async () => {
      const result = queue === undefined ? null : await consumer.pull(queue, 0);
      found = result?.messages.map((message) => `${message.messageId}:${message.body.toString()}`) ?? [];
      return found.length > 0;
    });
    expect(found).toEqual([`${receipt.messageId}:through the CLI`]);
  }, 60_000);

  it('broker takes grpcServerPort from broker.conf; --grpc-port 0 turns the endpoint off', async () => {
    const dir = tempDir();
    const grpcPort = await freePort();
    const conf = join(dir, 'broker.conf');
    const common = `brokerName=broker-g\nlistenPort=0\nbrokerIP1=127.0.0.1\nstorePathRootDir=${join(dir, 'store')}\n`;
    writeFileSync(conf, `${common}grpcServerPort=${grpcPort}\n`);
    expect(await runCli(['broker', '-c', conf])).toMatch(
      new RegExp(`^broker broker-g listening on 127\\.0\\.0\\.1:\\d+, gRPC 127\\.0\\.0\\.1:${grpcPort}$`),
    );
    await runCleanup(cleanup.splice(1));
    const offConf = join(dir, 'broker-off.conf');
    writeFileSync(offConf, `${common.replace(join(dir, 'store'), join(dir, 'store-off'))}`);
    expect(await runCli(['broker', '-c', offConf, '--grpc-port', '0'])).toMatch(
      /^broker broker-g listening on 127\.0\.0\.1:\d+$/,
    );
  }, 60_000);
});
