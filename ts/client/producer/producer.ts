// Producer (Java `DefaultMQProducer`, named like rocketmq-client-nodejs's Producer): startup and
// shutdown, `send` (sync, with retries; ordered by messageGroup through a queue selector; or to a
// given queue), `sendOneway`, `sendBatch`; heartbeats with its producer group and unregisters at
// shutdown. Depends on ../client-instance.ts, ../client-options.ts, ../message/*, message-sender.ts,
// queue-selector.ts.

import { isRetryTopic } from '../../protocol/topics.js';
import { ClientError, ClientErrorCode } from '../client-error.js';
import { ClientInstance } from '../client-instance.js';
import {
  checkGroupName,
  checkTopicName,
  clientUniqueIdGenerator,
  positiveOption,
  resolveClientOptions,
  type ClientOptions,
} from '../client-options.js';
import type { MessageQueue } from '../message-queue.js';
import {
  DEFAULT_MAX_MESSAGE_SIZE_BYTES,
  prepareMessage,
  type Message,
  type PreparedMessage,
} from '../message/message.js';
import { MessageSender } from './message-sender.js';
import { selectMessageQueueByHash, type MessageQueueSelector } from './queue-selector.js';
import type { SendReceipt } from './send-request.js';

export interface ProducerOptions extends ClientOptions {
  /** Default "DEFAULT_PRODUCER". */
  readonly producerGroup?: string;
  /** Topics whose routes are fetched at startup. */
  readonly topics?: readonly string[];
  /** One whole send, retries included; default 3000 ms (Java `sendMsgTimeout`). */
  readonly sendMsgTimeoutMs?: number;
  /** Extra attempts on another queue for retryable failures; default 2. */
  readonly retryTimesWhenSendFailed?: number;
  /** Also retry when the broker stored but could not confirm (FLUSH_DISK_TIMEOUT …); default false. */
  readonly retryAnotherBrokerWhenNotStoreOK?: boolean;
  /** Default 4096 bytes. */
  readonly compressMsgBodyOverHowmuchBytes?: number;
  /** Default 4 MiB. */
  readonly maxMessageSizeBytes?: number;
  /** Queues of topics auto-created on first send; default 4. */
  readonly defaultTopicQueueNums?: number;
  /** Picks the queue of messages with a messageGroup; default by hash (Java `SelectMessageQueueByHash`). */
  readonly queueSelector?: MessageQueueSelector;
}

export interface SendOptions {
  /** Send to this queue (no retry on other queues). */
  readonly messageQueue?: MessageQueue;
}

export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';

export class Producer {
  readonly producerGroup: string;
  protected readonly instance: ClientInstance;
  protected readonly sender: MessageSender;
  private readonly maxMessageSizeBytes: number;
  private readonly queueSelector: MessageQueueSelector;
  private readonly topics: readonly string[];
  private state: 'created' | 'running' | 'stopped' = 'created';

  constructor(options: ProducerOptions) {
    this.producerGroup = options.producerGroup ?? DEFAULT_PRODUCER_GROUP;
    checkGroupName(this.producerGroup, 'producerGroup');
    const resolved = resolveClientOptions(options);
    this.instance = new ClientInstance(
      resolved,
      () => ({ producerDataSet: [{ groupName: this.producerGroup }], consumerDataSet: [] }),
      'producer',
    );
    this.maxMessageSizeBytes = positiveOption(
      'maxMessageSizeBytes',
      options.maxMessageSizeBytes,
      DEFAULT_MAX_MESSAGE_SIZE_BYTES,
    );
    this.queueSelector = options.queueSelector ?? selectMessageQueueByHash;
    this.topics = options.topics ?? [];
    const retryTimes = options.retryTimesWhenSendFailed ?? 2;
    if (!Number.isInteger(retryTimes) || retryTimes < 0) {
      throw new ClientError(
        ClientErrorCode.ILLEGAL_ARGUMENT,
        `retryTimesWhenSendFailed must be a non-negative integer, not ${retryTimes}`,
      );
    }
    this.sender = new MessageSender(
      this.instance,
      {
        producerGroup: this.producerGroup,
        sendMsgTimeoutMs: positiveOption('sendMsgTimeoutMs', options.sendMsgTimeoutMs, 3000),
        retryTimesWhenSendFailed: retryTimes,
        retryAnotherBrokerWhenNotStoreOK: options.retryAnotherBrokerWhenNotStoreOK ?? false,
        compressMsgBodyOverHowmuchBytes: positiveOption(
          'compressMsgBodyOverHowmuchBytes',
          options.compressMsgBodyOverHowmuchBytes,
          4096,
        ),
        defaultTopicQueueNums: positiveOption('defaultTopicQueueNums', options.defaultTopicQueueNums, 4),
      },
      clientUniqueIdGenerator(resolved.clientIp),
    );
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  /** Starts the route and heartbeat timers and fetches the routes of `topics` (missing ones are skipped). */
  async startup(): Promise<void> {
    if (this.state !== 'created')
      throw new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, `the producer is ${this.state}`);
    for (const topic of this.topics) checkTopicName(topic);
    this.instance.start();
    this.state = 'running';
    for (const topic of this.topics) await this.instance.updateTopicRoute(topic);
  }

