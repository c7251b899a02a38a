// TransactionService: transactional messages, protocol-neutral (Java `EndTransactionProcessor`,
// `TransactionalMessageServiceImpl`, `TransactionalMessageCheckService`). END_TRANSACTION commits a
// half to its real queue or rolls it back, and either way appends an op record; every
// `transactionCheckInterval` a check pass walks the half queue from its progress offset, discards
// halves checked too often, re-appends the unresolved old ones and asks a live producer of their
// group through the listeners a front registered (`onCheck`). Progress is kept as consume offsets of
// group CID_RMQ_SYS_TRANS (consumerOffset.json), so it survives a restart (docs/transactions.md).
// Depends on the transaction domain, the meta and client domains, the store interface and ts/protocol.

import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import { formatSocketAddress, type SocketAddress } from '../../common/socket-address.js';
import { MessageProperty, parseMessageProperties } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { createOffsetMessageId } from '../../protocol/offset-message-id.js';
import { withRecordDestination } from '../../protocol/record-destination.js';
import {
  decodeStoredRecord,
  decodeStoredRecords,
  RecordDecodeError,
  type StoredMessage,
} from '../../protocol/record-decoder.js';
import { PERM_READ, PERM_WRITE } from '../../protocol/route-types.js';
import {
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from '../../protocol/topics.js';
import type { AppendResult, GetMessagesResult, StoreMessage } from '../../store/message-store-api.js';
import { GetMessageStatus } from '../../store/message-store-api.js';
import { isStoreError } from '../../store/store-errors.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { CID_SYS_RMQ_TRANS } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import {
  checkPrepareMessage,
  decideHalf,
  rejectCommitOrRollback,
  type CheckSettings,
  type HalfDecision,
} from '../domain/transaction/check-rules.js';
import {
  groupOpOffsets,
  HALF_QUEUE_ID,
  mayBeScheduled,
  parseOpRecord,
  renewHalfMessage,
  toCommittedMessage,
  toDiscardedMessage,
  toOpMessage,
} from '../domain/transaction/transactional-message.js';
import {
  OpRecordIndex,
  RecentOffsets,
  RecentValues,
  ResolvedHalfOffsets,
} from '../domain/transaction/transaction-progress.js';
import {
  TRANSACTION_CHECK_MAX_HALVES_PER_PASS,
  TRANSACTION_CHECK_READ_BATCH,
  TRANSACTION_RESOLVED_OFFSETS_MAX,
  TRANSACTION_RESOLVED_WINDOW_MAX_OFFSETS,
} from '../limits.js';

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
}

