// HeartbeatData: the HEART_BEAT body as the Java and Go clients send it (producer groups, consumer
// groups with their subscriptions), decoded leniently (fastjson dialect, absent fields defaulted).
// Depends on ts/common/fastjson.ts.

import { parseFastJson } from '../../../common/fastjson.js';

export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY' | 'CONSUME_POP';
export type MessageModel = 'CLUSTERING' | 'BROADCASTING';

/** A subscription as the client computed it (`SubscriptionData`). */
export interface SubscriptionData {
  readonly topic: string;
  readonly subString: string;
  readonly tagsSet: readonly string[];
  readonly codeSet: readonly number[];
  readonly subVersion: number;
  readonly expressionType: string;
  readonly classFilterMode: boolean;
}

export interface ConsumerData {
  readonly groupName: string;
  readonly consumeType: ConsumeType;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: string;
  readonly subscriptionDataSet: readonly SubscriptionData[];
  readonly unitMode: boolean;
}

export interface HeartbeatData {
  readonly clientID: string;
  readonly producerDataSet: ReadonlyArray<{ readonly groupName: string }>;
  readonly consumerDataSet: readonly ConsumerData[];
}

type Loose = Record<string, unknown>;

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const list = (value: unknown): Loose[] =>
  Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as Loose[]) : [];

/** Decodes a HEART_BEAT body; throws on a body that is not a JSON object or lacks clientID. */
export function decodeHeartbeatData(body: Buffer | null): HeartbeatData {
  const parsed = body === null || body.length === 0 ? null : parseFastJson(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object') throw new Error('heartbeat body is not a JSON object');
  const data = parsed as Loose;
  const clientID = text(data['clientID']);
  if (clientID === '') throw new Error('heartbeat body has no clientID');
  return {
    clientID,
    producerDataSet: list(data['producerDataSet']).map((p) => ({ groupName: text(p['groupName']) })),
    consumerDataSet: list(data['consumerDataSet']).map(decodeConsumerData),
  };
}

function decodeConsumerData(data: Loose): ConsumerData {
  return {
    groupName: text(data['groupName']),
    consumeType: text(data['consumeType'], 'CONSUME_PASSIVELY') as ConsumeType,
    messageModel: text(data['messageModel'], 'CLUSTERING') as MessageModel,
    consumeFromWhere: text(data['consumeFromWhere'], 'CONSUME_FROM_LAST_OFFSET'),
    subscriptionDataSet: list(data['subscriptionDataSet']).map((s) => ({
      topic: text(s['topic']),
      subString: text(s['subString'], '*'),
      tagsSet: Array.isArray(s['tagsSet']) ? s['tagsSet'].map(String) : [],
      codeSet: Array.isArray(s['codeSet']) ? s['codeSet'].map(Number) : [],
      subVersion: Number(s['subVersion'] ?? 0),
      expressionType: text(s['expressionType'], 'TAG'),
      classFilterMode: s['classFilterMode'] === true,
    })),
    unitMode: data['unitMode'] === true,
  };
}
