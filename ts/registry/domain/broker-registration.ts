// What REGISTER_BROKER carries into the registry's tables and what it answers (Java
// `RouteInfoManager#registerBroker`). Depends on ts/protocol/route-types.ts.

import type { DataVersion, TopicConfig } from '../../protocol/route-types.js';

export interface RegisterBrokerRequest {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  /** The connection the request came on: the broker is dropped when it closes. */
  connectionId: string;
  heartbeatTimeoutMs: number;
  enableActingMaster: boolean;
  topicConfigs: TopicConfig[] | null;
  dataVersion: DataVersion | null;
}

export interface RegisterBrokerResult {
  haServerAddr: string;
  masterAddr: string;
}
