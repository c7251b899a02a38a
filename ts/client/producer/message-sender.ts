// MessageSender (Java `DefaultMQProducerImpl#sendDefaultImpl` / `#sendKernelImpl`): route lookup
// (falling back to TBW102 for topics the name server does not know yet), queue choice, UNIQ_KEY,
// body compression, the request, and retries on another broker for retryable codes within one
// send timeout. Shared by Producer and the consumers' send-back fall-back. Depends on
// ../client-instance.ts, ../client-error.ts, ../topic-route.ts, ../message/*, send-request.ts,
// queue-selector.ts.

import { deflateSync } from 'node:zlib';
import { MessageProperty } from '../../protocol/message-properties.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError, ClientErrorCode, isClientError } from '../client-error.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC } from '../../protocol/topics.js';
import type { ClientInstance } from '../client-instance.js';
import type { MessageQueue } from '../message-queue.js';
import { encodeBatchBody } from '../message/batch-encoder.js';
import type { UniqueIdGenerator } from '../../protocol/unique-id.js';
import type { PreparedMessage } from '../message/message.js';
import { publishQueues } from '../topic-route.js';
import type { TopicRouteData } from '../../protocol/route-types.js';
import { TopicPublishInfo } from './queue-selector.js';
import { buildSendRequest, decodeSendResponse, type SendReceipt } from './send-request.js';

export interface SenderSettings {
  readonly producerGroup: string;
  /** The whole send, retries included (Java `sendMsgTimeout`). */
  readonly sendMsgTimeoutMs: number;
  /** Extra attempts of a sync send (Java `retryTimesWhenSendFailed`). */
  readonly retryTimesWhenSendFailed: number;
  /** Retry when the broker stored the message but could not confirm it (FLUSH_DISK_TIMEOUT …). */
  readonly retryAnotherBrokerWhenNotStoreOK: boolean;
  /** Bodies above this are zlib-compressed (Java `compressMsgBodyOverHowmuch`). */
  readonly compressMsgBodyOverHowmuchBytes: number;
  /** Queues of a topic created from TBW102 (Java `defaultTopicQueueNums`). */
  readonly defaultTopicQueueNums: number;
}

/** Java `DefaultMQProducer.retryResponseCodes`. */
export const RETRY_RESPONSE_CODES: ReadonlySet<number> = new Set([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.SYSTEM_BUSY,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
  ResponseCode.GO_AWAY,
]);

const RETRYABLE_CLIENT_CODES: ReadonlySet<number> = new Set([
  ClientErrorCode.CONNECT_BROKER_EXCEPTION,
  ClientErrorCode.ACCESS_BROKER_TIMEOUT,
  ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION,
]);

/** Whether a failed attempt may be retried on another queue (Java's catch blocks in `sendDefaultImpl`). */
export function isRetryableSendError(error: unknown): boolean {
  return isClientError(error) && (RETRY_RESPONSE_CODES.has(error.code) || RETRYABLE_CLIENT_CODES.has(error.code));
}

/** Java `compressLevel` default. */
const COMPRESS_LEVEL = 5;

export type SendMode = 'sync' | 'oneway';

export class MessageSender {
  /** topic → when its route was last asked for and found missing (it then rides on TBW102). */
  private readonly missingRouteAtMs = new Map<string, number>();
  /** topic → its round robin over the current writable queues. */
  private readonly publishInfos = new Map<string, { key: string; info: TopicPublishInfo }>();

  constructor(
    private readonly instance: ClientInstance,
    private readonly settings: SenderSettings,
    private readonly uniqueIds: UniqueIdGenerator,
  ) {}

