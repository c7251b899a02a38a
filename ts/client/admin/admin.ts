// Admin (Java `DefaultMQAdminExt`, the operations a CLI needs): cluster info (GET_BROKER_CLUSTER_INFO),
// topic routes and the topic list from the name server, topic creation and deletion on every master
// of a cluster (UPDATE_AND_CREATE_TOPIC, DELETE_TOPIC_IN_BROKER, DELETE_TOPIC_IN_NAMESRV), and a
// consumer group's progress (GET_CONSUME_STATS, merged over brokers). Depends on ts/remoting,
// ../client-instance.ts, ../client-options.ts, ../topic-route.ts, consume-stats.ts.

import { parseFastJson } from '../../common/fastjson.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC } from '../../protocol/topics.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { ClientError, ClientErrorCode, expectResponse } from '../client-error.js';
import { ClientInstance } from '../client-instance.js';
import { checkGroupName, checkTopicName, resolveClientOptions, type ClientOptions } from '../client-options.js';
import { decodeBrokerData, decodeTopicRouteData, masterAddress } from '../topic-route.js';
import {
  type BrokerData,
  PERM_READ,
  PERM_WRITE,
  TopicFilterType,
  type TopicRouteData,
} from '../../protocol/route-types.js';
import { decodeConsumeStats, mergeConsumeStats, type ConsumeStats } from './consume-stats.js';

/** `ClusterInfo`: the broker groups by name, and the broker names of each cluster. */
export interface ClusterInfo {
  readonly brokerAddrTable: Readonly<Record<string, BrokerData>>;
  readonly clusterAddrTable: Readonly<Record<string, readonly string[]>>;
}

export interface CreateTopicOptions {
  /** Default 8 (mqadmin updateTopic). */
  readonly readQueueNums?: number;
  /** Default 8. */
  readonly writeQueueNums?: number;
  /** Default 6 (read and write). */
  readonly perm?: number;
  /** An ordered topic (Java `TopicConfig.order`); default false. */
  readonly order?: boolean;
  /** Create on the masters of this cluster; default every cluster. */
  readonly clusterName?: string;
  /** Create on this broker only ("host:port"); overrides clusterName. */
  readonly brokerAddr?: string;
}

export type AdminOptions = ClientOptions;

export class Admin {
  private readonly instance: ClientInstance;
  private state: 'created' | 'running' | 'stopped' = 'created';

  constructor(options: AdminOptions) {
    this.instance = new ClientInstance(
      resolveClientOptions(options),
      () => ({ producerDataSet: [], consumerDataSet: [] }),
      'admin',
    );
  }

