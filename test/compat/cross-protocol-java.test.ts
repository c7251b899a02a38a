// Cross-protocol with the official Java clients on one broker: what the Remoting producer (rocketmq-client
// 5.5.0, test/compat/java InteropProducer) sends, the gRPC PushConsumer (rocketmq-client-java 5.0.8,
// test/compat/java-grpc GrpcInteropProbe) receives; what the gRPC producer sends, the Remoting push consumer
// (ClientProbe consume) receives; ids, bodies, tags, keys and user properties compared.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJavaProbes, clientProbe, FAST_CLIENT, messageLines, type ProbeLine } from './compat-fixtures.js';
import { createTopic, startGrpcCluster, uniqueName, type GrpcCluster } from '../grpc/grpc-fixtures.js';

const run = promisify(execFile);
const grpcScript = fileURLToPath(new URL('../../scripts/compat-java-grpc.sh', import.meta.url));
const COUNT = 3;

let cluster: GrpcCluster;

beforeAll(async () => {
  await Promise.all([run('bash', [grpcScript, 'build'], { timeout: 600_000 }), buildJavaProbes()]);
  cluster = await startGrpcCluster();
}, 600_000);
afterAll(() => cluster?.stop());

/** Runs a class of the gRPC probe (asynchronously: the broker answers in this process); its JSON lines. */
async function grpcProbe(...args: string[]): Promise<ProbeLine[]> {
  const { stdout } = await run('bash', [grpcScript, 'class', 'GrpcInteropProbe', cluster.grpcAddress, ...args], {
    timeout: 120_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ProbeLine);
}

/** Runs InteropProducer (test/compat/java); its JSON lines. */
async function remotingProducer(...args: string[]): Promise<ProbeLine[]> {
  const jvm = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', javaClasspath()];
  const { stdout } = await run('java', [...jvm, 'cleanrocketmq.compat.InteropProducer', ...args], {
    timeout: 120_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ProbeLine);
}

function javaClasspath(): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`;
}

async function newTopic(): Promise<string> {
  const topic = uniqueName('cross_java');
  await createTopic(cluster.admin, topic, 4);
  return topic;
}

describe('compat: the official Java clients across Remoting and gRPC', () => {
  it('a Remoting producer sends, a gRPC PushConsumer receives id, body, tag, keys and properties', async () => {
    const topic = await newTopic();
    const sent = messageLines(await remotingProducer(cluster.server.registryAddress, topic, `${COUNT}`));
    expect(sent.map((line) => line['status'])).toEqual(Array(COUNT).fill('SEND_OK'));
    const received = await grpcProbe('push', topic, uniqueName('cross_push'), `${COUNT}`);
    const byBody = new Map(received.map((line) => [line['body'], line]));
    for (const [i, line] of sent.entries()) {
      const message = byBody.get(`remoting-${i}`);
      expect(message?.['messageId']).toBe(line['msgId']);
      expect(message?.['tag']).toBe('TagR');
      expect(message?.['keys']).toEqual([`rkey-${i}`]);
      expect(message?.['properties']).toMatchObject({ color: `blue-${i}`, origin: 'remoting' });
    }
    expect(received).toHaveLength(COUNT);
  }, 180_000);

  it('a gRPC producer sends, a Remoting push consumer receives id, body, tag, keys and properties', async () => {
    const topic = await newTopic();
    const sent = await grpcProbe('send', topic, `${COUNT}`);
    expect(sent.map((line) => line['body'])).toEqual(['grpc-0', 'grpc-1', 'grpc-2']);
    const args = [cluster.server.registryAddress, uniqueName('cross_cg'), topic, '*', `${COUNT}`, '60000'];
    const consumed = messageLines(await clientProbe('consume', ...args, ...FAST_CLIENT));
    const byBody = new Map(consumed.map((line) => [line['body'], line]));
    for (const [i, line] of sent.entries()) {
      const message = byBody.get(`grpc-${i}`);
      expect(message?.['msgId']).toBe(line['messageId']);
      expect(message?.['tags']).toBe('TagG');
      expect(message?.['keys']).toBe(`gkey-${i}`);
      expect(message?.['properties']).toMatchObject({ color: `green-${i}`, origin: 'grpc' });
      expect(message?.['result']).toBe('CONSUME_SUCCESS');
    }
  }, 180_000);
});
