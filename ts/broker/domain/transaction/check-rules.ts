// The rules of the transactional check (Java `TransactionalMessageServiceImpl#check`) and of
// END_TRANSACTION (`EndTransactionProcessor#checkPrepareMessage`, `#rejectCommitOrRollback`): what to
// do with each half message a check pass reads, and whether a commit or rollback names a half this
// broker holds. Pure: time and the resolved set are given. Depends on the property codec and topics.

import { MessageProperty } from '../../../protocol/message-properties.js';
import type { StoredMessage } from '../../../protocol/record-decoder.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../../protocol/topics.js';

/** What a check pass does with one half message, in Java's order of tests. */
export type HalfDecision =
  /** An op record marks it committed or rolled back: move past it. */
  | { readonly kind: 'resolved' }
  /** Checked `transactionCheckMax` times, or older than the files are kept: to TRANS_CHECK_MAX_TIME_TOPIC. */
  | { readonly kind: 'discard' }
  /** Stored after the pass began or still within its timeout: stop here, later halves are younger. */
  | { readonly kind: 'stop' }
  /** Within its CHECK_IMMUNITY_TIME_IN_SECONDS: re-append it (remembering its first offset), move on. */
  | { readonly kind: 'immunityCopy'; readonly properties: Map<string, string> }
  /** Re-append it with TRANSACTION_CHECK_TIMES counted, then ask its producer group. */
  | { readonly kind: 'check'; readonly properties: Map<string, string> };

export interface CheckSettings {
  /** `transactionTimeOut`: a half younger than this (since it was born) is not checked yet. */
  readonly transactionTimeoutMs: number;
  /** `transactionCheckMax`: checks before a half is discarded. */
  readonly transactionCheckMax: number;
  /** `fileReservedTime` in ms: a half older than this is discarded. */
  readonly fileReservedTimeMs: number;
}

export interface CheckMoment {
  /** When the pass began: halves stored at or after it wait for the next pass. */
  readonly passStartMs: number;
  readonly nowMs: number;
  /** Half queue offsets with an op record. */
  readonly isResolved: (halfQueueOffset: number) => boolean;
  /** UNIQ_KEYs of transactions committed or rolled back (through another copy of the half). */
  readonly isResolvedId: (uniqueId: string) => boolean;
}

/** Decides what the check pass does with `half` (Java's `check` loop body). */
export function decideHalf(half: StoredMessage, moment: CheckMoment, settings: CheckSettings): HalfDecision {
  if (moment.isResolved(half.queueOffset)) return { kind: 'resolved' };
  // Compat: Java asks again about a copy whose earlier copy was answered (and may commit it twice).
  if (moment.isResolvedId(half.properties.get(MessageProperty.UNIQ_KEY) ?? '')) return { kind: 'resolved' };
  const properties = new Map(half.properties);
  const counted = countCheck(properties, settings.transactionCheckMax);
  const ageMs = moment.nowMs - half.bornTimestamp;
  if (counted === null || ageMs > settings.fileReservedTimeMs) return { kind: 'discard' };
  if (half.storeTimestamp >= moment.passStartMs) return { kind: 'stop' };
  const immunityText = half.properties.get(MessageProperty.CHECK_IMMUNITY_TIME_IN_SECONDS);
  if (immunityText === undefined) {
    if (ageMs >= 0 && ageMs <= settings.transactionTimeoutMs) return { kind: 'stop' };
    return { kind: 'check', properties: counted };
  }
  const immunityMs = checkImmunityMs(immunityText, settings.transactionTimeoutMs, false);
  if (ageMs > immunityMs || ageMs < 0) return { kind: 'check', properties: counted };
  return decideImmune(half, moment);
}

/**
 * Java `checkPrepareQueueOffset`: a half within its immunity time is copied forward with
 * TRAN_PREPARED_QUEUE_OFFSET = its first queue offset, unless that first offset was resolved.
 * Compat: Java also counts these copies in TRANSACTION_CHECK_TIMES; only real checks count here.
 */
