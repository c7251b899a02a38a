// SimpleConsumer (named as RocketMQ 5's `SimpleConsumer`): the application receives messages itself over
// Remoting pop, each one invisible to the rest of the group until it is acked or its invisible duration
// ends; `changeInvisibleDuration` extends it. No rebalance: every consumer of the group pops any queue of
// the subscribed topics (queueId -1), one broker per receive in turn. Depends on ../client-instance.ts,
// ../client-options.ts, ../topic-route.ts, filter-expression.ts, pop-request.ts.

import { ConsumeInitMode } from '../../protocol/pop-headers.js';
import { PERM_READ } from '../../protocol/route-types.js';
import { RequestCode } from '../../remoting/codes.js';
import { ClientError, ClientErrorCode } from '../client-error.js';
import { ClientInstance } from '../client-instance.js';
import {
  checkGroupName,
  checkTopicName,
  positiveOption,
  resolveClientOptions,
  type ClientOptions,
} from '../client-options.js';
import type { ConsumerData } from '../heartbeat-data.js';
import { masterAddress } from '../topic-route.js';
import { buildSubscriptionData, matchesSubscription, type SubscriptionExpression } from './filter-expression.js';
import { ackMessage, changeInvisibleTime, popMessage, type PoppedMessage } from './pop-request.js';

export type { PoppedMessage } from './pop-request.js';

export interface SimpleConsumerOptions extends ClientOptions {
  readonly consumerGroup: string;
  /** topic → tag expression or MessageSelector; more with subscribe(). */
  readonly subscriptions?: ReadonlyMap<string, SubscriptionExpression>;
  /** How long one receive() may wait on the broker for messages (long polling); default 30,000 ms. */
  readonly awaitDurationMs?: number;
  /**
   * Where the group starts on a queue it never popped: LAST (default, as RocketMQ 5's proxy) or FIRST.
   * Either way a brand-new queue is read from its start.
   */
  readonly consumeFromWhere?: 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_LAST_OFFSET';
  /**
   * FIFO: pops in order (the pop `order` flag, as RocketMQ 5's proxy does for a group that consumes
   * orderly): a queue's messages come in queue order, and a queue with un-acked messages gives no more
   * until they are acked or their invisible duration ends (then they come again, attempts counted).
   */
  readonly fifo?: boolean;
}

/** One broker to pop a subscribed topic from. */
interface PopTarget {
  readonly topic: string;
  readonly brokerName: string;
}

export class SimpleConsumer {
  readonly consumerGroup: string;
  private readonly instance: ClientInstance;
  private readonly subscriptions = new Map<string, SubscriptionExpression>();
  private readonly awaitDurationMs: number;
  private readonly initMode: number;
  private readonly consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_LAST_OFFSET';
  private readonly fifo: boolean;
  private nextTarget = 0;
  private state: 'created' | 'running' | 'stopped' = 'created';

  constructor(options: SimpleConsumerOptions) {
    checkGroupName(options.consumerGroup, 'consumerGroup');
    this.consumerGroup = options.consumerGroup;
    this.awaitDurationMs = positiveOption('awaitDurationMs', options.awaitDurationMs, 30_000);
    this.consumeFromWhere = options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    this.fifo = options.fifo ?? false;
    this.initMode = this.consumeFromWhere === 'CONSUME_FROM_FIRST_OFFSET' ? ConsumeInitMode.MIN : ConsumeInitMode.MAX;
    for (const [topic, expression] of options.subscriptions ?? []) this.subscribe(topic, expression);
    this.instance = new ClientInstance(
      resolveClientOptions(options),
      () => ({ producerDataSet: [], consumerDataSet: [this.consumerData()] }),
      'simple-consumer',
    );
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  /** Starts the route refresh and heartbeats, and fetches the routes of the subscribed topics. */
  async startup(): Promise<void> {
    if (this.state !== 'created')
      throw new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, `the simple consumer is ${this.state}`);
    // Pop needs no rebalance: membership changes mean nothing here.
    this.instance.registerProcessor([RequestCode.NOTIFY_CONSUMER_IDS_CHANGED], () => null);
    this.instance.start();
    this.state = 'running';
    for (const topic of this.subscriptions.keys()) await this.instance.updateTopicRoute(topic);
    await this.instance.sendHeartbeatToAllBrokers();
  }

  /** Same as startup(). */
  start(): Promise<void> {
    return this.startup();
  }

  /** Unregisters from the brokers and closes the connections; messages held come back after their invisibility. */
  async shutdown(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    await this.instance.unregisterClient({ consumerGroup: this.consumerGroup });
    await this.instance.shutdown();
  }

  /** Adds or replaces the subscription of `topic` (a tag expression, or MessageSelector.bySql). */
  subscribe(topic: string, expression: SubscriptionExpression = '*'): void {
    checkTopicName(topic);
    buildSubscriptionData(topic, expression, 0);
    this.subscriptions.set(topic, expression);
  }

  unsubscribe(topic: string): void {
    this.subscriptions.delete(topic);
  }

