// Queue allocation among the consumers of a group (Java `AllocateMessageQueueAveragely` "AVG" and
// `AllocateMessageQueueAveragelyByCircle` "AVG_BY_CIRCLE"), index for index as Java computes them, so a
// client rebalancing itself and a broker answering QUERY_ASSIGNMENT split queues the same way. Both lists
// arrive sorted. Depends on nothing.

/** The items (queues) `currentCid` gets out of `mqAll` shared among `cidAll`. */
export type QueueAllocation = <T>(currentCid: string, mqAll: readonly T[], cidAll: readonly string[]) => T[];

/** AVG: each client a contiguous block; the first `mqAll % cidAll` clients one more. */
export function allocateAveragely<T>(currentCid: string, mqAll: readonly T[], cidAll: readonly string[]): T[] {
  const index = cidAll.indexOf(currentCid);
  if (index < 0 || mqAll.length === 0) return [];
  const mod = mqAll.length % cidAll.length;
  let averageSize: number;
  if (mqAll.length <= cidAll.length) averageSize = 1;
  else if (mod > 0 && index < mod) averageSize = Math.floor(mqAll.length / cidAll.length) + 1;
  else averageSize = Math.floor(mqAll.length / cidAll.length);
  const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
  const range = Math.min(averageSize, mqAll.length - startIndex);
  const result: T[] = [];
  for (let i = 0; i < range; i++) result.push(mqAll[(startIndex + i) % mqAll.length] as T);
  return result;
}

/** AVG_BY_CIRCLE: every `cidAll.length`-th queue starting at the client's index. */
export function allocateAveragelyByCircle<T>(currentCid: string, mqAll: readonly T[], cidAll: readonly string[]): T[] {
  const index = cidAll.indexOf(currentCid);
  if (index < 0) return [];
  const result: T[] = [];
  for (let i = index; i < mqAll.length; i++) {
    if (i % cidAll.length === index) result.push(mqAll[i] as T);
  }
  return result;
}

/** The strategies a broker serves QUERY_ASSIGNMENT with, by the name the client sends (Java `getName()`). */
export const QUEUE_ALLOCATIONS: ReadonlyMap<string, QueueAllocation> = new Map([
  ['AVG', allocateAveragely],
  ['AVG_BY_CIRCLE', allocateAveragelyByCircle],
]);
