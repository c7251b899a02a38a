// The official Java admin client (org.apache.rocketmq:rocketmq-tools 5.5.0 from Maven Central,
// driven by test/compat/java's AdminProbe) against our registry over real TCP: it lists the cluster,
// reads a topic route, and gets RocketMQ's TOPIC_NOT_EXIST for an unknown topic.

import { execFile } from 'node:child_process';
import { crc32 } from 'node:zlib';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { Registry } from '../../ts/registry/server/registry.js';
import { defaultRegistryConfig } from '../../ts/registry/server/registry-config.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';

const run = promisify(execFile);
const script = new URL('../../scripts/compat-java.sh', import.meta.url).pathname;

/** Runs the probe; returns its one JSON line and exit code. */
async function probe(...args: string[]): Promise<{ json: Record<string, unknown>; exitCode: number }> {
  try {
    const { stdout } = await run('bash', [script, 'run', ...args], { timeout: 60_000 });
    return { json: JSON.parse(stdout.trim()) as Record<string, unknown>, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    return { json: JSON.parse((failed.stdout ?? '').trim() || '{}') as Record<string, unknown>, exitCode: failed.code ?? -1 };
  }
}

describe('compat: the Java admin client against our registry', () => {
  let registry: Registry;
  let broker: RemotingClient;
  let address: string;

  beforeAll(async () => {
    await run('bash', [script, 'build'], { timeout: 600_000 });
    registry = new Registry(defaultRegistryConfig({ listenPort: 0, listenHost: '127.0.0.1', kvConfigPath: null }), createMemoryLogger());
    await registry.start();
    address = `127.0.0.1:${registry.port}`;
    broker = new RemotingClient({ logger: createMemoryLogger() });
    const table = Object.fromEntries(
      ['TopicA', 'TBW102'].map((name) => [
        name,
        { attributes: {}, order: false, perm: 6, readQueueNums: 4, topicFilterType: 'SINGLE_TAG', topicName: name, topicSysFlag: 0, writeQueueNums: 4 },
      ]),
    );
    const body = Buffer.from(
      JSON.stringify({ filterServerList: [], topicConfigSerializeWrapper: { dataVersion: { counter: 1, stateVersion: 0, timestamp: 1 }, topicConfigTable: table } }),
    );
    const header = {
      brokerName: 'broker-a',
      brokerAddr: '127.0.0.1:10911',
      clusterName: 'CompatCluster',
      haServerAddr: '127.0.0.1:10912',
      brokerId: '0',
      bodyCrc32: String(crc32(body) & 0x7fffffff),
    };
    const reply = await broker.invoke(address, createRequest(RequestCode.REGISTER_BROKER, header, body));
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
