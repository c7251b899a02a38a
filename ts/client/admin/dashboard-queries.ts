// DashboardQueries: the broker reads and changes the standalone dashboard needs beyond Admin, each
// sent to one broker address (Java `MQClientAPIImpl`): GET_BROKER_RUNTIME_INFO (28), GET_TOPIC_STATS_INFO
// (202), GET_CONSUMER_CONNECTION_LIST (203), GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201), GET_ALL_PRODUCER_INFO
// (328), INVOKE_BROKER_TO_RESET_OFFSET (222), QUERY_MESSAGE (12), VIEW_MESSAGE_BY_ID (33).
// Depends on ../client-instance.ts, ts/remoting and fastjson-map-reader.ts.

import { parseFastJson } from '../../common/fastjson.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { expectResponse } from '../client-error.js';
import { ClientInstance } from '../client-instance.js';
import { resolveClientOptions, type ClientOptions } from '../client-options.js';
import { parseFastJsonWithObjectKeys } from './fastjson-map-reader.js';
import { encodePullMessageRequestHeader, ExpressionType } from '../../protocol/pull-request-header.js';
import { PullSysFlag } from '../../protocol/pull-sys-flag.js';

/** Apache's tools group (Java `MixAll.TOOLS_CONSUMER_GROUP`): reads for a look, never committed. */
const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';

/** Apache's GET_ALL_PRODUCER_INFO (5.x `RequestCode.GET_ALL_PRODUCER_INFO`). */
const GET_ALL_PRODUCER_INFO = 328;

type Loose = Record<string, unknown>;
const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

export interface TopicQueueOffsets {
  readonly brokerName: string;
  readonly queueId: number;
  readonly minOffset: number;
  readonly maxOffset: number;
}

export interface ClientConnection {
  readonly clientId: string;
  readonly clientAddr: string;
  readonly language: string;
  readonly version: number;
}

export interface GroupConnection {
  readonly connections: readonly ClientConnection[];
  readonly messageModel: string;
  readonly subscriptions: readonly string[];
}

function bodyJson(body: Buffer | null): Loose {
  return (body === null || body.length === 0 ? {} : parseFastJson(body.toString('utf8'))) as Loose;
}

function connectionOf(raw: Loose): ClientConnection {
  return {
    clientId: text(raw['clientId']),
    clientAddr: text(raw['clientAddr'] ?? raw['remoteIP']),
    language: text(raw['language']),
    version: num(raw['version']),
  };
}

export class DashboardQueries {
  private readonly instance: ClientInstance;

  constructor(options: ClientOptions) {
    this.instance = new ClientInstance(
      resolveClientOptions(options),
      () => ({ producerDataSet: [], consumerDataSet: [] }),
      'dashboard',
    );
  }

  start(): void {
    this.instance.start();
  }

  async shutdown(): Promise<void> {
    await this.instance.shutdown();
  }

  private async call(address: string, code: number, fields: Record<string, string> = {}): Promise<Buffer | null> {
    const response = await this.instance.invoke(address, createRequest(code, fields));
    expectResponse(response, code, address);
    return response.body;
  }