/** END_TRANSACTION's fields (Java `EndTransactionRequestHeader`). */
export interface EndTransactionRequest {
  readonly producerGroup: string;
  readonly tranStateTableOffset: number;
  readonly commitLogOffset: number;
  /** MessageSysFlag transaction type: 0 unknown, 8 commit, 12 rollback. */
  readonly commitOrRollback: number;
  readonly fromTransactionCheck: boolean;
  readonly msgId: string;
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

/** The outcome of END_TRANSACTION: applied, or ignored without a reply (unknown state, as Java). */
export type EndTransactionOutcome = 'committed' | 'rolledBack' | 'ignored';

/** An END_TRANSACTION waiting for the end of its turn. */
interface PendingEnd {
  readonly request: EndTransactionRequest;
  readonly resolve: (outcome: EndTransactionOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** An END_TRANSACTION that passed Java's checks: its half and, for a commit, the message to store. */
interface AcceptedEnd {
  readonly end: PendingEnd;
  readonly half: StoredMessage;
  readonly uniqueId: string;
  readonly committed: StoreMessage | null;
}

/** A store failure as the BrokerError the front answers with (SYSTEM_ERROR and its message). */
function toBrokerError(error: unknown): unknown {
  return isStoreError(error) ? new BrokerError(BrokerErrorCode.SYSTEM_ERROR, error.message) : error;
}

/** Java's remark when END_TRANSACTION names no half message. */
const PREPARED_MESSAGE_NOT_FOUND = 'Find prepared transaction message failed';

export class TransactionService {
  private readonly listeners: TransactionCheckListener[] = [];
  /** Half queue offsets with an op record, from the half progress on (what the check skips). */
  private readonly resolved = new ResolvedHalfOffsets(TRANSACTION_RESOLVED_WINDOW_MAX_OFFSETS);
  /** The latest resolved half offsets, before the progress too (bounded): a repeated END is refused. */
  private readonly recentlyResolved = new RecentOffsets(TRANSACTION_RESOLVED_OFFSETS_MAX);
  /** UNIQ_KEYs resolved by END_TRANSACTION in this process (bounded): every copy of a half is done. */
  private readonly resolvedIds = new RecentValues<string>(TRANSACTION_RESOLVED_OFFSETS_MAX);
  /** Op records not yet behind the half progress: where the op progress is. */
  private readonly opRecords = new OpRecordIndex();
  private halfProgress = 0;
  private opReadOffset = 0;
  /** END_TRANSACTIONs of this turn, settled together at its end. */
  private pendingEnds: PendingEnd[] = [];
  private timer: TimerHandle = undefined;
  private current: Promise<void> | null = null;

  constructor(
    private readonly deps: TransactionDeps,
    private readonly settings: TransactionSettings,
  ) {}

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

  /**
   * END_TRANSACTION (Java `EndTransactionProcessor#processRequest`): commit re-stores the half on
   * its real queue, rollback does not; both append an op record. Throws BrokerError on a refusal.
   * The ENDs of one event-loop turn are settled together (`settleEnds`).
   */
  async endTransaction(request: EndTransactionRequest): Promise<EndTransactionOutcome> {
    if (this.settings.slave) throw new BrokerError(BrokerErrorCode.SLAVE_NOT_AVAILABLE, '');
    const commit = request.commitOrRollback === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    if (!commit && request.commitOrRollback !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return 'ignored';
    return new Promise((resolve, reject) => {
      this.pendingEnds.push({ request, resolve, reject });
      if (this.pendingEnds.length === 1) this.deps.scheduler.afterTurn(() => this.settleEndsOfTurn());
    });
  }

  private settleEndsOfTurn(): void {
    this.settleEnds().catch((error: unknown) => {
      this.deps.logger.error('END_TRANSACTION settlement failed', { error: String(error) });
    });
  }

  /**
   * The ENDs of one turn: their halves read with one store call, each checked in arrival order, then
   * the commits and the op records (merged, `transactionOpMsgMaxSize`) appended together.
   */
  private async settleEnds(): Promise<void> {
    const ends = this.pendingEnds;
    this.pendingEnds = [];
    let halves: Map<number, StoredMessage>;
    try {
      halves = this.readHalvesAt(ends.map((end) => end.request.commitLogOffset));
    } catch (error) {
      for (const end of ends) end.reject(toBrokerError(error));
      return;
    }
    const accepted: AcceptedEnd[] = [];
    for (const end of ends) {
      try {
        accepted.push(this.acceptEnd(end, halves.get(end.request.commitLogOffset) ?? null));
      } catch (error) {
        end.reject(error);
      }
    }
    if (accepted.length > 0) await this.writeResolutions(accepted);
  }

  /** The halves at these CommitLog offsets, by offset (one store call); offsets with none are absent. */
  private readHalvesAt(physicalOffsets: readonly number[]): Map<number, StoredMessage> {
    const wanted = [...new Set(physicalOffsets.filter((offset) => Number.isSafeInteger(offset) && offset >= 0))];
    const halves = new Map<number, StoredMessage>();
    if (wanted.length === 0) return halves;
    const records =
      wanted.length === 1 ? this.recordAt(wanted[0] as number) : this.deps.store().getMessagesByOffsets(wanted);
    // Decoded one by one: a record that does not decode ends the read (the rest are "not found").
    for (let position = 0; position < records.length;) {
      let record: StoredMessage;
      try {
        record = decodeStoredRecord(records, position);
      } catch (error) {
        if (error instanceof RecordDecodeError) break;
        throw error;
      }
      if (record.topic === RMQ_SYS_TRANS_HALF_TOPIC) halves.set(record.physicalOffset, record);
      position += record.totalSizeBytes;
    }
    return halves;
  }

  /** One record, or none when no record starts there (Java's null). */
  private recordAt(physicalOffset: number): Buffer {
    try {
      return this.deps.store().getMessageByOffset(physicalOffset);
    } catch (error) {
      if (isStoreError(error)) return Buffer.alloc(0);
      throw error;
    }
  }

  /** Java's checks of one END against its half; marks it resolved (so a second END is refused) or throws. */
  private acceptEnd(end: PendingEnd, half: StoredMessage | null): AcceptedEnd {
    const { request } = end;
    if (half === null) throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, PREPARED_MESSAGE_NOT_FOUND);
    const nowMs = this.deps.scheduler.now();
    if (rejectCommitOrRollback(half, request.fromTransactionCheck, nowMs, this.settings.transactionTimeoutMs)) {
      throw new BrokerError(BrokerErrorCode.ILLEGAL_OPERATION, '');
    }
    const wrong = checkPrepareMessage(half, request);
    if (wrong !== null) throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, wrong);
    // Compat: Java applies a second commit or rollback again (a duplicate message); we refuse it,
    // also for another copy of the same half (an answer to an earlier check).
    const uniqueId = half.properties.get(MessageProperty.UNIQ_KEY) ?? '';
    if (this.isResolved(half.queueOffset) || this.resolvedIds.has(uniqueId)) {
      const remark = `The transaction of half offset ${half.queueOffset} has already been committed or rolled back`;
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
    }
    const committed = request.commitOrRollback === MessageSysFlag.TRANSACTION_COMMIT_TYPE ? this.commitOf(half) : null;
    if (uniqueId !== '') this.resolvedIds.add(uniqueId);
    this.recentlyResolved.add(half.queueOffset);
    return { end, half, uniqueId, committed };
  }

  /** The committed message, parked like a send when it carries a DELAY level or a timer. */
  private commitOf(half: StoredMessage): StoreMessage {
    const committed = toCommittedMessage(half);
    if (committed === null) {
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, 'The half message names no real topic and queue');
    }
    if (!mayBeScheduled(half.properties)) return committed;
    return this.deps.schedule(committed, parseMessageProperties(committed.properties ?? ''));
  }

