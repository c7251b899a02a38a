// ProcessQueue (Java `ProcessQueue`): what a push consumer holds for one message queue it owns — the
// pulled messages not yet consumed (by queue offset), their count and bytes for flow control, the
// offset to commit, the orderly lock state, and an AbortSignal that ends the queue's pull loop and
// waits when the queue is dropped. Depends on ../message-queue.ts, ../message/message-view.ts.

import type { MessageQueue } from '../message-queue.js';
import type { MessageView } from '../message/message-view.js';

/** Java `ProcessQueue.REBALANCE_LOCK_MAX_LIVE_TIME`: a client treats its lock as stale after 30 s. */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 30_000;

export class ProcessQueue {
  /** queueOffset → message; inserted in offset order, so the first key is the smallest. */
  private readonly messages = new Map<number, MessageView>();
  private cachedBytes = 0;
  /** The highest offset ever cached (Java `queueOffsetMax`). */
  private queueOffsetMax = -1;
  private readonly abort = new AbortController();
  /** Orderly: the broker lock is held (renewed by lockAll). */
  locked = false;
  lastLockTimestampMs = 0;
  /** Orderly: a consume loop is running for this queue. */
  consuming = false;

  constructor(readonly messageQueue: MessageQueue) {}

  /** Aborted when the queue is dropped (rebalanced away or shutdown). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get dropped(): boolean {
    return this.abort.signal.aborted;
  }

  drop(): void {
    this.abort.abort();
  }

  get cachedMessageCount(): number {
    return this.messages.size;
  }

  get cachedMessageSizeBytes(): number {
    return this.cachedBytes;
  }

  /** Offsets between the first and last cached message (Java `getMaxSpan`). */
  get maxSpan(): number {
    const first = this.firstMessage();
    return first === undefined ? 0 : this.queueOffsetMax - first.offset;
  }

  /** Caches newly pulled messages (offsets not above those already cached are ignored); returns those kept. */
  putMessages(messages: readonly MessageView[]): MessageView[] {
    const kept: MessageView[] = [];
    for (const message of messages) {
      if (message.offset <= this.queueOffsetMax) continue;
      this.messages.set(message.offset, message);
      this.cachedBytes += message.body.length;
      this.queueOffsetMax = message.offset;
      kept.push(message);
    }
    return kept;
  }

  /**
   * Removes consumed messages; returns the offset to commit (Java `removeMessage`): the smallest
   * offset still cached, or one past the highest ever cached; -1 when nothing was ever cached.
   */
  removeMessages(messages: readonly MessageView[]): number {
    for (const message of messages) {
      if (this.messages.delete(message.offset)) this.cachedBytes -= message.body.length;
    }
    if (this.queueOffsetMax < 0) return -1;
    return this.firstMessage()?.offset ?? this.queueOffsetMax + 1;
  }

  /** The message with the smallest offset (the next one an orderly consumer handles). */
  firstMessage(): MessageView | undefined {
    for (const message of this.messages.values()) return message;
    return undefined;
  }

  /** Orderly: whether the lock is held and was renewed recently enough to trust. */
  isLockValid(nowMs: number): boolean {
    return this.locked && nowMs - this.lastLockTimestampMs <= REBALANCE_LOCK_MAX_LIVE_TIME_MS;
  }
}