  /** The current subscriptions, topic → expression. */
  getSubscriptionExpressions(): Map<string, SubscriptionExpression> {
    return new Map(this.subscriptions);
  }

  /**
   * Up to `maxMessageNum` messages of one subscribed topic on one broker (the next in turn), each
   * invisible to the group for `invisibleDurationMs`; waits up to awaitDurationMs; [] when none came.
   */
  async receive(maxMessageNum: number, invisibleDurationMs: number): Promise<PoppedMessage[]> {
    this.instance.checkRunning('simple consumer');
    checkPositiveInteger('maxMessageNum', maxMessageNum);
    checkPositiveInteger('invisibleDuration', invisibleDurationMs);
    const target = await this.nextPopTarget();
    if (target === null) return [];
    const subscription = buildSubscriptionData(target.topic, this.expressionOf(target.topic), Date.now());
    const address = await this.brokerAddress(target.brokerName, target.topic);
    const result = await popMessage(this.instance, address, {
      consumerGroup: this.consumerGroup,
      brokerName: target.brokerName,
      queueId: -1,
      maxMsgNums: maxMessageNum,
      invisibleTimeMs: invisibleDurationMs,
      pollTimeMs: this.awaitDurationMs,
      initMode: this.initMode,
      subscription,
      order: this.fifo,
      timeoutMs: this.awaitDurationMs + this.instance.options.requestTimeoutMs,
    });
    const wanted = result.messages.filter((message) => matchesSubscription(subscription, message.tag));
    await this.ackUnwanted(result.messages.filter((message) => !wanted.includes(message)));
    return wanted;
  }

  /** Acks a received message: it is consumed and will not come back. */
  async ack(message: PoppedMessage): Promise<void> {
    this.instance.checkRunning('simple consumer');
    const address = await this.brokerAddress(message.messageQueue.brokerName, message.topic);
    await ackMessage(this.instance, address, this.consumerGroup, message.topic, message.receiptHandle);
  }

  /**
   * Makes a received message invisible for `invisibleDurationMs` from now; the message's receipt handle
   * is replaced by the new one (ack and further changes need it). Resolves to the same message.
   */
  async changeInvisibleDuration(message: PoppedMessage, invisibleDurationMs: number): Promise<PoppedMessage> {
    this.instance.checkRunning('simple consumer');
    checkPositiveInteger('invisibleDuration', invisibleDurationMs);
    const address = await this.brokerAddress(message.messageQueue.brokerName, message.topic);
    const changed = await changeInvisibleTime(
      this.instance,
      address,
      this.consumerGroup,
      message.topic,
      message.receiptHandle,
      invisibleDurationMs,
    );
    message.receiptHandle = changed.receiptHandle;
    message.invisibleUntilMs = changed.invisibleUntilMs;
    return message;
  }

  /** Messages the broker's tag-hash filter let through but whose exact tag is not subscribed: consumed. */
  private async ackUnwanted(messages: readonly PoppedMessage[]): Promise<void> {
    for (const message of messages) {
      await this.ack(message).catch((error: unknown) =>
        this.instance.logger.warn('ack of a filtered message failed', { error: String(error) }),
      );
    }
  }

  /** The subscribed (topic, broker) pairs with readable queues, taken in turn. */
  private async nextPopTarget(): Promise<PopTarget | null> {
    const targets: PopTarget[] = [];
    for (const topic of this.subscriptions.keys()) {
      const route = await this.instance.topicRouteOrFetch(topic);
      if (route === null) continue;
      for (const queueData of route.queueDatas) {
        if ((queueData.perm & PERM_READ) === 0 || queueData.readQueueNums === 0) continue;
        const broker = route.brokerDatas.find((data) => data.brokerName === queueData.brokerName);
        if (broker !== undefined && masterAddress(broker) !== undefined)
          targets.push({ topic, brokerName: queueData.brokerName });
      }
    }
    if (targets.length === 0) return null;
    this.nextTarget = (this.nextTarget + 1) % targets.length;
    return targets[this.nextTarget] as PopTarget;
  }

  private expressionOf(topic: string): SubscriptionExpression {
    return this.subscriptions.get(topic) ?? '*';
  }

  private async brokerAddress(brokerName: string, topic: string): Promise<string> {
    const address = this.instance.findBrokerAddress(brokerName);
    if (address !== undefined) return address;
    await this.instance.updateTopicRoute(topic);
    return this.instance.brokerAddressOrThrow(brokerName);
  }

  private consumerData(): ConsumerData {
    const subscriptionDataSet = [...this.subscriptions].map(([topic, expression]) =>
      buildSubscriptionData(topic, expression, Date.now()),
    );
    return {
      groupName: this.consumerGroup,
      consumeType: 'CONSUME_POP',
      messageModel: 'CLUSTERING',
      consumeFromWhere: this.consumeFromWhere,
      subscriptionDataSet,
      unitMode: false,
    };
  }
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, `${name} must be a positive integer, got ${value}`);
}
