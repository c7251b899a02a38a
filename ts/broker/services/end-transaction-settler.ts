// END_TRANSACTION, protocol-neutral (Java `EndTransactionProcessor`, `TransactionalMessageServiceImpl`'s
// `commitMessage` and `deletePrepareMessage`): the ENDs of one event-loop turn are settled together,
// their halves read with one store call, their commits and merged op records appended in one append
// (docs/transactions.md §2, §3). Depends on the transaction domain, the store interface and ts/protocol.

import { MessageProperty, parseMessageProperties } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { decodeStoredRecord, RecordDecodeError, type StoredMessage } from '../../protocol/record-decoder.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../protocol/topics.js';
import type { AppendResult, StoreMessage } from '../../store/message-store-api.js';
import { isStoreError } from '../../store/store-errors.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import { checkPrepareMessage, rejectCommitOrRollback } from '../domain/transaction/check-rules.js';
import type { TransactionLedger } from '../domain/transaction/transaction-ledger.js';
import {
  groupOpOffsets,
  mayBeScheduled,
  toCommittedMessage,
  toOpMessage,
} from '../domain/transaction/transactional-message.js';
import { TRANSACTION_END_BATCH_MAX_COUNT } from '../limits.js';
import type { TransactionDeps, TransactionSettings } from './transaction-service.js';

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

type EndTransactionDeps = Pick<
  TransactionDeps,
  'append' | 'store' | 'scheduler' | 'nextUniqueId' | 'schedule' | 'onStored' | 'logger' | 'onEnded'
>;
type EndTransactionSettings = Pick<
  TransactionSettings,
  'slave' | 'transactionTimeoutMs' | 'transactionOpMsgMaxSizeBytes' | 'storeHost'
>;

export class EndTransactionSettler {
  /** END_TRANSACTIONs of this turn, settled together at its end. */
  private pending: PendingEnd[] = [];

  constructor(
    private readonly deps: EndTransactionDeps,
    private readonly settings: EndTransactionSettings,
    private readonly ledger: TransactionLedger,
  ) {}

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
      this.pending.push({ request, resolve, reject });
      if (this.pending.length === 1) this.deps.scheduler.afterTurn(() => this.settleEndsOfTurn());
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
    const ends = this.pending;
    this.pending = [];
    const batches: Promise<void>[] = [];
    for (let start = 0; start < ends.length; start += TRANSACTION_END_BATCH_MAX_COUNT) {
      batches.push(this.settleBatch(ends.slice(start, start + TRANSACTION_END_BATCH_MAX_COUNT)));
    }
    await Promise.all(batches);
  }

  /** Up to TRANSACTION_END_BATCH_MAX_COUNT ENDs: read, checked in order, written (see settleEnds). */
  private async settleBatch(ends: readonly PendingEnd[]): Promise<void> {
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
    const id = half.properties.get(MessageProperty.UNIQ_KEY) ?? '';
    const uniqueId = this.ledger.tracksId(id, half.storeTimestamp) ? id : '';
    if (this.ledger.isResolved(half.queueOffset) || this.ledger.isResolvedId(uniqueId)) {
      const remark = `The transaction of half offset ${half.queueOffset} has already been committed or rolled back`;
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
    }
    const committed = request.commitOrRollback === MessageSysFlag.TRANSACTION_COMMIT_TYPE ? this.commitOf(half) : null;
    this.ledger.claim(half.queueOffset, uniqueId);
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
    for (const offset of halfOffsets) this.ledger.confirm(offset);
    opGroups.forEach((group, i) => {
      const opQueueOffset = result.offsets[2 * (commits.length + i) + 1] as number;
      this.ledger.noteOwnOpRecord(opQueueOffset, Math.max(...group));
    });
    for (const one of accepted) one.end.resolve(one.committed === null ? 'rolledBack' : 'committed');
    this.notifyStored(commits);
    for (const { half, committed } of accepted) {
      this.deps.onEnded?.(half.properties.get(MessageProperty.REAL_TOPIC) ?? half.topic, committed !== null);
    }
  }

  /** One bad message fails a store batch whole: each END is then appended alone, so only a bad one fails. */
  private async resolutionsFailed(accepted: readonly AcceptedEnd[], error: unknown): Promise<void> {
    if (accepted.length > 1 && isStoreError(error)) {
      await Promise.all(accepted.map((one) => this.writeResolutions([one])));
      return;
    }
    for (const one of accepted) {
      this.ledger.release(one.half.queueOffset, one.uniqueId);
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
}
