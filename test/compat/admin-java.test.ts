// The official Java admin client (org.apache.rocketmq:rocketmq-tools 5.5.0 from Maven Central,
// driven by test/compat/java's AdminProbe) against our registry over real TCP: it lists the cluster,
// reads a topic route, and gets RocketMQ's TOPIC_NOT_EXIST for an unknown topic.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import type { Registry } from '../../ts/registry/server/registry.js';
import { ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { registerBrokerRequest, startTestRegistry } from '../registry/registry-fixtures.js';

const run = promisify(execFile);
const script = new URL('../../scripts/compat-java.sh', import.meta.url).pathname;

/** Runs the probe; returns its one JSON line and exit code. */
async function probe(...args: string[]): Promise<{ json: Record<string, unknown>; exitCode: number }> {
  try {
    const { stdout } = await run('bash', [script, 'run', ...args], { timeout: 60_000 });
    return { json: JSON.parse(stdout.trim()) as Record<string, unknown>, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    return {
      json: JSON.parse((failed.stdout ?? '').trim() || '{}') as Record<string, unknown>,
      exitCode: failed.code ?? -1,
    };
  }
}

describe('compat: the Java admin client against our registry', () => {
  let registry: Registry;
  let broker: RemotingClient;
  let address: string;

  beforeAll(async () => {
    await run('bash', [script, 'build'], { timeout: 600_000 });
    ({ registry, address } = await startTestRegistry());
    broker = new RemotingClient({ logger: createMemoryLogger() });
    const request = registerBrokerRequest({
      brokerName: 'broker-a',
      brokerAddr: '127.0.0.1:10911',
      clusterName: 'CompatCluster',
      haServerAddr: '127.0.0.1:10912',
      topics: { TopicA: 4, TBW102: 4 },
    });
    const reply = await broker.invoke(address, request);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
  }, 600_000);

  afterAll(async () => {
    await broker?.close();
    await registry?.stop();
  });

  it('lists the cluster', async () => {
    const { json, exitCode } = await probe(address, 'clusterList');
    expect(exitCode).toBe(0);
    expect(json).toEqual({
      brokers: { 'broker-a': { addrs: { 0: '127.0.0.1:10911' }, cluster: 'CompatCluster' } },
      clusters: { CompatCluster: ['broker-a'] },
    });
  }, 60_000);

  it('reads a topic route and the topic list', async () => {
    const route = await probe(address, 'topicRoute', 'TopicA');
    expect(route.exitCode).toBe(0);
    expect(route.json).toEqual({
      brokerDatas: [{ brokerAddrs: { 0: '127.0.0.1:10911' }, brokerName: 'broker-a', cluster: 'CompatCluster' }],
      queueDatas: [{ brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 }],
    });
    const topics = await probe(address, 'topicList');
    expect(topics.json).toEqual({ topics: ['TBW102', 'TopicA'] });
  }, 60_000);

  it('gets TOPIC_NOT_EXIST for an unknown topic, as from Apache RocketMQ', async () => {
    const { json, exitCode } = await probe(address, 'topicRoute', 'NoSuchTopic');
    expect(exitCode).toBe(2);
    expect(json['responseCode']).toBe(17);
  }, 60_000);
});
