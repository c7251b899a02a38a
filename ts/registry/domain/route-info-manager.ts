// RouteInfoManager: the registry's tables (Java `RouteInfoManager`): clusters, broker groups and
// their addresses by brokerId, each topic's queue data per broker group, and broker liveness.
// Registration, unregistration, heartbeats, expiry and route queries. Pure domain: no sockets, no
// timers (the clock is passed in). Depends on ts/protocol/route-types.ts, broker-registration.ts.

import {
  type BrokerData,
  type ClusterInfo,
  type DataVersion,
  MASTER_ID,
  type QueueData,
  type TopicConfig,
  type TopicRouteData,
} from '../../protocol/route-types.js';
import type { RegisterBrokerRequest, RegisterBrokerResult } from './broker-registration.js';

/** RocketMQ `DEFAULT_BROKER_CHANNEL_EXPIRED_TIME`: a broker silent this long is dropped. */
export const DEFAULT_BROKER_EXPIRED_MS = 120_000;

interface BrokerLive {
  readonly clusterName: string;
  readonly brokerAddr: string;
  lastUpdateMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly dataVersion: DataVersion | null;
  readonly connectionId: string;
  readonly haServerAddr: string;
}

/** The broker that an expiry, a closed connection or an unregister removed. */
export interface RemovedBroker {
  readonly clusterName: string;
  readonly brokerAddr: string;
  readonly brokerName: string | null;
}

const liveKey = (clusterName: string, brokerAddr: string): string => `${clusterName}\u0000${brokerAddr}`;

export class RouteInfoManager {
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  private readonly brokerAddrTable = new Map<string, BrokerData>();
  private readonly clusterAddrTable = new Map<string, Set<string>>();
  private readonly brokerLiveTable = new Map<string, BrokerLive>();

  /**
   * REGISTER_BROKER (Java `registerBroker`): records the broker's address and liveness and, for a
   * master, its topics' queue data when they are new or the data version changed. Returns null
   * where Java does (a new broker registering exactly one topic), which the api answers as a failure.
   */
  registerBroker(request: RegisterBrokerRequest, nowMs: number): RegisterBrokerResult | null {
    const { clusterName, brokerName, brokerAddr, brokerId } = request;
    this.clusterAddrTable.set(clusterName, (this.clusterAddrTable.get(clusterName) ?? new Set()).add(brokerName));
    let brokerData = this.brokerAddrTable.get(brokerName);
    let registerFirst = false;
    if (brokerData === undefined) {
      registerFirst = true;
      brokerData = { brokerAddrs: {}, brokerName, cluster: clusterName, enableActingMaster: false };
      this.brokerAddrTable.set(brokerName, brokerData);
    }
    brokerData.enableActingMaster = request.enableActingMaster;
    const addrs = brokerData.brokerAddrs;
    // A slave switching to master: drop its old id for the same address.
    for (const [id, addr] of Object.entries(addrs)) {
      if (addr === brokerAddr && Number(id) !== brokerId) delete addrs[id];
    }
    const topicCount = request.topicConfigs?.length ?? 0;
    if (addrs[brokerId] === undefined && topicCount === 1) return null;
    const dataVersionChanged = this.isDataVersionChanged(clusterName, brokerAddr, request.dataVersion);
    const oldAddr = addrs[brokerId];
    addrs[brokerId] = brokerAddr;
    registerFirst ||= oldAddr === undefined || oldAddr === '';
    if (brokerId === MASTER_ID && request.topicConfigs !== null) {
      for (const topicConfig of request.topicConfigs) {
        const missing = this.topicQueueTable.get(topicConfig.topicName)?.get(brokerName) === undefined;
        if (registerFirst || dataVersionChanged || missing) this.createAndUpdateQueueData(brokerName, topicConfig);
      }
    }
    this.brokerLiveTable.set(liveKey(clusterName, brokerAddr), {
      clusterName,
      brokerAddr,
      lastUpdateMs: nowMs,
      heartbeatTimeoutMs: request.heartbeatTimeoutMs,
      dataVersion: request.dataVersion,
      connectionId: request.connectionId,
      haServerAddr: request.haServerAddr,
    });
    return this.masterOf(brokerData, brokerId);
  }

  private isDataVersionChanged(clusterName: string, brokerAddr: string, dataVersion: DataVersion | null): boolean {
    const previous = this.brokerLiveTable.get(liveKey(clusterName, brokerAddr))?.dataVersion;
    if (previous === undefined || previous === null || dataVersion === null) return true;
    return previous.counter !== dataVersion.counter || previous.timestamp !== dataVersion.timestamp;
  }

  private createAndUpdateQueueData(brokerName: string, topicConfig: TopicConfig): void {
    const queueData: QueueData = {
      brokerName,
      perm: topicConfig.perm,
      readQueueNums: topicConfig.readQueueNums,
      topicSysFlag: topicConfig.topicSysFlag,
      writeQueueNums: topicConfig.writeQueueNums,
    };
    const byBroker = this.topicQueueTable.get(topicConfig.topicName) ?? new Map<string, QueueData>();
    byBroker.set(brokerName, queueData);
    this.topicQueueTable.set(topicConfig.topicName, byBroker);
  }

  /** A slave learns its master's address and HA address. */
  private masterOf(brokerData: BrokerData, brokerId: number): RegisterBrokerResult {
    const result = { haServerAddr: '', masterAddr: '' };
    if (brokerId === MASTER_ID) return result;
    const masterAddr = brokerData.brokerAddrs[MASTER_ID];
    if (masterAddr === undefined) return result;
    const masterLive = this.brokerLiveTable.get(liveKey(brokerData.cluster, masterAddr));
    if (masterLive === undefined) return result;
    return { haServerAddr: masterLive.haServerAddr, masterAddr };
  }