  /**
   * Appends the commits and op records of `accepted` together, all or nothing, then records them
   * resolved and answers each END.
   */
  private async writeResolutions(accepted: readonly AcceptedEnd[]): Promise<void> {
    const commits = accepted.flatMap((one) => (one.committed === null ? [] : [one.committed]));
    const halfOffsets = accepted.map((one) => one.half.queueOffset);
    const opGroups = groupOpOffsets(halfOffsets, this.settings.transactionOpMsgMaxSizeBytes);
    const broker = { storeHost: this.settings.storeHost(), nowMs: this.deps.scheduler.now() };
    const ops = opGroups.map((group) => toOpMessage(group, { ...broker, uniqueId: this.deps.nextUniqueId() }));
    let result: AppendResult;
    try {
      result = await this.deps.append([...commits, ...ops]);
    } catch (error) {
      await this.resolutionsFailed(accepted, error);
      return;
    }
    for (const offset of halfOffsets) this.resolved.add(offset);
    opGroups.forEach((group, i) => {
      const opQueueOffset = result.offsets[2 * (commits.length + i) + 1] as number;
      this.noteOwnOpRecord(opQueueOffset, Math.max(...group));
    });
    for (const one of accepted) one.end.resolve(one.committed === null ? 'rolledBack' : 'committed');
    this.notifyStored(commits);
  }

  /** One bad message fails a store batch whole: each END is then appended alone, so only a bad one fails. */
  private async resolutionsFailed(accepted: readonly AcceptedEnd[], error: unknown): Promise<void> {
    if (accepted.length > 1 && isStoreError(error)) {
      await Promise.all(accepted.map((one) => this.writeResolutions([one])));
      return;
    }
    for (const one of accepted) {
      this.recentlyResolved.delete(one.half.queueOffset);
      this.resolvedIds.delete(one.uniqueId);
      one.end.reject(toBrokerError(error));
    }
  }

