// Producer (Java `DefaultMQProducer`, named like rocketmq-client-nodejs's Producer): startup and
// shutdown, `send` (sync, with retries; ordered by messageGroup through a queue selector; or to a
// given queue), `sendOneway`, `sendBatch`, `request` and `sendReply` (request-reply); heartbeats with
// its producer group and unregisters at shutdown. Depends on ../client-instance.ts, ../client-options.ts,
// ../message/*, message-sender.ts, queue-selector.ts, request-reply.ts, reply-message.ts.

import { randomUUID } from 'node:crypto';
import { MessageProperty } from '../../protocol/message-properties.js';
import { isRetryTopic } from '../../protocol/topics.js';
import { RequestCode } from '../../remoting/codes.js';
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
import { prepareReply, type ReplyMessage } from './reply-message.js';
import { PendingRequests, type ReplyView } from './request-reply.js';
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
  /** Requests waiting for their reply (request-reply). */
  private readonly requests: PendingRequests;
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
    this.requests = new PendingRequests(this.instance.logger);
    const requests = this.requests;
    this.instance.registerProcessor([RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT], (push) => requests.onPushedReply(push));
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
    this.requests.rejectAll(new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, 'the producer shut down'));
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

  /**
   * Request-reply (Java `DefaultMQProducer#request`): sends `message` with a new CORRELATION_ID, this
   * client as REPLY_TO_CLIENT and `timeoutMs` as TTL, and resolves with the reply a replier sent for it
   * (`createReplyMessage` + `sendReply`), which the broker pushes to this client. Rejects with the send's
   * error, or with REQUEST_TIMEOUT_EXCEPTION when no reply came within `timeoutMs`.
   */
  async request(message: Message, timeoutMs: number): Promise<ReplyView> {
    const beginMs = Date.now();
    const prepared = this.prepare(message);
    positiveOption('timeoutMs', timeoutMs, 1);
    const correlationId = randomUUID();
    prepared.properties
      .set(MessageProperty.CORRELATION_ID, correlationId)
      .set(MessageProperty.REPLY_TO_CLIENT, this.clientId)
      .set(MessageProperty.MESSAGE_TTL, String(timeoutMs));
    // Java `prepareSendRequest`: the brokers of a new topic must know this client before a reply comes.
    if (this.instance.topicRoute(prepared.topic) === undefined) {
      await this.sender.publishQueues(prepared.topic);
      await this.instance.sendHeartbeatToAllBrokers();
    }
    const waitMs = Math.max(1, timeoutMs - (Date.now() - beginMs));
    const reply = this.requests.register(correlationId, { topic: prepared.topic, timeoutMs, waitMs });
    try {
      await this.sender.send(prepared, 'sync', await this.selectedQueue(prepared));
    } catch (error) {
      this.requests.forget(correlationId);
      throw error;
    }
    return reply;
  }

  /** Sends a reply made by `createReplyMessage` (SEND_REPLY_MESSAGE_V2); resolves once the broker took it. */
  async sendReply(reply: ReplyMessage): Promise<SendReceipt> {
    this.instance.checkRunning('producer');
    const receipt = await this.sender.send(prepareReply(reply, this.maxMessageSizeBytes), 'sync');
    if (receipt === undefined) throw new Error('invariant: a sync send resolves with a receipt');
    return receipt;
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
