// Queue choice for producers: the selector of ordered sends (Java `MessageQueueSelector`, default
// `SelectMessageQueueByHash` over the sharding key) and the round robin with broker fault avoidance
// of ordinary sends (Java `TopicPublishInfo#selectOneMessageQueue`). Depends on
// ts/protocol/tag-code.ts (Java String.hashCode), ../message-queue.ts.

import { javaStringHashCode } from '../../protocol/tag-code.js';
import type { MessageQueue } from '../message-queue.js';

/** Picks the queue of a message from the topic's writable queues, given its sharding key. */
export type MessageQueueSelector = (queues: readonly MessageQueue[], shardingKey: string) => MessageQueue;

/**
 * Java `SelectMessageQueueByHash`: `abs(key.hashCode() % size)`, so Java, Go and this client put a
 * key on the same queue.
 */
export const selectMessageQueueByHash: MessageQueueSelector = (queues, shardingKey) => {
  const index = Math.abs(javaStringHashCode(shardingKey) % queues.length);
  return queues[index] as MessageQueue;
};

/** The writable queues of one topic and a rotating index over them. */
export class TopicPublishInfo {
  private index: number;

  constructor(readonly queues: readonly MessageQueue[]) {
    if (queues.length === 0) throw new RangeError('a topic publish info needs at least one queue');
    // Java's ThreadLocalIndex starts at a random position.
    this.index = Math.floor(Math.random() * queues.length);
  }

  /** The next queue, avoiding `lastBrokerName` (the broker the last attempt failed on) when possible. */
  selectOneMessageQueue(lastBrokerName?: string): MessageQueue {
    for (let tried = 0; tried < this.queues.length; tried++) {
      const mq = this.next();
      if (lastBrokerName === undefined || mq.brokerName !== lastBrokerName) return mq;
    }
    return this.next();
  }

  private next(): MessageQueue {
    this.index = (this.index + 1) % this.queues.length;
    return this.queues[this.index] as MessageQueue;
  }
}
