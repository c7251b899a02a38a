// The Remoting requests the load generator sends, built as the official Java client builds them:
// SEND_MESSAGE_V2 with one-letter keys (sendSmartMsg) and SEND_BATCH_MESSAGE with encoded members,
// PULL_MESSAGE, GET_MAX_OFFSET, UPDATE_AND_CREATE_TOPIC, and route / cluster look-ups on a name
// server. Depends on ts/remoting (client, codes, command).

import { RequestCode, ResponseCode } from '../ts/remoting/codes.js';
import { createRequest, type RemotingCommand, type SerializeType } from '../ts/remoting/remoting-command.js';
import type { RemotingClient } from '../ts/remoting/remoting-client.js';

export const PRODUCER_GROUP = 'benchmark_producer';
export const CONSUMER_GROUP = 'benchmark_consumer';
/** PullSysFlag: FLAG_SUSPEND | FLAG_SUBSCRIPTION (no commit: the bench keeps its own offsets). */
const PULL_SYS_FLAG = 0x2 | 0x4;

/** A request as the Java tools send it: binary (ROCKETMQ) headers unless told otherwise. */
function request(
  code: number,
  extFields: Record<string, string>,
  body: Buffer | null,
  serializeType: SerializeType,
): RemotingCommand {
  return { ...createRequest(code, extFields, body), serializeType };
}

/** MessageClientIDSetter-like UNIQ_KEYs: 32 hex digits, a per-process prefix and a counter. */
export class UniqueKeys {
  private readonly prefix: string;
  private counter = 0;

  constructor() {
    const pid = (process.pid & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    const salt = Math.floor(Math.random() * 0xffffffff)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0');
    this.prefix = `7F000001${pid}${salt}`;
  }

  next(): string {
    this.counter += 1;
    return this.prefix + this.counter.toString(16).toUpperCase().padStart(12, '0');
  }
}

/** The property string of one message: UNIQ_KEY and WAIT, as the Java producer sets them. */
export function messageProperties(uniqKey: string): string {
  return `UNIQ_KEY\x01${uniqKey}\x02WAIT\x01true\x02`;
}

export function sendMessageV2(
  topic: string,
  queueId: number,
  body: Buffer,
  properties: string,
  serializeType: SerializeType,
): RemotingCommand {
  return request(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: PRODUCER_GROUP,
      b: topic,
      c: 'TBW102',
      d: '4',
      e: String(queueId),
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: properties,
      j: '0',
      k: 'false',
      m: 'false',
    },
    body,
    serializeType,
  );
}

/**
 * One SEND_BATCH_MESSAGE body member (Java `MessageDecoder.encodeMessage`):
 * | 4 total size | 4 magic (0) | 4 body CRC (0) | 4 flag | 4 body length | body | 2 properties length | properties |
 */
export function encodeBatchMember(body: Buffer, properties: string, out: Buffer, at: number): number {
  const props = Buffer.from(properties, 'utf8');
  const total = 4 + 4 + 4 + 4 + 4 + body.length + 2 + props.length;
  out.writeInt32BE(total, at);
  out.writeInt32BE(0, at + 4);
  out.writeInt32BE(0, at + 8);
  out.writeInt32BE(0, at + 12);
  out.writeInt32BE(body.length, at + 16);
  body.copy(out, at + 20);
  out.writeInt16BE(props.length, at + 20 + body.length);
  props.copy(out, at + 22 + body.length);
  return at + total;
}

/** Bytes of one batch member whose properties are `propertiesLength` ASCII bytes. */
export function batchMemberSizeBytes(bodySizeBytes: number, propertiesLength: number): number {
  return 22 + bodySizeBytes + propertiesLength;
}

export function sendBatch(
  topic: string,
  queueId: number,
  members: Buffer,
  serializeType: SerializeType,
): RemotingCommand {
  return request(
    RequestCode.SEND_BATCH_MESSAGE,
    {
      a: PRODUCER_GROUP,
      b: topic,
      c: 'TBW102',
      d: '4',
      e: String(queueId),
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: 'WAIT\x01true\x02',
      j: '0',
      k: 'false',
      m: 'true',
    },
    members,
    serializeType,
  );
}

export function pullMessage(
  topic: string,
  queueId: number,
  queueOffset: number,
  maxMsgNums: number,
  suspendMs: number,
): RemotingCommand {
  return request(
    RequestCode.PULL_MESSAGE,
    {
      consumerGroup: CONSUMER_GROUP,
      topic,
      queueId: String(queueId),
      queueOffset: String(queueOffset),
      maxMsgNums: String(maxMsgNums),
      sysFlag: String(PULL_SYS_FLAG),
      commitOffset: '0',
      suspendTimeoutMillis: String(suspendMs),
      subscription: '*',
      subVersion: String(Date.now()),
      expressionType: 'TAG',
    },
    null,
    'ROCKETMQ',
  );
}

