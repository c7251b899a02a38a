// ClientService: clients and consumer groups, protocol-neutral (Java `ClientManageProcessor`,
// `ConsumerManageProcessor#getConsumerListByGroup`, the queue locks of `AdminBrokerProcessor`):
// heartbeats, unregistering, consumer lists, closed connections, silent clients, orderly queue locks.
// A group whose membership changed is reported to the listeners a front registered with
// `onConsumerIdsChanged` (it tells the group's clients). Depends on the client, order and meta domains.

import type { Logger } from '../../common/logger.js';
import type { ConsumerManager, GroupChange } from '../domain/client/consumer-manager.js';
import type { HeartbeatData } from '../domain/client/heartbeat-data.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { MessageQueue, RebalanceLockManager } from '../domain/order/rebalance-lock-manager.js';
import { retryTopicOf } from '../../protocol/topics.js';

/** `PermName.PERM_READ | PERM_WRITE`. */
const RETRY_TOPIC_PERM = 6;

/** Who a heartbeat came from: the connection's identity and the client's language and version. */
export interface HeartbeatSource {
  readonly connectionId: string;
  readonly language: string;
  readonly version: number;
}

export interface ClientServiceDeps {
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  readonly groups: SubscriptionGroupManager;
  readonly topics: TopicConfigManager;
  readonly locks: RebalanceLockManager;
  readonly clock: () => number;
  /** `notifyConsumerIdsChangedEnable`. */
  readonly notifyConsumerIdsChangedEnable: boolean;
  /** Registrations and membership changes are logged at info (docs/metrics.md §4). */
  readonly logger?: Logger;
}

/** A group's membership changed: the connections of the clients left in it. */
export type ConsumerIdsChangedListener = (group: string, connectionIds: readonly string[]) => void;

export class ClientService {
  private readonly idsChangedListeners: ConsumerIdsChangedListener[] = [];

  constructor(private readonly deps: ClientServiceDeps) {}

  /** Registers a front's listener for group membership changes. */
  onConsumerIdsChanged(listener: ConsumerIdsChangedListener): void {
    this.idsChangedListeners.push(listener);
  }

  /** Java `heartBeat`: registers producer and consumer groups; creates the group and its retry topic. */
  heartbeat(data: HeartbeatData, source: HeartbeatSource): void {
    const { consumers, groups, topics, producers } = this.deps;
    const channel = {
      connectionId: source.connectionId,
      clientId: data.clientID,
      language: source.language,
      version: source.version,
      lastUpdateMs: this.deps.clock(),
    };
    for (const consumer of data.consumerDataSet) {
      const groupConfig = groups.findSubscriptionGroupConfig(consumer.groupName);
      if (groupConfig !== undefined) {
        topics.createTopicInSendMessageBackMethod(
          retryTopicOf(consumer.groupName),
          groupConfig.retryQueueNums,
          RETRY_TOPIC_PERM,
          0,
        );
      }
      this.notify(consumers.registerConsumer(consumer, channel));
    }
    for (const { groupName } of data.producerDataSet) {
      if (producers.groupChannels().get(groupName)?.has(channel.clientId) !== true) {
        this.deps.logger?.info('new producer connected', { group: groupName, clientId: channel.clientId });
      }
      producers.registerProducer(groupName, channel);
    }
  }

  /** Java `unregisterClient`: the client leaves the named producer and consumer groups. */
  unregister(clientId: string, producerGroup: string | undefined, consumerGroup: string | undefined): void {
    if (producerGroup !== undefined) {
      this.deps.producers.unregisterProducer(producerGroup, clientId);
      this.deps.logger?.info('producer unregistered', { group: producerGroup, clientId });
    }
    if (consumerGroup !== undefined) {
      const change = this.deps.consumers.unregisterConsumer(consumerGroup, clientId);
      if (change !== null) this.notify(change);
    }
  }

  /** The client ids of a group's consumers; Java answers SYSTEM_ERROR when none is online. */
  consumerIdList(group: string): string[] {
    const consumerIdList = this.deps.consumers.consumerIdList(group);
    if (consumerIdList.length === 0) {
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, `no consumer for this group, ${group}`);
    }
    return consumerIdList;
  }

  /** The connection closed: its clients leave their groups, and the rest of each group is told. */
  onConnectionClosed(connectionId: string): void {
    this.deps.producers.onConnectionClosed(connectionId);
    for (const change of this.deps.consumers.onConnectionClosed(connectionId)) this.notify(change);
  }

  /** `scanNotActiveChannel`, run periodically. */
  scanNotActiveChannels(): void {
    const now = this.deps.clock();
    this.deps.producers.scanNotActiveChannels(now);
    for (const change of this.deps.consumers.scanNotActiveChannels(now)) this.notify(change);
  }

  /** `lockBatchMQ`: the queues `clientId` now holds for orderly consumption. */
  lockBatch(group: string, queues: readonly MessageQueue[], clientId: string): MessageQueue[] {
    return this.deps.locks.tryLockBatch(group, queues, clientId, this.deps.clock());
  }

  /** `unlockBatchMQ`: releases the queues `clientId` holds. */
  unlockBatch(group: string, queues: readonly MessageQueue[], clientId: string): void {
    this.deps.locks.unlockBatch(group, queues, clientId);
  }

  private notify(change: GroupChange): void {
    if (!change.membershipChanged) return;
    const channels = this.deps.consumers.channels(change.group);
    this.deps.logger?.info('consumer group membership changed', { group: change.group, consumers: channels.length });
    if (!this.deps.notifyConsumerIdsChangedEnable) return;
    const connectionIds = channels.map((channel) => channel.connectionId);
    for (const listener of this.idsChangedListeners) listener(change.group, connectionIds);
  }
}
