// PushConsumer (Java `DefaultMQPushConsumer`, named like rocketmq-client-nodejs's PushConsumer): the
// consumer whose listener is called for each message. Wires the parts — rebalance, one pull loop per
// owned queue, concurrent or orderly consumption, offsets, send-back — and runs the timers: rebalance
// (20 s, at once on NOTIFY_CONSUMER_IDS_CHANGED, sooner while a topic is not routed yet), offset
// commit (5 s), orderly lock renewal (20 s). In clustering mode it also subscribes to
// `%RETRY%<group>`. Shutdown: stop timers → drop queues → wait for listener calls → commit offsets →
// release locks → unregister → close connections.
// Depends on ../client-instance.ts, ../client-options.ts, ../producer/message-sender.ts and the
// consumer parts beside it.

import { RequestCode } from '../../remoting/codes.js';
import { ClientError, ClientErrorCode } from '../client-error.js';
import { ClientInstance } from '../client-instance.js';
import { checkTopicName, clientUniqueIdGenerator, resolveClientOptions } from '../client-options.js';
import type { ConsumerData, SubscriptionData } from '../heartbeat-data.js';
import type { MessageQueue } from '../message-queue.js';
import { MessageSender } from '../producer/message-sender.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { ConcurrentlyConsumeService } from './consume-concurrently.js';
import { OrderlyConsumeService } from './consume-orderly.js';
import { unlockBatchMQ } from './consumer-requests.js';
import { buildSubscriptionData, type SubscriptionExpression } from './filter-expression.js';
import { checkClientConfigInBrokers } from './check-client-config.js';
import { retryTopicOf } from '../../protocol/topics.js';
import { MessageBack } from './message-back.js';
import { LocalOffsetStore, RemoteBrokerOffsetStore, type OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import { PullService } from './pull-service.js';
import {
  resolvePushConsumerSettings,
  type PushConsumerOptions,
  type PushConsumerSettings,
} from './push-consumer-options.js';
import { RebalanceService } from './rebalance-service.js';

/** One owned queue's state (Java `ProcessQueueInfo`). */
export interface ProcessQueueInfo {
  readonly messageQueue: MessageQueue;
  /** Pulled and not yet consumed. */
  readonly cachedMessageCount: number;
  readonly cachedMessageSizeBytes: number;
  /** Orderly clustering: the broker lock is held. */
  readonly locked: boolean;
  readonly lastLockTimestampMs: number;
}

/** Java `ConsumeMessageOrderlyService`: locks are renewed every 20 s. */
const LOCK_ALL_INTERVAL_MS = 20_000;
/** First pause before rebalancing again when a topic had no route or consumer list yet (doubles). */
const QUICK_REBALANCE_FIRST_DELAY_MS = 1000;

export class PushConsumer {
  readonly consumerGroup: string;
  private readonly settings: PushConsumerSettings;
  private readonly instance: ClientInstance;
  private readonly offsetStore: OffsetStore;
  private readonly expressions = new Map<string, SubscriptionExpression>();
  private subscriptionTable = new Map<string, SubscriptionData>();
  private readonly limiter: ConcurrencyLimiter;
  private readonly rebalance: RebalanceService;
  private readonly pulls: PullService;
  private readonly concurrently: ConcurrentlyConsumeService;
  private readonly orderly: OrderlyConsumeService;
  private readonly timers: NodeJS.Timeout[] = [];
  private quickRebalanceDelayMs = QUICK_REBALANCE_FIRST_DELAY_MS;
  private quickRebalanceTimer: NodeJS.Timeout | undefined;
  private rebalanceRunning: Promise<void> | null = null;
  private rebalanceRequested = false;
  private state: 'created' | 'running' | 'stopping' | 'stopped' = 'created';

  constructor(options: PushConsumerOptions) {
    this.settings = resolvePushConsumerSettings(options);
    this.consumerGroup = this.settings.consumerGroup;
    const resolved = resolveClientOptions(options);
    this.instance = new ClientInstance(
      resolved,
      () => ({ producerDataSet: [{ groupName: 'CLIENT_INNER_PRODUCER' }], consumerDataSet: [this.consumerData()] }),
      'push-consumer',
    );
    this.offsetStore =
      this.settings.messageModel === 'CLUSTERING'
        ? new RemoteBrokerOffsetStore(this.instance, this.consumerGroup)
        : new LocalOffsetStore();
    const sender = new MessageSender(
      this.instance,
      {
        producerGroup: 'CLIENT_INNER_PRODUCER',
        sendMsgTimeoutMs: 3000,
        retryTimesWhenSendFailed: 2,
        retryAnotherBrokerWhenNotStoreOK: false,
        compressMsgBodyOverHowmuchBytes: 4096,
        defaultTopicQueueNums: 4,
      },
      clientUniqueIdGenerator(resolved.clientIp),
    );
    const messageBack = new MessageBack(this.instance, sender, this.consumerGroup, this.settings.maxReconsumeTimes);
    this.limiter = new ConcurrencyLimiter(this.settings.consumptionThreadCount);
    const logger = this.instance.logger;
    this.concurrently = new ConcurrentlyConsumeService(
      options.messageListener,
      this.limiter,
      messageBack,
      this.offsetStore,
      this.settings,
      logger,
    );
    this.orderly = new OrderlyConsumeService(
      options.messageListener,
      this.limiter,
      messageBack,
      this.offsetStore,
      this.settings,
      logger,
    );
    this.pulls = new PullService({
      instance: this.instance,
      settings: this.settings,
      offsetStore: this.offsetStore,
      subscriptionOf: (topic) => this.subscriptionTable.get(topic),
      ownedQueueCount: () => this.rebalance.processQueues().length,
      consume: (pq, messages) =>
        this.settings.consumeOrderly ? this.orderly.submit(pq) : this.concurrently.submit(pq, messages),
    });
    this.rebalance = new RebalanceService(
      this.instance,
      this.settings,
      this.offsetStore,
      () => this.subscriptionTable,
      {
        queueAdded: (pq, nextOffset) => this.pulls.start(pq, nextOffset),
        queueRemoved: (pq) => this.releaseQueue(pq),
      },
    );
    const subscriptions = options.subscriptions ?? {};
    const entries: Array<[string, SubscriptionExpression]> =
      subscriptions instanceof Map
        ? [...(subscriptions as ReadonlyMap<string, SubscriptionExpression>)]
        : Object.entries(subscriptions as Record<string, SubscriptionExpression>);
    for (const [topic, expression] of entries) this.addSubscription(topic, expression);
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  /**
   * Subscribes `topic` with a tag expression ("*" or "TagA || TagB") or a MessageSelector
   * (`MessageSelector.bySql("a > 5")`), replacing an earlier one. After startup the brokers learn it at
   * once and a rebalance follows.
   */
  async subscribe(topic: string, expression: SubscriptionExpression = '*'): Promise<void> {
    this.addSubscription(topic, expression);
    if (this.state !== 'running') return;
    await this.instance.updateTopicRoute(topic);
    await this.instance.sendHeartbeatToAllBrokers();
    this.requestRebalance();
  }

  /** Stops consuming `topic`; its queues are released at the next rebalance (requested now). */
  async unsubscribe(topic: string): Promise<void> {
    this.expressions.delete(topic);
    this.rebuildSubscriptionTable();
    if (this.state !== 'running') return;
    await this.instance.sendHeartbeatToAllBrokers();
    this.requestRebalance();
  }

  /** The queues this consumer currently owns. */
  assignment(): MessageQueue[] {
    return this.rebalance.processQueues().map((pq) => pq.messageQueue);
  }

  /** What each owned queue holds now (Java `ConsumerRunningInfo.mqTable`'s ProcessQueueInfo). */
  runningInfo(): ProcessQueueInfo[] {
    return this.rebalance.processQueues().map((pq) => ({
      messageQueue: pq.messageQueue,
      cachedMessageCount: pq.cachedMessageCount,
      cachedMessageSizeBytes: pq.cachedMessageSizeBytes,
      locked: pq.locked,
      lastLockTimestampMs: pq.lastLockTimestampMs,
    }));
  }

  /**
   * Fetches the routes, heartbeats the brokers, rebalances, and starts the timers. Resolves once the
   * first rebalance is done (queues of topics not routed yet follow as soon as they are).
   */
  async startup(): Promise<void> {
    if (this.state !== 'created')
      throw new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, `the push consumer is ${this.state}`);
    if (this.expressions.size === 0)
      throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'the push consumer subscribes to no topic');
    this.instance.registerProcessor([RequestCode.NOTIFY_CONSUMER_IDS_CHANGED], () => {
      this.requestRebalance();
      return null;
    });
    this.instance.start();
    this.state = 'running';
    for (const topic of this.subscriptionTable.keys()) {
      await this.instance
        .updateTopicRoute(topic)
        .catch((error: unknown) => this.instance.logger.warn('route fetch failed', { topic, error: String(error) }));
    }
    await this.checkClientConfig();
    await this.instance.sendHeartbeatToAllBrokers();
    this.every(this.settings.rebalanceIntervalMs, () => this.requestRebalance());
    this.every(this.settings.persistConsumerOffsetIntervalMs, () => void this.persistOffsets(true));
    if (this.settings.consumeOrderly && this.settings.messageModel === 'CLUSTERING') {
      this.every(LOCK_ALL_INTERVAL_MS, () => void this.rebalance.lockAll());
    }
    this.requestRebalance();
    await this.rebalanceRunning;
  }

  /** Same as startup(). */
  start(): Promise<void> {
    return this.startup();
  }

  /** Stops consuming and leaves the group; offsets are committed and orderly locks released first. */
  async shutdown(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    clearTimeout(this.quickRebalanceTimer);
    await this.rebalanceRunning;
    const queues = this.rebalance.dropAll();
    await this.awaitListeners();
    await this.persistOffsets(false, queues);
    if (this.settings.consumeOrderly && this.settings.messageModel === 'CLUSTERING')
      await this.unlock(queues.map((pq) => pq.messageQueue));
    await this.instance.unregisterClient({ consumerGroup: this.consumerGroup });
    await this.instance.shutdown();
    await this.pulls.stopped();
    this.state = 'stopped';
  }

  /** Java `checkClientInBroker`: a broker that refuses an SQL92 subscription fails the start. */
  private async checkClientConfig(): Promise<void> {
    try {
      await checkClientConfigInBrokers(this.instance, this.consumerGroup, [...this.subscriptionTable.values()]);
    } catch (error) {
      this.state = 'stopped';
      await this.instance.shutdown();
      throw error;
    }
  }

  private addSubscription(topic: string, expression: SubscriptionExpression): void {
    checkTopicName(topic);
    buildSubscriptionData(topic, expression, 0);
    this.expressions.set(topic, expression);
    this.rebuildSubscriptionTable();
  }

  /** Subscriptions with a fresh subVersion, plus `%RETRY%<group>` in clustering mode (Java `copySubscription`). */
  private rebuildSubscriptionTable(): void {
    const subVersion = Date.now();
    const table = new Map<string, SubscriptionData>();
    for (const [topic, expression] of this.expressions)
      table.set(topic, buildSubscriptionData(topic, expression, subVersion));
    if (this.settings.messageModel === 'CLUSTERING') {
      const retryTopic = retryTopicOf(this.consumerGroup);
      table.set(retryTopic, buildSubscriptionData(retryTopic, '*', subVersion));
    }
    this.subscriptionTable = table;
  }

  private consumerData(): ConsumerData {
    return {
      groupName: this.consumerGroup,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: this.settings.messageModel,
      consumeFromWhere: this.settings.consumeFromWhere,
      subscriptionDataSet: [...this.subscriptionTable.values()],
      unitMode: false,
    };
  }

  /** Runs a rebalance now, or once more after the one running. */
  private requestRebalance(): void {
    if (this.state !== 'running') return;
    if (this.rebalanceRunning !== null) {
      this.rebalanceRequested = true;
      return;
    }
    this.rebalanceRunning = (async () => {
      do {
        this.rebalanceRequested = false;
        const complete = await this.rebalance.doRebalance();
        this.scheduleQuickRebalance(complete);
      } while (this.rebalanceRequested && this.state === 'running');
    })().finally(() => {
      this.rebalanceRunning = null;
    });
  }

  /** Compat: Java waits for the next 20 s period; a topic not routed yet is retried sooner (1 s, doubling). */
  private scheduleQuickRebalance(complete: boolean): void {
    clearTimeout(this.quickRebalanceTimer);
    if (complete) {
      this.quickRebalanceDelayMs = QUICK_REBALANCE_FIRST_DELAY_MS;
      return;
    }
    this.quickRebalanceTimer = setTimeout(() => this.requestRebalance(), this.quickRebalanceDelayMs);
    this.quickRebalanceTimer.unref();
    this.quickRebalanceDelayMs = Math.min(this.quickRebalanceDelayMs * 2, this.settings.rebalanceIntervalMs);
  }

  /** A queue rebalanced away: let its orderly loop finish, commit its offset, release its lock. */
  private async releaseQueue(pq: ProcessQueue): Promise<void> {
    if (this.settings.consumeOrderly) await this.orderly.quiesce(pq);
    await this.offsetStore.persistAll([pq.messageQueue], false);
    this.offsetStore.remove(pq.messageQueue);
    if (this.settings.consumeOrderly && this.settings.messageModel === 'CLUSTERING')
      await this.unlock([pq.messageQueue]);
  }

  private async persistOffsets(
    oneway: boolean,
    queues: readonly ProcessQueue[] = this.rebalance.processQueues(),
  ): Promise<void> {
    await this.offsetStore.persistAll(
      queues.map((pq) => pq.messageQueue),
      oneway,
    );
  }

  private async unlock(queues: readonly MessageQueue[]): Promise<void> {
    const byBroker = new Map<string, MessageQueue[]>();
    for (const mq of queues) byBroker.set(mq.brokerName, [...(byBroker.get(mq.brokerName) ?? []), mq]);
    for (const [brokerName, list] of byBroker) {
      try {
        await unlockBatchMQ(this.instance, this.instance.brokerAddressOrThrow(brokerName), this.consumerGroup, list);
      } catch (error) {
        this.instance.logger.warn('unlock failed', { brokerName, error: String(error) });
      }
    }
  }

  /** Waits up to awaitTerminationMsWhenShutdown for running listener calls. */
  private async awaitListeners(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.settings.awaitTerminationMsWhenShutdown);
    });
    await Promise.race([this.limiter.idle(), timeout]);
    clearTimeout(timer);
  }

  private every(intervalMs: number, task: () => void): void {
    const timer = setInterval(task, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
