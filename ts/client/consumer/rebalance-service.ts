// RebalanceService (Java `RebalanceImpl` / `RebalancePushImpl`): which queues this consumer owns.
// Per subscribed topic: the readable queues of its route, the group's client ids from
// GET_CONSUMER_LIST_BY_GROUP (clustering), both sorted and allocated; new queues are locked
// (orderly clustering), given their first offset (computePullFromWhere) and handed to the pull
// service; queues no longer owned are dropped. Also renews orderly locks (lockAll).
// Depends on ../client-instance.ts, ../topic-route.ts, ../message-queue.ts, ../heartbeat-data.ts,
// consumer-requests.ts, offset-store.ts, process-queue.ts, push-consumer-options.ts.

import { isRetryTopic } from '../../protocol/topics.js';
import type { ClientInstance } from '../client-instance.js';
import type { SubscriptionData } from '../heartbeat-data.js';
import { formatMessageQueue, messageQueueKey, type MessageQueue } from '../message-queue.js';
import { masterAddress, subscribeQueues } from '../topic-route.js';
import type { TopicRouteData } from '../../protocol/route-types.js';
import { getConsumerIdList, getMaxOffset, lockBatchMQ, searchOffset } from './consumer-requests.js';
import type { OffsetStore } from './offset-store.js';
import { ProcessQueue } from './process-queue.js';
import type { PushConsumerSettings } from './push-consumer-options.js';

export interface RebalanceHooks {
  /** A queue is now owned and starts at `nextOffset`. */
  queueAdded(pq: ProcessQueue, nextOffset: number): void;
  /** A queue was dropped (already marked); resolves once its offset is committed and its lock released. */
  queueRemoved(pq: ProcessQueue): Promise<void>;
}

export class RebalanceService {
  private readonly table = new Map<string, ProcessQueue>();

  constructor(
    private readonly instance: ClientInstance,
    private readonly settings: PushConsumerSettings,
    private readonly offsetStore: OffsetStore,
    private readonly subscriptions: () => ReadonlyMap<string, SubscriptionData>,
    private readonly hooks: RebalanceHooks,
  ) {}

  processQueues(): ProcessQueue[] {
    return [...this.table.values()];
  }

  /**
   * Rebalances every subscribed topic; resolves true when each had a route and (clustering) a
   * consumer list, false when one should be tried again soon.
   */
  async doRebalance(): Promise<boolean> {
    const subscriptions = this.subscriptions();
    let complete = true;
    for (const topic of subscriptions.keys()) {
      try {
        if (!(await this.rebalanceTopic(topic))) complete = false;
      } catch (error) {
        complete = false;
        this.instance.logger.warn('rebalance failed', { topic, error: String(error) });
      }
    }
    for (const pq of this.processQueues()) {
      if (!subscriptions.has(pq.messageQueue.topic)) await this.removeQueue(pq);
    }
    return complete;
  }

  /** Drops every queue (shutdown) and returns them; the hooks are not called. */
  dropAll(): ProcessQueue[] {
    const queues = this.processQueues();
    for (const pq of queues) pq.drop();
    this.table.clear();
    return queues;
  }

  /** Java `lockAll`: renews the locks of every owned queue, per broker; queues not granted are marked unlocked. */
  async lockAll(): Promise<void> {
    const byBroker = new Map<string, ProcessQueue[]>();
    for (const pq of this.table.values()) {
      const list = byBroker.get(pq.messageQueue.brokerName) ?? [];
      list.push(pq);
      byBroker.set(pq.messageQueue.brokerName, list);
    }
    for (const [brokerName, queues] of byBroker) {
      try {
        const address = this.instance.brokerAddressOrThrow(brokerName);
        const locked = new Set(
          (
            await lockBatchMQ(
              this.instance,
              address,
              this.settings.consumerGroup,
              queues.map((pq) => pq.messageQueue),
            )
          ).map(messageQueueKey),
        );
        const nowMs = Date.now();
        for (const pq of queues) {
          pq.locked = locked.has(messageQueueKey(pq.messageQueue));
          if (pq.locked) pq.lastLockTimestampMs = nowMs;
        }
      } catch (error) {
        this.instance.logger.warn('lock renewal failed', { brokerName, error: String(error) });
      }
    }
  }

