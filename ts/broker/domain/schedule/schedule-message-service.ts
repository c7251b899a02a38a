// ScheduleMessageService (Java `ScheduleMessageService`): delivers the messages parked in
// SCHEDULE_TOPIC_XXXX once due. One cursor per delay level (queue `level - 1`) walks its queue in
// order; due messages are re-stored to their REAL_TOPIC / REAL_QID with DELAY and the timer
// properties cleared (a new record and offset msgId, the same UNIQ_KEY), in one append per pass;
// a message not yet due stops the pass and arms a timer for its deliver time. The cursors live in
// delayOffset.json (`{"dataVersion":..,"offsetTable":{level:offset}}`), persisted periodically and
// on stop and corrected into the queue's bounds on start, so delivery resumes after a restart
// (at least once: a crash may deliver a message again). Pure domain: store reads, appends, timers
// and the offset file are injected. Depends on delay-level-table, meta-config-store, store types.

import type { Logger } from '../../../common/logger.js';
import { MessageProperty } from '../../../protocol/message-properties.js';
import type { AppendResult, GetMessagesResult, StoreMessage } from '../../../store/message-store-api.js';
import { GetMessageStatus } from '../../../store/message-store-api.js';
import { decodeStoredRecords } from '../../../protocol/record-decoder.js';
import type { DataVersion } from '../../../protocol/route-types.js';
import {
  asRecord,
  decodeDataVersion,
  encodeDataVersion,
  newDataVersion,
  nextDataVersion,
  type MetaConfigStore,
} from '../meta/meta-config-store.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../../protocol/topics.js';
import type { Scheduler } from '../../../common/scheduler.js';
import { delayLevelToQueueId, type DelayLevelTable } from './delay-level-table.js';
import { deliverParked, unparkMessage } from './parked-message.js';
import { PARKED_MAX_IDLE_MS, PARKED_RETRY_AFTER_FAILURE_MS, SCHEDULE_READ_BATCH_MESSAGES } from '../../limits.js';

/** Java `messageTimeUp` clears these; REAL_TOPIC / REAL_QID stay. */
const DELAY_PROPERTIES = [MessageProperty.DELAY, MessageProperty.TIMER_DELIVER_MS, MessageProperty.TIMER_DELAY_SEC];

/** What the service reads from the store. */
export interface ScheduleStore {
  getMessages(topic: string, queueId: number, queueOffset: number, maxCount: number): GetMessagesResult;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
}

export interface ScheduleMessageServiceDeps {
  readonly table: DelayLevelTable;
  readonly store: () => ScheduleStore;
  /** Appends re-stored messages (the broker's per-turn AppendBatcher). */
  readonly deliver: (messages: readonly StoreMessage[]) => Promise<AppendResult>;
  /** Called per (topic, queueId) that received delivered messages: wakes held pulls. */
  readonly onDelivered: (topic: string, queueId: number) => void;
  readonly scheduler: Scheduler;
  /** delayOffset.json; null keeps the cursors in memory only. */
  readonly offsetStore: MetaConfigStore | null;
  readonly logger: Logger;
}

/** The delayOffset.json document (Java `DelayOffsetSerializeWrapper`). */
export interface DelayOffsetDocument {
  dataVersion: DataVersion;
  offsetTable: Record<string, number>;
}

interface LevelCursor {
  readonly level: number;
  /** The next queue offset to look at. */
  offset: number;
  timer: unknown;
  /** A pass is running (reading or waiting for its append). */
  busy: boolean;
  /** A message arrived during the pass: run again right after it. */
  arrivedWhileBusy: boolean;
}

