// PullConsumer (Java `DefaultLitePullConsumer` in assign mode, `DefaultMQPullConsumer#pull`): the
// application picks queues and pulls itself. `pull` reads one queue at an offset; `poll` reads the
// assigned queues from their positions (the committed offset, else consumeFromWhere) and advances
// them; `commit` stores the positions on the broker (UPDATE_CONSUMER_OFFSET). Pulls carry their
// own subscription (flag 0x4), so they need no rebalance. Depends on ../client-instance.ts,
// ../client-options.ts, ../topic-route.ts, consumer-requests.ts, pull-request.ts, filter-expression.ts.

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
import type { ConsumeFromWhere, ConsumerData, SubscriptionData } from '../heartbeat-data.js';
import { messageQueueKey, type MessageQueue } from '../message-queue.js';
import type { MessageView } from '../message/message-view.js';
import { subscribeQueues } from '../topic-route.js';
import { abortableDelay } from './abortable-delay.js';
import { getMaxOffset, queryConsumerOffset, updateConsumerOffset } from './consumer-requests.js';
import { buildSubscriptionData, type SubscriptionExpression } from './filter-expression.js';
import { PullSysFlag } from '../../protocol/pull-sys-flag.js';
import { pullMessage, type PullResult } from './pull-request.js';

export interface PullConsumerOptions extends ClientOptions {
  readonly consumerGroup: string;
  /** Where an assigned queue without a committed offset starts; default CONSUME_FROM_LAST_OFFSET. */
  readonly consumeFromWhere?: Exclude<ConsumeFromWhere, 'CONSUME_FROM_TIMESTAMP'>;
  /** Messages per pull; default 32. */
  readonly pullBatchSize?: number;
  /** Pause between empty rounds of poll(); default 200 ms. */
  readonly pollIntervalMs?: number;
}

export interface PullOptions {
  /** Tag expression or MessageSelector (bySql); default "*". */
  readonly expression?: SubscriptionExpression;
  /** Default pullBatchSize. */
  readonly maxNums?: number;
  /** Let the broker hold the pull this long when nothing is there (long polling); default 0. */
  readonly suspendTimeoutMs?: number;
}

export class PullConsumer {
  readonly consumerGroup: string;
  private readonly instance: ClientInstance;
  private readonly consumeFromWhere: Exclude<ConsumeFromWhere, 'CONSUME_FROM_TIMESTAMP'>;
  private readonly pullBatchSize: number;
  private readonly pollIntervalMs: number;
  private readonly expressions = new Map<string, SubscriptionExpression>();
  private assigned: MessageQueue[] = [];
  /** queue key → next offset to read. */
  private readonly positions = new Map<string, number>();
  private readonly stopping = new AbortController();
  private state: 'created' | 'running' | 'stopped' = 'created';

  constructor(options: PullConsumerOptions) {
    checkGroupName(options.consumerGroup, 'consumerGroup');
    this.consumerGroup = options.consumerGroup;
    this.consumeFromWhere = options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    this.pullBatchSize = positiveOption('pullBatchSize', options.pullBatchSize, 32);
    this.pollIntervalMs = positiveOption('pollIntervalMs', options.pollIntervalMs, 200);
    this.instance = new ClientInstance(
      resolveClientOptions(options),
      () => ({ producerDataSet: [], consumerDataSet: [this.consumerData()] }),
      'pull-consumer',
    );
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  startup(): Promise<void> {
    if (this.state !== 'created')
      return Promise.reject(
        new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, `the pull consumer is ${this.state}`),
      );
    // Membership changes of the group mean nothing to assigned queues.
    this.instance.registerProcessor([RequestCode.NOTIFY_CONSUMER_IDS_CHANGED], () => null);
    this.instance.start();
    this.state = 'running';
    return Promise.resolve();
  }

  /** Same as startup(). */
  start(): Promise<void> {
    return this.startup();
  }

  /** Commits the positions of the assigned queues, unregisters and closes the connections. */
  async shutdown(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.stopping.abort();
    await this.commit().catch((error: unknown) =>
      this.instance.logger.warn('commit at shutdown failed', { error: String(error) }),
    );
    this.state = 'stopped';
    await this.instance.unregisterClient({ consumerGroup: this.consumerGroup });
    await this.instance.shutdown();
  }