  /** Wakes the held pulls of each queue that received a commit, once per queue. */
  private notifyStored(commits: readonly StoreMessage[]): void {
    const notified = new Set<string>();
    for (const { topic, queueId } of commits) {
      const queue = `${topic}\u0000${queueId}`;
      if (notified.has(queue)) continue;
      notified.add(queue);
      this.deps.onStored(topic, queueId);
    }
  }

  /** An op record this service appended: indexed at once, and not read back when it is next in line. */
  private noteOwnOpRecord(opQueueOffset: number, halfQueueOffset: number): void {
    if (opQueueOffset !== this.opReadOffset) return;
    this.opRecords.add(opQueueOffset, halfQueueOffset);
    this.opReadOffset += 1;
  }

  private isResolved(halfQueueOffset: number): boolean {
    return this.resolved.has(halfQueueOffset) || this.recentlyResolved.has(halfQueueOffset);
  }

  private markResolved(halfQueueOffset: number): void {
    this.resolved.add(halfQueueOffset);
    this.recentlyResolved.add(halfQueueOffset);
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
    this.resolved.reset(this.halfProgress);
    // The op records just before the progress name halves resolved before the restart: read them too,
    // so that a repeated END_TRANSACTION is still recognised (as many as the recent set keeps).
    const opMin = store.getMinOffsetInQueue(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID);
    this.opReadOffset = Math.max(opMin, stored(RMQ_SYS_TRANS_OP_HALF_TOPIC) - TRANSACTION_RESOLVED_OFFSETS_MAX);
  }

  /** Reads every op record not read yet into the resolved set. */
  private readOps(): void {
    for (;;) {
      const read = this.deps
        .store()
        .getMessages(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID, this.opReadOffset, TRANSACTION_CHECK_READ_BATCH);
      if (read.status !== GetMessageStatus.FOUND) {
        if (read.nextBeginOffset > this.opReadOffset && read.status !== GetMessageStatus.OFFSET_OVERFLOW_ONE) {
          this.opReadOffset = read.nextBeginOffset;
          continue;
        }
        return;
      }
      for (const record of decodeStoredRecords(read.buffer)) {
        const halfOffsets = parseOpRecord(record);
        for (const offset of halfOffsets) this.markResolved(offset);
        this.opRecords.add(
          record.queueOffset,
          halfOffsets.reduce((max, offset) => Math.max(max, offset), -1),
        );
      }
      this.opReadOffset = read.nextBeginOffset;
    }
  }

  /** One pass over the half queue (Java `check`): resolved ones skipped, old ones checked, young ones wait. */
  private async checkPass(): Promise<void> {
    const passStartMs = this.deps.scheduler.now();
    this.readOps();
    const isResolved = (offset: number): boolean => this.isResolved(offset);
    const isResolvedId = (uniqueId: string): boolean => uniqueId !== '' && this.resolvedIds.has(uniqueId);
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
    while (this.halfProgress < max && this.resolved.has(this.halfProgress)) this.halfProgress += 1;
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
        await this.deps.append([renewHalfMessage(half, decision.properties)]);
        return;
      case 'check':
        await this.checkBack(half, decision.properties);
    }
  }

  /** Java `putBackHalfMsgQueue` + `sendCheckMessage`: re-append the half, ask a producer of its group. */
  private async checkBack(half: StoredMessage, properties: Map<string, string>): Promise<void> {
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
    this.resolved.forgetBefore(this.halfProgress);
    this.opRecords.pruneBefore(this.halfProgress);
    const opProgress = this.opRecords.progress(this.opReadOffset);
    const host = formatSocketAddress(this.settings.storeHost());
    const { offsets } = this.deps;
    offsets.commitOffset(host, CID_SYS_RMQ_TRANS, RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID, this.halfProgress);
    offsets.commitOffset(host, CID_SYS_RMQ_TRANS, RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID, opProgress);
  }
}