function decideImmune(half: StoredMessage, moment: CheckMoment): HalfDecision {
  const properties = new Map(half.properties);
  const prepared = properties.get(MessageProperty.TRANSACTION_PREPARED_QUEUE_OFFSET);
  if (prepared === undefined) {
    properties.set(MessageProperty.TRANSACTION_PREPARED_QUEUE_OFFSET, String(half.queueOffset));
    return { kind: 'immunityCopy', properties };
  }
  const firstOffset = /^\d+$/.test(prepared) ? Number(prepared) : -1;
  // Compat: Java loops re-reading op records on an unreadable offset; we look again next pass.
  if (firstOffset < 0) return { kind: 'stop' };
  if (moment.isResolved(firstOffset)) return { kind: 'resolved' };
  return { kind: 'immunityCopy', properties };
}

/**
 * Java `needDiscard`: null when the half was checked `checkMax` times; otherwise its properties with
 * TRANSACTION_CHECK_TIMES counted (absent → 1, n → n + 1; unreadable counts as -1).
 */
export function countCheck(properties: Map<string, string>, checkMax: number): Map<string, string> | null {
  const text = properties.get(MessageProperty.TRANSACTION_CHECK_TIMES);
  let checkTimes = 1;
  if (text !== undefined) {
    const parsed = /^[+-]?\d+$/.test(text) ? Number(text) : -1;
    if (parsed >= checkMax) return null;
    checkTimes = parsed + 1;
  }
  properties.set(MessageProperty.TRANSACTION_CHECK_TIMES, String(checkTimes));
  return properties;
}

/**
 * The immunity time of CHECK_IMMUNITY_TIME_IN_SECONDS, in ms. `atLeastTimeout`: END_TRANSACTION's
 * reading (Java `TransactionalMessageUtil.getImmunityTime`, never below the timeout); otherwise the
 * check's (an unreadable value means the timeout).
 */
export function checkImmunityMs(text: string, transactionTimeoutMs: number, atLeastTimeout: boolean): number {
  const seconds = /^[+-]?\d+$/.test(text.trim()) ? Number(text.trim()) : null;
  if (atLeastTimeout) return Math.max((seconds ?? 0) * 1000, transactionTimeoutMs);
  return seconds === null ? transactionTimeoutMs : seconds * 1000;
}

/** What END_TRANSACTION names: the half's producer group, queue offset and CommitLog offset. */
export interface EndTransactionTarget {
  readonly producerGroup: string;
  readonly tranStateTableOffset: number;
  readonly commitLogOffset: number;
}

/**
 * Java `checkPrepareMessage`: null when `half` is the half the request names, else Java's remark.
 * Compat: a record outside the half topic (or without PGROUP) is refused as "not found" rather than
 * failing with Java's NullPointerException.
 */
export function checkPrepareMessage(half: StoredMessage | null, target: EndTransactionTarget): string | null {
  if (half === null || half.topic !== RMQ_SYS_TRANS_HALF_TOPIC) return 'Find prepared transaction message failed';
  if (half.properties.get(MessageProperty.PRODUCER_GROUP) !== target.producerGroup) return 'The producer group wrong';
  if (half.queueOffset !== target.tranStateTableOffset) return 'The transaction state table offset wrong';
  if (half.physicalOffset !== target.commitLogOffset) return 'The commit log offset wrong';
  return null;
}

/**
 * Java `rejectCommitOrRollback`: a producer's own commit or rollback (not a check answer) of a half
 * with CHECK_IMMUNITY_TIME_IN_SECONDS comes too late once that time has passed since it was born.
 */
export function rejectCommitOrRollback(
  half: StoredMessage,
  fromTransactionCheck: boolean,
  nowMs: number,
  transactionTimeoutMs: number,
): boolean {
  if (fromTransactionCheck) return false;
  const immunityText = half.properties.get(MessageProperty.CHECK_IMMUNITY_TIME_IN_SECONDS);
  if (immunityText === undefined || immunityText === '') return false;
  return nowMs - half.bornTimestamp > checkImmunityMs(immunityText, transactionTimeoutMs, true);
}
