// PullService: the protocol-neutral pull (Java `PullMessageProcessor`). Checks the group, topic, queue
// and subscription in Java's order, reads the store, maps the read to a PullStatus with its offsets,
// commits the consumer offset the request carries, and holds a pull that found nothing when the
// client allows it (long polling), re-running it when a message arrives for its queue or at its
// deadline. An SQL92 subscription keeps only the records whose properties match (the filter domain).
// Refusals are thrown as BrokerErrors. Depends on the pull, client, meta and filter domains and the
// store interface; nothing of a wire protocol.

import { MASTER_ID, PERM_READ } from '../../protocol/route-types.js';
import {
  DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES,
  GetMessageStatus,
  type GetMessagesResult,
  type MessageStore,
} from '../../store/message-store-api.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { SubscriptionData } from '../domain/client/heartbeat-data.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { type PullRequestHoldService, pullHoldTimeMs, type PullHoldConfig } from '../domain/pull/long-poll.js';
import type { PullMessageRequestHeader } from '../../protocol/pull-request-header.js';
import {
  mapPullResult,
  shouldCommitOffset,
  shouldHoldPull,
  type PullOutcome,
  type PullMappingOptions,
} from '../domain/pull/pull-result-mapper.js';
import { hasSubscriptionFlag } from '../../protocol/pull-sys-flag.js';
import { buildSubscription, storeTagCodes } from '../domain/pull/subscription-expression.js';
import { isTagType } from '../../protocol/pull-request-header.js';
import { ConsumerFilterTable, type SharedSql92Filter } from '../domain/filter/consumer-filter-table.js';
import { filterPulledRecords } from '../domain/filter/pulled-records-filter.js';
import { SQL92 } from '../domain/filter/sql92/sql92.js';

const FAQ_SUFFIX = '\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';

import type { BrokerMetrics } from './broker-metrics.js';

/** What a pull reply tells the metrics. */
export type PullMetrics = Pick<BrokerMetrics, 'recordOut' | 'recordPulledOffset'>;

export interface PullSettings {
  readonly brokerName: string;
  readonly brokerPermission: number;
  readonly slave: boolean;
  readonly hold: PullHoldConfig;
  /** broker.conf `enablePropertyFilter` (default false, as Java): SQL92 subscriptions are refused without it. */
  readonly enablePropertyFilter?: boolean;
  /**
   * `slaveReadEnable`: suggest the group's brokers; a consumer whose next message lies more than
   * `lagBytes` (accessMessageInMemoryMaxRatio of the memory) behind the log's end is consuming slowly.
   */
  readonly slaveRead?: { readonly lagBytes: number } | null;
}

/** A pull's subscription and, for SQL92, its compiled filter. */
interface PullSubscription {
  readonly subscription: SubscriptionData;
  readonly filter: SharedSql92Filter | null;
}

/** A pull's answer: its status and offsets, and the raw records (the store's buffer) when FOUND. */
export interface PullResult extends PullOutcome {
  readonly body: Buffer | null;
}

export class PullService {
  constructor(
    private readonly store: () => MessageStore,
    private readonly topics: TopicConfigManager,
    private readonly groups: SubscriptionGroupManager,
    private readonly consumers: ConsumerManager,
    private readonly offsets: ConsumerOffsetManager,
    private readonly holds: PullRequestHoldService,
    private readonly settings: PullSettings,
    private readonly clock: () => number,
    private readonly filters = new ConsumerFilterTable(),
    private readonly metrics: PullMetrics | null = null,
  ) {}

  /**
   * Pulls for the consumer at `clientAddress`: answered at once (a plain value), or, when held for
   * long polling, once woken (a promise). Throws BrokerError on a refusal.
   */
  pull(header: PullMessageRequestHeader, clientAddress: string): PullResult | Promise<PullResult> {
    return this.process(header, clientAddress, true);
  }

  private process(
    header: PullMessageRequestHeader,
    clientAddress: string,
    brokerAllowSuspend: boolean,
  ): PullResult | Promise<PullResult> {
    this.check(header);
    const { subscription, filter } = this.subscription(header);
    let result = this.read(header, subscription);
    if (filter !== null && result.status === GetMessageStatus.FOUND) result = applyFilter(result, filter);
    const brokerRole = this.settings.slave ? 'SLAVE' : 'ASYNC_MASTER';
    const slaveRead = this.slaveRead(header.consumerGroup, result);
    const outcome = mapPullResult(result, { requestOffset: header.queueOffset, brokerRole, ...slaveRead });
    if (shouldCommitOffset(header.sysFlag, brokerAllowSuspend) && !this.settings.slave) {
      this.offsets.commitOffset(clientAddress, header.consumerGroup, header.topic, header.queueId, header.commitOffset);
    }
    if (shouldHoldPull(outcome.status, header.sysFlag, brokerAllowSuspend)) {
      return this.hold(header, clientAddress, subscription);
    }
    const found = result.status === GetMessageStatus.FOUND;
    this.countOut(header, found ? result.messageCount : 0, found ? result.buffer.length : 0, outcome.nextBeginOffset);
    return { ...outcome, body: found ? result.buffer : null };
  }

