// AckService: the protocol-neutral ack, batch ack and invisible-time change of popped messages (Java
// `AckMessageProcessor`, `ChangeInvisibleTimeProcessor`). An ack marks its message in the in-flight
// checkpoint; one whose checkpoint is already in the revive log also writes an ack record (acks of
// one turn in one append). A change of invisible time checkpoints the message anew from now and acks
// it in the old checkpoint. Refusals are BrokerErrors. Depends on the pop and meta domains.

import { type BatchAck } from '../../../protocol/pop-batch-ack.js';
import {
  isOrderReceipt,
  parseExtraInfo,
  PopExtraInfoError,
  type PopReceipt,
  topicOfPopMark,
} from '../../../protocol/pop-extra-info.js';
import type { MessageStore } from '../../../store/message-store-api.js';
import { BrokerError, BrokerErrorCode } from '../../domain/broker-error.js';
import type { ConsumerOffsetManager } from '../../domain/meta/consumer-offset-manager.js';
import type { TopicConfigManager } from '../../domain/meta/topic-config-manager.js';
import type { ConsumerOrderInfoManager } from '../../domain/pop/consumer-order-info.js';
import type { PopLongPolling } from '../../domain/pop/pop-long-polling.js';
import { checkpointKey, type InflightCheckpoints } from '../../domain/pop/inflight-checkpoints.js';
import type { AckRecord, PopCheckPoint } from '../../domain/pop/pop-checkpoint.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import { checkReadableQueue } from './pop-checks.js';

/** One message to ack (or whose invisible time to change), as the client names it. */
export interface AckRequest {
  readonly consumerGroup: string;
  /** The topic popped from (the pop retry topic for a retried message). */
  readonly topic: string;
  readonly queueId: number;
  /** The receipt handle. */
  readonly extraInfo: string;
  readonly offset: number;
}

export interface ChangeInvisibleResult {
  readonly popTime: number;
  readonly invisibleTime: number;
  readonly reviveQid: number;
}

export interface AckDeps {
  readonly store: () => MessageStore;
  readonly topics: TopicConfigManager;
  readonly inflight: InflightCheckpoints;
  readonly offsets: ConsumerOffsetManager;
  readonly orderInfo: ConsumerOrderInfoManager;
  /** Held pops are woken when an orderly ack unlocks their queue. */
  readonly polling: PopLongPolling;
  readonly writer: CheckpointWriter;
  readonly nowMs: () => number;
  readonly brokerName: string;
  /** `enablePopBufferMerge`: a new checkpoint waits in memory before it is written. */
  readonly bufferMerge: boolean;
}

export class AckService {
  constructor(private readonly deps: AckDeps) {}

  /** Acks one message. A receipt whose message is no longer in flight (acked, revived) is a success. */
  async ack(request: AckRequest, clientAddress: string): Promise<void> {
    this.checkMessage(request, clientAddress, 'max');
    const receipt = parseReceipt(request.extraInfo);
    if (isOrderReceipt(receipt)) {
      this.ackOrderly(request, receipt, clientAddress);
      return;
    }
    await this.ackOne(request.consumerGroup, request.topic, request.queueId, receipt.ckQueueOffset, receipt.popTime, [
      request.offset,
    ]);
  }

  /** Acks every offset of every entry of a BATCH_ACK body; offsets the queue does not hold are skipped. */
  async batchAck(acks: readonly BatchAck[]): Promise<void> {
    const store = this.deps.store();
    const writes: Promise<void>[] = [];
    for (const ack of acks) {
      const topic = topicOfPopMark(ack.retry, ack.topic, ack.consumerGroup);
      const minOffset = store.getMinOffsetInQueue(topic, ack.queueId);
      const maxOffset = store.getMaxOffsetInQueue(topic, ack.queueId);
      const offsets = ack.ackOffsets.filter((offset) => offset >= minOffset && offset <= maxOffset);
      writes.push(this.ackOne(ack.consumerGroup, topic, ack.queueId, ack.startOffset, ack.popTime, offsets));
    }
    await Promise.all(writes);
  }