  /** BROKER_HEARTBEAT: refreshes the broker's liveness. Returns false for an unknown broker. */
  heartbeat(clusterName: string, brokerAddr: string, nowMs: number): boolean {
    const live = this.brokerLiveTable.get(liveKey(clusterName, brokerAddr));
    if (live === undefined) return false;
    live.lastUpdateMs = nowMs;
    return true;
  }

  /**
   * UNREGISTER_BROKER (Java `unRegisterBroker`): removes the address; a broker group left without
   * addresses leaves its cluster, and its queue data leaves every topic.
   */
  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    this.brokerLiveTable.delete(liveKey(clusterName, brokerAddr));
    const brokerData = this.brokerAddrTable.get(brokerName);
    if (brokerData === undefined) return;
    for (const [id, addr] of Object.entries(brokerData.brokerAddrs)) {
      if (addr === brokerAddr && (Number(id) === brokerId || brokerId < 0)) delete brokerData.brokerAddrs[id];
    }
    if (Object.keys(brokerData.brokerAddrs).length > 0) return;
    this.brokerAddrTable.delete(brokerName);
    const names = this.clusterAddrTable.get(clusterName);
    names?.delete(brokerName);
    if (names?.size === 0) this.clusterAddrTable.delete(clusterName);
    for (const [topic, byBroker] of this.topicQueueTable) {
      byBroker.delete(brokerName);
      if (byBroker.size === 0) this.topicQueueTable.delete(topic);
    }
  }

  /** `scanNotActiveBroker`: drops every broker silent past its heartbeat timeout. */
  scanNotActiveBrokers(nowMs: number): RemovedBroker[] {
    const expired = [...this.brokerLiveTable.values()].filter(
      (live) => live.lastUpdateMs + live.heartbeatTimeoutMs < nowMs,
    );
    return expired.map((live) => this.removeLive(live));
  }

  /** `onChannelDestroy`: drops the brokers registered over a connection that closed. */
  onConnectionClosed(connectionId: string): RemovedBroker[] {
    const gone = [...this.brokerLiveTable.values()].filter((live) => live.connectionId === connectionId);
    return gone.map((live) => this.removeLive(live));
  }

  private removeLive(live: BrokerLive): RemovedBroker {
    const brokerName = this.brokerNameOf(live.clusterName, live.brokerAddr);
    if (brokerName === null) {
      this.brokerLiveTable.delete(liveKey(live.clusterName, live.brokerAddr));
    } else {
      this.unregisterBroker(live.clusterName, live.brokerAddr, brokerName, -1);
    }
    return { clusterName: live.clusterName, brokerAddr: live.brokerAddr, brokerName };
  }

  private brokerNameOf(clusterName: string, brokerAddr: string): string | null {
    for (const name of this.clusterAddrTable.get(clusterName) ?? []) {
      const data = this.brokerAddrTable.get(name);
      if (data !== undefined && Object.values(data.brokerAddrs).includes(brokerAddr)) return name;
    }
    return null;
  }

  /** GET_ROUTEINFO_BY_TOPIC (`pickupTopicRouteData`): null when the topic has no queues or brokers. */
  pickupTopicRouteData(topic: string): TopicRouteData | null {
    const byBroker = this.topicQueueTable.get(topic);
    if (byBroker === undefined || byBroker.size === 0) return null;
    const queueDatas = [...byBroker.values()].map((q) => ({ ...q }));
    const brokerDatas: BrokerData[] = [];
    for (const brokerName of byBroker.keys()) {
      const data = this.brokerAddrTable.get(brokerName);
      if (data !== undefined) brokerDatas.push({ ...data, brokerAddrs: { ...data.brokerAddrs } });
    }
    if (brokerDatas.length === 0) return null;
    return { brokerDatas, filterServerTable: {}, queueDatas };
  }

  /** GET_BROKER_CLUSTER_INFO. */
  clusterInfo(): ClusterInfo {
    const brokerAddrTable: Record<string, BrokerData> = {};
    for (const [name, data] of this.brokerAddrTable)
      brokerAddrTable[name] = { ...data, brokerAddrs: { ...data.brokerAddrs } };
    const clusterAddrTable: Record<string, string[]> = {};
    for (const [cluster, names] of this.clusterAddrTable) clusterAddrTable[cluster] = [...names];
    return { brokerAddrTable, clusterAddrTable };
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER. */
  allTopics(): string[] {
    return [...this.topicQueueTable.keys()];
  }

  /** GET_TOPICS_BY_CLUSTER: topics with queues on a broker group of the cluster. */
  topicsByCluster(clusterName: string): string[] {
    const names = this.clusterAddrTable.get(clusterName) ?? new Set<string>();
    return [...this.topicQueueTable]
      .filter(([, byBroker]) => [...byBroker.keys()].some((n) => names.has(n)))
      .map(([t]) => t);
  }

  /** DELETE_TOPIC_IN_NAMESRV: from every broker group, or only from those of `clusterName`. */
  deleteTopic(topic: string, clusterName?: string): void {
    const byBroker = this.topicQueueTable.get(topic);
    if (byBroker === undefined) return;
    if (clusterName === undefined || clusterName === '') {
      this.topicQueueTable.delete(topic);
      return;
    }
    for (const brokerName of this.clusterAddrTable.get(clusterName) ?? []) byBroker.delete(brokerName);
    if (byBroker.size === 0) this.topicQueueTable.delete(topic);
  }
}
