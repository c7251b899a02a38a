// SendService: the protocol-neutral send path (Java `SendMessageProcessor#sendMessage`,
// `#sendBatchMessage`). Checks the topic (auto-creating it from TBW102 when allowed), the queue and
// the sizes, routes `%RETRY%` sends past maxReconsumeTimes to the DLQ, parks DELAY and timer messages,
// appends through the per-turn batcher, waits for the group commit under SYNC_FLUSH and wakes the
// queue's listeners. Refusals are thrown as BrokerErrors. Depends on the send, schedule, order and
// meta domains and the store interface; nothing of a wire protocol.

import { encodeMessageProperties, MessageProperty } from '../../protocol/message-properties.js';
import { parseSocketAddress, type SocketAddress } from '../../common/socket-address.js';
import { PERM_READ, PERM_WRITE, type TopicConfig } from '../../protocol/route-types.js';
import type { AppendResult, StoreMessage } from '../../store/message-store-api.js';
import { MQVersion } from '../../protocol/versions.js';
import { decodeStoredRecord, RecordDecodeError, type StoredMessage } from '../../protocol/record-decoder.js';
import { isStoreError } from '../../store/store-errors.js';
import { BrokerError, BrokerErrorCode, throwIfFailed } from '../domain/broker-error.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { RebalanceLockManager } from '../domain/order/rebalance-lock-manager.js';
import { withDelayScheduling, type DelayLevelTable } from '../domain/schedule/delay-level-table.js';
import {
  parkTimerMessage,
  timerIllegalRemark,
  timerNotEnabledRemark,
  type TimerSettings,
} from '../domain/schedule/timer-message.js';
import { BatchDecodeError, decodeBatchMessages } from '../../protocol/batch-body.js';
import {
  checkBatchRequest,
  checkBrokerPermission,
  checkMessageSize,
  checkQueueId,
  checkTopicForSend,
  chooseQueueId,
  topicNotExist,
} from '../domain/send/message-check.js';
import {
  buildSendBackMessage,
  DLQ_NUMS_PER_GROUP,
  retrySendGoesToDlq,
  routeSendBack,
  type ConsumerSendMsgBackRequestHeader,
} from '../domain/send/send-back.js';
import { buildBatchMessages, buildSingleMessage } from '../domain/send/send-message-builder.js';
import { isTransactionPrepared, toHalfMessage } from '../domain/transaction/transactional-message.js';
import type { SendMessageRequestHeader } from '../../protocol/send-request-header.js';
import {
  storedSendFromAppend,
  storeErrorToSendResponse,
  type StoredSend,
  type SendErrorResponse,
} from '../domain/send/send-response.js';
import {
  isRetryOrDlqTopic,
  RETRY_GROUP_TOPIC_PREFIX,
  dlqTopicOf,
  groupOfRetryTopic,
  retryTopicOf,
  TIMER_TOPIC,
} from '../../protocol/topics.js';
import { encodeRecallHandle } from '../../protocol/recall-handle.js';

export interface SendSettings {
  readonly brokerClusterName: string;
  /** `brokerName`: named in the recall handle of a parked timer message. */
  readonly brokerName: string;
  readonly brokerPermission: number;
  /** `brokerIP1`, named in the permission remark. */
  readonly brokerIp: string;
  /** `brokerIP1:port`: written into records and offset msgIds. */
  readonly storeHost: () => SocketAddress;
  /** `rejectTransactionMessage`: TRAN_MSG sends are refused (NO_PERMISSION). */
  readonly rejectTransactionMessage: boolean;
  readonly maxMessageSizeBytes: number;
  readonly syncFlush: boolean;
  readonly syncFlushTimeoutMs: number;
  /** SYNC_MASTER (docs/replication.md §4): settles once a slave holds the log up to `endOffset`; null otherwise. */
  readonly whenReplicated?: ((endOffset: number) => Promise<void>) | null;
}

