// PopService: the protocol-neutral pop (Java `PopMessageProcessor`), called by the Remoting front
// and a future gRPC front alike. Checks the request in Java's order, reads the group's queues from
// their pop offsets (the pop retry topic too, first one time in five), records one checkpoint per
// queue read in the in-flight table and the revive log, advances the group's offsets, and holds a pop
// that found nothing (long polling) until a message arrives or its poll time ends. Refusals are
// BrokerErrors. Depends on the pop, meta and filter domains and the store interface (docs/pop.md §4).

import type { PopMessageRequestHeader } from '../../../protocol/pop-headers.js';
import { ConsumeInitMode } from '../../../protocol/pop-headers.js';
import {
  buildMessageOrderCountInfo,
  buildMsgOffsetInfo,
  buildOrderCountInfo,
  buildStartOffsetInfo,
  POP_ORDER_REVIVE_QUEUE,
  popRetryTopic,
} from '../../../protocol/pop-extra-info.js';
import { isTagType } from '../../../protocol/pull-request-header.js';
import { PERM_READ } from '../../../protocol/route-types.js';
import { isRetryTopic } from '../../../protocol/topics.js';
import { GetMessageStatus, type GetMessagesResult, type MessageStore } from '../../../store/message-store-api.js';
import { BrokerError, BrokerErrorCode } from '../../domain/broker-error.js';
import type { ConsumerFilterTable, SharedSql92Filter } from '../../domain/filter/consumer-filter-table.js';
import { filterPulledRecords } from '../../domain/filter/pulled-records-filter.js';
import type { ConsumerOffsetManager } from '../../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../../domain/meta/topic-config-manager.js';
import type { ConsumerOrderInfoManager } from '../../domain/pop/consumer-order-info.js';
import type { InflightCheckpoint, InflightCheckpoints } from '../../domain/pop/inflight-checkpoints.js';
import type { PopCheckPoint } from '../../domain/pop/pop-checkpoint.js';
import type { PopLongPolling } from '../../domain/pop/pop-long-polling.js';
import { buildSubscription, storeTagCodes } from '../../domain/pull/subscription-expression.js';
import type { SubscriptionData } from '../../domain/client/heartbeat-data.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import { checkGroup, checkReadableQueue, recordQueueOffsets } from './pop-checks.js';
import type { BrokerMetrics } from '../broker-metrics.js';

/** Java: a pop asks for at most 32 messages. */
export const POP_MAX_MSG_NUMS = 32;
/** Java `isTimeoutTooMuch`: a pop that reaches the broker this long after its poll time is answered at once. */
const POP_TIMEOUT_TOO_MUCH_MS = 500;

export interface PopSettings {
  readonly brokerName: string;
  readonly brokerIp: string;
  readonly brokerPermission: number;
  readonly reviveQueueNum: number;
  readonly retryTopicV2: boolean;
  /** Java `popFromRetryProbability` (percent). */
  readonly popFromRetryProbability: number;
  readonly timerWheelEnable: boolean;
  readonly enablePropertyFilter: boolean;
  /** `enablePopBufferMerge`: checkpoints wait in memory before they are written. */
  readonly bufferMerge: boolean;
}

export interface PopDeps {
  readonly store: () => MessageStore;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly filters: ConsumerFilterTable;
  readonly inflight: InflightCheckpoints;
  readonly orderInfo: ConsumerOrderInfoManager;
  readonly writer: CheckpointWriter;
  readonly polling: PopLongPolling;
  readonly nowMs: () => number;
  readonly random: () => number;
  /** Counts the messages popped (docs/metrics.md); absent in tests that do not look. */
  readonly metrics?: Pick<BrokerMetrics, 'recordOut'>;
}

export type PopStatus = 'FOUND' | 'NO_MESSAGE' | 'POLLING_FULL' | 'TIMEOUT_TOO_MUCH';

/** A pop's answer: the records (raw, back to back) and what the client needs to build receipt handles. */
export interface PopResult {
  readonly status: PopStatus;
  readonly popTime: number;
  readonly invisibleTime: number;
  readonly reviveQid: number;
  readonly restNum: number;
  readonly startOffsetInfo: string;
  readonly msgOffsetInfo: string;
  readonly orderCountInfo?: string;
  readonly messageCount: number;
  readonly body: Buffer | null;
  readonly remark: string;
}