/** Creates (or updates) `topic` with `queueCount` read and write queues on one broker. */
export async function createTopic(
  client: RemotingClient,
  brokerAddr: string,
  topic: string,
  queueCount: number,
): Promise<void> {
  const reply = await client.invoke(
    brokerAddr,
    createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic,
      defaultTopic: 'TBW102',
      readQueueNums: String(queueCount),
      writeQueueNums: String(queueCount),
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: '0',
      order: 'false',
    }),
    10_000,
  );
  if (reply.code !== ResponseCode.SUCCESS)
    throw new Error(`creating topic ${topic} on ${brokerAddr}: code ${reply.code} ${reply.remark ?? ''}`);
}

export async function maxOffset(
  client: RemotingClient,
  brokerAddr: string,
  topic: string,
  queueId: number,
): Promise<number> {
  const reply = await client.invoke(
    brokerAddr,
    createRequest(RequestCode.GET_MAX_OFFSET, { topic, queueId: String(queueId) }),
  );
  if (reply.code !== ResponseCode.SUCCESS)
    throw new Error(`GET_MAX_OFFSET ${topic}/${queueId}: code ${reply.code} ${reply.remark ?? ''}`);
  return Number(reply.extFields['offset']);
}

/** The sum of the max offsets of queues 0..queueCount-1: messages stored in the topic so far. */
export async function storedMessageCount(
  client: RemotingClient,
  brokerAddr: string,
  topic: string,
  queueCount: number,
): Promise<number> {
  const offsets = await Promise.all(
    Array.from({ length: queueCount }, (_, queueId) => maxOffset(client, brokerAddr, topic, queueId)),
  );
  return offsets.reduce((sum, offset) => sum + offset, 0);
}

/** Parses fastjson output, whose integer map keys may be unquoted (`{0:"127.0.0.1:10911"}`). */
function parseFastjson(body: Buffer | null): unknown {
  const text = (body ?? Buffer.alloc(0)).toString('utf8').replace(/([{,])(-?\d+):/g, '$1"$2":');
  return JSON.parse(text);
}

export interface TopicRoute {
  readonly brokerAddrs: string[];
  readonly writeQueueNums: number;
}

interface RouteBody {
  brokerDatas?: Array<{ brokerAddrs?: Record<string, string> }>;
  queueDatas?: Array<{ writeQueueNums?: number }>;
}

/** The master brokers and write queue count of `topic`, or null when the name server has no route. */
export async function topicRoute(
  client: RemotingClient,
  namesrvAddr: string,
  topic: string,
): Promise<TopicRoute | null> {
  const reply = await client.invoke(namesrvAddr, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }));
  if (reply.code === ResponseCode.TOPIC_NOT_EXIST) return null;
  if (reply.code !== ResponseCode.SUCCESS)
    throw new Error(`route of ${topic}: code ${reply.code} ${reply.remark ?? ''}`);
  const route = parseFastjson(reply.body) as RouteBody;
  const brokerAddrs = (route.brokerDatas ?? []).flatMap((data) =>
    data.brokerAddrs?.['0'] === undefined ? [] : [data.brokerAddrs['0']],
  );
  const writeQueueNums = (route.queueDatas ?? []).reduce((sum, queue) => sum + (queue.writeQueueNums ?? 0), 0);
  return { brokerAddrs, writeQueueNums };
}

/** The master brokers registered with the name server. */
export async function clusterMasters(client: RemotingClient, namesrvAddr: string): Promise<string[]> {
  const reply = await client.invoke(namesrvAddr, createRequest(RequestCode.GET_BROKER_CLUSTER_INFO));
  if (reply.code !== ResponseCode.SUCCESS) throw new Error(`cluster info: code ${reply.code} ${reply.remark ?? ''}`);
  const info = parseFastjson(reply.body) as {
    brokerAddrTable?: Record<string, { brokerAddrs?: Record<string, string> }>;
  };
  return Object.values(info.brokerAddrTable ?? {}).flatMap((data) =>
    data.brokerAddrs?.['0'] === undefined ? [] : [data.brokerAddrs['0']],
  );
}

/** The committed offsets of `group` summed over queues 0..queueCount-1 (a queue never committed counts 0). */
export async function consumerOffsetSum(
  client: RemotingClient,
  brokerAddr: string,
  group: string,
  topic: string,
  queueCount: number,
): Promise<number> {
  let sum = 0;
  for (let queueId = 0; queueId < queueCount; queueId++) {
    const reply = await client.invoke(
      brokerAddr,
      createRequest(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: String(queueId) }),
    );
    if (reply.code === ResponseCode.SUCCESS) sum += Number(reply.extFields['offset'] ?? 0);
  }
  return sum;
}
