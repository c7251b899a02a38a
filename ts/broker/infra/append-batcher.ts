// AppendBatcher: the messages every connection sends within one event-loop turn go to the store in
// one append (one N-API call), then each request gets its own offsets back. If the combined batch
// is refused (one bad message fails a store batch whole), each request is retried alone so only
// the bad one fails. Depends on the store interface.

import type { AppendResult, MessageStore, StoreMessage } from '../../store/message-store-api.js';

interface PendingAppend {
  readonly messages: readonly StoreMessage[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export class AppendBatcher {
  private pending: PendingAppend[] = [];
  private scheduled = false;

  constructor(private readonly store: () => MessageStore) {}

  /** Appends `messages` together with whatever else arrives in this turn. */
  append(messages: readonly StoreMessage[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ messages, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
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