export class ScheduleMessageService {
  private readonly cursors = new Map<number, LevelCursor>();
  private version: DataVersion;
  private started = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: ScheduleMessageServiceDeps) {
    this.version = newDataVersion(deps.scheduler.now());
    for (const level of deps.table.levels())
      this.cursors.set(level, { level, offset: 0, timer: undefined, busy: false, arrivedWhileBusy: false });
  }

  /** Loads delayOffset.json, corrects each cursor into its queue's bounds and starts every level. */
  start(): void {
    this.load();
    this.correctOffsets();
    this.started = true;
    for (const cursor of this.cursors.values()) this.arm(cursor, 0);
  }

  /** Stops every level, waits for appends in flight, and persists the cursors. */
  async stop(): Promise<void> {
    this.started = false;
    for (const cursor of this.cursors.values()) this.disarm(cursor);
    await Promise.allSettled([...this.inFlight]);
    this.persist();
  }

  /** A message was stored in SCHEDULE_TOPIC_XXXX queue `queueId`: look at that level now. */
  notifyMessageArriving(queueId: number): void {
    const cursor = this.cursors.get(queueId + 1);
    if (cursor === undefined || !this.started) return;
    if (cursor.busy) cursor.arrivedWhileBusy = true;
    else this.arm(cursor, 0);
  }

  /** level → next offset, for admin views and tests. */
  offsets(): Map<number, number> {
    return new Map([...this.cursors.values()].map((cursor) => [cursor.level, cursor.offset]));
  }

  persist(): void {
    this.deps.offsetStore?.save(this.encode());
  }

  encode(): DelayOffsetDocument {
    const offsetTable: Record<string, number> = {};
    for (const cursor of this.cursors.values()) offsetTable[String(cursor.level)] = cursor.offset;
    return { dataVersion: encodeDataVersion(this.version), offsetTable };
  }

  private load(): void {
    const document = this.deps.offsetStore?.load();
    if (document === null || document === undefined) return;
    const root = asRecord(document);
    this.version = decodeDataVersion(root['dataVersion'], this.version);
    for (const [key, value] of Object.entries(asRecord(root['offsetTable']))) {
      const cursor = this.cursors.get(Number(key));
      if (cursor !== undefined && typeof value === 'number' && Number.isInteger(value) && value >= 0)
        cursor.offset = value;
    }
  }

  /** `correctDelayOffset`: a cursor outside [min, max] of its queue is moved to the nearer bound. */
  private correctOffsets(): void {
    const store = this.deps.store();
    for (const cursor of this.cursors.values()) {
      const queueId = delayLevelToQueueId(cursor.level);
      const min = store.getMinOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, queueId);
      const max = store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, queueId);
      const corrected = Math.min(Math.max(cursor.offset, min), max);
      if (corrected !== cursor.offset) {
        this.deps.logger.warn('schedule offset corrected', {
          level: cursor.level,
          from: cursor.offset,
          to: corrected,
          min,
          max,
        });
        cursor.offset = corrected;
      }
    }
  }

  private arm(cursor: LevelCursor, delayMs: number): void {
    this.disarm(cursor);
    cursor.timer = this.deps.scheduler.setTimer(delayMs, () => {
      cursor.timer = undefined;
      this.runPass(cursor);
    });
  }

  private disarm(cursor: LevelCursor): void {
    if (cursor.timer !== undefined) this.deps.scheduler.clearTimer(cursor.timer);
    cursor.timer = undefined;
  }

  private runPass(cursor: LevelCursor): void {
    if (!this.started || cursor.busy) return;
    cursor.busy = true;
    cursor.arrivedWhileBusy = false;
    const pass = this.pass(cursor)
      .then((nextDelayMs) => {
        cursor.busy = false;
        if (this.started) this.arm(cursor, cursor.arrivedWhileBusy ? 0 : nextDelayMs);
      })
      .catch((error: unknown) => {
        cursor.busy = false;
        this.deps.logger.error('schedule delivery failed', {
          level: cursor.level,
          offset: cursor.offset,
          error: String(error),
        });
        if (this.started) this.arm(cursor, PARKED_RETRY_AFTER_FAILURE_MS);
      })
      .finally(() => this.inFlight.delete(pass));
    this.inFlight.add(pass);
  }

  /** One pass over a level (`executeOnTimeUp`); resolves with the delay before the next pass. */
  private async pass(cursor: LevelCursor): Promise<number> {
    const queueId = delayLevelToQueueId(cursor.level);
    const read = this.deps
      .store()
      .getMessages(RMQ_SYS_SCHEDULE_TOPIC, queueId, cursor.offset, SCHEDULE_READ_BATCH_MESSAGES);
    if (read.status !== GetMessageStatus.FOUND) {
      if (read.status === GetMessageStatus.OFFSET_TOO_SMALL || read.status === GetMessageStatus.OFFSET_OVERFLOW_BADLY) {
        this.deps.logger.warn('schedule offset invalid', {
          level: cursor.level,
          offset: cursor.offset,
          next: read.nextBeginOffset,
        });
        this.moveCursor(cursor, read.nextBeginOffset);
        return 0;
      }
      return PARKED_MAX_IDLE_MS;
    }
    const nowMs = this.deps.scheduler.now();
    const due: StoreMessage[] = [];
    let nextOffset = cursor.offset;
    let waitMs: number | null = null;
    for (const record of decodeStoredRecords(read.buffer)) {
      const deliverAt = this.deps.table.correctDeliverTimestamp(
        cursor.level,
        this.deps.table.deliverTimestamp(cursor.level, record.storeTimestamp),
        nowMs,
      );
      if (deliverAt > nowMs) {
        waitMs = deliverAt - nowMs;
        break;
      }
      nextOffset = record.queueOffset + 1;
      const message = unparkMessage(record, DELAY_PROPERTIES);
      if (message === null) {
        this.deps.logger.error('schedule message without a real topic dropped', {
          level: cursor.level,
          queueOffset: record.queueOffset,
        });
        continue;
      }
      due.push(message);
    }
    await deliverParked(due, this.deps.deliver, this.deps.onDelivered);
    if (nextOffset === cursor.offset && waitMs === null) nextOffset = read.nextBeginOffset;
    this.moveCursor(cursor, nextOffset);
    if (waitMs !== null) return Math.min(waitMs, PARKED_MAX_IDLE_MS);
    return read.messageCount >= SCHEDULE_READ_BATCH_MESSAGES || due.length > 0 ? 0 : PARKED_MAX_IDLE_MS;
  }

  private moveCursor(cursor: LevelCursor, offset: number): void {
    if (offset === cursor.offset) return;
    cursor.offset = offset;
    this.version = nextDataVersion(this.version, this.deps.scheduler.now());
  }
}
