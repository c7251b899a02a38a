// Consume offsets (Java `OffsetStore`): clustering consumers keep them on the broker
// (`RemoteBrokerOffsetStore`: read with QUERY_CONSUMER_OFFSET, cached, committed periodically and at
// shutdown with UPDATE_CONSUMER_OFFSET); broadcasting consumers keep their own (`LocalOffsetStore`).
// Depends on ../client-instance.ts, ../message-queue.ts, consumer-requests.ts.

import type { ClientInstance } from '../client-instance.js';
import { formatMessageQueue, messageQueueKey, type MessageQueue } from '../message-queue.js';
import { queryConsumerOffset, updateConsumerOffset } from './consumer-requests.js';

export interface OffsetStore {
  /** The cached offset; -1 when none. */
  readMemory(mq: MessageQueue): number;
  /** The stored offset (broker or local), which also becomes the cached one; -1 when none. */
  readStore(mq: MessageQueue): Promise<number>;
  /** Caches `offset`; with increaseOnly, a smaller offset than the cached one is ignored. */
  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /** Commits the cached offsets of `queues`; oneway for the periodic commit, awaited otherwise. */
  persistAll(queues: readonly MessageQueue[], oneway: boolean): Promise<void>;
  /** Forgets the queue's cached offset. */
  remove(mq: MessageQueue): void;
}

class OffsetTable {
  private readonly offsets = new Map<string, { mq: MessageQueue; offset: number }>();

  read(mq: MessageQueue): number {
    return this.offsets.get(messageQueueKey(mq))?.offset ?? -1;
  }

  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const key = messageQueueKey(mq);
    const current = this.offsets.get(key);
    if (current !== undefined && increaseOnly && offset < current.offset) return;
    this.offsets.set(key, { mq, offset });
  }

  remove(mq: MessageQueue): void {
    this.offsets.delete(messageQueueKey(mq));
  }
}

export class RemoteBrokerOffsetStore implements OffsetStore {
  private readonly table = new OffsetTable();

  constructor(
    private readonly instance: ClientInstance,
    private readonly consumerGroup: string,
  ) {}

  readMemory(mq: MessageQueue): number {
    return this.table.read(mq);
  }

  async readStore(mq: MessageQueue): Promise<number> {
    const address = await this.brokerAddress(mq);
    const offset = await queryConsumerOffset(this.instance, address, this.consumerGroup, mq);
    if (offset >= 0) this.table.update(mq, offset, false);
    return offset;
  }

  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    this.table.update(mq, offset, increaseOnly);
  }

  async persistAll(queues: readonly MessageQueue[], oneway: boolean): Promise<void> {
    await Promise.all(
      queues.map(async (mq) => {
        const offset = this.table.read(mq);
        if (offset < 0) return;
        try {
          const address = await this.brokerAddress(mq);
          await updateConsumerOffset(this.instance, address, this.consumerGroup, mq, offset, oneway);
        } catch (error) {
          this.instance.logger.warn('commit offset failed', {
            queue: formatMessageQueue(mq),
            offset,
            error: String(error),
          });
        }
      }),
    );
  }

  remove(mq: MessageQueue): void {
    this.table.remove(mq);
  }

  private async brokerAddress(mq: MessageQueue): Promise<string> {
    const address = this.instance.findBrokerAddress(mq.brokerName);
    if (address !== undefined) return address;
    await this.instance.updateTopicRoute(mq.topic);
    return this.instance.brokerAddressOrThrow(mq.brokerName);
  }
}

/**
 * Broadcasting offsets. Compat: Java keeps them in a file under ~/.rocketmq_offsets; these live in
 * memory for the consumer's lifetime, so a restarted broadcasting consumer starts by
 * consumeFromWhere again.
 */
export class LocalOffsetStore implements OffsetStore {
  private readonly table = new OffsetTable();

  readMemory(mq: MessageQueue): number {
    return this.table.read(mq);
  }

  readStore(mq: MessageQueue): Promise<number> {
    return Promise.resolve(this.table.read(mq));
  }

  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    this.table.update(mq, offset, increaseOnly);
  }

  persistAll(): Promise<void> {
    return Promise.resolve();
  }

  remove(): void {
    // Kept: a queue rebalanced back resumes where it was.
  }
}
