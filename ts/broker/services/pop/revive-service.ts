// ReviveService (Java `PopReviveService` and the scan of `PopBufferMergeService`): every
// `reviveInterval` it writes the buffered checkpoints that stayed their time, re-stores the un-acked
// messages of every checkpoint whose invisible time has ended (the pop retry topic with
// reconsumeTimes + 1, or the group's DLQ), and moves each revive queue's progress (the consume offset
// of CID_RMQ_SYS_REVIVE_GROUP) to its oldest live checkpoint. At start it rebuilds the in-flight table
// from the revive log after that progress, so pops survive a restart; at stop it writes the buffer.
// Timers from the injected Scheduler. Depends on the pop and meta domains and the store interface.

import type { Logger } from '../../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../../common/scheduler.js';
import type { SocketAddress } from '../../../common/socket-address.js';
import { MessageProperty } from '../../../protocol/message-properties.js';
import { decodeStoredRecords, type StoredMessage } from '../../../protocol/record-decoder.js';
import { PERM_READ, PERM_WRITE } from '../../../protocol/route-types.js';
import type { AppendResult, MessageStore, StoreMessage } from '../../../store/message-store-api.js';
import type { ConsumerOffsetManager } from '../../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../../domain/meta/topic-config-manager.js';
import {
  checkpointKey,
  type InflightCheckpoint,
  type InflightCheckpoints,
  unackedOffsets,
} from '../../domain/pop/inflight-checkpoints.js';
import {
  type AckRecord,
  decodeAckRecord,
  decodeCheckPoint,
  REVIVE_GROUP,
  ReviveTag,
} from '../../domain/pop/pop-checkpoint.js';
import { buildRevivedMessage } from '../../domain/pop/revive-message.js';
import { POP_RECOVERY_READ_BATCH_RECORDS, POP_REVIVE_BATCH_CHECKPOINTS } from '../../limits.js';
import type { CheckpointWriter } from './checkpoint-writer.js';

/** Java's default max reconsume times of a group without a config. */
const DEFAULT_MAX_RECONSUME_TIMES = 16;

export interface ReviveDeps {
  readonly store: () => MessageStore;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly inflight: InflightCheckpoints;
  readonly writer: CheckpointWriter;
  readonly append: (messages: readonly StoreMessage[]) => Promise<AppendResult>;
  /** Tells the arrival listeners (held pops and pulls) that revived messages are readable. */
  readonly onStored: (topic: string, queueId: number) => void;
  readonly storeHost: () => SocketAddress;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
}

export interface ReviveSettings {
  readonly reviveTopic: string;
  readonly reviveQueueNum: number;
  readonly reviveIntervalMs: number;
  readonly retryTopicV2: boolean;
  readonly bufferMerge: boolean;
  /** `popCkStayBufferTime`: how long a checkpoint may wait in the buffer for its acks. */
  readonly bufferStayMs: number;
}

export class ReviveService {
  private timer: TimerHandle = undefined;
  private pass: Promise<void> | null = null;

  constructor(
    private readonly deps: ReviveDeps,
    private readonly settings: ReviveSettings,
  ) {}

  start(): void {
    for (let queueId = 0; queueId < this.settings.reviveQueueNum; queueId++) this.recover(queueId);
    this.timer = this.deps.scheduler.setRepeating(this.settings.reviveIntervalMs, () => void this.runPass());
  }

  async stop(): Promise<void> {
    this.deps.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    await this.pass;
    await this.deps.writer.writeCheckpoints(this.deps.inflight.unstored(Infinity)).catch((error: unknown) => {
      this.deps.logger.error('pop: writing buffered checkpoints at stop failed', { error });
    });
    this.commitProgress();
  }

  /** One pass (never two at once): buffered checkpoints written, due ones revived, progress moved. */
  runPass(): Promise<void> {
    if (this.pass !== null) return this.pass;
    this.pass = this.passSteps()
      .catch((error: unknown) => this.deps.logger.error('pop: revive pass failed', { error }))
      .finally(() => {
        this.pass = null;
      });
    return this.pass;
  }

  private async passSteps(): Promise<void> {
    const nowMs = this.deps.scheduler.now();
    if (this.settings.bufferMerge) {
      await this.deps.writer.writeCheckpoints(this.deps.inflight.unstored(nowMs - this.settings.bufferStayMs));
    }
    await this.reviveDue(nowMs);
    this.commitProgress();
  }

  /**
   * Re-stores the un-acked messages of the checkpoints due by `nowMs`, in one append, then marks them
   * done in the revive log (a batch ack of what was revived), so a restart does not revive them again.
   */
  private async reviveDue(nowMs: number): Promise<void> {
    const due = this.deps.inflight.due(nowMs, POP_REVIVE_BATCH_CHECKPOINTS);
    if (due.length === 0) return;
    for (const entry of due) this.deps.inflight.remove(entry.key);
    const messages = due.flatMap((entry) => this.revivedMessages(entry));
    try {
      if (messages.length > 0) await this.deps.append(messages);
    } catch (error) {
      for (const entry of due) this.restore(entry);
      throw error;
    }
    for (const message of messages) this.deps.onStored(message.topic, message.queueId);
    await this.deps.writer.writeAcks(due.filter((entry) => entry.stored).map(revivedMarker));
  }

