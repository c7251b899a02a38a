// AppendBatcher: the messages every connection sends within one event-loop turn go to the store in
// one append (one N-API call), then each request gets its own offsets back. If the combined batch
// is refused (one bad message fails a store batch whole), each request is retried alone so only
// the bad one fails. Bounded: past APPEND_BATCHER_MAX_PENDING_MESSAGES waiting messages a request is
// refused with a SYSTEM_BUSY BrokerError. Depends on the store interface, the Scheduler (end of turn)
// and the broker error.

import type { Scheduler } from '../../common/scheduler.js';
import type { AppendResult, MessageStore, StoreMessage } from '../../store/message-store-api.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import { APPEND_BATCHER_MAX_PENDING_MESSAGES } from '../limits.js';

/** Java answers a full processing queue with SYSTEM_BUSY (2) and this remark (`NettyRemotingAbstract`). */
const APPEND_QUEUE_FULL_REMARK = '[OVERLOAD]system busy, start flow control for a while';

interface PendingAppend {
  readonly messages: readonly StoreMessage[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export class AppendBatcher {
  private pending: PendingAppend[] = [];
  private pendingMessages = 0;
  private scheduled = false;

  constructor(
    private readonly store: () => MessageStore,
    private readonly scheduler: Pick<Scheduler, 'afterTurn'>,
    private readonly maxPendingMessages = APPEND_BATCHER_MAX_PENDING_MESSAGES,
  ) {}

  /**
   * Appends `messages` together with whatever else arrives in this turn. Rejects with a SYSTEM_BUSY
   * BrokerError, appending nothing, when they would take the pending messages past the bound.
   */
  append(messages: readonly StoreMessage[]): Promise<AppendResult> {
    if (this.pendingMessages + messages.length > this.maxPendingMessages) {
      return Promise.reject(new BrokerError(BrokerErrorCode.SYSTEM_BUSY, APPEND_QUEUE_FULL_REMARK));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ messages, resolve, reject });
      this.pendingMessages += messages.length;
      if (!this.scheduled) {
        this.scheduled = true;
        this.scheduler.afterTurn(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.pendingMessages = 0;
    this.scheduled = false;
    if (batch.length === 1) {
      this.appendAlone(batch[0] as PendingAppend);
      return;
    }
    let result: AppendResult;
    try {
      result = this.store().append(batch.flatMap((request) => request.messages));
    } catch {
      for (const request of batch) this.appendAlone(request);
      return;
    }
    let index = 0;
    for (const request of batch) {
      const count = request.messages.length;
      request.resolve({
        storeTimestamp: result.storeTimestamp,
        messageCount: count,
        // Copied: the store reuses its offsets buffer on the next append.
        offsets: result.offsets.slice(2 * index, 2 * (index + count)),
        endOffset: result.endOffset,
      });
      index += count;
    }
  }

  private appendAlone(request: PendingAppend): void {
    try {
      const result = this.store().append(request.messages);
      request.resolve({ ...result, offsets: result.offsets.slice() });
    } catch (error) {
      request.reject(error);
    }
  }
}
