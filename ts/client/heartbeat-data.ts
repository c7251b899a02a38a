// The HEART_BEAT (34) body (Java `HeartbeatData`): the client id, its producer groups and its consumer
// groups with their subscriptions, as the broker's ConsumerManager reads them. Depends on nothing.

export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY' | 'CONSUME_POP';
export type MessageModel = 'CLUSTERING' | 'BROADCASTING';
export type ConsumeFromWhere = 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';

/** Java `SubscriptionData`, as sent in heartbeats. */
export interface SubscriptionData {
  readonly classFilterMode: boolean;
  readonly topic: string;
  readonly subString: string;
  readonly tagsSet: readonly string[];
  readonly codeSet: readonly number[];
  readonly subVersion: number;
  /** TAG (tags joined by "||") or SQL92 (a property filter the broker evaluates). */
  readonly expressionType: 'TAG' | 'SQL92';
}

export interface ConsumerData {
  readonly groupName: string;
  readonly consumeType: ConsumeType;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly subscriptionDataSet: readonly SubscriptionData[];
  readonly unitMode: boolean;
}

export interface ProducerData {
  readonly groupName: string;
}

export interface HeartbeatData {
  readonly clientID: string;
  readonly producerDataSet: readonly ProducerData[];
  readonly consumerDataSet: readonly ConsumerData[];
}

/** The body bytes: compact JSON with Java's field names. */
export function encodeHeartbeatData(data: HeartbeatData): Buffer {
  return Buffer.from(JSON.stringify({ ...data, heartbeatFingerprint: 0, withoutSub: false }), 'utf8');
}
