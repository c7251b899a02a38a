// AdminBackend: the standalone dashboard's backend (`clean-rocketmq dashboard -n <namesrv>`), over the
// TypeScript Admin SDK against any RocketMQ cluster, Apache RocketMQ included: the name server for
// brokers and topics, each master for its stats, groups, connections, resets and message lookups.
// Depends on ts/client/admin, ts/protocol and dashboard-backend.ts.

import { Admin } from '../client/admin/admin.js';
import { DashboardQueries } from '../client/admin/dashboard-queries.js';
import { ClientError } from '../client/client-error.js';
import type { ClientOptions } from '../client/client-options.js';
import { decodeStoredRecord, decodeStoredRecords } from '../protocol/record-decoder.js';
import {
  DLQ_GROUP_TOPIC_PREFIX,
  RETRY_GROUP_TOPIC_PREFIX,
  SYSTEM_TOPIC_PREFIX,
  SYSTEM_TOPICS,
} from '../protocol/topics.js';
import type {
  BrokerView,
  DashboardBackend,
  DeliveryView,
  GroupView,
  MessageSearch,
  MessageView,
  ProducerView,
  QueueView,
  TopicView,
} from './dashboard-backend.js';
import { MAX_MESSAGES_PER_QUEUE_BY_TIME, MAX_MESSAGES_PER_SEARCH } from './dashboard-limits.js';
import { deliveryView, hasKey, messageView, offsetMessageIdOrNull, searchResult } from './message-view.js';

interface Master {
  readonly brokerName: string;
  readonly address: string;
}

function isSystemTopic(topic: string, clusterAndBrokerNames: ReadonlySet<string>): boolean {
  return (
    SYSTEM_TOPICS.has(topic) ||
    topic.startsWith(SYSTEM_TOPIC_PREFIX) ||
    topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) ||
    topic.startsWith(DLQ_GROUP_TOPIC_PREFIX) ||
    clusterAndBrokerNames.has(topic)
  );
}

/** A ClientError a broker answers (no such topic or group here); transport failures still throw. */
function answeredError(error: unknown): boolean {
  return error instanceof ClientError && error.code >= 0 && error.code < 1000;
}

export class AdminBackend implements DashboardBackend {
  readonly mode = 'standalone';
  private readonly admin: Admin;
  private readonly queries: DashboardQueries;

  constructor(options: ClientOptions) {
    this.admin = new Admin(options);
    this.queries = new DashboardQueries(options);
  }

  async start(): Promise<void> {
    await this.admin.startup();
    this.queries.start();
  }

  async close(): Promise<void> {
    await this.admin.shutdown();
    await this.queries.shutdown();
  }

  private async masters(): Promise<{ masters: Master[]; names: Set<string>; brokers: BrokerView[] }> {
    const info = await this.admin.clusterInfo();
    const names = new Set([...Object.keys(info.clusterAddrTable), ...Object.keys(info.brokerAddrTable)]);
    const masters: Master[] = [];
    const brokers: BrokerView[] = [];
    for (const [cluster, brokerNames] of Object.entries(info.clusterAddrTable)) {
      for (const brokerName of brokerNames) {
        for (const [id, address] of Object.entries(info.brokerAddrTable[brokerName]?.brokerAddrs ?? {})) {
          const brokerId = Number(id);
          if (brokerId === 0) masters.push({ brokerName, address });
          const role = brokerId === 0 ? 'MASTER' : 'SLAVE';
          brokers.push({ cluster, brokerName, brokerId, address, role, version: '', putTotal: -1, getTotal: -1 });
        }
      }
    }
    return { masters, names, brokers };
  }

  async brokers(): Promise<BrokerView[]> {
    const { brokers } = await this.masters();
    return Promise.all(
      brokers.map(async (broker) => {
        const info = await this.queries.runtimeInfo(broker.address);
        return {
          ...broker,
          version: info['brokerVersionDesc'] ?? '',
          putTotal: Number(info['msgPutTotalTodayNow'] ?? -1),
          getTotal: Number(info['msgGetTotalTodayNow'] ?? -1),
        };
      }),
    );
  }

  async topics(): Promise<TopicView[]> {
    const [{ masters, names }, topicNames] = await Promise.all([this.masters(), this.admin.topicList()]);
    const views = await Promise.all(topicNames.map((topic) => this.topicView(topic, masters, names)));
    return views.filter((view): view is TopicView => view !== null);
  }

  private async topicView(
    topic: string,
    masters: readonly Master[],
    names: ReadonlySet<string>,
  ): Promise<TopicView | null> {
    const queues: QueueView[] = [];
    for (const master of masters) {
      try {
        queues.push(...(await this.queries.topicStats(master.address, topic)));
      } catch (error) {
        if (!answeredError(error)) throw error;
      }
    }
    if (queues.length === 0 && names.has(topic)) return null;
    const messageCount = queues.reduce((sum, queue) => sum + queue.maxOffset - queue.minOffset, 0);
    const totalOffset = queues.reduce((sum, queue) => sum + queue.maxOffset, 0);
    return { topic, system: isSystemTopic(topic, names), queues, messageCount, totalOffset };
  }