/** What sends need besides topics: retry limits (groups), orderly locks, delay levels, the clock. */
export interface SendRules {
  readonly groups: SubscriptionGroupManager;
  readonly locks: RebalanceLockManager;
  readonly delayLevels: DelayLevelTable;
  readonly timer: TimerSettings;
  readonly nowMs: () => number;
  /** [0, 1), like Math.random: the queue of a send with queueId < 0. */
  readonly random: () => number;
}

/** Appends messages together with the rest of the event-loop turn (the AppendBatcher). */
export interface SendAppender {
  append(messages: readonly StoreMessage[]): Promise<AppendResult>;
}

/** What the send path needs from the store besides appends. */
export interface SendStore {
  whenFlushed(endOffset: number, timeoutMs?: number): Promise<void>;
  getMessageByOffset(physicalOffset: number): Buffer;
}

/** A stored send; `flushFailure` when the message is stored but its group commit failed (e.g. timed out). */
export interface SendResult {
  readonly stored: StoredSend;
  readonly flushFailure: SendErrorResponse | null;
  /** A single timer message parked in the timer topic: the handle that recalls it (RecallService). */
  readonly recallHandle?: string;
}

/** `TopicSysFlag.buildSysFlag(false, true)`: the unit-sub flag of unit-mode retry topics. */
const UNIT_SUB_TOPIC_SYS_FLAG = 0x2;

type BuiltSend = { messages: StoreMessage[]; uniqueId?: string; wait: boolean; recallHandle?: string };

export class SendService {
  constructor(
    private readonly batcher: SendAppender,
    private readonly store: () => SendStore,
    private readonly topics: TopicConfigManager,
    private readonly rules: SendRules,
    private readonly settings: SendSettings,
    private readonly nextUniqueId: () => string,
    private readonly onStored: (topic: string, queueId: number) => void,
  ) {}

  /**
   * Stores one message (or one batch: `batch`, body in the batch wire format) sent by `producerAddress`
   * (`ip:port`) with a client of `clientVersion`. A refusal is thrown at once as a BrokerError; a store
   * failure rejects the promise with one. (Not `async`: the send path keeps one promise per request.)
   */
  send(
    header: SendMessageRequestHeader,
    body: Buffer | null,
    batch: boolean,
    producerAddress: string,
    clientVersion: number,
  ): Promise<SendResult> {
    const topic = this.topicFor(header, producerAddress);
    throwIfFailed(checkQueueId(header.queueId, topic, producerAddress));
    const chosen = chooseQueueId(header.queueId, topic.writeQueueNums, this.rules.random);
    if (!chosen.ok) throw new BrokerError(chosen.code, chosen.remark);
    const built = batch
      ? this.buildBatch(header, body, chosen.queueId, topic, producerAddress)
      : this.buildSingle(header, body, chosen.queueId, topic, producerAddress, clientVersion);
    return this.store_(chosen.queueId, built);
  }

