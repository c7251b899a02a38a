// Queue allocation among the consumers of a group (Java `AllocateMessageQueueStrategy`). The default,
// `allocateMessageQueueAveragely`, is Java's `AllocateMessageQueueAveragely` to the index, so our
// consumers and Java or Go consumers of one group split queues the same way: both lists sorted,
// each client a contiguous block, the first `mqAll % cidAll` clients one queue more.
// Depends on ../message-queue.ts.

import type { MessageQueue } from '../message-queue.js';

/** The queues `currentCid` consumes; `mqAll` and `cidAll` arrive sorted. */
export type AllocateMessageQueueStrategy = (
  consumerGroup: string,
  currentCid: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
) => MessageQueue[];

export const allocateMessageQueueAveragely: AllocateMessageQueueStrategy = (_group, currentCid, mqAll, cidAll) => {
  const index = cidAll.indexOf(currentCid);
  if (index < 0 || mqAll.length === 0) return [];
  const mod = mqAll.length % cidAll.length;
  let averageSize: number;
  if (mqAll.length <= cidAll.length) averageSize = 1;
  else if (mod > 0 && index < mod) averageSize = Math.floor(mqAll.length / cidAll.length) + 1;
  else averageSize = Math.floor(mqAll.length / cidAll.length);
  const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
  const range = Math.min(averageSize, mqAll.length - startIndex);
  const result: MessageQueue[] = [];
  for (let i = 0; i < range; i++) result.push(mqAll[(startIndex + i) % mqAll.length] as MessageQueue);
  return result;
};
