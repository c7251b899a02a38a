// Routes and topic configs as RocketMQ names and serializes them, shared by the registry that serves
// them, the broker that registers them and the client that reads them: topic configs, queue data and
// broker data of a route, cluster info, the data version, and the permission bits. Field names and
// orders follow the Java beans (fastjson writes them sorted). Depends on nothing.

/** perm bits (Java `PermName`): 8 priority, 4 read, 2 write, 1 inherit. */
export const PERM_PRIORITY = 8;
export const PERM_READ = 4;
export const PERM_WRITE = 2;
export const PERM_INHERIT = 1;
/** `MixAll.MASTER_ID`: the brokerId of a group's master. */
export const MASTER_ID = 0;

/** Java `TopicFilterType`: MULTI_TAG topics get the MULTI_TAGS sysFlag bit on their messages. */
export const TopicFilterType = { SINGLE_TAG: 'SINGLE_TAG', MULTI_TAG: 'MULTI_TAG' } as const;

export interface DataVersion {
  counter: number;
  stateVersion: number;
  timestamp: number;
}

/** A topic as a broker registers it (`TopicConfig`). */
export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: string;
  topicSysFlag: number;
  order: boolean;
  attributes: Record<string, string>;
}

/** One broker group's queues of a topic (`QueueData`). */
export interface QueueData {
  brokerName: string;
  perm: number;
  readQueueNums: number;
  topicSysFlag: number;
  writeQueueNums: number;
}

/** One broker group: its cluster and the addresses by brokerId, 0 the master (`BrokerData`). */
export interface BrokerData {
  brokerAddrs: Record<string, string>;
  brokerName: string;
  cluster: string;
  enableActingMaster: boolean;
}

/** `TopicRouteData`, as GET_ROUTEINFO_BY_TOPIC answers it. */
export interface TopicRouteData {
  brokerDatas: BrokerData[];
  filterServerTable: Record<string, string[]>;
  orderTopicConf?: string;
  queueDatas: QueueData[];
}

/** `ClusterInfo`, as GET_BROKER_CLUSTER_INFO answers it. */
export interface ClusterInfo {
  brokerAddrTable: Record<string, BrokerData>;
  clusterAddrTable: Record<string, string[]>;
}
