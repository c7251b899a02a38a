// Sends (Java `SendMessageProcessor#sendMessage`, `#sendBatchMessage`): SEND_MESSAGE (10),
// SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320). Checks the topic (auto-creating it from TBW102
// when allowed), the queue and the sizes with Java's codes and remarks, appends through the
// per-turn AppendBatcher, waits for the group commit under SYNC_FLUSH, wakes held pulls and
// answers with every send response field. A send to `%RETRY%<group>` past maxReconsumeTimes goes
// to `%DLQ%<group>` (Java `handleRetryAndDLQ`); a DELAY message is parked in SCHEDULE_TOPIC_XXXX.
// Depends on the send, schedule, order and meta domains, the store and remoting.

import { encodeMessageProperties, MessageProperty } from '../../protocol/message-properties.js';
import { parseSocketAddress, type SocketAddress } from '../../common/socket-address.js';
import { MQVersion } from '../../protocol/versions.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { AppendResult, StoreMessage } from '../../store/message-store-api.js';
import { isStoreError } from '../../store/store-errors.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { dlqTopicOf, groupOfRetryTopic, isRetryOrDlqTopic, RETRY_GROUP_TOPIC_PREFIX } from '../../protocol/topics.js';
import type { RebalanceLockManager } from '../domain/order/rebalance-lock-manager.js';
import { withDelayScheduling, type DelayLevelTable } from '../domain/schedule/delay-level-table.js';
import { parkTimerMessage, timerIllegalRemark, timerNotEnabledRemark, type TimerSettings } from '../domain/schedule/timer-message.js';
import { DLQ_NUMS_PER_GROUP, retrySendGoesToDlq } from '../domain/send/send-back.js';
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
import { buildBatchMessages, buildSingleMessage } from '../domain/send/send-message-builder.js';
import { decodeSendMessageRequestHeader, type SendMessageRequestHeader } from '../../protocol/send-request-header.js';
import { sendResponseFields, storedSendFromAppend, storeErrorToSendResponse } from '../domain/send/send-response.js';
import { PERM_READ, PERM_WRITE, type TopicConfig } from '../../protocol/route-types.js';
import type { AppendBatcher } from '../infra/append-batcher.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

export interface SendHandlerSettings {
  readonly brokerClusterName: string;
  readonly brokerPermission: number;
  /** `brokerIP1`, named in the permission remark. */
  readonly brokerIp: string;
  /** `brokerIP1:port`: written into records and offset msgIds. */
  readonly storeHost: () => SocketAddress;
  readonly maxMessageSizeBytes: number;
  readonly syncFlush: boolean;
  readonly syncFlushTimeoutMs: number;
}

/** What sends need besides topics: retry limits (groups), orderly locks, delay levels, the clock. */
export interface SendRules {
  readonly groups: SubscriptionGroupManager;
  readonly locks: RebalanceLockManager;
  readonly delayLevels: DelayLevelTable;
  readonly timer: TimerSettings;
  readonly nowMs: () => number;
}

type BuiltSend = { messages: StoreMessage[]; uniqueId?: string; wait: boolean };

/** What the handler needs from the store besides appends. */
export interface SendStore {
  whenFlushed(endOffset: number, timeoutMs?: number): Promise<void>;
}

