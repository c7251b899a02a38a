// Specification of the registry's route tables (pure domain, injected clock): registration of
// masters and slaves, routes over several brokers, liveness by heartbeat timeout and by closed
// connection, unregistration, topic deletion and listing.

import { describe, expect, it } from 'vitest';
import { RouteInfoManager } from '../../ts/registry/domain/route-info-manager.js';
import type { TopicConfig } from '../../ts/protocol/route-types.js';
import type { RegisterBrokerRequest } from '../../ts/registry/domain/broker-registration.js';

function topic(name: string, queues: number): TopicConfig {
  return {
    topicName: name,
    readQueueNums: queues,
    writeQueueNums: queues,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    attributes: {},
  };
}

function registration(overrides: Partial<RegisterBrokerRequest>): RegisterBrokerRequest {
  return {
    clusterName: 'DefaultCluster',
    brokerAddr: '127.0.0.1:10911',
    brokerName: 'broker-a',
    brokerId: 0,
    haServerAddr: '127.0.0.1:10912',
    connectionId: 'c1',
    heartbeatTimeoutMs: 120_000,
    enableActingMaster: false,
    topicConfigs: [topic('TopicA', 4), topic('TBW102', 8)],
    dataVersion: { counter: 1, stateVersion: 0, timestamp: 1000 },
    ...overrides,
  };
}

describe('registry: routes', () => {
  it('answers a route over two brokers of one cluster', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({}), 0);
    routes.registerBroker(
      registration({
        brokerName: 'broker-b',
        brokerAddr: '127.0.0.1:20911',
        topicConfigs: [topic('TopicA', 8), topic('B', 1)],
      }),
      0,
    );
    const route = routes.pickupTopicRouteData('TopicA');
    expect(route?.queueDatas.map((q) => [q.brokerName, q.readQueueNums, q.writeQueueNums, q.perm])).toEqual([
      ['broker-a', 4, 4, 6],
      ['broker-b', 8, 8, 6],
    ]);
    expect(route?.brokerDatas.map((b) => [b.brokerName, b.cluster, b.brokerAddrs])).toEqual([
      ['broker-a', 'DefaultCluster', { 0: '127.0.0.1:10911' }],
      ['broker-b', 'DefaultCluster', { 0: '127.0.0.1:20911' }],
    ]);
    expect(routes.pickupTopicRouteData('Missing')).toBeNull();
    expect(routes.clusterInfo().clusterAddrTable).toEqual({ DefaultCluster: ['broker-a', 'broker-b'] });
    expect(routes.allTopics().sort()).toEqual(['B', 'TBW102', 'TopicA']);
  });

  it('tells a slave its master and keeps one broker group per name', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({}), 0);
    const slave = routes.registerBroker(
      registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921', haServerAddr: '', connectionId: 'c2' }),
      0,
    );
    expect(slave).toEqual({ masterAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912' });
    expect(routes.pickupTopicRouteData('TopicA')?.brokerDatas[0]?.brokerAddrs).toEqual({
      0: '127.0.0.1:10911',
      1: '127.0.0.1:10921',
    });
  });

  it('updates queue data only when the data version changes', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({}), 0);
    routes.registerBroker(registration({ topicConfigs: [topic('TopicA', 16), topic('TBW102', 8)] }), 1);
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas[0]?.readQueueNums).toBe(4);
    const newVersion = { counter: 2, stateVersion: 0, timestamp: 2000 };
    routes.registerBroker(
      registration({ topicConfigs: [topic('TopicA', 16), topic('TBW102', 8)], dataVersion: newVersion }),
      2,
    );
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas[0]?.readQueueNums).toBe(16);
  });

  it('refuses a new broker registering exactly one topic, as Java does', () => {
    const routes = new RouteInfoManager();
    expect(routes.registerBroker(registration({ topicConfigs: [topic('Only', 4)] }), 0)).toBeNull();
  });
});

describe('registry: liveness', () => {
  it('drops a broker that stops heartbeating after its timeout, keeping the others', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({ heartbeatTimeoutMs: 1000 }), 0);
    routes.registerBroker(
      registration({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:20911', heartbeatTimeoutMs: 1000 }),
      0,
    );
    expect(routes.heartbeat('DefaultCluster', '127.0.0.1:20911', 900)).toBe(true);
    expect(routes.scanNotActiveBrokers(1000)).toEqual([]);
    const removed = routes.scanNotActiveBrokers(1500);
    expect(removed).toEqual([{ clusterName: 'DefaultCluster', brokerAddr: '127.0.0.1:10911', brokerName: 'broker-a' }]);
    expect(routes.pickupTopicRouteData('TopicA')?.brokerDatas.map((b) => b.brokerName)).toEqual(['broker-b']);
    expect(routes.clusterInfo().clusterAddrTable).toEqual({ DefaultCluster: ['broker-b'] });
    expect(routes.heartbeat('DefaultCluster', '127.0.0.1:10911', 1600)).toBe(false);
  });

  it('drops the brokers of a closed connection', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({ connectionId: 'c1' }), 0);
    routes.registerBroker(
      registration({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:20911', connectionId: 'c2' }),
      0,
    );
    expect(routes.onConnectionClosed('c1').map((b) => b.brokerName)).toEqual(['broker-a']);
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
  });

  it('keeps a group whose master unregistered while a slave remains', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({}), 0);
    routes.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921', connectionId: 'c2' }), 0);
    routes.unregisterBroker('DefaultCluster', '127.0.0.1:10911', 'broker-a', 0);
    const route = routes.pickupTopicRouteData('TopicA');
    expect(route?.brokerDatas[0]?.brokerAddrs).toEqual({ 1: '127.0.0.1:10921' });
    routes.unregisterBroker('DefaultCluster', '127.0.0.1:10921', 'broker-a', 1);
    expect(routes.pickupTopicRouteData('TopicA')).toBeNull();
    expect(routes.clusterInfo()).toEqual({ brokerAddrTable: {}, clusterAddrTable: {} });
  });
});

describe('registry: topics', () => {
  it('lists topics by cluster and deletes a topic from one cluster or all', () => {
    const routes = new RouteInfoManager();
    routes.registerBroker(registration({}), 0);
    routes.registerBroker(
      registration({
        clusterName: 'Other',
        brokerName: 'broker-x',
        brokerAddr: '127.0.0.1:30911',
        topicConfigs: [topic('TopicA', 2), topic('X', 2)],
      }),
      0,
    );
    expect(routes.topicsByCluster('Other').sort()).toEqual(['TopicA', 'X']);
    routes.deleteTopic('TopicA', 'Other');
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-a']);
    routes.deleteTopic('TopicA');
    expect(routes.pickupTopicRouteData('TopicA')).toBeNull();
  });
});