  /** The messages of one due checkpoint still un-acked, as retry (or DLQ) messages. */
  private revivedMessages(entry: InflightCheckpoint): StoreMessage[] {
    const { ck } = entry;
    const maxReconsumeTimes =
      this.deps.groups.findSubscriptionGroupConfig(ck.cid)?.retryMaxTimes ?? DEFAULT_MAX_RECONSUME_TIMES;
    const target = {
      group: ck.cid,
      poppedTopic: ck.topic,
      popTime: ck.popTime,
      maxReconsumeTimes,
      retryTopicV2: this.settings.retryTopicV2,
      storeHost: this.deps.storeHost(),
    };
    return this.readRecords(ck.topic, ck.queueId, unackedOffsets(entry)).map((record) => {
      const { message } = buildRevivedMessage(record, target);
      this.deps.topics.createTopicInSendMessageBackMethod(message.topic, 1, PERM_READ | PERM_WRITE, 0);
      return message;
    });
  }

  /** The records at `queueOffsets` of one queue (ascending); ones the store no longer has are skipped. */
  private readRecords(topic: string, queueId: number, queueOffsets: readonly number[]): StoredMessage[] {
    if (queueOffsets.length === 0) return [];
    const wanted = new Set(queueOffsets);
    const last = queueOffsets[queueOffsets.length - 1] as number;
    const found: StoredMessage[] = [];
    let offset = queueOffsets[0] as number;
    while (offset <= last) {
      const result = this.deps.store().getMessages(topic, queueId, offset, last - offset + 1);
      if (result.messageCount === 0 || result.nextBeginOffset <= offset) break;
      for (const record of decodeStoredRecords(result.buffer)) if (wanted.has(record.queueOffset)) found.push(record);
      offset = result.nextBeginOffset;
    }
    return found;
  }

  private restore(entry: InflightCheckpoint): void {
    const restored = this.deps.inflight.add(
      { ...entry.ck, bitMap: entry.ackedBits },
      entry.reviveQueueId,
      entry.addedAtMs,
      entry.stored,
      entry.reviveLogOffset,
    );
    restored.stored = entry.stored;
  }

  /** Each revive queue's progress: its oldest live written checkpoint, else its end. */
  private commitProgress(): void {
    const { reviveTopic, reviveQueueNum } = this.settings;
    const lowest = this.deps.inflight.lowestReviveLogOffsets(reviveQueueNum);
    for (let queueId = 0; queueId < reviveQueueNum; queueId++) {
      const progress = lowest[queueId] ?? this.deps.store().getMaxOffsetInQueue(reviveTopic, queueId);
      const committed = this.deps.offsets.queryOffset(REVIVE_GROUP, reviveTopic, queueId);
      if (progress > committed) this.deps.offsets.commitOffset('revive', REVIVE_GROUP, reviveTopic, queueId, progress);
    }
  }

  /** Rebuilds the live checkpoints of one revive queue from its log after the progress offset. */
  private recover(reviveQueueId: number): void {
    const { reviveTopic } = this.settings;
    const store = this.deps.store();
    let offset = Math.max(
      this.deps.offsets.queryOffset(REVIVE_GROUP, reviveTopic, reviveQueueId),
      store.getMinOffsetInQueue(reviveTopic, reviveQueueId),
    );
    const maxOffset = store.getMaxOffsetInQueue(reviveTopic, reviveQueueId);
    while (offset < maxOffset) {
      const result = store.getMessages(reviveTopic, reviveQueueId, offset, POP_RECOVERY_READ_BATCH_RECORDS);
      if (result.messageCount === 0 || result.nextBeginOffset <= offset) break;
      for (const record of decodeStoredRecords(result.buffer)) this.replay(record, reviveQueueId);
      offset = result.nextBeginOffset;
    }
    if (this.deps.inflight.size > 0) {
      this.deps.logger.info('pop: checkpoints recovered', { reviveQueueId, inflight: this.deps.inflight.size });
    }
  }

  private replay(record: StoredMessage, reviveQueueId: number): void {
    const tag = record.properties.get(MessageProperty.TAGS);
    const body = record.body.toString('utf8');
    if (tag === ReviveTag.CK) {
      const ck = decodeCheckPoint(body);
      if (ck !== null) this.deps.inflight.add(ck, reviveQueueId, ck.popTime, true, record.queueOffset);
      return;
    }
    if (tag !== ReviveTag.ACK && tag !== ReviveTag.BATCH_ACK) return;
    const ack = decodeAckRecord(body);
    if (ack === null) return;
    const key = checkpointKey(ack.consumerGroup, ack.topic, ack.queueId, ack.startOffset, ack.popTime);
    for (const offset of ack.ackOffsets ?? [ack.ackOffset]) this.deps.inflight.ack(key, offset);
  }
}

/** A batch ack (`bAck`) of a revived checkpoint's un-acked messages: after a restart it counts as done. */
function revivedMarker(entry: InflightCheckpoint): { ack: AckRecord; reviveQueueId: number } {
  const { ck } = entry;
  const ack: AckRecord = {
    ackOffset: -1,
    startOffset: ck.startOffset,
    consumerGroup: ck.cid,
    topic: ck.topic,
    queueId: ck.queueId,
    popTime: ck.popTime,
    brokerName: ck.brokerName,
    ackOffsets: unackedOffsets(entry),
  };
  return { ack, reviveQueueId: entry.reviveQueueId };
}
