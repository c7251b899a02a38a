// Concurrent consumption (Java `ConsumeMessageConcurrentlyService`): each cached message goes to the
// listener, at most consumptionThreadCount at once; SUCCESS removes it and moves the queue's offset
// to the smallest message still cached; FAILURE in clustering mode gives it back to the broker
// (CONSUMER_SEND_MSG_BACK with delayLevelWhenNextConsume) and, if that fails too, consumes it again
// locally 5 s later; in broadcasting mode a failure is logged and dropped.
// Depends on consume-result.ts, concurrency-limiter.ts, message-back.ts, offset-store.ts, process-queue.ts.

import type { Logger } from '../../common/logger.js';
import { describeError } from '../client-error.js';
import { formatMessageQueue } from '../message-queue.js';
import type { MessageView } from '../message/message-view.js';
import { abortableDelay } from './abortable-delay.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import { ConsumeResult, runListener, type MessageListener } from './consume-result.js';
import type { MessageBack } from './message-back.js';
import type { OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import type { PushConsumerSettings } from './push-consumer-options.js';

/** Java: a message neither consumed nor given back is consumed again after 5 s. */
const CONSUME_LATER_DELAY_MS = 5000;

export class ConcurrentlyConsumeService {
  constructor(
    private readonly listener: MessageListener,
    private readonly limiter: ConcurrencyLimiter,
    private readonly messageBack: MessageBack,
    private readonly offsetStore: OffsetStore,
    private readonly settings: PushConsumerSettings,
    private readonly logger: Logger,
  ) {}

  submit(pq: ProcessQueue, messages: readonly MessageView[]): void {
    for (const message of messages) void this.limiter.run(() => this.consume(pq, message));
  }

  private async consume(pq: ProcessQueue, message: MessageView): Promise<void> {
    if (pq.dropped) return;
    const { result, error } = await runListener(this.listener, message);
    if (error !== undefined)
      this.logger.warn('message listener threw', { messageId: message.messageId, error: describeError(error) });
    // A queue dropped meanwhile belongs to someone else now: its offset is not ours to move.
    if (pq.dropped) return;
    if (result === ConsumeResult.FAILURE) {
      if (this.settings.messageModel === 'BROADCASTING') {
        this.logger.warn('broadcast message consumption failed, dropped', {
          queue: formatMessageQueue(pq.messageQueue),
          offset: message.offset,
        });
      } else if (!(await this.messageBack.sendBack(message, this.settings.delayLevelWhenNextConsume))) {
        void abortableDelay(CONSUME_LATER_DELAY_MS, pq.signal).then(() => {
          if (!pq.dropped) this.submit(pq, [message]);
        });
        return;
      }
    }
    const offset = pq.removeMessages([message]);
    if (offset >= 0 && !pq.dropped) this.offsetStore.update(pq.messageQueue, offset, true);
  }
}