  private async rebalanceTopic(topic: string): Promise<boolean> {
    const route = await this.instance.topicRouteOrFetch(topic);
    if (route === null) return false;
    const mqAll = subscribeQueues(topic, route);
    if (mqAll.length === 0) return false;
    let allocated: MessageQueue[] = mqAll;
    if (this.settings.messageModel === 'CLUSTERING') {
      const cidAll = (await this.findConsumerIdList(route)).sort();
      if (cidAll.length === 0) return false;
      allocated = this.settings.allocateMessageQueueStrategy(
        this.settings.consumerGroup,
        this.instance.clientId,
        mqAll,
        cidAll,
      );
    }
    return this.updateProcessQueueTable(topic, allocated);
  }

  /** Java `findConsumerIdList`: asks one broker of the topic (a random one, as Java does). */
  private async findConsumerIdList(route: TopicRouteData): Promise<string[]> {
    const addrs = route.brokerDatas.map(masterAddress).filter((addr): addr is string => addr !== undefined);
    const address = addrs[Math.floor(Math.random() * addrs.length)];
    if (address === undefined) return [];
    return getConsumerIdList(this.instance, address, this.settings.consumerGroup);
  }

  /** Java `updateProcessQueueTableInRebalance`; false when a new queue could not be started yet. */
  private async updateProcessQueueTable(topic: string, allocated: readonly MessageQueue[]): Promise<boolean> {
    const wanted = new Set(allocated.map(messageQueueKey));
    for (const pq of this.processQueues()) {
      if (pq.messageQueue.topic === topic && !wanted.has(messageQueueKey(pq.messageQueue))) await this.removeQueue(pq);
    }
    let complete = true;
    for (const mq of allocated) {
      if (this.table.has(messageQueueKey(mq))) continue;
      try {
        if (!(await this.addQueue(mq))) complete = false;
      } catch (error) {
        complete = false;
        this.instance.logger.warn('could not start consuming a queue', {
          queue: formatMessageQueue(mq),
          error: String(error),
        });
      }
    }
    return complete;
  }

  private async addQueue(mq: MessageQueue): Promise<boolean> {
    const orderlyClustering = this.settings.consumeOrderly && this.settings.messageModel === 'CLUSTERING';
    if (orderlyClustering) {
      const address = this.instance.brokerAddressOrThrow(mq.brokerName);
      const locked = await lockBatchMQ(this.instance, address, this.settings.consumerGroup, [mq]);
      if (locked.length === 0) return false;
    }
    this.offsetStore.remove(mq);
    const nextOffset = await this.computePullFromWhere(mq);
    if (nextOffset < 0 || !this.subscriptions().has(mq.topic)) return false;
    const pq = new ProcessQueue(mq);
    if (orderlyClustering) {
      pq.locked = true;
      pq.lastLockTimestampMs = Date.now();
    }
    this.table.set(messageQueueKey(mq), pq);
    this.instance.logger.info('queue added', { queue: formatMessageQueue(mq), nextOffset });
    this.hooks.queueAdded(pq, nextOffset);
    return true;
  }

  private async removeQueue(pq: ProcessQueue): Promise<void> {
    pq.drop();
    this.table.delete(messageQueueKey(pq.messageQueue));
    this.instance.logger.info('queue removed', { queue: formatMessageQueue(pq.messageQueue) });
    await this.hooks.queueRemoved(pq);
  }

  /** Java `computePullFromWhereWithException`: the stored offset, else per consumeFromWhere. */
  private async computePullFromWhere(mq: MessageQueue): Promise<number> {
    const stored = await this.offsetStore.readStore(mq);
    if (stored >= 0) return stored;
    const retryTopic = isRetryTopic(mq.topic);
    const address = this.instance.brokerAddressOrThrow(mq.brokerName);
    switch (this.settings.consumeFromWhere) {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return 0;
      case 'CONSUME_FROM_LAST_OFFSET':
        return retryTopic ? 0 : getMaxOffset(this.instance, address, mq);
      case 'CONSUME_FROM_TIMESTAMP':
        return retryTopic
          ? getMaxOffset(this.instance, address, mq)
          : searchOffset(this.instance, address, mq, this.settings.consumeTimestampMs);
    }
  }
}
