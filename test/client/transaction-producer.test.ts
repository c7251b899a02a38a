// TransactionProducer against the broker under test (ours, or Apache RocketMQ 5.5.0 with
// CLIENT_TEST_TARGET=apache): a committed transaction reaches a PushConsumer, a rolled-back one never
// does, and one left UNKNOWN (or whose local transaction throws) is committed through the checker when
// the broker asks. The broker checks every second here (transactionCheckInterval, transactionTimeOut).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import {
  TransactionProducer,
  type TransactionChecker,
  type TransactionResolution,
} from '../../ts/client/producer/transaction-producer.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { AllInOne } from '../../ts/server/all-in-one.js';
import { startApacheRocketMq } from './apache-cluster.js';
import {
  CLUSTER_START_TIMEOUT_MS,
  type CleanupStep,
  clusterTarget,
  createTopic,
  runCleanup,
  uniqueName,
  waitFor,
} from './client-fixtures.js';

const TRANSACTION_CONF = { transactionCheckInterval: 1000, transactionTimeOut: 1000 };

let namesrvAddr: string;
let stopCluster: () => Promise<void>;
const cleanup: CleanupStep[] = [];

/** The cluster of client-fixtures.ts, with a broker that checks halves every second. */
async function startTransactionCluster(): Promise<{ namesrvAddr: string; stop: () => Promise<void> }> {
  if (clusterTarget() === 'apache') return startApacheRocketMq(TRANSACTION_CONF);
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-client-tx-'));
  const broker = { mappedFileSizeCommitLog: 4 * 1024 * 1024, maxHashSlotNum: 1024, maxIndexNum: 4096 };
  const server = new AllInOne(
    { dataDir, registryPort: 0, brokerPort: 0, host: '127.0.0.1', broker: { ...broker, ...TRANSACTION_CONF } },
    createMemoryLogger(),
  );
  await server.start();
  return {
    namesrvAddr: server.registryAddress,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  const cluster = await startTransactionCluster();
  namesrvAddr = cluster.namesrvAddr;
  stopCluster = cluster.stop;
}, CLUSTER_START_TIMEOUT_MS);
afterAll(() => stopCluster?.());
afterEach(() => runCleanup(cleanup));

const clientOptions = () => ({ namesrvAddr, clientIp: '127.0.0.1', logger: createMemoryLogger() });

async function newTopic(): Promise<string> {
  const topic = uniqueName('TxTopic');
  const admin = new Admin(clientOptions());
  await admin.startup();
  try {
    await createTopic(admin, topic, 4);
  } finally {
    await admin.shutdown();
  }
  return topic;
}

async function startProducer(checker: TransactionChecker): Promise<TransactionProducer> {
  const producer = new TransactionProducer({ ...clientOptions(), producerGroup: uniqueName('txpg'), checker });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  return producer;
}

async function startConsumer(topic: string): Promise<MessageView[]> {
  const received: MessageView[] = [];
  const consumer = new PushConsumer({
    ...clientOptions(),
    consumerGroup: uniqueName('txcg'),
    subscriptions: new Map([[topic, '*']]),
    messageListener: {
      consume: (message) => {
        received.push(message);
        return ConsumeResult.SUCCESS;
      },
    },
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  return received;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('TransactionProducer', () => {
  it('delivers a committed transaction and never a rolled-back one', async () => {
    const topic = await newTopic();
    const producer = await startProducer(() => 'ROLLBACK');
    const resolutions: TransactionResolution[] = ['COMMIT', 'ROLLBACK'];
    const results = [];
    for (const [index, resolution] of resolutions.entries()) {
      const message = { topic, body: `tx-${index}` };
      results.push(await producer.sendMessageInTransaction(message, () => resolution));
    }
    expect(results.map((result) => [result.status, result.resolution])).toEqual([
      ['SEND_OK', 'COMMIT'],
      ['SEND_OK', 'ROLLBACK'],
    ]);
    const received = await startConsumer(topic);
    await waitFor('the committed message', () => received.length >= 1, 30_000);
    await sleep(1500);
    expect(received.map((message) => message.body.toString())).toEqual(['tx-0']);
    expect(received[0]?.messageId).toBe(results[0]?.messageId);
  }, 60_000);

  it('commits an UNKNOWN transaction, and one whose local part throws, when the checker says so', async () => {
    const topic = await newTopic();
    const asked: string[] = [];
    const producer = await startProducer((message) => {
      asked.push(message.body.toString());
      return 'COMMIT';
    });
    const unknown = await producer.sendMessageInTransaction({ topic, body: 'pending' }, () => 'UNKNOWN');
    expect(unknown.resolution).toBe('UNKNOWN');
    const thrown = await producer.sendMessageInTransaction({ topic, body: 'failed' }, () => {
      throw new Error('the local transaction failed');
    });
    expect(thrown.resolution).toBe('UNKNOWN');
    const received = await startConsumer(topic);
    await waitFor('both messages committed through the checker', () => received.length >= 2, 60_000);
    expect(received.map((message) => message.body.toString()).sort()).toEqual(['failed', 'pending']);
    expect([...new Set(asked)].sort()).toEqual(['failed', 'pending']);
  }, 90_000);
});