  /** The writable queues of `topic` (TBW102's shape when the topic is not routed yet). */
  async publishQueues(topic: string): Promise<MessageQueue[]> {
    let route = this.instance.topicRoute(topic);
    const missingAt = this.missingRouteAtMs.get(topic);
    if (
      route === undefined &&
      (missingAt === undefined || Date.now() - missingAt > this.instance.options.pollNameServerIntervalMs)
    ) {
      route = (await this.instance.updateTopicRoute(topic)) ?? undefined;
      if (route === undefined) this.missingRouteAtMs.set(topic, Date.now());
    }
    if (route !== undefined) {
      this.missingRouteAtMs.delete(topic);
      const queues = publishQueues(topic, route);
      if (queues.length === 0)
        throw new ClientError(
          ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION,
          `No writable queue of this topic on a master: ${topic}`,
        );
      return queues;
    }
    const template = await this.instance.topicRouteOrFetch(AUTO_CREATE_TOPIC_KEY_TOPIC);
    const queues = template === null ? [] : publishQueues(topic, this.autoCreateShape(template));
    if (queues.length === 0)
      throw new ClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `No route info of this topic: ${topic}`);
    return queues;
  }

  /**
   * Sends one message. Sync sends try up to 1 + retryTimesWhenSendFailed queues (avoiding the
   * broker that failed) within sendMsgTimeoutMs; oneway sends and sends to a fixed queue try once.
   */
  async send(message: PreparedMessage, mode: SendMode, fixedQueue?: MessageQueue): Promise<SendReceipt | undefined> {
    // Java `setUniqID` keeps an id already there (a message given back keeps its id).
    const uniqueId = message.properties.get(MessageProperty.UNIQ_KEY) ?? this.uniqueIds.next();
    const properties = new Map(message.properties).set(MessageProperty.UNIQ_KEY, uniqueId);
    let body = message.body;
    let sysFlag = 0;
    if (body.length > this.settings.compressMsgBodyOverHowmuchBytes) {
      // Compat: the compressed bit alone, as Java 4.x and Go write it (type bits 0 = zlib); Java 5
      // adds the ZLIB type bits 0x300, which every reader treats the same.
      body = deflateSync(body, { level: COMPRESS_LEVEL });
      sysFlag |= MessageSysFlag.COMPRESSED_FLAG;
    }
    const payload = { body, flag: message.flag, sysFlag, properties, batch: false };
    const receipts = await this.withRetries(message.topic, mode, fixedQueue, (mq, timeoutMs) =>
      this.sendToQueue(mq, payload, [uniqueId], mode, timeoutMs),
    );
    return receipts[0];
  }

  /** Sends messages of one topic as one SEND_BATCH_MESSAGE; one receipt per message, in order. */
  async sendBatch(messages: readonly PreparedMessage[], fixedQueue?: MessageQueue): Promise<SendReceipt[]> {
    const first = messages[0];
    if (first === undefined) throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'the batch holds no message');
    const uniqueIds = messages.map(() => this.uniqueIds.next());
    const members = messages.map((message, index) => ({
      flag: message.flag,
      body: message.body,
      properties: new Map(message.properties).set(MessageProperty.UNIQ_KEY, uniqueIds[index] as string),
    }));
    const body = encodeBatchBody(members);
    const payload = { body, flag: 0, sysFlag: 0, properties: new Map([[MessageProperty.WAIT, 'true']]), batch: true };
    return this.withRetries(first.topic, 'sync', fixedQueue, (mq, timeoutMs) =>
      this.sendToQueue(mq, payload, uniqueIds, 'sync', timeoutMs),
    );
  }

  /** The topic's round robin, kept while its queues stay the same. */
  private async publishInfo(topic: string): Promise<TopicPublishInfo> {
    const queues = await this.publishQueues(topic);
    const key = queues.map((mq) => `${mq.brokerName}:${mq.queueId}`).join(',');
    const cached = this.publishInfos.get(topic);
    if (cached !== undefined && cached.key === key) return cached.info;
    const info = new TopicPublishInfo(queues);
    this.publishInfos.set(topic, { key, info });
    return info;
  }

  private async withRetries(
    topic: string,
    mode: SendMode,
    fixedQueue: MessageQueue | undefined,
    attempt: (mq: MessageQueue, timeoutMs: number) => Promise<SendReceipt[]>,
  ): Promise<SendReceipt[]> {
    const beginMs = Date.now();
    const times = mode === 'sync' && fixedQueue === undefined ? 1 + this.settings.retryTimesWhenSendFailed : 1;
    const info = fixedQueue === undefined ? await this.publishInfo(topic) : null;
    let lastBrokerName: string | undefined;
    let lastError: Error | null = null;
    for (let time = 0; time < times; time++) {
      const mq = info === null ? (fixedQueue as MessageQueue) : info.selectOneMessageQueue(lastBrokerName);
      const remainingMs = this.settings.sendMsgTimeoutMs - (Date.now() - beginMs);
      if (remainingMs <= 0) break;
      try {
        const receipts = await attempt(mq, remainingMs);
        const notStored = receipts.length > 0 && receipts[0]?.status !== 'SEND_OK';
        if (notStored && this.settings.retryAnotherBrokerWhenNotStoreOK && time + 1 < times) {
          lastBrokerName = mq.brokerName;
          continue;
        }
        return receipts;
      } catch (error) {
        if (!isRetryableSendError(error)) throw error;
        lastError = error as ClientError;
        lastBrokerName = mq.brokerName;
        this.instance.logger.warn('send failed, retrying', { queue: mq, attempt: time + 1, error: String(error) });
      }
    }
    if (lastError !== null) throw lastError;
    throw new ClientError(
      ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION,
      `sendDefaultImpl call timeout (${this.settings.sendMsgTimeoutMs} ms)`,
    );
  }

  private async sendToQueue(
    mq: MessageQueue,
    payload: { body: Buffer; flag: number; sysFlag: number; properties: ReadonlyMap<string, string>; batch: boolean },
    uniqueIds: readonly string[],
    mode: SendMode,
    timeoutMs: number,
  ): Promise<SendReceipt[]> {
    let address = this.instance.findBrokerAddress(mq.brokerName);
    if (address === undefined) {
      await this.instance.updateTopicRoute(mq.topic);
      address = this.instance.brokerAddressOrThrow(mq.brokerName);
    }
    const request = buildSendRequest({
      producerGroup: this.settings.producerGroup,
      messageQueue: mq,
      defaultTopicQueueNums: this.settings.defaultTopicQueueNums,
      ...payload,
    });
    if (mode === 'oneway') {
      await this.instance.invokeOneway(address, request);
      return [];
    }
    const response = await this.instance.invoke(address, request, timeoutMs);
    return decodeSendResponse(response, request.code, address, mq, uniqueIds);
  }

  /** Java: a topic created from TBW102 gets min(defaultTopicQueueNums, TBW102's queues). */
  private autoCreateShape(template: TopicRouteData): TopicRouteData {
    const nums = this.settings.defaultTopicQueueNums;
    return {
      ...template,
      queueDatas: template.queueDatas.map((q) => ({
        ...q,
        readQueueNums: Math.min(nums, q.readQueueNums),
        writeQueueNums: Math.min(nums, q.writeQueueNums),
      })),
    };
  }
}
