// The official RocketMQ 5 Java client (rocketmq-client-java 5.0.8 over gRPC; GrpcProducerProbe through
// scripts/compat-java-grpc.sh) against our gRPC endpoint: normal, FIFO, delay, a transaction committed by the
// Java checker over Telemetry; each message read back over Remoting with the id the Java client got; the Java
// SimpleConsumer (receive and ack) on messages a Node producer sent.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fifoQueueId } from '../../ts/broker/grpc/fifo-queue-selector.js';
import {
  createTopic,
  pullAll,
  runCleanup,
  startGrpcCluster,
  startNodeProducer,
  uniqueName,
  type CleanupStep,
  type GrpcCluster,
} from '../grpc/grpc-fixtures.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/compat-java-grpc.sh', import.meta.url));

let cluster: GrpcCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  await run('bash', [script, 'build'], { timeout: 600_000 });
  cluster = await startGrpcCluster();
}, 600_000);
afterEach(() => runCleanup(cleanup));
afterAll(() => cluster?.stop());

/** Runs the probe (asynchronously: the broker answers in this process) and returns its JSON lines. */
async function probe(...args: string[]): Promise<Array<Record<string, string>>> {
  const { stdout } = await run('bash', [script, 'run', cluster.grpcAddress, ...args], { timeout: 120_000 });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, string>);
}

async function newTopic(queueNums: number): Promise<string> {
  const topic = uniqueName('grpc_java');
  await createTopic(cluster.admin, topic, queueNums);
  return topic;
}

describe('compat: the official Java RocketMQ 5 client over gRPC', () => {
  it('sends messages a Remoting consumer reads with their ids, tags and keys', async () => {
    const topic = await newTopic(4);
    const sent = await probe('normal', topic, '3');
    expect(sent.map((line) => line['body'])).toEqual(['java-0', 'java-1', 'java-2']);
    const stored = await pullAll(cluster, topic, 3, cleanup);
    const byBody = new Map(stored.map((message) => [message.body.toString(), message]));
    for (const [i, line] of sent.entries()) {
      const message = byBody.get(`java-${i}`);
      expect(message?.messageId).toBe(line['messageId']);
      expect(message?.tag).toBe('TagA');
      expect(message?.keys).toEqual([`key-${i}`]);
    }
  }, 120_000);

  it("keeps a message group's order on the queue Apache would pick", async () => {
    const topic = await newTopic(8);
    await probe('fifo', topic, 'java-group', '5');
    const stored = await pullAll(cluster, topic, 5, cleanup);
    expect(new Set(stored.map((message) => message.messageQueue.queueId))).toEqual(
      new Set([fifoQueueId('java-group', 8)]),
    );
    const ordered = stored.sort((a, b) => a.offset - b.offset).map((message) => message.body.toString());
    expect(ordered).toEqual(['java-group:0', 'java-group:1', 'java-group:2', 'java-group:3', 'java-group:4']);
  }, 120_000);

  it('delivers a delayed message no earlier than its delivery time (1 s timer precision)', async () => {
    const topic = await newTopic(1);
    const before = Date.now();
    await probe('delay', topic, '2000');
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.body.toString()).toBe('delayed');
    expect(message?.storeTimestamp.getTime()).toBeGreaterThanOrEqual(before + 2000 - 1000);
  }, 120_000);

  it('asks the Java producer about an open transaction over Telemetry and stores it on COMMIT', async () => {
    const topic = await newTopic(2);
    const lines = await probe('checkback', topic);
    const sent = lines.find((line) => line['body'] === 'java-tx');
    expect(lines.find((line) => line['checked'] !== undefined)?.['checked']).toBe(sent?.['messageId']);
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.body.toString()).toBe('java-tx');
    expect(message?.messageId).toBe(sent?.['messageId']);
  }, 120_000);

  it('receives and acks with the Java SimpleConsumer what a Node producer sent', async () => {
    const topic = await newTopic(2);
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const sent = new Map<string, string>();
    for (const body of ['to-java-0', 'to-java-1', 'to-java-2']) {
      sent.set(body, (await producer.send({ topic, body: Buffer.from(body) })).messageId);
    }
    const received = await probe('receive', topic, uniqueName('java_group'), '3');
    expect(received.map((line) => line['body']).sort()).toEqual([...sent.keys()]);
    for (const line of received) {
      expect(line['messageId']).toBe(sent.get(line['body'] ?? ''));
      expect(line['attempt']).toBe('1');
    }
  }, 120_000);
});
