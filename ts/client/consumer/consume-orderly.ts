// Orderly consumption (Java `ConsumeMessageOrderlyService`): per queue, one message at a time in
// offset order, and (clustering) only while this client holds the queue's broker lock. SUCCESS
// commits the offset past the message; FAILURE pauses the queue for suspendCurrentQueueTimeMs and
// retries the same message, counting its attempts locally; past maxReconsumeTimes the message is
// sent to `%RETRY%<group>`, which the broker turns into the DLQ. Across queues at most
// consumptionThreadCount listener calls run at once.
// Depends on consume-result.ts, concurrency-limiter.ts, message-back.ts, offset-store.ts, process-queue.ts.

import type { Logger } from '../../common/logger.js';
import { describeError } from '../client-error.js';
import type { MessageView } from '../message/message-view.js';
import { abortableDelay } from './abortable-delay.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import { ConsumeResult, runListener, type MessageListener } from './consume-result.js';
import type { MessageBack } from './message-back.js';
import type { OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import type { PushConsumerSettings } from './push-consumer-options.js';

/** Java `tryLockLaterAndReconsume` delay while the lock is missing. */
const LOCK_RETRY_DELAY_MS = 100;

export class OrderlyConsumeService {
  /** The running loop of each queue, awaited before the queue's offset is committed and its lock released. */
  private readonly loops = new Map<ProcessQueue, Promise<void>>();
  /** queue → offset → local attempts so far (Java bumps `msg.reconsumeTimes`). */
  private readonly attempts = new WeakMap<ProcessQueue, Map<number, number>>();

  constructor(
    private readonly listener: MessageListener,
    private readonly limiter: ConcurrencyLimiter,
    private readonly messageBack: MessageBack,
    private readonly offsetStore: OffsetStore,
    private readonly settings: PushConsumerSettings,
    private readonly logger: Logger,
  ) {}

  /** Starts the queue's loop unless one runs (it picks up newly cached messages itself). */
  submit(pq: ProcessQueue): void {
    if (pq.consuming) return;
    pq.consuming = true;
    const loop: Promise<void> = this.run(pq).finally(() => {
      if (this.loops.get(pq) === loop) this.loops.delete(pq);
    });
    this.loops.set(pq, loop);
  }

  /** Resolves when the queue's loop (if any) has finished its current message. */
  async quiesce(pq: ProcessQueue): Promise<void> {
    await this.loops.get(pq);
  }

  /**
   * Consumes the cached messages in order. The finally clears `consuming` in the same synchronous
   * step as the `return` that finds the queue empty, so a submit right after starts a new loop.
   */
  private async run(pq: ProcessQueue): Promise<void> {
    try {
      const needsLock = this.settings.messageModel === 'CLUSTERING';
      while (!pq.dropped) {
        if (needsLock && !pq.isLockValid(Date.now())) {
          await abortableDelay(LOCK_RETRY_DELAY_MS, pq.signal);
          continue;
        }
        const message = pq.firstMessage();
        if (message === undefined) return;
        const attempt = this.attemptsOf(pq).get(message.offset) ?? message.reconsumeTimes;
        const view =
          attempt === message.reconsumeTimes
            ? message
            : { ...message, reconsumeTimes: attempt, deliveryAttempt: attempt + 1 };
        const { result, error } = await this.limiter.run(() => runListener(this.listener, view));
        if (error !== undefined)
          this.logger.warn('message listener threw', { messageId: message.messageId, error: describeError(error) });
        if (pq.dropped) return;
        const givenUp = result === ConsumeResult.FAILURE && attempt >= this.settings.maxReconsumeTimes;
        if (result === ConsumeResult.SUCCESS || (givenUp && (await this.messageBack.sendToRetryTopic(view, attempt)))) {
          this.commit(pq, message);
          continue;
        }
        this.attemptsOf(pq).set(message.offset, attempt + 1);
        await abortableDelay(this.settings.suspendCurrentQueueTimeMs, pq.signal);
      }
    } finally {
      pq.consuming = false;
    }
  }

  private commit(pq: ProcessQueue, message: MessageView): void {
    this.attemptsOf(pq).delete(message.offset);
    const offset = pq.removeMessages([message]);
    if (offset >= 0) this.offsetStore.update(pq.messageQueue, offset, false);
  }

  private attemptsOf(pq: ProcessQueue): Map<number, number> {
    let attempts = this.attempts.get(pq);
    if (attempts === undefined) {
      attempts = new Map();
      this.attempts.set(pq, attempts);
    }
    return attempts;
  }
}