  /**
   * Makes the message invisible for `invisibleTimeMs` from now: a new one-message checkpoint, and an
   * ack in the old one. Compat: for a message no longer in flight (acked or revived) Java writes the new
   * checkpoint anyway and the acked message comes back; we answer the same success and write nothing.
   */
  async changeInvisibleTime(
    request: AckRequest,
    invisibleTimeMs: number,
    clientAddress: string,
  ): Promise<ChangeInvisibleResult> {
    this.checkMessage(request, clientAddress, 'before-max');
    const receipt = parseReceipt(request.extraInfo);
    const nowMs = this.deps.nowMs();
    const result = { popTime: nowMs, invisibleTime: invisibleTimeMs, reviveQid: receipt.reviveQid };
    if (isOrderReceipt(receipt)) {
      const { consumerGroup, topic, queueId } = request;
      if (request.offset < this.deps.offsets.queryOffset(consumerGroup, topic, queueId)) return result;
      const nextVisibleTimeMs = nowMs + invisibleTimeMs;
      this.deps.orderInfo.updateNextVisibleTime(topic, consumerGroup, queueId, receipt.popTime, nextVisibleTimeMs);
      return { ...result, popTime: receipt.popTime, invisibleTime: nextVisibleTimeMs - receipt.popTime };
    }
    const { consumerGroup, topic, queueId, offset } = request;
    const oldKey = checkpointKey(consumerGroup, topic, queueId, receipt.ckQueueOffset, receipt.popTime);
    if (!this.deps.inflight.isInflight(oldKey, offset)) return result;
    const ck: PopCheckPoint = {
      startOffset: offset,
      popTime: nowMs,
      invisibleTime: invisibleTimeMs,
      bitMap: 0,
      num: 1,
      queueId,
      topic,
      cid: consumerGroup,
      reviveOffset: 0,
      queueOffsetDiff: [0],
      brokerName: this.deps.brokerName,
    };
    const entry = this.deps.inflight.add(ck, receipt.reviveQid, nowMs, false);
    const written = this.deps.bufferMerge ? Promise.resolve() : this.deps.writer.writeCheckpoints([entry]);
    await Promise.all([
      written,
      this.ackOne(consumerGroup, topic, queueId, receipt.ckQueueOffset, receipt.popTime, [offset]),
    ]);
    return result;
  }

  /**
   * Java `ackOrderly`: commits the group's offset past the acked message (the orderly pop moved none),
   * which unlocks the queue once its pop is fully acked. An ack older than the offset is a success.
   */
  private ackOrderly(request: AckRequest, receipt: PopReceipt, clientAddress: string): void {
    const { consumerGroup, topic, queueId, offset } = request;
    const oldOffset = this.deps.offsets.queryOffset(consumerGroup, topic, queueId);
    if (offset < oldOffset) return;
    const commit = this.deps.orderInfo.commitAndNext(topic, consumerGroup, queueId, offset, receipt.popTime);
    if (commit.kind === 'stale') return;
    if (commit.kind === 'not-found') {
      const remark =
        `offset is illegal, key:${topic}@${consumerGroup}@${queueId}, old:${oldOffset}, commit:${offset}, ` +
        `next:-1, ${clientAddress}`;
      throw new BrokerError(BrokerErrorCode.MESSAGE_ILLEGAL, remark);
    }
    this.deps.offsets.commitOffset(clientAddress, consumerGroup, topic, queueId, commit.nextOffset);
    this.deps.polling.notify(topic, consumerGroup);
  }

  /** Marks offsets of one checkpoint acked; writes ack records for a checkpoint already in the log. */
  private async ackOne(
    group: string,
    topic: string,
    queueId: number,
    startOffset: number,
    popTime: number,
    offsets: readonly number[],
  ): Promise<void> {
    const key = checkpointKey(group, topic, queueId, startOffset, popTime);
    const records: Array<{ ack: AckRecord; reviveQueueId: number }> = [];
    for (const offset of offsets) {
      const outcome = this.deps.inflight.ack(key, offset);
      if (outcome.kind !== 'acked' || !outcome.entry.stored) continue;
      const ack = {
        ackOffset: offset,
        startOffset,
        consumerGroup: group,
        topic,
        queueId,
        popTime,
        brokerName: this.deps.brokerName,
      };
      records.push({ ack, reviveQueueId: outcome.entry.reviveQueueId });
    }
    await this.deps.writer.writeAcks(records);
  }

  /** Java's checks: the topic exists, the queue is in range, the queue holds the offset. */
  private checkMessage(request: AckRequest, clientAddress: string, range: 'max' | 'before-max'): void {
    const queue = { topic: request.topic, queueId: request.queueId, consumer: clientAddress };
    checkReadableQueue(this.deps.topics, queue, BrokerErrorCode.MESSAGE_ILLEGAL, 'ack');
    const store = this.deps.store();
    const minOffset = store.getMinOffsetInQueue(request.topic, request.queueId);
    const maxOffset = store.getMaxOffsetInQueue(request.topic, request.queueId);
    const beyond = range === 'max' ? request.offset > maxOffset : request.offset >= maxOffset;
    if (request.offset >= minOffset && !beyond) return;
    const remark =
      range === 'max'
        ? `offset is illegal, key:${request.topic}@${request.queueId}, commit:${request.offset}, ` +
          `store:${minOffset}~${maxOffset}`
        : '';
    throw new BrokerError(BrokerErrorCode.NO_MESSAGE, remark);
  }
}

/** The receipt handle, or SYSTEM_ERROR (Java answers its parse exception so). */
function parseReceipt(extraInfo: string): PopReceipt {
  try {
    return parseExtraInfo(extraInfo);
  } catch (error) {
    if (error instanceof PopExtraInfoError) throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, error.message);
    throw error;
  }
}