  /** One reply's messages for the metrics (docs/metrics.md), and where the group pulls the queue next. */
  private countOut(header: PullMessageRequestHeader, messageCount: number, sizeBytes: number, next: number): void {
    if (this.metrics === null) return;
    const { topic, consumerGroup, queueId } = header;
    if (messageCount > 0) this.metrics.recordOut(topic, consumerGroup, messageCount, sizeBytes);
    this.metrics.recordPulledOffset(topic, consumerGroup, queueId, next);
  }

  /**
   * The slaveReadEnable suggestion's inputs: the group's broker ids, and whether the pull's first record lies
   * further behind the CommitLog's end than `lagBytes` (Java measures from the last one read; within one
   * batch the difference is immaterial). One read per pull, none per message.
   */
  private slaveRead(group: string, result: GetMessagesResult): Partial<PullMappingOptions> {
    const settings = this.settings.slaveRead;
    if (settings == null) return {};
    const config = this.groups.get(group);
    const first = result.status === GetMessageStatus.FOUND && result.buffer.length >= 36 ? result.buffer : null;
    const pulledAt = first === null ? null : Number(first.readBigInt64BE(28));
    const consumingSlowly = pulledAt !== null && this.store().getMaxPhysicalOffset() - pulledAt > settings.lagBytes;
    return {
      groupBrokerId: config?.brokerId ?? MASTER_ID,
      slaveRead: { whichBrokerWhenConsumeSlowly: config?.whichBrokerWhenConsumeSlowly ?? 1, consumingSlowly },
    };
  }

  /**
   * Reads the store as Java's `DefaultMessageStore#getMessage` answers every request offset: one below
   * the queue's min (negative included) is OFFSET_TOO_SMALL with the min as next offset, one past an
   * exact double (beyond 2^53) is OFFSET_OVERFLOW_BADLY; the store sees only offsets it can hold. Java's
   * Remoting pull ignores maxMsgBytes, so a non-positive one is the default budget; maxMsgNums 0 or -1
   * still returns the first message (Java's `isTheBatchFull` never ends an empty batch).
   */
  private read(header: PullMessageRequestHeader, subscription: SubscriptionData): GetMessagesResult {
    const { topic, queueId, queueOffset } = header;
    const store = this.store();
    if (queueOffset < 0 || queueOffset > Number.MAX_SAFE_INTEGER) {
      const minOffset = store.getMinOffsetInQueue(topic, queueId);
      const maxOffset = store.getMaxOffsetInQueue(topic, queueId);
      const empty = { minOffset, maxOffset, messageCount: 0, buffer: Buffer.alloc(0) };
      if (maxOffset === 0) return { ...empty, status: GetMessageStatus.NO_MESSAGE_IN_QUEUE, nextBeginOffset: 0 };
      if (queueOffset < 0) return { ...empty, status: GetMessageStatus.OFFSET_TOO_SMALL, nextBeginOffset: minOffset };
      return { ...empty, status: GetMessageStatus.OFFSET_OVERFLOW_BADLY, nextBeginOffset: maxOffset };
    }
    const maxMsgBytes = header.maxMsgBytes;
    return store.getMessages(topic, queueId, queueOffset, Math.max(header.maxMsgNums, 1), {
      maxSizeBytes: maxMsgBytes !== undefined && maxMsgBytes > 0 ? maxMsgBytes : DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES,
      tagCodes: storeTagCodes(subscription),
    });
  }

