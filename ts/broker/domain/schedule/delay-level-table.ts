// The delay levels (`messageDelayLevel`, Java `ScheduleMessageService#parseDelayLevel` and
// `HookUtils#transformDelayLevelMessage`): level → delay, level ↔ SCHEDULE_TOPIC_XXXX queue, the
// deliver time, and the rewrite that parks a DELAY message in SCHEDULE_TOPIC_XXXX with its real
// topic and queue kept in REAL_TOPIC / REAL_QID. Pure domain. Depends on protocol/message-properties.

import { encodeMessageProperties, MessageProperty } from '../../../protocol/message-properties.js';
import { getTransactionValue, MessageSysFlag } from '../../../protocol/message-sys-flag.js';
import type { StoreMessage } from '../../../store/message-store-api.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../../protocol/topics.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export class DelayLevelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DelayLevelError';
  }
}

export class DelayLevelTable {
  /** Index `level - 1` holds the level's delay in ms. */
  private readonly delaysMs: readonly number[];

  /** Parses `"1s 5s 10m 2h 1d"`; throws DelayLevelError on an empty list or an unknown unit. */
  constructor(messageDelayLevel: string) {
    const items = messageDelayLevel
      .trim()
      .split(/\s+/)
      .filter((item) => item !== '');
    if (items.length === 0) throw new DelayLevelError('messageDelayLevel is empty');
    this.delaysMs = items.map((item) => {
      const factor = UNIT_MS[item.slice(-1)];
      const count = Number(item.slice(0, -1));
      if (factor === undefined || !Number.isInteger(count) || count < 0 || item.length < 2) {
        throw new DelayLevelError(`messageDelayLevel item "${item}" is not <number><s|m|h|d>`);
      }
      return count * factor;
    });
  }

  get maxLevel(): number {
    return this.delaysMs.length;
  }

  /** Levels 1..maxLevel. */
  levels(): number[] {
    return this.delaysMs.map((_, index) => index + 1);
  }

  delayMs(level: number): number {
    const delay = this.delaysMs[level - 1];
    if (delay === undefined) throw new DelayLevelError(`delay level ${level} outside 1..${this.maxLevel}`);
    return delay;
  }

  /** `computeDeliverTimestamp`: store time plus the level's delay (1 s for an unknown level). */
  deliverTimestamp(level: number, storeTimestampMs: number): number {
    return storeTimestampMs + (this.delaysMs[level - 1] ?? 1000);
  }

  /**
   * `correctDeliverTimestamp`: a deliver time further ahead than a whole delay from now (the
   * clock moved back) is due now.
   */
  correctDeliverTimestamp(level: number, deliverTimestampMs: number, nowMs: number): number {
    return deliverTimestampMs > nowMs + this.delayMs(level) ? nowMs : deliverTimestampMs;
  }
}

/** `delayLevel2QueueId`. */
export function delayLevelToQueueId(level: number): number {
  return level - 1;
}

/** `queueId2DelayLevel`. */
export function queueIdToDelayLevel(queueId: number): number {
  return queueId + 1;
}

/** The DELAY property as Java's `getDelayTimeLevel` reads it: absent or unparsable is 0. */
export function delayLevelOf(properties: ReadonlyMap<string, string>): number {
  const raw = properties.get(MessageProperty.DELAY);
  if (raw === undefined) return 0;
  const level = Number.parseInt(raw, 10);
  return Number.isNaN(level) ? 0 : level;
}

/** Half (prepared) and rollback messages are never scheduled (`handleScheduleMessage`). */
export function isPreparedOrRollback(sysFlag: number): boolean {
  const transactionType = getTransactionValue(sysFlag);
  return (
    transactionType === MessageSysFlag.TRANSACTION_PREPARED_TYPE ||
    transactionType === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE
  );
}

/** Where a message is appended: its topic and queue. */
export interface QueueTarget {
  readonly topic: string;
  readonly queueId: number;
}

/**
 * `handleScheduleMessage` for delay levels: a non-transactional (or commit) message with DELAY > 0
 * is parked in SCHEDULE_TOPIC_XXXX queue `level - 1` (the level clamped to the max), REAL_TOPIC and
 * REAL_QID recording where it goes when due. Updates `properties` in place; returns the target.
 */
export function scheduleIfDelayed(
  properties: Map<string, string>,
  target: QueueTarget,
  sysFlag: number,
  table: DelayLevelTable,
): QueueTarget {
  if (isPreparedOrRollback(sysFlag)) return target;
  let level = delayLevelOf(properties);
  if (level <= 0) return target;
  if (level > table.maxLevel) {
    level = table.maxLevel;
    properties.set(MessageProperty.DELAY, String(level));
  }
  properties.set(MessageProperty.REAL_TOPIC, target.topic);
  properties.set(MessageProperty.REAL_QID, String(target.queueId));
  return { topic: RMQ_SYS_SCHEDULE_TOPIC, queueId: delayLevelToQueueId(level) };
}

/**
 * `message` as it is appended: parked in SCHEDULE_TOPIC_XXXX when its DELAY level asks for it
 * (see scheduleIfDelayed; `properties` is its decoded property map), else unchanged.
 */
export function withDelayScheduling(
  message: StoreMessage,
  properties: Map<string, string>,
  table: DelayLevelTable,
): StoreMessage {
  const target = scheduleIfDelayed(properties, message, message.sysFlag ?? 0, table);
  if (target.topic === message.topic && target.queueId === message.queueId) return message;
  return { ...message, topic: target.topic, queueId: target.queueId, properties: encodeMessageProperties(properties) };
}
