// The registry over real TCP on 127.0.0.1: two brokers of one cluster register, a route query
// returns both with their queue data, a broker that stops heartbeating disappears after the
// (shortened) timeout, a closed connection drops its broker at once, unknown codes answer 3.

import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { registerBrokerRequest, startTestRegistry } from './registry-fixtures.js';

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

async function startRegistry(brokerExpiredMs = 120_000): Promise<{ address: string }> {
  const started = await startTestRegistry({ brokerExpiredMs, scanNotActiveBrokerIntervalMs: 25 });
  running.push(started.registry);
  return started;
}

function client(): RemotingClient {
  const remoting = new RemotingClient({ logger: createMemoryLogger() });
  running.push(remoting);
  return remoting;
}

function registerRequest(brokerName: string, brokerAddr: string, queues: number) {
  return registerBrokerRequest({ brokerName, brokerAddr, topics: { TopicA: queues, TBW102: 8 } });
}

async function routeBrokers(remoting: RemotingClient, address: string): Promise<string[] | number> {
  const reply = await remoting.invoke(address, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA' }));
  if (reply.code !== ResponseCode.SUCCESS) return reply.code;
  const route = JSON.parse(reply.body?.toString() ?? '') as {
    queueDatas: Array<{ brokerName: string; readQueueNums: number }>;
  };
  return route.queueDatas.map((q) => `${q.brokerName}:${q.readQueueNums}`).sort();
}

async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) expect(value).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('registry over TCP', () => {
  it('routes a topic to both brokers of a cluster and forgets one that stops heartbeating', async () => {
    const { address } = await startRegistry(400);
    const [brokerA, brokerB, consumer] = [client(), client(), client()];
    expect((await brokerA.invoke(address, registerRequest('broker-a', '127.0.0.1:10911', 4))).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect((await brokerB.invoke(address, registerRequest('broker-b', '127.0.0.1:20911', 8))).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect(await routeBrokers(consumer, address)).toEqual(['broker-a:4', 'broker-b:8']);

    const heartbeat = setInterval(() => {
      const request = createRequest(RequestCode.BROKER_HEARTBEAT, {
        clusterName: 'DefaultCluster',
        brokerAddr: '127.0.0.1:10911',
        brokerName: 'broker-a',
      });
      void brokerA.invokeOneway(address, request);
    }, 50);
    try {
      await eventually(() => routeBrokers(consumer, address), ['broker-a:4']);
    } finally {
      clearInterval(heartbeat);
    }
    await eventually(() => routeBrokers(consumer, address), ResponseCode.TOPIC_NOT_EXIST);
  });

  it('drops a broker as soon as its connection closes', async () => {
    const { address } = await startRegistry();
    const [broker, consumer] = [client(), client()];
    await broker.invoke(address, registerRequest('broker-a', '127.0.0.1:10911', 4));
    expect(await routeBrokers(consumer, address)).toEqual(['broker-a:4']);
    await broker.close();
    await eventually(() => routeBrokers(consumer, address), ResponseCode.TOPIC_NOT_EXIST);
  });

  it('answers an unknown request code with REQUEST_CODE_NOT_SUPPORTED and keeps serving', async () => {
    const { address } = await startRegistry();
    const remoting = client();
    const reply = await remoting.invoke(address, createRequest(12345));
    expect(reply.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(reply.remark).toBe(' request type 12345 not supported');
    const missing = await remoting.invoke(address, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {}));
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toContain('the custom field <topic> is null');
  });
});