  /** Same as startup(). */
  start(): Promise<void> {
    return this.startup();
  }

  /** Unregisters the producer group from every broker and closes the connections. */
  async shutdown(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    await this.instance.unregisterClient({ producerGroup: this.producerGroup });
    await this.instance.shutdown();
  }

  /**
   * Sends one message and resolves once the broker stored it. A message with a messageGroup goes to
   * the queue the selector picks for it (no retry elsewhere, to keep its order); otherwise the
   * queues are used in turn, and a retryable failure is retried on another broker.
   */
  async send(message: Message, options: SendOptions = {}): Promise<SendReceipt> {
    const prepared = this.prepare(message);
    const queue = options.messageQueue ?? (await this.selectedQueue(prepared));
    const receipt = await this.sender.send(prepared, 'sync', queue);
    if (receipt === undefined) throw new Error('invariant: a sync send resolves with a receipt');
    return receipt;
  }

  /** Sends without waiting for the broker (Java `sendOneway`): one attempt, no receipt. */
  async sendOneway(message: Message, options: SendOptions = {}): Promise<void> {
    const prepared = this.prepare(message);
    const queue = options.messageQueue ?? (await this.selectedQueue(prepared));
    await this.sender.send(prepared, 'oneway', queue);
  }

  /**
   * Sends messages of one topic in one request (SEND_BATCH_MESSAGE): they land in one queue with
   * consecutive offsets. Delay levels and retry topics are not allowed in a batch (as in Java).
   */
  async sendBatch(messages: readonly Message[], options: SendOptions = {}): Promise<SendReceipt[]> {
    this.instance.checkRunning('producer');
    if (messages.length === 0) throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'the batch holds no message');
    const prepared = messages.map((message) => prepareMessage(message, this.maxMessageSizeBytes));
    const topic = prepared[0]?.topic;
    for (const message of prepared) {
      if (message.topic !== topic)
        throw new ClientError(
          ClientErrorCode.ILLEGAL_ARGUMENT,
          'The topic of the messages in one batch should be the same',
        );
      if (message.delayLevel > 0)
        throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'TimeDelayLevel is not supported for batching');
      if (isRetryTopic(message.topic))
        throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'Retry Group is not supported for batching');
    }
    const totalBytes = prepared.reduce((sum, message) => sum + message.body.length, 0);
    if (totalBytes > this.maxMessageSizeBytes) {
      throw new ClientError(
        ClientErrorCode.ILLEGAL_ARGUMENT,
        `the batch body size ${totalBytes} is over the max ${this.maxMessageSizeBytes}`,
      );
    }
    return this.sender.sendBatch(prepared, options.messageQueue);
  }

  /** The writable queues of `topic` (Java `fetchPublishMessageQueues`). */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    this.instance.checkRunning('producer');
    checkTopicName(topic);
    return this.sender.publishQueues(topic);
  }

  protected prepare(message: Message): PreparedMessage {
    this.instance.checkRunning('producer');
    return prepareMessage(message, this.maxMessageSizeBytes);
  }

  protected async selectedQueue(message: PreparedMessage): Promise<MessageQueue | undefined> {
    if (message.messageGroup === undefined) return undefined;
    return this.queueSelector(await this.sender.publishQueues(message.topic), message.messageGroup);
  }
}
