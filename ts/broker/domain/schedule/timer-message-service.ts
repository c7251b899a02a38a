// TimerMessageService (RocketMQ 5's timer wheel, re-imagined): delivers the messages parked in
// `rmq_sys_wheel_timer` queue 0 at their TIMER_OUT_MS. The queue is read in order into an in-memory
// min-heap of (deliverMs, physicalOffset) — 24 bytes a pending message, never the body; a single
// timer fires at the earliest deliver time, and every due message is read back in one store call
// and re-stored to its REAL_TOPIC / REAL_QID in one append. Progress lives in
// config/timerProgress.json: the lowest queue offset still pending (where a restart rescans from)
// and a watermark (deliverMs, scanOffset) below which everything scanned was delivered, so a
// restart re-delivers only what was delivered after the last persist (at least once, never lost).
// A recall marker (TIMER_DEL_UNIQKEY, written by RecallService) parked in the same queue cancels the
// message it names: it is never delivered, and the marker survives restarts as any parked record.
// Pure domain: store, appends, timers and the progress file are injected.
// Depends on timer-message, meta-config-store, store types and the record decoder.

import type { Logger } from '../../../common/logger.js';
import { MessageProperty } from '../../../protocol/message-properties.js';
import type { AppendResult, GetMessagesResult, StoreMessage } from '../../../store/message-store-api.js';
import { GetMessageStatus } from '../../../store/message-store-api.js';
import { decodeStoredRecords } from '../../../protocol/record-decoder.js';
import { asRecord, numberOr, type MetaConfigStore } from '../meta/meta-config-store.js';
import { TIMER_TOPIC } from '../../../protocol/topics.js';
import { timerDeleteKey } from '../../../protocol/recall-handle.js';
import type { Scheduler } from '../../../common/scheduler.js';
import { deliverParked, unparkMessage } from './parked-message.js';
import {
  PARKED_MAX_IDLE_MS,
  PARKED_RETRY_AFTER_FAILURE_MS,
  TIMER_DELIVER_BATCH_MESSAGES,
  TIMER_SCAN_BATCH_MESSAGES,
} from '../../limits.js';

export interface TimerStore {
  getMessages(topic: string, queueId: number, queueOffset: number, maxCount: number): GetMessagesResult;
  getMessagesByOffsets(physicalOffsets: readonly number[]): Buffer;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
}

export interface TimerMessageServiceDeps {
  readonly store: () => TimerStore;
  readonly deliver: (messages: readonly StoreMessage[]) => Promise<AppendResult>;
  readonly onDelivered: (topic: string, queueId: number) => void;
  readonly scheduler: Scheduler;
  readonly progressStore: MetaConfigStore | null;
  readonly logger: Logger;
}

/** config/timerProgress.json. */
export interface TimerProgressDocument {
  /** Rescan from here on start: the lowest pending queue offset (or the scan offset when none). */
  minPendingOffset: number;
  /** Every scanned message below `watermarkScanOffset` with deliverMs ≤ this was delivered. */
  watermarkDeliverMs: number;
  watermarkScanOffset: number;
}

interface PendingTimer {
  readonly deliverMs: number;
  readonly queueOffset: number;
  readonly physicalOffset: number;
  /** A recall marker's TIMER_DEL_UNIQKEY (`<topic>+<uniqKey>`): it is not delivered, it cancels. */
  readonly deleteKey?: string;
}

export class TimerMessageService {
  private readonly heap = new TimerHeap();
  /** Recalled messages (`<realTopic>+<uniqKey>` → markers pending), from scan to the marker's own time. */
  private readonly recalled = new Map<string, number>();
  private scanOffset = 0;
  private watermark = { deliverMs: -1, scanOffset: 0 };
  /** The watermark loaded at start: scanned entries under it are skipped (already delivered). */
  private skipBelow = { deliverMs: -1, scanOffset: 0 };
  private timer: unknown;
  private busy = false;
  /** A message was parked during a pass: scan again right after it. */
  private arrivedWhileBusy = false;
  private started = false;
  private current: Promise<void> | null = null;

  constructor(private readonly deps: TimerMessageServiceDeps) {}