  /** Holds the pull; when woken (arrival, deadline, eviction, shutdown) it runs again without holding. */
  private hold(
    header: PullMessageRequestHeader,
    clientAddress: string,
    subscription: SubscriptionData,
  ): Promise<PullResult> {
    return new Promise((resolve, reject) => {
      this.holds.hold({
        topic: header.topic,
        queueId: header.queueId,
        offset: header.queueOffset,
        subscription,
        deadlineMs: this.clock() + pullHoldTimeMs(header.suspendTimeoutMillis, this.settings.hold),
        onWake: () => {
          try {
            resolve(this.process(header, clientAddress, false));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      });
    });
  }

  /** The broker, group, topic and queue checks, in Java's order. */
  private check(header: PullMessageRequestHeader): void {
    if ((this.settings.brokerPermission & PERM_READ) === 0) {
      const remark = `the broker[${this.settings.brokerName}] pulling message is forbidden`;
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, remark);
    }
    const group = this.groups.findSubscriptionGroupConfig(header.consumerGroup);
    if (group === undefined) {
      throw new BrokerError(
        BrokerErrorCode.SUBSCRIPTION_GROUP_NOT_EXIST,
        `subscription group [${header.consumerGroup}] does not exist${FAQ_SUFFIX}`,
      );
    }
    if (!group.consumeEnable) {
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, `subscription group no permission, ${header.consumerGroup}`);
    }
    const topic = this.topics.get(header.topic);
    if (topic === undefined) {
      const remark = `topic[${header.topic}] not exist, apply first please!${FAQ_SUFFIX}`;
      throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, remark);
    }
    if ((topic.perm & PERM_READ) === 0) {
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, `the topic[${header.topic}] pulling message is forbidden`);
    }
    if (header.queueId < 0 || header.queueId >= topic.readQueueNums) {
      throw new BrokerError(
        BrokerErrorCode.SYSTEM_ERROR,
        `queueId[${header.queueId}] is illegal, topic:[${header.topic}] ` +
          `topicConfig.readQueueNums:[${topic.readQueueNums}] consumer:[${header.consumerGroup}]`,
      );
    }
  }

  /** The request's own subscription (flag 0x4), else the one the group's heartbeats registered. */
  private subscription(header: PullMessageRequestHeader): PullSubscription {
    if (hasSubscriptionFlag(header.sysFlag)) {
      const built = buildSubscription(header.topic, header.subscription, header.expressionType, header.subVersion);
      if (!built.ok) throw new BrokerError(built.code, built.message);
      return { subscription: built.subscription, filter: this.requestFilter(built.subscription) };
    }
    const subscription = this.registeredSubscription(header);
    if (isTagType(subscription.expressionType)) return { subscription, filter: null };
    // Java: ConsumerFilterManager keeps no filter data for an expression that did not compile.
    const filter = this.filters.forSubscription(header.consumerGroup, header.topic, subscription.subString);
    if (filter === null) {
      const remark = "The broker's consumer filter data is not exist!Your expression may be wrong!";
      throw new BrokerError(BrokerErrorCode.FILTER_DATA_NOT_EXIST, remark);
    }
    this.checkPropertyFilterEnabled(subscription.expressionType);
    return { subscription, filter };
  }

  /**
   * The filter of a subscription sent with the pull. Compat: Java matches everything when such an
   * expression does not compile; we answer SUBSCRIPTION_PARSE_FAILED (never a silent match-all).
   */
  private requestFilter(subscription: SubscriptionData): SharedSql92Filter | null {
    if (isTagType(subscription.expressionType)) return null;
    this.checkPropertyFilterEnabled(subscription.expressionType);
    try {
      if (subscription.expressionType !== SQL92)
        throw new Error(`unknown expression type ${subscription.expressionType}`);
      return this.filters.compile(subscription.subString);
    } catch {
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_PARSE_FAILED, "parse the consumer's subscription failed");
    }
  }

  /** Java: "The broker does not support consumer to filter message by SQL92" without enablePropertyFilter. */
  private checkPropertyFilterEnabled(expressionType: string): void {
    if (this.settings.enablePropertyFilter === true) return;
    const remark = `The broker does not support consumer to filter message by ${expressionType}`;
    throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
  }

  /** The group's subscription from its heartbeats, checked as Java checks it. */
  private registeredSubscription(header: PullMessageRequestHeader): SubscriptionData {
    const group = this.consumers.group(header.consumerGroup);
    if (group === undefined) {
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_NOT_EXIST, "the consumer's group info not exist");
    }
    const groupConfig = this.groups.get(header.consumerGroup);
    if (group.messageModel === 'BROADCASTING' && groupConfig?.consumeBroadcastEnable === false) {
      const remark = `the consumer group[${header.consumerGroup}] can not consume by broadcast way`;
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, remark);
    }
    const subscription = this.consumers.subscription(header.consumerGroup, header.topic);
    if (subscription === undefined) {
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_NOT_EXIST, "the consumer's subscription not exist");
    }
    if (subscription.subVersion < header.subVersion) {
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest");
    }
    return subscription;
  }
}

/** The read with only its matching records; none left: NO_MATCHED_MESSAGE, the offsets unchanged. */
function applyFilter(result: GetMessagesResult, filter: SharedSql92Filter): GetMessagesResult {
  const { buffer, messageCount } = filterPulledRecords(result.buffer, filter);
  if (messageCount === 0) return { ...result, status: GetMessageStatus.NO_MATCHED_MESSAGE, messageCount, buffer };
  return { ...result, messageCount, buffer };
}