  /** GET_BROKER_RUNTIME_INFO: the broker's KV table (msgPutTotalTodayNow, brokerVersionDesc, …). */
  async runtimeInfo(address: string): Promise<Record<string, string>> {
    const table = (bodyJson(await this.call(address, RequestCode.GET_BROKER_RUNTIME_INFO))['table'] ?? {}) as Loose;
    return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, text(value)]));
  }

  /** GET_TOPIC_STATS_INFO: each queue's min and max offset on this broker. */
  async topicStats(address: string, topic: string): Promise<TopicQueueOffsets[]> {
    const body = await this.call(address, RequestCode.GET_TOPIC_STATS_INFO, { topic });
    const parsed = (body === null ? {} : parseFastJsonWithObjectKeys(body.toString('utf8'))) as Loose;
    const queues: TopicQueueOffsets[] = [];
    for (const [key, raw] of Object.entries((parsed['offsetTable'] ?? {}) as Loose)) {
      if (!key.startsWith('{') || raw === null || typeof raw !== 'object') continue;
      const queue = JSON.parse(key) as Loose;
      const offsets = raw as Loose;
      queues.push({
        brokerName: text(queue['brokerName']),
        queueId: num(queue['queueId']),
        minOffset: num(offsets['minOffset']),
        maxOffset: num(offsets['maxOffset']),
      });
    }
    return queues.sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId);
  }

  /** GET_CONSUMER_CONNECTION_LIST; null when no client of the group is online (CONSUMER_NOT_ONLINE). */
  async consumerConnection(address: string, consumerGroup: string): Promise<GroupConnection | null> {
    const request = createRequest(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup });
    const response = await this.instance.invoke(address, request);
    if (response.code === ResponseCode.CONSUMER_NOT_ONLINE) return null;
    expectResponse(response, RequestCode.GET_CONSUMER_CONNECTION_LIST, address);
    const parsed = bodyJson(response.body);
    const connections = ((parsed['connectionSet'] ?? []) as Loose[]).map(connectionOf);
    const subscriptions = Object.keys(parsed['subscriptionTable'] ?? {}).sort();
    return { connections, messageModel: text(parsed['messageModel']), subscriptions };
  }

  /** GET_ALL_SUBSCRIPTIONGROUP_CONFIG: the names of the broker's subscription groups. */
  async subscriptionGroups(address: string): Promise<string[]> {
    const parsed = bodyJson(await this.call(address, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG));
    return Object.keys(parsed['subscriptionGroupTable'] ?? {});
  }

  /** GET_ALL_PRODUCER_INFO: group → its producer clients; empty from a broker that does not answer it. */
  async producers(address: string): Promise<Map<string, ClientConnection[]>> {
    const response = await this.instance.invoke(address, createRequest(GET_ALL_PRODUCER_INFO));
    const groups = new Map<string, ClientConnection[]>();
    if (response.code !== ResponseCode.SUCCESS) return groups;
    for (const [group, list] of Object.entries((bodyJson(response.body)['data'] ?? {}) as Loose)) {
      groups.set(group, Array.isArray(list) ? (list as Loose[]).map(connectionOf) : []);
    }
    return groups;
  }

  /** INVOKE_BROKER_TO_RESET_OFFSET by time, forced (mqadmin resetOffsetByTime). */
  async resetOffsetByTime(address: string, topic: string, group: string, timestampMs: number): Promise<void> {
    const fields = { topic, group, timestamp: String(timestampMs), isForce: 'true' };
    await this.call(address, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, fields);
  }

  /** QUERY_MESSAGE by key (or, `uniqueKey`, by client msgId): the raw records; empty when none. */
  async queryMessage(address: string, topic: string, key: string, maxNum: number, uniqueKey: boolean): Promise<Buffer> {
    const fields: Record<string, string> = {
      topic,
      key,
      maxNum: String(maxNum),
      beginTimestamp: '0',
      endTimestamp: String(Number.MAX_SAFE_INTEGER),
      ...(uniqueKey && { _UNIQUE_KEY_QUERY: 'true' }),
    };
    const response = await this.instance.invoke(address, createRequest(RequestCode.QUERY_MESSAGE, fields));
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return Buffer.alloc(0);
    expectResponse(response, RequestCode.QUERY_MESSAGE, address);
    return response.body ?? Buffer.alloc(0);
  }

  /** SEARCH_OFFSET_BY_TIMESTAMP: the queue offset of the first message stored at or after `timestampMs`. */
  async searchOffset(address: string, topic: string, queueId: number, timestampMs: number): Promise<number> {
    const fields = { topic, queueId: String(queueId), timestamp: String(timestampMs) };
    const response = await this.instance.invoke(address, createRequest(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, fields));
    expectResponse(response, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, address);
    return Number(response.extFields['offset'] ?? 0);
  }

  /**
   * PULL_MESSAGE as the tools group, `*`, no commit and no hold (mqadmin queryMsgByOffset's read): up to
   * `maxCount` raw records of one queue from `queueOffset`; empty when there is none there.
   */
  async pullRecords(
    address: string,
    topic: string,
    queueId: number,
    queueOffset: number,
    maxCount: number,
  ): Promise<Buffer> {
    const header = encodePullMessageRequestHeader({
      consumerGroup: TOOLS_CONSUMER_GROUP,
      topic,
      queueId,
      queueOffset,
      maxMsgNums: maxCount,
      sysFlag: PullSysFlag.FLAG_SUBSCRIPTION,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: 0,
      expressionType: ExpressionType.TAG,
    });
    const response = await this.instance.invoke(address, createRequest(RequestCode.PULL_MESSAGE, header));
    return response.code === ResponseCode.SUCCESS ? (response.body ?? Buffer.alloc(0)) : Buffer.alloc(0);
  }

  /** VIEW_MESSAGE_BY_ID: the raw record at a physical offset. */
  async viewMessage(address: string, physicalOffset: number): Promise<Buffer> {
    return (
      (await this.call(address, RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(physicalOffset) })) ?? Buffer.alloc(0)
    );
  }
}
