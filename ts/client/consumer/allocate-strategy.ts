// Queue allocation among the consumers of a group (Java `AllocateMessageQueueStrategy`). The default,
// `allocateMessageQueueAveragely`, is Java's `AllocateMessageQueueAveragely` to the index, so our
// consumers and Java or Go consumers of one group split queues the same way: both lists sorted,
// each client a contiguous block, the first `mqAll % cidAll` clients one queue more.
// Depends on ../message-queue.ts and the shared ts/protocol/queue-allocation.ts.

import { allocateAveragely } from '../../protocol/queue-allocation.js';
import type { MessageQueue } from '../message-queue.js';

/** The queues `currentCid` consumes; `mqAll` and `cidAll` arrive sorted. */
export type AllocateMessageQueueStrategy = (
  consumerGroup: string,
  currentCid: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
) => MessageQueue[];

export const allocateMessageQueueAveragely: AllocateMessageQueueStrategy = (_group, currentCid, mqAll, cidAll) =>
  allocateAveragely(currentCid, mqAll, cidAll);
