// TransactionService: transactional messages, protocol-neutral (Java `EndTransactionProcessor`,
// `TransactionalMessageServiceImpl`, `TransactionalMessageCheckService`). END_TRANSACTION commits a
// half to its real queue or rolls it back, and either way appends an op record; every
// `transactionCheckInterval` a check pass walks the half queue from its progress offset, discards
// halves checked too often, re-appends the unresolved old ones and asks a live producer of their
// group through the listeners a front registered (`onCheck`). Progress is kept as consume offsets of
// group CID_RMQ_SYS_TRANS (consumerOffset.json), so it survives a restart (docs/transactions.md);
// END_TRANSACTION itself is settled by EndTransactionSettler, over the same ledger of resolved halves.
// Depends on the transaction domain, the meta and client domains, the store interface and ts/protocol.

import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import { formatSocketAddress, type SocketAddress } from '../../common/socket-address.js';
import { MessageProperty } from '../../protocol/message-properties.js';
import { createOffsetMessageId } from '../../protocol/offset-message-id.js';
import { withRecordDestination } from '../../protocol/record-destination.js';
import { decodeStoredRecords, type StoredMessage } from '../../protocol/record-decoder.js';
import { PERM_READ, PERM_WRITE } from '../../protocol/route-types.js';
import {
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from '../../protocol/topics.js';
import type { AppendResult, GetMessagesResult, StoreMessage } from '../../store/message-store-api.js';
import { GetMessageStatus } from '../../store/message-store-api.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { CID_SYS_RMQ_TRANS } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { decideHalf, type CheckSettings, type HalfDecision } from '../domain/transaction/check-rules.js';
import {
  HALF_QUEUE_ID,
  parseOpRecord,
  renewHalfMessage,
  toDiscardedMessage,
} from '../domain/transaction/transactional-message.js';
import { TransactionLedger } from '../domain/transaction/transaction-ledger.js';
import {
  EndTransactionSettler,
  type EndTransactionOutcome,
  type EndTransactionRequest,
} from './end-transaction-settler.js';
import {
  TRANSACTION_CHECK_MAX_HALVES_PER_PASS,
  TRANSACTION_CHECK_READ_BATCH,
  TRANSACTION_HALF_COUNT_MAX_HALVES,
  TRANSACTION_RESOLVED_OFFSETS_MAX,
  TRANSACTION_RESOLVED_WINDOW_MAX_OFFSETS,
} from '../limits.js';

export type { EndTransactionOutcome, EndTransactionRequest } from './end-transaction-settler.js';

export interface TransactionSettings extends CheckSettings {
  readonly brokerName: string;
  /** `brokerRole` SLAVE: END_TRANSACTION is refused and no check runs. */
  readonly slave: boolean;
  /** `transactionOpMsgMaxSize`: an op record's body is filled while shorter than this (bytes). */
  readonly transactionOpMsgMaxSizeBytes: number;
  /** `transactionCheckInterval`: the time between two check passes. */
  readonly transactionCheckIntervalMs: number;
  /** `brokerIP1:port`: written into op records and offset msgIds. */
  readonly storeHost: () => SocketAddress;
}

/** What the transaction service reads from the store. */
export interface TransactionStore {
  getMessages(topic: string, queueId: number, queueOffset: number, maxCount: number): GetMessagesResult;
  getMessageByOffset(physicalOffset: number): Buffer;
  getMessagesByOffsets(physicalOffsets: readonly number[]): Buffer;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
}

export interface TransactionDeps {
  /** Appends with the rest of the event-loop turn (the AppendBatcher). */
  readonly append: (messages: readonly StoreMessage[]) => Promise<AppendResult>;
  readonly store: () => TransactionStore;
  readonly topics: TopicConfigManager;
  readonly offsets: ConsumerOffsetManager;
  readonly producers: ProducerManager;
  readonly scheduler: Scheduler;
  readonly nextUniqueId: () => string;
  /** A send's parking of a DELAY or timer message (SendService#schedule): a commit is parked too. */
  readonly schedule: (message: StoreMessage, properties: Map<string, string>) => StoreMessage;
  /** Messages became readable on a queue (a commit): wakes held pulls. */
  readonly onStored: (topic: string, queueId: number) => void;
  readonly logger: Logger;
  /** One END settled for a message of `topic` (the metrics' commit and rollback counts). */
  readonly onEnded?: (topic: string, committed: boolean) => void;
}

/** A check-back to send to one producer connection (Java `CheckTransactionStateRequestHeader` + body). */
export interface TransactionCheck {
  readonly connectionId: string;
  readonly producerGroup: string;
  /** The half topic (Java sends the stored topic). */
  readonly topic: string;
  /** The re-appended half's queue offset and CommitLog offset: what the answer must name. */
  readonly tranStateTableOffset: number;
  readonly commitLogOffset: number;
  /** UNIQ_KEY. */
  readonly msgId: string;
  readonly transactionId: string;
  readonly offsetMsgId: string;
  readonly brokerName: string;
  /** The re-appended half as a record addressed to its real topic and queue. */
  readonly body: Buffer;
}

export type TransactionCheckListener = (check: TransactionCheck) => void;

export class TransactionService {
  private readonly listeners: TransactionCheckListener[] = [];
  /** Resolved halves and op records, shared with END_TRANSACTION. */
  private readonly ledger = new TransactionLedger({
    windowMaxOffsets: TRANSACTION_RESOLVED_WINDOW_MAX_OFFSETS,
    recentMax: TRANSACTION_RESOLVED_OFFSETS_MAX,
  });
  private readonly ends: EndTransactionSettler;
  private halfProgress = 0;
  private timer: TimerHandle = undefined;
  private current: Promise<void> | null = null;

  constructor(
    private readonly deps: TransactionDeps,
    private readonly settings: TransactionSettings,
  ) {
    this.ends = new EndTransactionSettler(deps, settings, this.ledger);
  }

  /** END_TRANSACTION: settled with the other ENDs of its turn (EndTransactionSettler). */
  endTransaction(request: EndTransactionRequest): Promise<EndTransactionOutcome> {
    return this.ends.endTransaction(request);
  }

  /** Registers a front's sender of CHECK_TRANSACTION_STATE. */
  onCheck(listener: TransactionCheckListener): void {
    this.listeners.push(listener);
  }

  /** Loads the progress and the op records after it, then checks every `transactionCheckInterval`. */
  start(): void {
    this.loadProgress();
    this.readOps();
    if (this.settings.slave) return;
    this.timer = this.deps.scheduler.setRepeating(this.settings.transactionCheckIntervalMs, () => void this.check());
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.deps.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    await this.current;
    this.commitProgress();
  }

  /** The half queue offset the next check pass starts from. */
  get halfProgressOffset(): number {
    return this.halfProgress;
  }

  /**
   * The unresolved (prepared, neither committed nor rolled back) halves per real topic, at scrape time
   * (`rocketmq_half_messages`): the halves from the check progress on, less those the op records or
   * this process's END_TRANSACTIONs resolved. Reads at most `maxHalves` halves.
   */
  openHalfCounts(maxHalves = TRANSACTION_HALF_COUNT_MAX_HALVES): Map<string, number> {
    this.readOps();
    const counts = new Map<string, number>();
    const store = this.deps.store();
    const max = store.getMaxOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID);
    let offset = this.halfProgress;
    for (let read = 0; offset < max && read < maxHalves;) {
      const batch = Math.min(TRANSACTION_CHECK_READ_BATCH, maxHalves - read);
      const result = store.getMessages(RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID, offset, batch);
      if (result.nextBeginOffset <= offset) break;
      offset = result.nextBeginOffset;
      if (result.status !== GetMessageStatus.FOUND) continue;
      for (const half of decodeStoredRecords(result.buffer)) {
        read += 1;
        if (this.isOpen(half)) {
          const topic = half.properties.get(MessageProperty.REAL_TOPIC) ?? half.topic;
          counts.set(topic, (counts.get(topic) ?? 0) + 1);
        }
      }
    }
    return counts;
  }

  private isOpen(half: StoredMessage): boolean {
    const uniqueId = half.properties.get(MessageProperty.UNIQ_KEY) ?? '';
    return !this.ledger.isResolved(half.queueOffset) && !this.ledger.isResolvedId(uniqueId);
  }

  /** Settles once no check pass is running. */
  whenIdle(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  /** Runs one check pass now (the timer's job); a pass already running is awaited instead. */
  check(): Promise<void> {
    if (this.current !== null) return this.current;
    this.current = this.checkPass()
      .catch((error: unknown) => this.deps.logger.error('transaction check failed', { error: String(error) }))
      .finally(() => {
        this.current = null;
      });
    return this.current;
  }

  /** Java `fetchConsumeOffset`: the stored progress of group CID_RMQ_SYS_TRANS, else the queue's min. */
  private loadProgress(): void {
    const store = this.deps.store();
    const stored = (topic: string): number => {
      const offset = this.deps.offsets.queryOffset(CID_SYS_RMQ_TRANS, topic, HALF_QUEUE_ID);
      const min = store.getMinOffsetInQueue(topic, HALF_QUEUE_ID);
      const max = store.getMaxOffsetInQueue(topic, HALF_QUEUE_ID);
      return offset < 0 ? min : Math.min(Math.max(offset, min), max);
    };
    this.halfProgress = stored(RMQ_SYS_TRANS_HALF_TOPIC);
    // The op records just before the progress name halves resolved before the restart: read them too,
    // so that a repeated END_TRANSACTION is still recognised (as many as the recent set keeps).
    const opMin = store.getMinOffsetInQueue(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID);
    const opReadOffset = Math.max(opMin, stored(RMQ_SYS_TRANS_OP_HALF_TOPIC) - TRANSACTION_RESOLVED_OFFSETS_MAX);
    this.ledger.reset(this.halfProgress, opReadOffset, this.deps.scheduler.now());
  }

  /** Reads every op record not read yet into the resolved set. */
  private readOps(): void {
    const { ledger } = this;
    for (;;) {
      const read = this.deps
        .store()
        .getMessages(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID, ledger.opReadOffset, TRANSACTION_CHECK_READ_BATCH);
      if (read.status !== GetMessageStatus.FOUND) {
        if (read.nextBeginOffset > ledger.opReadOffset && read.status !== GetMessageStatus.OFFSET_OVERFLOW_ONE) {
          ledger.opReadOffset = read.nextBeginOffset;
          continue;
        }
        return;
      }
      for (const record of decodeStoredRecords(read.buffer))
        ledger.readOpRecord(record.queueOffset, parseOpRecord(record));
      ledger.opReadOffset = read.nextBeginOffset;
    }
  }

  /** One pass over the half queue (Java `check`): resolved ones skipped, old ones checked, young ones wait. */
  private async checkPass(): Promise<void> {
    const passStartMs = this.deps.scheduler.now();
    this.readOps();
    const isResolved = (offset: number): boolean => this.ledger.isResolved(offset);
    const isResolvedId = (uniqueId: string): boolean => this.ledger.isResolvedId(uniqueId);
    let looked = 0;
    while (looked < TRANSACTION_CHECK_MAX_HALVES_PER_PASS) {
      this.skipResolved();
      const halves = this.readHalves();
      if (halves.length === 0) break;
      for (const half of halves) {
        if (half.queueOffset < this.halfProgress) continue;
        looked += 1;
        const moment = { passStartMs, nowMs: this.deps.scheduler.now(), isResolved, isResolvedId };
        const decision = decideHalf(half, moment, this.settings);
        if (decision.kind === 'stop') {
          this.commitProgress();
          return;
        }
        await this.apply(half, decision);
        this.halfProgress = half.queueOffset + 1;
      }
    }
    this.commitProgress();
  }

  /** Moves the half progress past resolved halves without reading them (most are, when the check keeps up). */
  private skipResolved(): void {
    const max = this.deps.store().getMaxOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID);
    while (this.halfProgress < max && this.ledger.isConfirmed(this.halfProgress)) this.halfProgress += 1;
  }

  /** The next halves from the progress offset; skips a gap (expired files) to the queue's next offset. */
  private readHalves(): StoredMessage[] {
    const store = this.deps.store();
    const read = store.getMessages(
      RMQ_SYS_TRANS_HALF_TOPIC,
      HALF_QUEUE_ID,
      this.halfProgress,
      TRANSACTION_CHECK_READ_BATCH,
    );
    if (read.status === GetMessageStatus.FOUND) return decodeStoredRecords(read.buffer);
    if (read.status !== GetMessageStatus.OFFSET_OVERFLOW_ONE && read.nextBeginOffset !== this.halfProgress) {
      this.deps.logger.warn('transaction half offset corrected', { from: this.halfProgress, to: read.nextBeginOffset });
      this.halfProgress = read.nextBeginOffset;
    }
    return [];
  }

  private async apply(half: StoredMessage, decision: Exclude<HalfDecision, { kind: 'stop' }>): Promise<void> {
    switch (decision.kind) {
      case 'resolved':
        return;
      case 'discard':
        this.deps.logger.warn('half message checked too many times, moved to TRANS_CHECK_MAX_TIME_TOPIC', {
          queueOffset: half.queueOffset,
          uniqueId: half.properties.get(MessageProperty.UNIQ_KEY),
        });
        this.deps.topics.createTopicInSendMessageBackMethod(
          RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
          1,
          PERM_READ | PERM_WRITE,
          0,
        );
        await this.deps.append([toDiscardedMessage(half)]);
        return;
      case 'immunityCopy':
        this.ledger.noteCopied(half.properties.get(MessageProperty.UNIQ_KEY) ?? '');
        await this.deps.append([renewHalfMessage(half, decision.properties)]);
        return;
      case 'check':
        await this.checkBack(half, decision.properties);
    }
  }

  /** Java `putBackHalfMsgQueue` + `sendCheckMessage`: re-append the half, ask a producer of its group. */
  private async checkBack(half: StoredMessage, properties: Map<string, string>): Promise<void> {
    this.ledger.noteCopied(half.properties.get(MessageProperty.UNIQ_KEY) ?? '');
    const result = await this.deps.append([renewHalfMessage(half, properties)]);
    const physicalOffset = result.offsets[0] as number;
    const queueOffset = result.offsets[1] as number;
    const group = half.properties.get(MessageProperty.PRODUCER_GROUP) ?? '';
    const channel = this.deps.producers.availableChannel(group);
    if (channel === undefined) {
      this.deps.logger.warn('transaction check skipped: no producer of the group is connected', { group });
      return;
    }
    const realTopic = half.properties.get(MessageProperty.REAL_TOPIC) ?? half.topic;
    const realQueueId = Number.parseInt(half.properties.get(MessageProperty.REAL_QID) ?? '', 10) || 0;
    const record = this.deps.store().getMessageByOffset(physicalOffset);
    const uniqueId = half.properties.get(MessageProperty.UNIQ_KEY) ?? '';
    const check: TransactionCheck = {
      connectionId: channel.connectionId,
      producerGroup: group,
      topic: half.topic,
      tranStateTableOffset: queueOffset,
      commitLogOffset: physicalOffset,
      msgId: uniqueId,
      transactionId: uniqueId,
      offsetMsgId: createOffsetMessageId(half.storeHost, physicalOffset),
      brokerName: this.settings.brokerName,
      body: withRecordDestination(record, realTopic, realQueueId),
    };
    for (const listener of this.listeners) listener(check);
  }

  /** Java `updateConsumeOffset` of the half and op queues; op records behind the half progress are done. */
  private commitProgress(): void {
    const opProgress = this.ledger.advanceTo(this.halfProgress);
    const host = formatSocketAddress(this.settings.storeHost());
    const { offsets } = this.deps;
    offsets.commitOffset(host, CID_SYS_RMQ_TRANS, RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID, this.halfProgress);
    offsets.commitOffset(host, CID_SYS_RMQ_TRANS, RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID, opProgress);
  }
}
