// The broker's registration with registries over real TCP: it registers at start (routes appear),
// re-registers every period (a topic added later shows up), keeps going when one registry is down,
// and unregisters on stop (its routes disappear).

import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import {
  BrokerRegistryClient,
  parseNamesrvAddr,
  type TopicConfigSource,
} from '../../ts/broker/infra/registry-client.js';
import type { TopicConfig } from '../../ts/protocol/route-types.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { startTestRegistry } from '../registry/registry-fixtures.js';
import { nodeScheduler } from '../../ts/common/node-scheduler.js';

const running: Array<{ stop(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

function topic(name: string): TopicConfig {
  return {
    topicName: name,
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    attributes: {},
  };
}

class Topics implements TopicConfigSource {
  private table: Record<string, TopicConfig> = { TopicA: topic('TopicA'), TBW102: topic('TBW102') };
  private counter = 1;
  add(name: string): void {
    this.table = { ...this.table, [name]: topic(name) };
    this.counter += 1;
  }
  topicConfigSerializeWrapper() {
    return {
      topicConfigTable: this.table,
      dataVersion: { counter: this.counter, stateVersion: 0, timestamp: this.counter },
    };
  }
}

async function routeCode(client: RemotingClient, address: string, topicName: string): Promise<number> {
  return (await client.invoke(address, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: topicName }))).code;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('broker: registration with registries', () => {
  it('parses namesrvAddr lists', () => {
    expect(parseNamesrvAddr(' 127.0.0.1:9876; 10.0.0.2:9876 ;;')).toEqual(['127.0.0.1:9876', '10.0.0.2:9876']);
  });

  it('registers at start, re-registers each period, unregisters on stop, and survives a dead registry', async () => {
    const first = await startTestRegistry();
    const second = await startTestRegistry();
    running.push(first.registry, second.registry);
    const remoting = new RemotingClient({ logger: createMemoryLogger() });
    const probe = new RemotingClient({ logger: createMemoryLogger() });
    running.push(remoting, probe);
    const topics = new Topics();
    const logger = createMemoryLogger();
    const client = new BrokerRegistryClient(
      remoting,
      {
        clusterName: 'DefaultCluster',
        brokerName: 'broker-a',
        brokerId: 0,
        brokerAddr: '127.0.0.1:10911',
        haServerAddr: '',
      },
      topics,
      {
        namesrvAddr: `${first.address};127.0.0.1:1;${second.address}`,
        registerPeriodMs: 50,
        registerTimeoutMs: 1000,
        heartbeatTimeoutMs: 120_000,
      },
      logger,
      nodeScheduler,
    );
    await client.start();
    expect(await routeCode(probe, first.address, 'TopicA')).toBe(ResponseCode.SUCCESS);
    expect(await routeCode(probe, second.address, 'TopicA')).toBe(ResponseCode.SUCCESS);
    expect(
      logger.lines.some((line) => line.message === 'register failed' && line.fields?.['registry'] === '127.0.0.1:1'),
    ).toBe(true);

    topics.add('TopicB');
    await eventually(async () => (await routeCode(probe, second.address, 'TopicB')) === ResponseCode.SUCCESS);

    await client.stop();
    expect(await routeCode(probe, first.address, 'TopicA')).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(await routeCode(probe, second.address, 'TopicA')).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });
});
