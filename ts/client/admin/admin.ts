// Admin (Java `DefaultMQAdminExt`, the operations a CLI needs): cluster info (GET_BROKER_CLUSTER_INFO),
// topic routes and the topic list from the name server, topic creation and deletion on every master
// of a cluster (UPDATE_AND_CREATE_TOPIC, DELETE_TOPIC_IN_BROKER, DELETE_TOPIC_IN_NAMESRV), and a
// consumer group's progress (GET_CONSUME_STATS, merged over brokers), and what `clean-rocketmq admin`
// needs besides (topic stats, runtime info, groups, connections, messages, offsets, request modes, broker
// config). Depends on ts/remoting, ../client-instance.ts, ../client-options.ts, ../topic-route.ts, admin-*.ts.

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
import { encodeMessageRequestModeBody, type MessageRequestMode } from '../../protocol/assignment.js';
import type { MessageView } from '../message/message-view.js';
import {
  type ClientConnection,
  type ConsumerConnection,
  decodeConsumerConnection,
  decodeKvTable,
  decodeProducerConnection,
  decodeTopicStats,
  type SubscriptionGroupConfig,
  type TopicQueueOffsets,
  type TopicStats,
} from './admin-bodies.js';
import { type MessageQuery, queryMessage, tryDecodeOffsetMessageId, viewMessage } from './admin-messages.js';
import { searchOffset } from '../consumer/consumer-requests.js';
import type { MessageQueue } from '../message-queue.js';
import { decodePropertiesText, encodePropertiesText } from '../../protocol/properties-text.js';
import { resetOffsetByTimestamp, type ResetOffsetRequest, type ResetOffsetResult } from './admin-reset-offset.js';

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