  async createTopic(topic: string, queueNums: number): Promise<void> {
    await this.admin.createTopic(topic, { readQueueNums: queueNums, writeQueueNums: queueNums });
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.admin.deleteTopic(topic);
  }

  async groups(): Promise<string[]> {
    const { masters } = await this.masters();
    const names = new Set<string>();
    for (const master of masters)
      for (const group of await this.queries.subscriptionGroups(master.address)) names.add(group);
    return [...names].sort();
  }

  async group(group: string): Promise<GroupView> {
    const { masters } = await this.masters();
    const stats = await this.admin.consumeStats(group);
    const queues = stats.queues.map((queue) => ({
      topic: queue.messageQueue.topic,
      brokerName: queue.messageQueue.brokerName,
      queueId: queue.messageQueue.queueId,
      brokerOffset: queue.brokerOffset,
      consumerOffset: queue.consumerOffset,
      lag: Math.max(0, queue.brokerOffset - Math.max(0, queue.consumerOffset)),
    }));
    const lag = queues.reduce((sum, queue) => sum + queue.lag, 0);
    for (const master of masters) {
      const online = await this.queries.consumerConnection(master.address, group);
      if (online !== null) return { group, ...online, queues, lag };
    }
    return { group, connections: [], messageModel: '', subscriptions: [], queues, lag };
  }

  async resetOffset(group: string, topic: string, timestampMs: number): Promise<void> {
    const { masters } = await this.masters();
    for (const master of masters) await this.queries.resetOffsetByTime(master.address, topic, group, timestampMs);
  }

  async searchMessages(search: MessageSearch): Promise<MessageView[]> {
    const { masters } = await this.masters();
    const views: MessageView[] = [];
    for (const master of masters) views.push(...(await this.searchOn(master, search)));
    return searchResult(views);
  }

  private async searchOn(master: Master, search: MessageSearch): Promise<MessageView[]> {
    const { topic } = search;
    const key = search.key ?? search.msgId;
    if (key === undefined) return this.byTime(master, search);
    const buffer = await this.queries.queryMessage(
      master.address,
      topic,
      key,
      MAX_MESSAGES_PER_SEARCH,
      search.key === undefined,
    );
    const found = decodeStoredRecords(buffer).filter((record) => hasKey(record, topic, key));
    if (found.length > 0 || search.msgId === undefined)
      return found.map((record) => messageView(record, master.brokerName));
    return this.byOffsetMsgId(master, search.msgId);
  }

  /** Each queue of the topic on this master, read from the first message stored at `beginMs`. */
  private async byTime(master: Master, search: MessageSearch): Promise<MessageView[]> {
    const beginMs = search.beginMs ?? 0;
    const endMs = search.endMs ?? Number.MAX_SAFE_INTEGER;
    let queues: QueueView[];
    try {
      queues = await this.queries.topicStats(master.address, search.topic);
    } catch (error) {
      if (!answeredError(error)) throw error;
      return [];
    }
    const views: MessageView[] = [];
    for (const queue of queues) {
      const from = await this.queries.searchOffset(master.address, search.topic, queue.queueId, beginMs);
      const buffer = await this.queries.pullRecords(
        master.address,
        search.topic,
        queue.queueId,
        from,
        MAX_MESSAGES_PER_QUEUE_BY_TIME,
      );
      for (const record of decodeStoredRecords(buffer)) {
        if (record.storeTimestamp >= beginMs && record.storeTimestamp <= endMs) {
          views.push(messageView(record, master.brokerName));
        }
      }
    }
    return views;
  }

  private async byOffsetMsgId(master: Master, msgId: string): Promise<MessageView[]> {
    const decoded = offsetMessageIdOrNull(msgId);
    if (decoded === null || !master.address.endsWith(`:${decoded.port}`)) return [];
    const record = decodeStoredRecord(await this.queries.viewMessage(master.address, decoded.physicalOffset));
    return [messageView(record, master.brokerName)];
  }

  async deliveries(message: MessageView): Promise<DeliveryView[]> {
    const deliveries: DeliveryView[] = [];
    for (const group of await this.groups()) {
      const stats = await this.admin.consumeStats(group, message.topic).catch(() => null);
      const queue = stats?.queues.find(
        (q) => q.messageQueue.brokerName === message.brokerName && q.messageQueue.queueId === message.queueId,
      );
      if (queue !== undefined) deliveries.push(deliveryView(group, queue.consumerOffset, message));
    }
    return deliveries;
  }

  async producers(): Promise<ProducerView[]> {
    const { masters } = await this.masters();
    const groups = new Map<string, ProducerView['connections'][number][]>();
    for (const master of masters) {
      for (const [group, connections] of await this.queries.producers(master.address)) {
        groups.set(group, [...(groups.get(group) ?? []), ...connections]);
      }
    }
    return [...groups].map(([group, connections]) => ({ group, connections }));
  }
}
