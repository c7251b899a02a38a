// ServiceBackend: the embedded dashboard's backend, over the broker's protocol-neutral services (topic
// and subscription-group admin, admin stats, consumer admin, reset offset, queries, offsets); the
// assembly (ts/broker/server/broker-dashboard.ts) hands them in. No Remoting, no store internals.
// Depends on ts/broker/services, ts/protocol and dashboard-backend.ts.

import {
  decodeStoredRecord,
  decodeStoredRecords,
  RecordDecodeError,
  type StoredMessage,
} from '../protocol/record-decoder.js';
import { BrokerError, BrokerErrorCode } from '../broker/domain/broker-error.js';
import type { AdminStatsService } from '../broker/services/admin-stats-service.js';
import type { ConsumerAdminService } from '../broker/services/consumer-admin-service.js';
import type { OffsetService } from '../broker/services/offset-service.js';
import type { QueryService } from '../broker/services/query-service.js';
import type { ResetOffsetRequest } from '../broker/domain/admin/reset-offset.js';
import type { ResetOffsetResult, ResetOffsetService } from '../broker/services/reset-offset-service.js';
import type { SubscriptionGroupService } from '../broker/services/subscription-group-service.js';
import type { TopicAdminService } from '../broker/services/topic-admin-service.js';
import type {
  BrokerView,
  ConnectionView,
  DashboardBackend,
  DeliveryView,
  GroupView,
  MessageSearch,
  MessageView,
  ProducerView,
  QueueLagView,
  TopicView,
} from './dashboard-backend.js';
import { MAX_MESSAGES_PER_QUEUE_BY_TIME, MAX_MESSAGES_PER_SEARCH } from './dashboard-limits.js';
import { deliveryView, hasKey, messageView, offsetMessageIdOrNull, searchResult } from './message-view.js';

function isBrokerError(error: unknown, code: BrokerErrorCode): boolean {
  return error instanceof BrokerError && error.code === code;
}

/** Who this broker is, as the cluster page shows it. */
export interface BrokerIdentity {
  readonly cluster: string;
  readonly brokerName: string;
  readonly brokerId: number;
  readonly address: () => string;
}

export interface EmbeddedServices {
  readonly identity: BrokerIdentity;
  readonly topicAdmin: TopicAdminService;
  readonly groupAdmin: SubscriptionGroupService;
  readonly stats: AdminStatsService;
  readonly consumerAdmin: ConsumerAdminService;
  readonly resetOffsets: ResetOffsetService;
  readonly queries: QueryService;
  readonly offsets: OffsetService;
  readonly isSystemTopic: (topic: string) => boolean;
  readonly producerGroups: () => ProducerView[];
  /** Tells the group's online clients their new offsets (the front's RESET_CONSUMER_CLIENT_OFFSET push). */
  readonly pushReset: (reset: ResetOffsetRequest, result: ResetOffsetResult) => void;
  /** Up to `maxCount` raw records of one queue from `queueOffset` (not counted as consumption). */
  readonly readQueue: (topic: string, queueId: number, queueOffset: number, maxCount: number) => Buffer;
}

/** The reset is made by the dashboard, not by a client connection. */
const DASHBOARD_CLIENT_ADDRESS = 'dashboard';

export class ServiceBackend implements DashboardBackend {
  readonly mode = 'embedded';

  constructor(private readonly services: EmbeddedServices) {}

  brokers(): Promise<BrokerView[]> {
    const { identity, stats } = this.services;
    const info = stats.runtimeInfo();
    return Promise.resolve([
      {
        cluster: identity.cluster,
        brokerName: identity.brokerName,
        brokerId: identity.brokerId,
        address: identity.address(),
        role: identity.brokerId === 0 ? 'MASTER' : 'SLAVE',
        version: info['brokerVersionDesc'] ?? '',
        putTotal: Number(info['msgPutTotalTodayNow'] ?? -1),
        getTotal: Number(info['msgGetTotalTodayNow'] ?? -1),
      },
    ]);
  }

  topics(): Promise<TopicView[]> {
    const names = Object.keys(this.services.topicAdmin.allTopicConfig().topicConfigTable).sort();
    return Promise.resolve(names.map((topic) => this.topicView(topic)));
  }

  private topicView(topic: string): TopicView {
    const table = this.services.stats.topicStats(topic);
    const queues = table.offsetTable.map(([key, offsets]) => ({
      brokerName: key.brokerName,
      queueId: key.queueId,
      minOffset: offsets.minOffset,
      maxOffset: offsets.maxOffset,
    }));
    const messageCount = queues.reduce((sum, queue) => sum + queue.maxOffset - queue.minOffset, 0);
    const totalOffset = queues.reduce((sum, queue) => sum + queue.maxOffset, 0);
    return { topic, system: this.services.isSystemTopic(topic), queues, messageCount, totalOffset };
  }

  createTopic(topic: string, queueNums: number): Promise<void> {
    this.services.topicAdmin.createOrUpdateTopic(topic, { readQueueNums: queueNums, writeQueueNums: queueNums });
    return Promise.resolve();
  }

  deleteTopic(topic: string): Promise<void> {
    this.services.topicAdmin.deleteTopic(topic);
    return Promise.resolve();
  }