  /** The topic's config: existing, or auto-created (TBW102 inheritance, retry topics); else TOPIC_NOT_EXIST. */
  topicFor(header: SendMessageRequestHeader, producer: string): TopicConfig {
    throwIfFailed(checkTopicForSend(header.topic));
    const { topics } = this;
    const { topic: name, defaultTopic, defaultTopicQueueNums } = header;
    const topic =
      topics.get(name) ??
      (isRetryOrDlqTopic(name)
        ? topics.createTopicInSendMessageBackMethod(name, 1, 6, 0)
        : topics.createTopicInSendMessageMethod(name, defaultTopic, producer, defaultTopicQueueNums, 0));
    if (topic === null || topic === undefined) {
      const missing = topicNotExist(header.topic);
      throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, missing.ok ? '' : missing.remark);
    }
    throwIfFailed(
      checkBrokerPermission({
        brokerPermission: this.settings.brokerPermission,
        brokerIp: this.settings.brokerIp,
        topicIsOrder: topic.order,
      }),
    );
    return topic;
  }

  private context(topic: TopicConfig, producer: string): Parameters<typeof buildSingleMessage>[3] {
    return {
      bornHost: parseSocketAddress(producer),
      storeHost: this.settings.storeHost(),
      brokerClusterName: this.settings.brokerClusterName,
      topicFilterType: topic.topicFilterType,
      nextUniqueId: this.nextUniqueId,
    };
  }

  private buildSingle(
    header: SendMessageRequestHeader,
    body: Buffer | null,
    queueId: number,
    topic: TopicConfig,
    producer: string,
    clientVersion: number,
  ): BuiltSend {
    throwIfFailed(checkMessageSize(body, header.properties, this.settings.maxMessageSizeBytes));
    const single = buildSingleMessage(header, queueId, body ?? Buffer.alloc(0), this.context(topic, producer));
    const routed = this.routeRetry(header, clientVersion, single.message, single.properties);
    const message = isTransactionPrepared(single.properties, header.reconsumeTimes)
      ? this.prepareHalf(routed, single.properties)
      : this.schedule(routed, single.properties);
    const recallHandle = this.recallHandleOf(message, single.properties);
    const built = { messages: [message], uniqueId: single.uniqueId, wait: single.waitStoreMsgOK };
    return recallHandle === undefined ? built : { ...built, recallHandle };
  }

  /**
   * Java `attachRecallHandle`: a message parked in the timer topic (not a retry) gets a handle naming its
   * real topic, this broker, its TIMER_OUT_MS + 1 (the parked time was rounded down) and its UNIQ_KEY.
   */
  private recallHandleOf(message: StoreMessage, properties: ReadonlyMap<string, string>): string | undefined {
    const timerOutMs = properties.get(MessageProperty.TIMER_OUT_MS);
    const realTopic = properties.get(MessageProperty.REAL_TOPIC);
    const uniqKey = properties.get(MessageProperty.UNIQ_KEY);
    if (message.topic !== TIMER_TOPIC || timerOutMs === undefined || realTopic === undefined) return undefined;
    if (uniqKey === undefined || realTopic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return undefined;
    if (properties.has(MessageProperty.TIMER_DEL_UNIQKEY)) return undefined;
    const timestamp = String(Number(timerOutMs) + 1);
    return encodeRecallHandle({
      topic: realTopic,
      brokerName: this.settings.brokerName,
      timestamp,
      messageId: uniqKey,
    });
  }

  private buildBatch(
    header: SendMessageRequestHeader,
    body: Buffer | null,
    queueId: number,
    topic: TopicConfig,
    producer: string,
  ): BuiltSend {
    throwIfFailed(checkBatchRequest(header, this.settings.maxMessageSizeBytes));
    try {
      const members = decodeBatchMessages(body ?? Buffer.alloc(0));
      const batch = buildBatchMessages(header, queueId, members, this.context(topic, producer));
      const uniqueId = batch.uniqueId !== undefined && { uniqueId: batch.uniqueId };
      return { messages: batch.messages, ...uniqueId, wait: batch.waitStoreMsgOK };
    } catch (error) {
      if (error instanceof BatchDecodeError) throw new BrokerError(BrokerErrorCode.MESSAGE_ILLEGAL, error.message);
      throw error;
    }
  }

  /**
   * Java `handleRetryAndDLQ`: a send to `%RETRY%<group>` (the client's fall-back for a failed send-back,
   * and orderly consumers past their local retries) goes to `%DLQ%<group>` once reconsumeTimes exceeds
   * maxReconsumeTimes, or at once while the group holds orderly queue locks; DELAY becomes -1.
   */
  private routeRetry(
    header: SendMessageRequestHeader,
    clientVersion: number,
    message: StoreMessage,
    properties: Map<string, string>,
  ): StoreMessage {
    if (!header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return message;
    const groupName = groupOfRetryTopic(header.topic);
    const group = this.rules.groups.findSubscriptionGroupConfig(groupName);
    if (group === undefined) {
      const remark = `subscription group not exist, ${groupName} `;
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_GROUP_NOT_EXIST, remark);
    }
    const maxReconsumeTimes = maxReconsumeTimesOf(header.maxReconsumeTimes, clientVersion, group.retryMaxTimes);
    const holdsLocks = !this.rules.locks.isLockAllExpired(groupName, this.rules.nowMs());
    if (!retrySendGoesToDlq(header.reconsumeTimes, maxReconsumeTimes, holdsLocks)) return message;
    const dlqTopic = dlqTopicOf(groupName);
    this.topics.createTopicInSendMessageBackMethod(dlqTopic, DLQ_NUMS_PER_GROUP, PERM_READ | PERM_WRITE, 0);
    properties.set(MessageProperty.DELAY, '-1');
    return { ...message, topic: dlqTopic, queueId: 0, properties: encodeMessageProperties(properties) };
  }

  /** Java `SendMessageProcessor`: a TRAN_MSG send is stored as a transaction half, unless the broker refuses them. */
  private prepareHalf(message: StoreMessage, properties: Map<string, string>): StoreMessage {
    if (this.settings.rejectTransactionMessage) {
      const remark = `the broker[${this.settings.brokerIp}] sending transaction message is forbidden`;
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, remark);
    }
    return toHalfMessage(message, properties);
  }

  /**
   * Java `handleScheduleMessage`: a timer message (TIMER_* properties) is parked in the timer topic,
   * else a DELAY level parks it in SCHEDULE_TOPIC_XXXX; an illegal timer is refused. Also the put
   * path of a transaction's commit (TransactionService).
   */
  schedule(message: StoreMessage, properties: Map<string, string>): StoreMessage {
    const timer = parkTimerMessage(properties, message, message.sysFlag ?? 0, this.rules.nowMs(), this.rules.timer);
    switch (timer.kind) {
      case 'illegal':
        throw new BrokerError(BrokerErrorCode.MESSAGE_ILLEGAL, timerIllegalRemark(this.rules.timer));
      case 'notEnabled':
        throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, timerNotEnabledRemark(this.rules.timer));
      case 'parked':
        return { ...message, ...timer.target, properties: encodeMessageProperties(properties) };
      case 'none':
        return withDelayScheduling(message, properties, this.rules.delayLevels);
    }
  }

  /** Appends, waits for the group commit when required, wakes the queue's listeners. */
  private async store_(queueId: number, built: BuiltSend): Promise<SendResult> {
    let result: AppendResult;
    try {
      result = await this.batcher.append(built.messages);
    } catch (error) {
      throw this.storeFailure(error);
    }
    const stored = storedSendFromAppend(result, this.settings.storeHost(), queueId, built.uniqueId);
    const recall = built.recallHandle !== undefined && { recallHandle: built.recallHandle };
    let flushFailure = this.settings.syncFlush && built.wait ? await this.awaitFlush(result.endOffset) : null;
    const whenReplicated = this.settings.whenReplicated;
    if (flushFailure === null && whenReplicated != null && built.wait) {
      flushFailure = await this.awaitStored(whenReplicated(result.endOffset));
    }
    const first = built.messages[0];
    if (first !== undefined) this.onStored(first.topic, first.queueId);
    return { stored, flushFailure, ...recall };
  }

  private awaitFlush(endOffset: number): Promise<SendErrorResponse | null> {
    return this.awaitStored(this.store().whenFlushed(endOffset, this.settings.syncFlushTimeoutMs));
  }

  /** The reply of a stored message whose group commit (disk or slave) failed; null when it completed. */
  private async awaitStored(commit: Promise<void>): Promise<SendErrorResponse | null> {
    try {
      await commit;
      return null;
    } catch (error) {
      if (!isStoreError(error)) throw error;
      return storeErrorToSendResponse(error.code, { maxMessageSizeBytes: this.settings.maxMessageSizeBytes });
    }
  }

  /**
   * CONSUMER_SEND_MSG_BACK (Java `AbstractSendMessageProcessor#consumerSendMsgBack`): the record at
   * `header.offset` is re-stored to `%RETRY%<group>` (delayed by its level through SCHEDULE_TOPIC_XXXX)
   * or, past maxReconsumeTimes, to `%DLQ%<group>`. Resolves once stored (or at once for a group
   * without retry queues); throws BrokerError on a refusal.
   */
  async sendBack(header: ConsumerSendMsgBackRequestHeader, clientVersion: number): Promise<void> {
    const group = this.rules.groups.findSubscriptionGroupConfig(header.group);
    if (group === undefined) {
      const remark = `subscription group not exist, ${header.group} `;
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_GROUP_NOT_EXIST, remark);
    }
    if ((this.settings.brokerPermission & PERM_WRITE) === 0) {
      const remark = `the broker[${this.settings.brokerIp}] sending message is forbidden`;
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, remark);
    }
    if (group.retryQueueNums <= 0) return;
    const retryTopic = retryTopicOf(header.group);
    const retryConfig = this.topics.createTopicInSendMessageBackMethod(
      retryTopic,
      group.retryQueueNums,
      PERM_READ | PERM_WRITE,
      header.unitMode ? UNIT_SUB_TOPIC_SYS_FLAG : 0,
    );
    if ((retryConfig.perm & PERM_WRITE) === 0) {
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, `the topic[${retryTopic}] sending message is forbidden`);
    }
    const original = this.lookMessageByOffset(header.offset);
    if (original === null) {
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, `look message by offset failed, ${header.offset}`);
    }
    const maxReconsumeTimes = maxReconsumeTimesOf(header.maxReconsumeTimes, clientVersion, group.retryMaxTimes);
    const route = routeSendBack(original.reconsumeTimes, header.delayLevel, maxReconsumeTimes);
    let topic = retryTopic;
    let queueId = this.randomQueueId(group.retryQueueNums);
    if (route.deadLetter) {
      topic = dlqTopicOf(header.group);
      queueId = this.randomQueueId(DLQ_NUMS_PER_GROUP);
      this.topics.createTopicInSendMessageBackMethod(topic, DLQ_NUMS_PER_GROUP, PERM_READ | PERM_WRITE, 0);
    }
    const target = { topic, queueId, delayLevel: route.delayLevel, storeHost: this.settings.storeHost() };
    const built = buildSendBackMessage(original, target);
    await this.appendSentBack(withDelayScheduling(built.message, built.properties, this.rules.delayLevels));
  }

  /** Any refused append of a given-back message answers SYSTEM_ERROR with the store failure's remark. */
  private async appendSentBack(message: StoreMessage): Promise<void> {
    try {
      await this.batcher.append([message]);
    } catch (error) {
      if (!isStoreError(error)) throw error;
      const reply = storeErrorToSendResponse(error.code, { maxMessageSizeBytes: this.settings.maxMessageSizeBytes });
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, reply.remark ?? error.message, { cause: error });
    }
    this.onStored(message.topic, message.queueId);
  }

  /** `lookMessageByOffset`: the record at a physical offset, or null when there is none. */
  private lookMessageByOffset(physicalOffset: number): StoredMessage | null {
    try {
      return decodeStoredRecord(this.store().getMessageByOffset(physicalOffset));
    } catch (error) {
      if (isStoreError(error) || error instanceof RecordDecodeError) return null;
      throw error;
    }
  }

  private randomQueueId(queueNums: number): number {
    return Math.floor(this.rules.random() * queueNums);
  }

  /** A refused append as a BrokerError (the store's failure kind and Java's remark). */
  private storeFailure(error: unknown): unknown {
    if (!isStoreError(error)) return error;
    const reply = storeErrorToSendResponse(error.code, { maxMessageSizeBytes: this.settings.maxMessageSizeBytes });
    return new BrokerError(reply.code, reply.remark ?? error.message, { cause: error });
  }
}

/** The header's maxReconsumeTimes from clients of V3_4_9 on, else the group's retryMaxTimes. */
function maxReconsumeTimesOf(fromHeader: number | undefined, clientVersion: number, retryMaxTimes: number): number {
  return clientVersion >= MQVersion.V3_4_9 && fromHeader !== undefined ? fromHeader : retryMaxTimes;
}