/** Where a write goes: one broker ("host:port"), or the masters of a cluster (every cluster when neither). */
export interface BrokerTarget {
  readonly brokerAddr?: string;
  readonly clusterName?: string;
}

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

  /** GET_TOPIC_STATS_INFO on each master routing `topic`: every queue's min and max offsets. */
  async topicStats(topic: string): Promise<TopicStats> {
    const route = await this.topicRoute(topic);
    const queues: TopicQueueOffsets[] = [];
    let topicPutTps = 0;
    for (const address of route.brokerDatas.map(masterAddress)) {
      if (address === undefined) continue;
      const response = await this.instance.invoke(address, createRequest(RequestCode.GET_TOPIC_STATS_INFO, { topic }));
      expectResponse(response, RequestCode.GET_TOPIC_STATS_INFO, address);
      const stats = decodeTopicStats(response.body);
      queues.push(...stats.queues);
      topicPutTps += stats.topicPutTps;
    }
    return { queues, topicPutTps };
  }

  /** GET_BROKER_RUNTIME_INFO: the broker's statistics table (mqadmin brokerStatus). */
  async brokerRuntimeInfo(brokerAddr: string): Promise<Record<string, string>> {
    return decodeKvTable(await this.brokerRequest(brokerAddr, RequestCode.GET_BROKER_RUNTIME_INFO, {}));
  }

  /** GET_BROKER_CONFIG: the broker's configuration as `key → value`. */
  async brokerConfig(brokerAddr: string): Promise<Record<string, string>> {
    return decodePropertiesText(await this.brokerRequest(brokerAddr, RequestCode.GET_BROKER_CONFIG, {}));
  }

  /** UPDATE_BROKER_CONFIG with `properties`; resolves with the brokers written. */
  async updateBrokerConfig(properties: Record<string, string>, target: BrokerTarget = {}): Promise<string[]> {
    const targets = await this.targetAddresses(target);
    for (const address of targets)
      await this.brokerRequest(address, RequestCode.UPDATE_BROKER_CONFIG, {}, encodePropertiesText(properties));
    return targets;
  }

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP on the target; resolves with the brokers written. */
  async createSubscriptionGroup(config: SubscriptionGroupConfig, target: BrokerTarget = {}): Promise<string[]> {
    checkGroupName(config.groupName, 'groupName');
    const body = Buffer.from(JSON.stringify(config), 'utf8');
    const targets = await this.targetAddresses(target);
    for (const address of targets)
      await this.brokerRequest(address, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body);
    return targets;
  }

  /** DELETE_SUBSCRIPTIONGROUP on the target (`cleanOffset`: drop its offsets too); the brokers written. */
  async deleteSubscriptionGroup(groupName: string, target: BrokerTarget = {}, cleanOffset = false): Promise<string[]> {
    checkGroupName(groupName, 'groupName');
    const targets = await this.targetAddresses(target);
    const fields = { groupName, cleanOffset: String(cleanOffset) };
    for (const address of targets) await this.brokerRequest(address, RequestCode.DELETE_SUBSCRIPTIONGROUP, fields);
    return targets;
  }

  /**
   * GET_CONSUMER_CONNECTION_LIST on `brokerAddr`, else on every master: the group's clients and
   * subscriptions; CONSUMER_NOT_ONLINE (206) when no broker has a client of it.
   */
  async consumerConnection(consumerGroup: string, brokerAddr?: string): Promise<ConsumerConnection> {
    checkGroupName(consumerGroup, 'consumerGroup');
    const addresses = brokerAddr === undefined ? await this.masterAddresses() : [brokerAddr];
    let lastError: Error | null = null;
    for (const address of addresses) {
      try {
        const body = await this.brokerRequest(address, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup });
        return decodeConsumerConnection(body);
      } catch (error) {
        lastError = error instanceof Error ? error : new Error(String(error));
      }
    }
    throw lastError ?? new ClientError(ResponseCode.CONSUMER_NOT_ONLINE, 'Not found the consumer group connection');
  }

  /** GET_PRODUCER_CONNECTION_LIST on each master routing `topic`: the group's producers, merged. */
  async producerConnection(producerGroup: string, topic: string): Promise<ClientConnection[]> {
    checkGroupName(producerGroup, 'producerGroup');
    const route = await this.topicRoute(topic);
    const byClientId = new Map<string, ClientConnection>();
    for (const address of route.brokerDatas.map(masterAddress)) {
      if (address === undefined) continue;
      const body = await this.brokerRequest(address, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup });
      for (const connection of decodeProducerConnection(body)) byClientId.set(connection.clientId, connection);
    }
    return [...byClientId.values()];
  }

  /**
   * The message `messageId` names: an offset msgId is read at its store host (VIEW_MESSAGE_BY_ID),
   * anything else is looked up as a UNIQ_KEY of `topic` (QUERY_MESSAGE); null when not found.
   */
  async viewMessage(topic: string, messageId: string): Promise<MessageView | null> {
    this.instance.checkRunning('admin client');
    const offsetId = tryDecodeOffsetMessageId(messageId);
    if (offsetId !== null) {
      const info = await this.clusterInfo();
      const nameOf = (address: string): string =>
        Object.values(info.brokerAddrTable).find((b) => Object.values(b.brokerAddrs).includes(address))?.brokerName ??
        '';
      return viewMessage(this.instance, offsetId, nameOf);
    }
    const found = await this.queryMessage({ topic, key: messageId, uniqueKey: true, maxNum: 32 });
    return found[0] ?? null;
  }

  /** QUERY_MESSAGE by key (or UNIQ_KEY) on the topic's brokers, sorted by store time. */
  async queryMessage(query: MessageQuery): Promise<MessageView[]> {
    this.instance.checkRunning('admin client');
    checkTopicName(query.topic);
    await this.topicRoute(query.topic);
    return queryMessage(this.instance, query);
  }

  /** Moves the group's offsets on `topic` to the first message stored at or after the time. */
  async resetOffsetByTimestamp(request: ResetOffsetRequest): Promise<ResetOffsetResult> {
    this.instance.checkRunning('admin client');
    checkGroupName(request.group, 'group');
    await this.topicRoute(request.topic);
    return resetOffsetByTimestamp(this.instance, request);
  }

  /** SET_MESSAGE_REQUEST_MODE on the target (mqadmin setConsumeMode); the brokers written. */
  async setMessageRequestMode(
    request: { topic: string; consumerGroup: string; mode: MessageRequestMode; popShareQueueNum: number },
    target: BrokerTarget = {},
  ): Promise<string[]> {
    const body = encodeMessageRequestModeBody(request);
    const targets = await this.targetAddresses(target);
    for (const address of targets) await this.brokerRequest(address, RequestCode.SET_MESSAGE_REQUEST_MODE, {}, body);
    return targets;
  }

  /** SEARCH_OFFSET_BY_TIMESTAMP at the queue's master: the first offset stored at or after `timestampMs`. */
  async searchOffset(mq: MessageQueue, timestampMs: number): Promise<number> {
    const address = await this.masterOf(mq.brokerName);
    return searchOffset(this.instance, address, mq, timestampMs);
  }

  /** The master address of `brokerName`; BROKER_NOT_EXIST_EXCEPTION when the name server has none. */
  async masterOf(brokerName: string): Promise<string> {
    const broker = (await this.clusterInfo()).brokerAddrTable[brokerName];
    const address = broker === undefined ? undefined : masterAddress(broker);
    if (address === undefined)
      throw new ClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `no master broker named ${brokerName}`);
    return address;
  }

  /** The broker name of each master address (every cluster). */
  async masterBrokers(clusterName?: string): Promise<{ brokerName: string; address: string }[]> {
    const info = await this.clusterInfo();
    const addresses = new Set(await this.masterAddresses(clusterName));
    return Object.values(info.brokerAddrTable)
      .map((broker) => ({ brokerName: broker.brokerName, address: masterAddress(broker) ?? '' }))
      .filter((entry) => addresses.has(entry.address));
  }

  /** One request to a broker; its body once it answered SUCCESS. */
  private async brokerRequest(
    address: string,
    code: number,
    fields: Record<string, string>,
    body?: Buffer,
  ): Promise<Buffer | null> {
    this.instance.checkRunning('admin client');
    const response = await this.instance.invoke(address, createRequest(code, fields, body));
    expectResponse(response, code, address);
    return response.body;
  }

  private async targetAddresses(target: BrokerTarget): Promise<string[]> {
    return target.brokerAddr !== undefined ? [target.brokerAddr] : this.masterAddresses(target.clusterName);
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