  start(): void {
    this.load();
    this.started = true;
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) this.deps.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
    this.persist();
  }

  /** A message was parked in the timer queue: scan now. */
  notifyMessageArriving(): void {
    if (!this.started) return;
    if (this.busy) this.arrivedWhileBusy = true;
    else this.arm(0);
  }

  get pendingCount(): number {
    return this.heap.size;
  }

  /** Whether a recall marker for `<realTopic>+<uniqKey>` is pending (scanned, not yet due). */
  isRecalled(realTopic: string, uniqKey: string): boolean {
    return this.recalled.has(timerDeleteKey(realTopic, uniqKey));
  }

  persist(): void {
    this.deps.progressStore?.save(this.encode());
  }

  encode(): TimerProgressDocument {
    return {
      minPendingOffset: Math.min(this.scanOffset, this.heap.minQueueOffset() ?? this.scanOffset),
      watermarkDeliverMs: this.watermark.deliverMs,
      watermarkScanOffset: this.watermark.scanOffset,
    };
  }

  private load(): void {
    const store = this.deps.store();
    const root = asRecord(this.deps.progressStore?.load() ?? {});
    const min = store.getMinOffsetInQueue(TIMER_TOPIC, 0);
    const max = store.getMaxOffsetInQueue(TIMER_TOPIC, 0);
    this.scanOffset = Math.min(Math.max(numberOr(root['minPendingOffset'], 0), min), max);
    this.skipBelow = {
      deliverMs: numberOr(root['watermarkDeliverMs'], -1),
      scanOffset: numberOr(root['watermarkScanOffset'], 0),
    };
    this.watermark = { ...this.skipBelow };
  }

  private arm(delayMs: number): void {
    if (this.timer !== undefined) this.deps.scheduler.clearTimer(this.timer);
    this.timer = this.deps.scheduler.setTimer(delayMs, () => {
      this.timer = undefined;
      this.run();
    });
  }

  private run(): void {
    if (!this.started || this.busy) return;
    this.busy = true;
    this.arrivedWhileBusy = false;
    this.current = this.pass()
      .then((nextMs) => {
        this.busy = false;
        if (this.started) this.arm(this.arrivedWhileBusy ? 0 : nextMs);
      })
      .catch((error: unknown) => {
        this.busy = false;
        this.deps.logger.error('timer delivery failed', { error: String(error), pending: this.heap.size });
        if (this.started) this.arm(PARKED_RETRY_AFTER_FAILURE_MS);
      });
  }

  /** Scans new parked messages, delivers the due ones; resolves with the delay before the next pass. */
  private async pass(): Promise<number> {
    // Scan to the queue's end before delivering: a recall marker is parked after the message it cancels.
    if (this.scan()) return 0;
    const nowMs = this.deps.scheduler.now();
    const due: PendingTimer[] = [];
    while (due.length < TIMER_DELIVER_BATCH_MESSAGES && (this.heap.peek()?.deliverMs ?? Infinity) <= nowMs)
      due.push(this.heap.pop() as PendingTimer);
    if (due.length > 0) await this.deliverAll(due);
    // Everything scanned that was due by nowMs has left the heap, so it was delivered.
    if ((this.heap.peek()?.deliverMs ?? Infinity) > nowMs)
      this.watermark = { deliverMs: nowMs, scanOffset: this.scanOffset };
    if ((this.heap.peek()?.deliverMs ?? Infinity) <= this.deps.scheduler.now()) return 0;
    const next = this.heap.peek();
    return next === undefined
      ? PARKED_MAX_IDLE_MS
      : Math.max(0, Math.min(next.deliverMs - this.deps.scheduler.now(), PARKED_MAX_IDLE_MS));
  }

  /** Reads one batch of newly parked messages into the heap; true when there may be more. */
  private scan(): boolean {
    const read = this.deps.store().getMessages(TIMER_TOPIC, 0, this.scanOffset, TIMER_SCAN_BATCH_MESSAGES);
    if (read.status !== GetMessageStatus.FOUND) {
      if (read.status === GetMessageStatus.OFFSET_TOO_SMALL || read.status === GetMessageStatus.OFFSET_OVERFLOW_BADLY) {
        this.deps.logger.warn('timer scan offset corrected', { from: this.scanOffset, to: read.nextBeginOffset });
        this.scanOffset = read.nextBeginOffset;
        return true;
      }
      return false;
    }
    for (const record of decodeStoredRecords(read.buffer)) {
      const deliverMs = Number(record.properties.get(MessageProperty.TIMER_OUT_MS) ?? 0) || 0;
      const delivered = record.queueOffset < this.skipBelow.scanOffset && deliverMs <= this.skipBelow.deliverMs;
      if (delivered) continue;
      const deleteKey = record.properties.get(MessageProperty.TIMER_DEL_UNIQKEY);
      const pending = { deliverMs, queueOffset: record.queueOffset, physicalOffset: record.physicalOffset };
      if (deleteKey === undefined) this.heap.push(pending);
      else {
        this.recalled.set(deleteKey, (this.recalled.get(deleteKey) ?? 0) + 1);
        this.heap.push({ ...pending, deleteKey });
      }
    }
    this.scanOffset = read.nextBeginOffset;
    return read.messageCount >= TIMER_SCAN_BATCH_MESSAGES;
  }

  private async deliverAll(due: readonly PendingTimer[]): Promise<void> {
    const toRead = due.filter((entry) => entry.deleteKey === undefined);
    const offsets = toRead.map((entry) => entry.physicalOffset);
    const buffer = offsets.length === 0 ? Buffer.alloc(0) : this.deps.store().getMessagesByOffsets(offsets);
    const messages: StoreMessage[] = [];
    for (const record of decodeStoredRecords(buffer)) {
      const uniqKey = record.properties.get(MessageProperty.UNIQ_KEY);
      const realTopic = record.properties.get(MessageProperty.REAL_TOPIC);
      if (uniqKey !== undefined && realTopic !== undefined && this.isRecalled(realTopic, uniqKey)) {
        this.deps.logger.info('recalled timer message dropped', { topic: realTopic, uniqKey });
        continue;
      }
      // Java `convertMessage`: REAL_TOPIC / REAL_QID go, the timer properties stay.
      const message = unparkMessage(record, [MessageProperty.REAL_TOPIC, MessageProperty.REAL_QID]);
      if (message === null)
        this.deps.logger.error('timer message without a real topic dropped', { physicalOffset: record.physicalOffset });
      else messages.push(message);
    }
    try {
      await deliverParked(messages, this.deps.deliver, this.deps.onDelivered);
    } catch (error) {
      for (const entry of due) this.heap.push(entry);
      throw error;
    }
    for (const entry of due) if (entry.deleteKey !== undefined) this.forgetMarker(entry.deleteKey);
  }

  /** A marker's time has passed: the message it cancels (same time, parked before it) is gone too. */
  private forgetMarker(deleteKey: string): void {
    const left = (this.recalled.get(deleteKey) ?? 1) - 1;
    if (left > 0) this.recalled.set(deleteKey, left);
    else this.recalled.delete(deleteKey);
  }
}

/** A binary min-heap on (deliverMs, queueOffset). */
class TimerHeap {
  private readonly items: PendingTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): PendingTimer | undefined {
    return this.items[0];
  }

  /** The lowest queue offset pending (O(n); for the progress file). */
  minQueueOffset(): number | undefined {
    let min: number | undefined;
    for (const item of this.items) if (min === undefined || item.queueOffset < min) min = item.queueOffset;
    return min;
  }

  push(item: PendingTimer): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as PendingTimer, items[parent] as PendingTimer)) break;
      [items[i], items[parent]] = [items[parent] as PendingTimer, items[i] as PendingTimer];
      i = parent;
    }
  }

  pop(): PendingTimer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && before(items[left] as PendingTimer, items[smallest] as PendingTimer)) smallest = left;
      if (right < items.length && before(items[right] as PendingTimer, items[smallest] as PendingTimer))
        smallest = right;
      if (smallest === i) return top;
      [items[i], items[smallest]] = [items[smallest] as PendingTimer, items[i] as PendingTimer];
      i = smallest;
    }
  }
}

function before(a: PendingTimer, b: PendingTimer): boolean {
  return a.deliverMs < b.deliverMs || (a.deliverMs === b.deliverMs && a.queueOffset < b.queueOffset);
}