export class SendHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE];

  constructor(
    private readonly batcher: AppendBatcher,
    private readonly store: () => SendStore,
    private readonly topics: TopicConfigManager,
    private readonly rules: SendRules,
    private readonly settings: SendHandlerSettings,
    private readonly nextUniqueId: () => string,
    private readonly onStored: (topic: string, queueId: number) => void,
  ) {}

  async handle(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    const header = decodeSendMessageRequestHeader(request.code, request.extFields);
    const topicOrRefusal = this.topicFor(request, header, connection.remoteAddress);
    if ('code' in topicOrRefusal) return topicOrRefusal;
    const topic = topicOrRefusal;
    const queueCheck = checkQueueId(header.queueId, topic, connection.remoteAddress);
    if (!queueCheck.ok) return createResponse(request, queueCheck.code, queueCheck.remark);
    const chosen = chooseQueueId(header.queueId, topic.writeQueueNums);
    if (!chosen.ok) return createResponse(request, chosen.code, chosen.remark);
    const built = this.build(request, header, chosen.queueId, topic, connection.remoteAddress);
    if ('code' in built) return built;
    return this.store_(request, chosen.queueId, built);
  }

  /** The topic's config: existing, or auto-created (TBW102 inheritance, retry topics); else 17. */
  private topicFor(request: RemotingCommand, header: SendMessageRequestHeader, producer: string): TopicConfig | RemotingCommand {
    const legal = checkTopicForSend(header.topic);
    if (!legal.ok) return createResponse(request, legal.code, legal.remark);
    const topic =
      this.topics.get(header.topic) ??
      (isRetryOrDlqTopic(header.topic)
        ? this.topics.createTopicInSendMessageBackMethod(header.topic, 1, 6, 0)
        : this.topics.createTopicInSendMessageMethod(header.topic, header.defaultTopic, producer, header.defaultTopicQueueNums, 0));
    if (topic === null || topic === undefined) {
      const missing = topicNotExist(header.topic);
      return createResponse(request, ResponseCode.TOPIC_NOT_EXIST, missing.ok ? null : missing.remark);
    }
    const permission = checkBrokerPermission({
      brokerPermission: this.settings.brokerPermission,
      brokerIp: this.settings.brokerIp,
      topicIsOrder: topic.order,
    });
    return permission.ok ? topic : createResponse(request, permission.code, permission.remark);
  }

  private build(
    request: RemotingCommand,
    header: SendMessageRequestHeader,
    queueId: number,
    topic: TopicConfig,
    producer: string,
  ): BuiltSend | RemotingCommand {
    const context = {
      bornHost: parseSocketAddress(producer),
      storeHost: this.settings.storeHost(),
      brokerClusterName: this.settings.brokerClusterName,
      topicFilterType: topic.topicFilterType,
      nextUniqueId: this.nextUniqueId,
    };
    if (request.code !== RequestCode.SEND_BATCH_MESSAGE) {
      const size = checkMessageSize(request.body, header.properties, this.settings.maxMessageSizeBytes);
      if (!size.ok) return createResponse(request, size.code, size.remark);
      const single = buildSingleMessage(header, queueId, request.body ?? Buffer.alloc(0), context);
      const routed = this.routeRetry(request, header, single.message, single.properties);
      if ('code' in routed) return routed;
      const message = this.schedule(request, routed, single.properties);
      if ('code' in message) return message;
      return { messages: [message], uniqueId: single.uniqueId, wait: single.waitStoreMsgOK };
    }
    const batchCheck = checkBatchRequest(header, this.settings.maxMessageSizeBytes);
    if (!batchCheck.ok) return createResponse(request, batchCheck.code, batchCheck.remark);
    try {
      const batch = buildBatchMessages(header, queueId, decodeBatchMessages(request.body ?? Buffer.alloc(0)), context);
      return { messages: batch.messages, ...(batch.uniqueId !== undefined && { uniqueId: batch.uniqueId }), wait: batch.waitStoreMsgOK };
    } catch (error) {
      if (error instanceof BatchDecodeError) return createResponse(request, ResponseCode.MESSAGE_ILLEGAL, error.message);
      throw error;
    }
  }

  /**
   * Java `handleRetryAndDLQ`: a send to `%RETRY%<group>` (the client's fall-back for 36, and orderly
   * consumers past their local retries) goes to `%DLQ%<group>` once reconsumeTimes exceeds
   * maxReconsumeTimes, or at once while the group holds orderly queue locks; DELAY becomes -1.
   */
  private routeRetry(
    request: RemotingCommand,
    header: SendMessageRequestHeader,
    message: StoreMessage,
    properties: Map<string, string>,
  ): StoreMessage | RemotingCommand {
    if (!header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return message;
    const groupName = groupOfRetryTopic(header.topic);
    const group = this.rules.groups.findSubscriptionGroupConfig(groupName);
    if (group === undefined) {
      return createResponse(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${groupName} `);
    }
    const maxReconsumeTimes =
      request.version >= MQVersion.V3_4_9 && header.maxReconsumeTimes !== undefined ? header.maxReconsumeTimes : group.retryMaxTimes;
    const holdsLocks = !this.rules.locks.isLockAllExpired(groupName, this.rules.nowMs());
    if (!retrySendGoesToDlq(header.reconsumeTimes, maxReconsumeTimes, holdsLocks)) return message;
    const dlqTopic = dlqTopicOf(groupName);
    this.topics.createTopicInSendMessageBackMethod(dlqTopic, DLQ_NUMS_PER_GROUP, PERM_READ | PERM_WRITE, 0);
    properties.set(MessageProperty.DELAY, '-1');
    return { ...message, topic: dlqTopic, queueId: 0, properties: encodeMessageProperties(properties) };
  }

  /**
   * Java `handleScheduleMessage`: a timer message (TIMER_* properties) is parked in the timer topic,
   * else a DELAY level parks it in SCHEDULE_TOPIC_XXXX; an illegal timer is refused.
   */
  private schedule(request: RemotingCommand, message: StoreMessage, properties: Map<string, string>): StoreMessage | RemotingCommand {
    const timer = parkTimerMessage(properties, message, message.sysFlag ?? 0, this.rules.nowMs(), this.rules.timer);
    switch (timer.kind) {
      case 'illegal':
        return createResponse(request, ResponseCode.MESSAGE_ILLEGAL, timerIllegalRemark(this.rules.timer));
      case 'notEnabled':
        return createResponse(request, ResponseCode.SYSTEM_ERROR, timerNotEnabledRemark(this.rules.timer));
      case 'parked':
        return { ...message, ...timer.target, properties: encodeMessageProperties(properties) };
      case 'none':
        return withDelayScheduling(message, properties, this.rules.delayLevels);
    }
  }

  /** Appends, waits for the group commit when required, wakes held pulls, answers. */
  private async store_(request: RemotingCommand, queueId: number, built: BuiltSend): Promise<RemotingCommand> {
    let result: AppendResult;
    try {
      result = await this.batcher.append(built.messages);
    } catch (error) {
      return this.storeFailure(request, error);
    }
    const fields = sendResponseFields(storedSendFromAppend(result, this.settings.storeHost(), queueId, built.uniqueId));
    let code: number = ResponseCode.SUCCESS;
    let remark: string | null = null;
    if (this.settings.syncFlush && built.wait) {
      try {
        await this.store().whenFlushed(result.endOffset, this.settings.syncFlushTimeoutMs);
      } catch (error) {
        if (!isStoreError(error)) throw error;
        ({ code, remark } = storeErrorToSendResponse(error.code, { maxMessageSizeBytes: this.settings.maxMessageSizeBytes }));
      }
    }
    const stored = built.messages[0];
    if (stored !== undefined) this.onStored(stored.topic, stored.queueId);
    return createResponse(request, code, remark, fields);
  }

  private storeFailure(request: RemotingCommand, error: unknown): RemotingCommand {
    if (!isStoreError(error)) throw error;
    const reply = storeErrorToSendResponse(error.code, { maxMessageSizeBytes: this.settings.maxMessageSizeBytes });
    return createResponse(request, reply.code, reply.remark ?? error.message);
  }
}