  /** The readable queues of `topic` (Java `fetchMessageQueues`). */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    this.instance.checkRunning('pull consumer');
    checkTopicName(topic);
    const route = await this.instance.updateTopicRoute(topic);
    if (route === null)
      throw new ClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `No route info of this topic: ${topic}`);
    return subscribeQueues(topic, route);
  }

  /** Takes `queues` for poll() and commit(), filtered by `expression` (per topic; a tag expression or bySql). */
  assign(queues: readonly MessageQueue[], expression: SubscriptionExpression = '*'): void {
    for (const mq of queues) {
      checkTopicName(mq.topic);
      buildSubscriptionData(mq.topic, expression, 0);
      this.expressions.set(mq.topic, expression);
    }
    this.assigned = [...queues];
    const keys = new Set(queues.map(messageQueueKey));
    for (const key of [...this.positions.keys()]) if (!keys.has(key)) this.positions.delete(key);
  }

  assignment(): MessageQueue[] {
    return [...this.assigned];
  }

  /** Sets the queue's position: the next poll reads from `offset`. */
  seek(mq: MessageQueue, offset: number): void {
    this.positions.set(messageQueueKey(mq), offset);
  }

  /** The group's committed offset on the broker; -1 when none. */
  async committed(mq: MessageQueue): Promise<number> {
    this.instance.checkRunning('pull consumer');
    return queryConsumerOffset(this.instance, await this.brokerAddress(mq), this.consumerGroup, mq);
  }

  /** One pull of `mq` at `offset` (positions are not touched). */
  async pull(mq: MessageQueue, offset: number, options: PullOptions = {}): Promise<PullResult> {
    this.instance.checkRunning('pull consumer');
    const subscription = buildSubscriptionData(
      mq.topic,
      options.expression ?? this.expressions.get(mq.topic) ?? '*',
      Date.now(),
    );
    const suspendTimeoutMs = options.suspendTimeoutMs ?? 0;
    return pullMessage(this.instance, await this.brokerAddress(mq), {
      consumerGroup: this.consumerGroup,
      messageQueue: mq,
      queueOffset: offset,
      maxMsgNums: options.maxNums ?? this.pullBatchSize,
      sysFlag: PullSysFlag.FLAG_SUBSCRIPTION | (suspendTimeoutMs > 0 ? PullSysFlag.FLAG_SUSPEND : 0),
      commitOffset: 0,
      suspendTimeoutMs,
      subscription,
      timeoutMs: suspendTimeoutMs + this.instance.options.requestTimeoutMs,
    });
  }

  /**
   * Pulls the assigned queues from their positions and advances them; resolves with the messages
   * found, waiting up to `timeoutMs` (empty rounds repeat every pollIntervalMs).
   */
  async poll(timeoutMs = 5000): Promise<MessageView[]> {
    this.instance.checkRunning('pull consumer');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const results = await Promise.all(this.assigned.map((mq) => this.pullAtPosition(mq)));
      const messages = results.flat();
      if (messages.length > 0 || Date.now() + this.pollIntervalMs > deadline || this.stopping.signal.aborted)
        return messages;
      await abortableDelay(this.pollIntervalMs, this.stopping.signal);
    }
  }

  /** Stores the positions of the assigned queues on the broker (awaited). */
  async commit(): Promise<void> {
    this.instance.checkRunning('pull consumer');
    for (const mq of this.assigned) {
      const offset = this.positions.get(messageQueueKey(mq));
      if (offset === undefined) continue;
      await updateConsumerOffset(this.instance, await this.brokerAddress(mq), this.consumerGroup, mq, offset, false);
    }
  }

  private async pullAtPosition(mq: MessageQueue): Promise<MessageView[]> {
    const key = messageQueueKey(mq);
    const offset = this.positions.get(key) ?? (await this.initialOffset(mq));
    const result = await this.pull(mq, offset);
    this.positions.set(key, result.nextBeginOffset);
    return result.messages;
  }

  private async initialOffset(mq: MessageQueue): Promise<number> {
    const committed = await this.committed(mq);
    if (committed >= 0) return committed;
    return this.consumeFromWhere === 'CONSUME_FROM_FIRST_OFFSET'
      ? 0
      : getMaxOffset(this.instance, await this.brokerAddress(mq), mq);
  }

  private async brokerAddress(mq: MessageQueue): Promise<string> {
    const address = this.instance.findBrokerAddress(mq.brokerName);
    if (address !== undefined) return address;
    await this.instance.updateTopicRoute(mq.topic);
    return this.instance.brokerAddressOrThrow(mq.brokerName);
  }

  private consumerData(): ConsumerData {
    const subscriptionDataSet: SubscriptionData[] = [...this.expressions].map(([topic, expression]) =>
      buildSubscriptionData(topic, expression, Date.now()),
    );
    return {
      groupName: this.consumerGroup,
      consumeType: 'CONSUME_ACTIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: this.consumeFromWhere,
      subscriptionDataSet,
      unitMode: false,
    };
  }
}
