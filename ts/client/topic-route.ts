// TopicRouteData as the name server answers GET_ROUTEINFO_BY_TOPIC (standard JSON or fastjson's
// unquoted integer keys), and what clients derive from it (Java `MQClientInstance
// #topicRouteData2TopicPublishInfo` / `#topicRouteData2TopicSubscribeInfo`): the writable queues of
// master brokers and the readable queues. The types are ts/protocol/route-types.ts.
// Depends on ts/common/fastjson.ts, ts/protocol/route-types.ts, message-queue.ts.

import { parseFastJson } from '../common/fastjson.js';
import { MASTER_ID, PERM_READ, PERM_WRITE, type BrokerData, type TopicRouteData } from '../protocol/route-types.js';
import { compareMessageQueues, messageQueue, type MessageQueue } from './message-queue.js';

type Loose = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
const objects = (value: unknown): Loose[] =>
  Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as Loose[]) : [];

/** Decodes a route body; tolerant of absent fields, as both JSON dialects are. */
export function decodeTopicRouteData(body: Buffer | null): TopicRouteData {
  const parsed = (body === null || body.length === 0 ? {} : parseFastJson(body.toString('utf8'))) as Loose;
  const orderTopicConf = typeof parsed['orderTopicConf'] === 'string' ? parsed['orderTopicConf'] : undefined;
  return {
    ...(orderTopicConf !== undefined && { orderTopicConf }),
    filterServerTable: {},
    queueDatas: objects(parsed['queueDatas']).map((q) => ({
      brokerName: text(q['brokerName']),
      readQueueNums: num(q['readQueueNums']),
      writeQueueNums: num(q['writeQueueNums']),
      perm: num(q['perm']),
      topicSysFlag: num(q['topicSysFlag']),
    })),
    brokerDatas: objects(parsed['brokerDatas']).map(decodeBrokerData),
  };
}

/** One BrokerData (also the values of GET_BROKER_CLUSTER_INFO's brokerAddrTable). */
export function decodeBrokerData(data: Loose): BrokerData {
  const addrs: Record<string, string> = {};
  const raw = data['brokerAddrs'];
  if (raw !== null && typeof raw === 'object') {
    for (const [id, addr] of Object.entries(raw as Loose)) addrs[id] = text(addr);
  }
  return {
    cluster: text(data['cluster']),
    brokerName: text(data['brokerName']),
    brokerAddrs: addrs,
    enableActingMaster: data['enableActingMaster'] === true,
  };
}

/** The master's address of a broker group, if it has one online. */
export function masterAddress(broker: Pick<BrokerData, 'brokerAddrs'>): string | undefined {
  return broker.brokerAddrs[String(MASTER_ID)];
}

/**
 * Java `topicRouteData2TopicPublishInfo` (non-order topics): for each queue data, sorted by broker
 * name, with write permission and a master online, queues 0..writeQueueNums-1.
 */
export function publishQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const queues: MessageQueue[] = [];
  const sorted = [...route.queueDatas].sort((a, b) =>
    a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0,
  );
  for (const queueData of sorted) {
    if ((queueData.perm & PERM_WRITE) === 0) continue;
    const broker = route.brokerDatas.find((b) => b.brokerName === queueData.brokerName);
    if (broker === undefined || masterAddress(broker) === undefined) continue;
    for (let queueId = 0; queueId < queueData.writeQueueNums; queueId++)
      queues.push(messageQueue(topic, queueData.brokerName, queueId));
  }
  return queues;
}

/** Java `topicRouteData2TopicSubscribeInfo`: readable queues 0..readQueueNums-1, sorted. */
export function subscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const queues: MessageQueue[] = [];
  for (const queueData of route.queueDatas) {
    if ((queueData.perm & PERM_READ) === 0) continue;
    for (let queueId = 0; queueId < queueData.readQueueNums; queueId++)
      queues.push(messageQueue(topic, queueData.brokerName, queueId));
  }
  return queues.sort(compareMessageQueues);
}
