// DashboardBackend: what the dashboard reads and changes, as plain JSON-ready views, with two
// implementations: over the broker's services (embedded, service-backend.ts) and over the Admin SDK
// against any cluster (standalone, admin-backend.ts). No HTTP here. Depends on nothing.

/** One broker of the cluster, with the running totals the live TPS charts are derived from. */
export interface BrokerView {
  readonly cluster: string;
  readonly brokerName: string;
  readonly brokerId: number;
  readonly address: string;
  /** MASTER or SLAVE (brokerId 0 is the master). */
  readonly role: string;
  /** `brokerVersionDesc` of GET_BROKER_RUNTIME_INFO, e.g. V5_5_0; "" when unknown. */
  readonly version: string;
  /** `msgPutTotalTodayNow`: messages stored today; -1 when unknown. */
  readonly putTotal: number;
  /** `msgGetTotalTodayNow`: messages consumed today; -1 when unknown. */
  readonly getTotal: number;
}

export interface QueueView {
  readonly brokerName: string;
  readonly queueId: number;
  readonly minOffset: number;
  readonly maxOffset: number;
}

export interface TopicView {
  readonly topic: string;
  readonly system: boolean;
  readonly queues: readonly QueueView[];
  /** The sum over its queues of maxOffset - minOffset: the messages it holds. */
  readonly messageCount: number;
  /** The sum of its queues' max offsets: the messages ever stored (TPS is its change per second). */
  readonly totalOffset: number;
}

export interface ConnectionView {
  readonly clientId: string;
  readonly clientAddr: string;
  readonly language: string;
  readonly version: number;
}

export interface QueueLagView {
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
  readonly brokerOffset: number;
  readonly consumerOffset: number;
  readonly lag: number;
}

export interface GroupView {
  readonly group: string;
  readonly connections: readonly ConnectionView[];
  /** CLUSTERING / BROADCASTING when a client is online, else "". */
  readonly messageModel: string;
  readonly subscriptions: readonly string[];
  readonly queues: readonly QueueLagView[];
  readonly lag: number;
}

export interface ProducerView {
  readonly group: string;
  readonly connections: readonly ConnectionView[];
}

/** A stored message as the messages page shows it; `body` is base64 (the page shows text, JSON or hex). */
export interface MessageView {
  readonly msgId: string;
  readonly offsetMsgId: string;
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly storeTimestamp: number;
  readonly bornTimestamp: number;
  readonly bornHost: string;
  readonly reconsumeTimes: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly bodySizeBytes: number;
  readonly body: string;
}

/** A message's delivery to one group: consumed when the group's offset on its queue is past it. */
export interface DeliveryView {
  readonly group: string;
  readonly consumerOffset: number;
  readonly consumed: boolean;
}

export interface MessageSearch {
  readonly topic: string;
  readonly key?: string;
  readonly msgId?: string;
  readonly beginMs?: number;
  readonly endMs?: number;
}

export interface DashboardBackend {
  /** "embedded" or "standalone". */
  readonly mode: string;
  brokers(): Promise<BrokerView[]>;
  topics(): Promise<TopicView[]>;
  createTopic(topic: string, queueNums: number): Promise<void>;
  deleteTopic(topic: string): Promise<void>;
  groups(): Promise<string[]>;
  group(group: string): Promise<GroupView>;
  /** Moves every queue of `topic` for `group` to the first message stored at or after `timestampMs`. */
  resetOffset(group: string, topic: string, timestampMs: number): Promise<void>;
  searchMessages(search: MessageSearch): Promise<MessageView[]>;
  deliveries(message: MessageView): Promise<DeliveryView[]>;
  producers(): Promise<ProducerView[]>;
  close(): Promise<void>;
}