  startup(): Promise<void> {
    if (this.state !== 'created')
      return Promise.reject(new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, `the admin client is ${this.state}`));
    this.instance.start();
    this.state = 'running';
    return Promise.resolve();
  }

  /** Same as startup(). */
  start(): Promise<void> {
    return this.startup();
  }

  async shutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    if (wasRunning) await this.instance.shutdown();
  }

  /** GET_BROKER_CLUSTER_INFO. */
  async clusterInfo(): Promise<ClusterInfo> {
    this.instance.checkRunning('admin client');
    const { response, address } = await this.instance.invokeNameServer(() =>
      createRequest(RequestCode.GET_BROKER_CLUSTER_INFO),
    );
    expectResponse(response, RequestCode.GET_BROKER_CLUSTER_INFO, address);
    const parsed = parseFastJson(response.body?.toString('utf8') ?? '{}') as Record<string, unknown>;
    const brokerAddrTable: Record<string, BrokerData> = {};
    for (const [name, data] of Object.entries(
      (parsed['brokerAddrTable'] ?? {}) as Record<string, Record<string, unknown>>,
    )) {
      brokerAddrTable[name] = decodeBrokerData(data);
    }
    const clusterAddrTable: Record<string, string[]> = {};
    for (const [cluster, names] of Object.entries((parsed['clusterAddrTable'] ?? {}) as Record<string, unknown>)) {
      clusterAddrTable[cluster] = Array.isArray(names) ? names.map(String) : [];
    }
    return { brokerAddrTable, clusterAddrTable };
  }

  /** GET_ROUTEINFO_BY_TOPIC; a topic the name server does not know is a ClientError TOPIC_NOT_EXIST (17). */
  async topicRoute(topic: string): Promise<TopicRouteData> {
    this.instance.checkRunning('admin client');
    const { response, address } = await this.instance.invokeNameServer(() =>
      createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic, acceptStandardJsonOnly: 'true' }),
    );
    expectResponse(response, RequestCode.GET_ROUTEINFO_BY_TOPIC, address);
    return decodeTopicRouteData(response.body);
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER, sorted. */
  async topicList(): Promise<string[]> {
    this.instance.checkRunning('admin client');
    const { response, address } = await this.instance.invokeNameServer(() =>
      createRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
    );
    expectResponse(response, RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, address);
    const parsed = parseFastJson(response.body?.toString('utf8') ?? '{}') as { topicList?: unknown };
    return Array.isArray(parsed.topicList) ? parsed.topicList.map(String).sort() : [];
  }

  /** UPDATE_AND_CREATE_TOPIC on each target master; resolves with the brokers written. */
  async createTopic(topic: string, options: CreateTopicOptions = {}): Promise<string[]> {
    this.instance.checkRunning('admin client');
    checkTopicName(topic);
    const fields = {
      topic,
      defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
      readQueueNums: String(options.readQueueNums ?? 8),
      writeQueueNums: String(options.writeQueueNums ?? 8),
      perm: String(options.perm ?? PERM_READ | PERM_WRITE),
      topicFilterType: TopicFilterType.SINGLE_TAG,
      topicSysFlag: '0',
      order: String(options.order ?? false),
    };
    const targets =
      options.brokerAddr !== undefined ? [options.brokerAddr] : await this.masterAddresses(options.clusterName);
    for (const address of targets) {
      const response = await this.instance.invoke(address, createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, fields));
      expectResponse(response, RequestCode.UPDATE_AND_CREATE_TOPIC, address);
    }
    return targets;
  }

  /** DELETE_TOPIC_IN_BROKER on each master of the cluster (every cluster by default), then DELETE_TOPIC_IN_NAMESRV. */
  async deleteTopic(topic: string, clusterName?: string): Promise<void> {
    this.instance.checkRunning('admin client');
    checkTopicName(topic);
    for (const address of await this.masterAddresses(clusterName)) {
      const response = await this.instance.invoke(
        address,
        createRequest(RequestCode.DELETE_TOPIC_IN_BROKER, { topic }),
      );
      expectResponse(response, RequestCode.DELETE_TOPIC_IN_BROKER, address);
    }
    const fields: Record<string, string> = { topic, ...(clusterName !== undefined && { clusterName }) };
    for (const address of this.instance.options.namesrvAddrs) {
      const response = await this.instance.invoke(address, createRequest(RequestCode.DELETE_TOPIC_IN_NAMESRV, fields));
      expectResponse(response, RequestCode.DELETE_TOPIC_IN_NAMESRV, address);
    }
  }

  /**
   * GET_CONSUME_STATS on every master, merged: per queue the broker offset, the group's committed
   * offset and the lag. With `topic`, only that topic's queues.
   */
  async consumeStats(consumerGroup: string, topic?: string): Promise<ConsumeStats> {
    this.instance.checkRunning('admin client');
    checkGroupName(consumerGroup, 'consumerGroup');
    const fields: Record<string, string> = { consumerGroup, ...(topic !== undefined && { topic }) };
    const parts: ConsumeStats[] = [];
    for (const address of await this.masterAddresses()) {
      const response = await this.instance.invoke(address, createRequest(RequestCode.GET_CONSUME_STATS, fields));
      // A broker that never saw the group has nothing to add.
      if (response.code === ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST) continue;
      expectResponse(response, RequestCode.GET_CONSUME_STATS, address);
      parts.push(decodeConsumeStats(response.body));
    }
    return mergeConsumeStats(parts);
  }

  /** The masters of `clusterName` (every cluster when absent); BROKER_NOT_EXIST_EXCEPTION when none. */
  private async masterAddresses(clusterName?: string): Promise<string[]> {
    const info = await this.clusterInfo();
    const names =
      clusterName === undefined ? Object.keys(info.brokerAddrTable) : (info.clusterAddrTable[clusterName] ?? []);
    const addrs = names
      .map((name) => info.brokerAddrTable[name])
      .map((broker) => (broker === undefined ? undefined : masterAddress(broker)))
      .filter((addr): addr is string => addr !== undefined);
    if (addrs.length === 0) {
      throw new ClientError(
        ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION,
        `no master broker${clusterName === undefined ? '' : ` in cluster ${clusterName}`}`,
      );
    }
    return addrs;
  }
}
