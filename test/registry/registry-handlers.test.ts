// Specification of the registry's request handlers (api layer, no sockets): REGISTER_BROKER bodies
// as Java brokers send them, the route JSON rule by client version, TOPIC_NOT_EXIST, cluster info,
// topic lists and KV config.

import { describe, expect, it } from 'vitest';
import { BrokerRegistrationHandler } from '../../ts/registry/api/broker-registration-handler.js';
import { KvConfigHandler } from '../../ts/registry/api/kv-config-handler.js';
import { RouteHandler } from '../../ts/registry/api/route-handler.js';
import { KvConfigManager } from '../../ts/registry/domain/kv-config-manager.js';
import { RouteInfoManager } from '../../ts/registry/domain/route-info-manager.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../ts/remoting/remoting-command.js';
import { registerBrokerRequest } from './registry-fixtures.js';

const connection = { remoteAddress: '127.0.0.1:40000' };

function registerRequest(brokerName: string, brokerAddr: string, brokerId = 0): RemotingCommand {
  return registerBrokerRequest({ brokerName, brokerAddr, brokerId, haServerAddr: `${brokerAddr.split(':')[0]}:10912` });
}

function setup() {
  const routes = new RouteInfoManager();
  const kv = new KvConfigManager();
  const registration = new BrokerRegistrationHandler(routes, kv, () => 1000, undefined);
  return { routes, kv, registration, route: new RouteHandler(routes), kvHandler: new KvConfigHandler(kv) };
}

describe('registry api: REGISTER_BROKER', () => {
  it('registers a broker from a Java RegisterBrokerBody and checks its CRC', () => {
    const { routes, registration } = setup();
    const reply = registration.handle(registerRequest('broker-a', '127.0.0.1:10911'), connection);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas).toEqual([
      { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 },
    ]);
    const corrupt = {
      ...registerRequest('broker-b', '127.0.0.1:20911'),
      extFields: { ...registerRequest('b', 'x:1').extFields, bodyCrc32: '12345' },
    };
    expect(registration.handle(corrupt, connection)).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'crc32 not match',
    });
  });

  it('answers a slave with its master and HA address', () => {
    const { registration } = setup();
    registration.handle(registerRequest('broker-a', '127.0.0.1:10911'), connection);
    const reply = registration.handle(registerRequest('broker-a', '127.0.0.1:10921', 1), connection);
    expect(reply.extFields).toEqual({ masterAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912' });
  });

  it('fails a request missing a required field the way Java does', () => {
    const { registration } = setup();
    const request = createRequest(RequestCode.UNREGISTER_BROKER, { brokerName: 'a' });
    expect(() => registration.handle(request, connection)).toThrow('the custom field <clusterName> is null');
  });
});

describe('registry api: GET_ROUTEINFO_BY_TOPIC', () => {
  it('answers standard JSON from version 4.9.4 on and fastjson keys before it', () => {
    const { registration, route } = setup();
    registration.handle(registerRequest('broker-a', '127.0.0.1:10911'), connection);
    const modern = route.handle({
      ...createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA' }),
      version: 479,
    });
    expect(modern.body?.toString()).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster",' +
        '"enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,' +
        '"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}',
    );
    const go = route.handle({
      ...createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA' }),
      version: 317,
    });
    expect(go.body?.toString()).toContain('"brokerAddrs":{0:"127.0.0.1:10911"}');
    const asked = route.handle({
      ...createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA', acceptStandardJsonOnly: 'true' }),
      version: 317,
    });
    expect(asked.body?.toString()).toContain('"brokerAddrs":{"0":"127.0.0.1:10911"}');
  });

  it('answers TOPIC_NOT_EXIST for an unknown topic', () => {
    const { route } = setup();
    const reply = route.handle(createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'Nope' }));
    expect(reply.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(reply.remark).toMatch(/^No topic route info in name server for the topic: Nope/);
  });
});

describe('registry api: cluster, topics, KV', () => {
  it('lists the cluster, all topics and topics by cluster, and deletes a topic', () => {
    const { registration, route } = setup();
    registration.handle(registerRequest('broker-a', '127.0.0.1:10911'), connection);
    const cluster: unknown = JSON.parse(
      route.handle(createRequest(RequestCode.GET_BROKER_CLUSTER_INFO)).body?.toString() ?? '',
    );
    expect(cluster).toEqual({
      brokerAddrTable: {
        'broker-a': {
          brokerAddrs: { 0: '127.0.0.1:10911' },
          brokerName: 'broker-a',
          cluster: 'DefaultCluster',
          enableActingMaster: false,
        },
      },
      clusterAddrTable: { DefaultCluster: ['broker-a'] },
    });
    const topicList = (reply: RemotingCommand): string[] =>
      (JSON.parse(reply.body?.toString() ?? '') as { topicList: string[] }).topicList.sort();
    expect(topicList(route.handle(createRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)))).toEqual([
      'TBW102',
      'TopicA',
    ]);
    const byCluster = route.handle(createRequest(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'DefaultCluster' }));
    expect(topicList(byCluster)).toEqual(['TBW102', 'TopicA']);
    route.handle(createRequest(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'TopicA' }));
    expect(route.handle(createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA' })).code).toBe(
      ResponseCode.TOPIC_NOT_EXIST,
    );
  });

  it('puts, gets and deletes KV config, answering QUERY_NOT_FOUND for a missing key', () => {
    const { kvHandler } = setup();
    const key = { namespace: 'ORDER_TOPIC_CONFIG', key: 'TopicA' };
    kvHandler.handle(createRequest(RequestCode.PUT_KV_CONFIG, { ...key, value: 'broker-a:4' }));
    expect(kvHandler.handle(createRequest(RequestCode.GET_KV_CONFIG, key)).extFields).toEqual({ value: 'broker-a:4' });
    kvHandler.handle(createRequest(RequestCode.DELETE_KV_CONFIG, key));
    expect(kvHandler.handle(createRequest(RequestCode.GET_KV_CONFIG, key))).toMatchObject({
      code: ResponseCode.QUERY_NOT_FOUND,
      remark: 'No config item, Namespace: ORDER_TOPIC_CONFIG Key: TopicA',
    });
  });
});