/** The state of one pop while it visits queues. */
interface PopRound {
  readonly header: PopMessageRequestHeader;
  readonly clientAddress: string;
  readonly popTime: number;
  readonly reviveQid: number;
  readonly tagCodes: readonly number[] | null;
  readonly filter: SharedSql92Filter | null;
  readonly bodies: Buffer[];
  readonly checkpoints: InflightCheckpoint[];
  messageCount: number;
  restNum: number;
  startOffsetInfo: string;
  msgOffsetInfo: string;
  orderCountInfo: string;
}

export class PopService {
  private checkpointCounter = 0;

  constructor(
    private readonly deps: PopDeps,
    private readonly settings: PopSettings,
  ) {}

  /**
   * Pops for the consumer at `clientAddress`; a promise when held (long polling) or writing checkpoints. A held
   * pop whose requester went away (`isCancelled`, e.g. a cancelled gRPC call) pops nothing when it wakes.
   */
  receive(
    header: PopMessageRequestHeader,
    clientAddress: string,
    isCancelled: () => boolean = () => false,
  ): Promise<PopResult> | PopResult {
    const bornTime = header.bornTime === 0 ? this.deps.nowMs() : header.bornTime;
    if (this.deps.nowMs() - bornTime - header.pollTime > POP_TIMEOUT_TOO_MUCH_MS) {
      return emptyResult(
        'TIMEOUT_TOO_MUCH',
        header,
        0,
        `the broker[${this.settings.brokerIp}] pop message is timeout too much`,
      );
    }
    this.check(header, clientAddress);
    const subscription = this.subscription(header);
    return this.popOrHold(header, clientAddress, subscription, true, isCancelled);
  }