  groups(): Promise<string[]> {
    const { page } = this.services.groupAdmin.groupPage({});
    return Promise.resolve(Object.keys(page.subscriptionGroupTable).sort());
  }

  group(group: string): Promise<GroupView> {
    const consumeStats = this.services.stats.consumeStats(group, undefined, []);
    const queues: QueueLagView[] = consumeStats.offsetTable.map(([key, offsets]) => ({
      topic: key.topic,
      brokerName: key.brokerName,
      queueId: key.queueId,
      brokerOffset: offsets.brokerOffset,
      consumerOffset: offsets.consumerOffset,
      lag: Math.max(0, offsets.brokerOffset - Math.max(0, offsets.consumerOffset)),
    }));
    const lag = queues.reduce((sum, queue) => sum + queue.lag, 0);
    const online = this.onlineView(group);
    return Promise.resolve({ group, ...online, queues, lag });
  }

  private onlineView(group: string): Pick<GroupView, 'connections' | 'messageModel' | 'subscriptions'> {
    try {
      const connection = this.services.consumerAdmin.consumerConnection(group);
      const connections: ConnectionView[] = connection.connectionSet.map((c) => ({ ...c }));
      const subscriptions = Object.keys(connection.subscriptionTable).sort();
      return { connections, messageModel: connection.messageModel, subscriptions };
    } catch (error) {
      // An offline group shows no connections.
      if (!isBrokerError(error, BrokerErrorCode.CONSUMER_NOT_ONLINE)) throw error;
      return { connections: [], messageModel: '', subscriptions: [] };
    }
  }

  resetOffset(group: string, topic: string, timestampMs: number): Promise<void> {
    const request = { group, topic, queueId: -1, offset: null, timestamp: timestampMs, isForce: true };
    const result = this.services.resetOffsets.resetOffset(request, DASHBOARD_CLIENT_ADDRESS);
    this.services.pushReset(request, result);
    return Promise.resolve();
  }

  searchMessages(search: MessageSearch): Promise<MessageView[]> {
    if (search.msgId !== undefined) return Promise.resolve(this.byId(search.topic, search.msgId));
    if (search.key !== undefined) return Promise.resolve(this.byKey(search.topic, search.key));
    return Promise.resolve(this.byTime(search.topic, search.beginMs ?? 0, search.endMs ?? Number.MAX_SAFE_INTEGER));
  }

  private byKey(topic: string, key: string): MessageView[] {
    const { buffer } = this.services.queries.queryMessage(
      topic,
      key,
      MAX_MESSAGES_PER_SEARCH,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    const records = decodeStoredRecords(buffer).filter((record) => hasKey(record, topic, key));
    return searchResult(records.map((record) => messageView(record, this.services.identity.brokerName)));
  }

  /** A UNIQ_KEY (client msgId) through the index, else an offset msgId through its physical offset. */
  private byId(topic: string, msgId: string): MessageView[] {
    const byUniqueKey = this.byKey(topic, msgId);
    if (byUniqueKey.length > 0) return byUniqueKey;
    const decoded = offsetMessageIdOrNull(msgId);
    if (decoded === null) return [];
    let record: StoredMessage;
    try {
      record = decodeStoredRecord(this.services.queries.viewMessageByOffset(decoded.physicalOffset));
    } catch (error) {
      // No record there (SYSTEM_ERROR), or bytes that are not a record start: not found.
      if (!isBrokerError(error, BrokerErrorCode.SYSTEM_ERROR) && !(error instanceof RecordDecodeError)) throw error;
      return [];
    }
    return record.topic === topic ? [messageView(record, this.services.identity.brokerName)] : [];
  }

  private byTime(topic: string, beginMs: number, endMs: number): MessageView[] {
    const views: MessageView[] = [];
    for (const queue of this.topicView(topic).queues) {
      const from = this.services.offsets.searchOffsetByTimestamp(topic, queue.queueId, beginMs);
      const buffer = this.services.readQueue(topic, queue.queueId, from, MAX_MESSAGES_PER_QUEUE_BY_TIME);
      for (const record of decodeStoredRecords(buffer)) {
        if (record.storeTimestamp >= beginMs && record.storeTimestamp <= endMs) {
          views.push(messageView(record, queue.brokerName));
        }
      }
    }
    return searchResult(views);
  }

  deliveries(message: MessageView): Promise<DeliveryView[]> {
    const groups = this.services.consumerAdmin.topicConsumers(message.topic).sort();
    return Promise.resolve(
      groups.map((group) => {
        return deliveryView(group, this.consumerOffset(group, message.topic, message.queueId), message);
      }),
    );
  }

  /** The group's committed offset on the queue; -1 when it has none. */
  private consumerOffset(group: string, topic: string, queueId: number): number {
    try {
      return this.services.offsets.queryConsumerOffset(group, topic, queueId, false);
    } catch (error) {
      if (!isBrokerError(error, BrokerErrorCode.QUERY_NOT_FOUND)) throw error;
      return -1;
    }
  }

  producers(): Promise<ProducerView[]> {
    return Promise.resolve(this.services.producerGroups());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