  private popOrHold(
    header: PopMessageRequestHeader,
    clientAddress: string,
    subscription: { data: SubscriptionData; filter: SharedSql92Filter | null },
    allowHold: boolean,
    isCancelled: () => boolean,
  ): Promise<PopResult> | PopResult {
    if (isCancelled()) return emptyResult('NO_MESSAGE', header, 0);
    const round = this.popOnce(header, clientAddress, subscription);
    if (round.messageCount > 0) return this.finish(round);
    if (!allowHold || header.pollTime <= 0) return emptyResult('NO_MESSAGE', header, round.restNum);
    const topics = [header.topic, popRetryTopic(header.topic, header.consumerGroup, this.settings.retryTopicV2)];
    return new Promise((resolve, reject) => {
      const deadlineMs = this.deps.nowMs() + header.pollTime;
      const held = this.deps.polling.hold(topics, header.consumerGroup, deadlineMs, (reason) => {
        try {
          const again = reason === 'arrival' && this.deps.nowMs() < deadlineMs;
          const remaining = { ...header, pollTime: deadlineMs - this.deps.nowMs() };
          resolve(this.popOrHold(again ? remaining : header, clientAddress, subscription, again, isCancelled));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      if (!held) resolve(emptyResult('POLLING_FULL', header, round.restNum));
    });
  }

  /** One pass over the queues (Java `processRequest` without the polling). */
  private popOnce(
    header: PopMessageRequestHeader,
    clientAddress: string,
    subscription: { data: SubscriptionData; filter: SharedSql92Filter | null },
  ): PopRound {
    const round = this.newRound(header, clientAddress, subscription);
    const retryTopic = popRetryTopic(header.topic, header.consumerGroup, this.settings.retryTopicV2);
    const retryFirst = this.deps.random() * 100 < this.settings.popFromRetryProbability;
    const order = header.order === true;
    if (retryFirst && !order) this.popTopic(round, retryTopic);
    if (header.queueId < 0) this.popTopic(round, header.topic);
    else this.popQueue(round, header.topic, header.queueId);
    if (!retryFirst && !order && round.messageCount < header.maxMsgNums) this.popTopic(round, retryTopic);
    return round;
  }

  private newRound(
    header: PopMessageRequestHeader,
    clientAddress: string,
    subscription: { data: SubscriptionData; filter: SharedSql92Filter | null },
  ): PopRound {
    const order = header.order === true;
    const reviveQid = order ? POP_ORDER_REVIVE_QUEUE : this.checkpointCounter++ % this.settings.reviveQueueNum;
    return {
      header,
      clientAddress,
      popTime: this.deps.nowMs(),
      reviveQid,
      tagCodes: storeTagCodes(subscription.data),
      filter: subscription.filter,
      bodies: [],
      checkpoints: [],
      messageCount: 0,
      restNum: 0,
      startOffsetInfo: '',
      msgOffsetInfo: '',
      orderCountInfo: '',
    };
  }

  /** Every read queue of `topic`, starting at a random one. */
  private popTopic(round: PopRound, topic: string): void {
    const config = this.deps.topics.get(topic);
    if (config === undefined) return;
    const start = Math.floor(this.deps.random() * 100);
    for (let i = 0; i < config.readQueueNums; i++) this.popQueue(round, topic, (start + i) % config.readQueueNums);
  }

  /** Java `popMsgFromQueue`: reads from the pop offset, records the checkpoint, advances the offset. */
  private popQueue(round: PopRound, topic: string, queueId: number): void {
    const { header } = round;
    const store = this.deps.store();
    const offset = this.popOffset(header, topic, queueId);
    const wanted = header.maxMsgNums - round.messageCount;
    if (header.order === true && this.isOrderBlocked(round, topic, queueId)) return;
    if (wanted <= 0 || this.deps.inflight.isFull()) {
      round.restNum += store.getMaxOffsetInQueue(topic, queueId) - offset;
      return;
    }
    const read = this.read(round, topic, queueId, offset, wanted);
    round.restNum += read.maxOffset - read.nextBeginOffset;
    if (read.status !== GetMessageStatus.FOUND) {
      if (read.nextBeginOffset > offset) this.commit(round, topic, queueId, read.nextBeginOffset);
      return;
    }
    const kept = round.filter === null ? read : { ...read, ...filterPulledRecords(read.buffer, round.filter) };
    const order = header.order === true;
    if (!order || kept.messageCount === 0) this.commit(round, topic, queueId, read.nextBeginOffset);
    if (kept.messageCount === 0) return;
    const queueOffsets = recordQueueOffsets(kept.buffer);
    if (order) this.recordOrderlyPop(round, topic, queueId, queueOffsets);
    else round.checkpoints.push(this.checkpoint(round, topic, queueId, offset, queueOffsets));
    round.bodies.push(kept.buffer);
    round.messageCount += queueOffsets.length;
    round.startOffsetInfo = buildStartOffsetInfo(round.startOffsetInfo, topic, queueId, offset);
    round.msgOffsetInfo = buildMsgOffsetInfo(round.msgOffsetInfo, topic, queueId, queueOffsets);
  }

  /** Reads `wanted` messages; an offset the store no longer (or never) had is moved to the store's answer. */
  private read(round: PopRound, topic: string, queueId: number, offset: number, wanted: number): GetMessagesResult {
    const store = this.deps.store();
    const options = { tagCodes: round.tagCodes };
    const result = store.getMessages(topic, queueId, offset, wanted, options);
    const moved =
      result.status === GetMessageStatus.OFFSET_TOO_SMALL ||
      result.status === GetMessageStatus.OFFSET_OVERFLOW_BADLY ||
      result.status === GetMessageStatus.OFFSET_FOUND_NULL;
    if (!moved || result.nextBeginOffset === offset) return result;
    this.commit(round, topic, queueId, result.nextBeginOffset);
    return store.getMessages(topic, queueId, result.nextBeginOffset, wanted, options);
  }

  /** The checkpoint of the messages popped from one queue, added to the in-flight table. */
  private checkpoint(
    round: PopRound,
    topic: string,
    queueId: number,
    startOffset: number,
    queueOffsets: readonly number[],
  ): InflightCheckpoint {
    const ck: PopCheckPoint = {
      startOffset,
      popTime: round.popTime,
      invisibleTime: round.header.invisibleTime,
      bitMap: 0,
      num: queueOffsets.length,
      queueId,
      topic,
      cid: round.header.consumerGroup,
      reviveOffset: 0,
      queueOffsetDiff: queueOffsets.map((queueOffset) => queueOffset - startOffset),
      brokerName: this.settings.brokerName,
    };
    return this.deps.inflight.add(ck, round.reviveQid, round.popTime, false);
  }

  /** Java `checkBlock`: an orderly queue stays locked while its last pop is un-acked and invisible. */
  private isOrderBlocked(round: PopRound, topic: string, queueId: number): boolean {
    const { header } = round;
    return this.deps.orderInfo.isBlocked(topic, header.consumerGroup, queueId, round.popTime, header.attemptId);
  }

  /** An orderly pop: no checkpoint and no offset move (the ack moves it); attempts counted per offset. */
  private recordOrderlyPop(round: PopRound, topic: string, queueId: number, queueOffsets: readonly number[]): void {
    const { header } = round;
    const counts = this.deps.orderInfo.update(topic, header.consumerGroup, queueId, {
      popTime: round.popTime,
      invisibleTime: header.invisibleTime,
      queueOffsets,
      ...(header.attemptId !== undefined && { attemptId: header.attemptId }),
    });
    for (const [offset, count] of counts.byOffset) {
      round.orderCountInfo = buildMessageOrderCountInfo(round.orderCountInfo, topic, queueId, offset, count);
    }
    round.orderCountInfo = buildOrderCountInfo(round.orderCountInfo, topic, queueId, counts.minCount);
  }

  /** Writes the round's checkpoints (unless the merge buffer keeps them), then answers FOUND. */
  private async finish(round: PopRound): Promise<PopResult> {
    if (!this.settings.bufferMerge) await this.deps.writer.writeCheckpoints(round.checkpoints);
    const { header } = round;
    const body = round.bodies.length === 1 ? (round.bodies[0] as Buffer) : Buffer.concat(round.bodies);
    this.deps.metrics?.recordOut(header.topic, header.consumerGroup, round.messageCount, body.length);
    return {
      status: 'FOUND',
      popTime: round.popTime,
      invisibleTime: header.invisibleTime,
      reviveQid: round.reviveQid,
      restNum: round.restNum,
      startOffsetInfo: round.startOffsetInfo,
      msgOffsetInfo: round.msgOffsetInfo,
      ...(header.order === true && { orderCountInfo: round.orderCountInfo }),
      messageCount: round.messageCount,
      body,
      remark: 'FOUND',
    };
  }

  /** Java `getPopOffset`: the group's offset, or where a group new to the queue starts (`initMode`). */
  private popOffset(header: PopMessageRequestHeader, topic: string, queueId: number): number {
    const committed = this.deps.offsets.queryOffset(header.consumerGroup, topic, queueId);
    if (committed >= 0) return committed;
    const store = this.deps.store();
    const minOffset = store.getMinOffsetInQueue(topic, queueId);
    let offset: number;
    if (header.initMode === ConsumeInitMode.MIN || isRetryTopic(topic) || minOffset <= 0) offset = minOffset;
    else offset = Math.max(store.getMaxOffsetInQueue(topic, queueId) - 1, 0);
    this.deps.offsets.commitOffset('getPopOffset', header.consumerGroup, topic, queueId, offset);
    return offset;
  }

  private commit(round: PopRound, topic: string, queueId: number, offset: number): void {
    this.deps.offsets.commitOffset(round.clientAddress, round.header.consumerGroup, topic, queueId, offset);
  }

  /** The broker, size, topic, queue and group checks, in Java's order. */
  private check(header: PopMessageRequestHeader, clientAddress: string): void {
    const { brokerIp } = this.settings;
    if ((this.settings.brokerPermission & PERM_READ) === 0) {
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, `the broker[${brokerIp}] pop message is forbidden`);
    }
    if (header.maxMsgNums > POP_MAX_MSG_NUMS) {
      const remark = `the broker[${brokerIp}] pop message's num is greater than ${POP_MAX_MSG_NUMS}`;
      throw new BrokerError(BrokerErrorCode.INVALID_PARAMETER, remark);
    }
    if (!this.settings.timerWheelEnable) {
      const remark = `the broker[${brokerIp}] pop message is forbidden because timerWheelEnable is false`;
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
    }
    const queue = { topic: header.topic, queueId: header.queueId, consumer: clientAddress };
    checkReadableQueue(this.deps.topics, queue, BrokerErrorCode.INVALID_PARAMETER);
    checkGroup(this.deps.groups, header.consumerGroup);
  }

  /** Java `FilterAPI.build` of the pop's expression; SQL92 compiled through the shared filter table. */
  private subscription(header: PopMessageRequestHeader): { data: SubscriptionData; filter: SharedSql92Filter | null } {
    const parseFailed = new BrokerError(
      BrokerErrorCode.SUBSCRIPTION_PARSE_FAILED,
      "parse the consumer's subscription failed",
    );
    const expression = header.exp === undefined || header.exp === '' ? '*' : header.exp;
    const built = buildSubscription(header.topic, expression, header.expType);
    if (!built.ok) throw parseFailed;
    if (isTagType(built.subscription.expressionType)) return { data: built.subscription, filter: null };
    if (!this.settings.enablePropertyFilter) {
      const remark = `The broker does not support consumer to filter message by ${built.subscription.expressionType}`;
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
    }
    try {
      return { data: built.subscription, filter: this.deps.filters.compile(expression) };
    } catch {
      throw parseFailed;
    }
  }
}

function emptyResult(status: PopStatus, header: PopMessageRequestHeader, restNum: number, remark?: string): PopResult {
  return {
    status,
    popTime: 0,
    invisibleTime: header.invisibleTime,
    reviveQid: 0,
    restNum,
    startOffsetInfo: '',
    msgOffsetInfo: '',
    messageCount: 0,
    body: null,
    remark: remark ?? 'NO_MESSAGE_IN_QUEUE',
  };
}
