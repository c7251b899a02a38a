// Server-side rebalance (Java `QueryAssignmentProcessor#doLoadBalance`, `#allocate4Pop`): which queues of a
// topic a consumer of a group gets when it asks the broker (QUERY_ASSIGNMENT), in PULL mode by the
// client's allocate strategy, in POP mode shared (`popShareQueueNum`) or every queue as queueId -1.
// Pure: the caller gives the topic's readable queues and the group's client ids. Depends on ts/protocol.

import {
  type AssignedQueue,
  type MessageQueueAssignment,
  type MessageRequestModeBody,
  type QueryAssignmentRequest,
} from '../../../protocol/assignment.js';
import { QUEUE_ALLOCATIONS, type QueueAllocation } from '../../../protocol/queue-allocation.js';
import { isRetryTopic } from '../../../protocol/topics.js';

export interface RequestModeDefaults {
  /** broker.conf `defaultMessageRequestMode` (PULL). */
  readonly defaultMessageRequestMode: 'PULL' | 'POP';
  /** broker.conf `defaultPopShareQueueNum` (-1: every consumer pops every queue). */
  readonly defaultPopShareQueueNum: number;
}

/** Java `queryAssignment`: the stored mode, else PULL for a retry topic and the broker's default otherwise. */
export function effectiveRequestMode(
  stored: MessageRequestModeBody | undefined,
  topic: string,
  consumerGroup: string,
  defaults: RequestModeDefaults,
): MessageRequestModeBody {
  if (stored !== undefined) return stored;
  const mode = isRetryTopic(topic) ? 'PULL' : defaults.defaultMessageRequestMode;
  const popShareQueueNum = mode === 'POP' ? defaults.defaultPopShareQueueNum : 0;
  return { topic, consumerGroup, mode, popShareQueueNum };
}

export interface AssignmentInput {
  readonly request: QueryAssignmentRequest;
  readonly mode: MessageRequestModeBody;
  /** The topic's readable queues (Java `getTopicSubscribeInfo`); null when the topic does not exist. */
  readonly queues: readonly AssignedQueue[] | null;
  /** The group's client ids; empty when the group has no consumer online. */
  readonly clientIds: readonly string[];
  /** broker.conf `serverLoadBalancerEnable`: false gives every consumer every queue. */
  readonly serverLoadBalancerEnable: boolean;
}

/**
 * Java `doLoadBalance`: the consumer's assignments, or null ("no valid result", the client keeps what
 * it has) when the topic or the group's consumers are unknown, the strategy is not served, or allocation
 * has nothing to work with.
 */
export function assignQueues(input: AssignmentInput): MessageQueueAssignment[] | null {
  const queues = assignedQueueSet(input);
  if (queues === null) return null;
  return queues.map((messageQueue) => ({ messageQueue, mode: input.mode.mode }));
}

function assignedQueueSet(input: AssignmentInput): AssignedQueue[] | null {
  const { request, queues } = input;
  if (queues === null) return null;
  if (request.messageModel === 'BROADCASTING') return [...queues];
  if (!input.serverLoadBalancerEnable) return [...queues];
  if (input.clientIds.length === 0 || queues.length === 0) return null;
  const strategy = QUEUE_ALLOCATIONS.get(request.strategyName);
  if (strategy === undefined) return null;
  const mqAll = [...queues].sort(compareQueues);
  const cidAll = [...input.clientIds].sort();
  const result =
    input.mode.mode === 'POP'
      ? allocateForPop(strategy, request.clientId, mqAll, cidAll, input.mode.popShareQueueNum)
      : strategy(request.clientId, mqAll, cidAll);
  return distinctQueues(result);
}

/**
 * Java `allocate4Pop`: with popShareQueueNum <= 0 or at least the other consumers' count, every queue
 * (as queueId -1: pop from any queue); with at least as many queues as consumers, the consumer's own
 * share plus the shares of the popShareQueueNum consumers after it; otherwise one queue each.
 */
export function allocateForPop(
  strategy: QueueAllocation,
  clientId: string,
  mqAll: readonly AssignedQueue[],
  cidAll: readonly string[],
  popShareQueueNum: number,
): AssignedQueue[] {
  if (popShareQueueNum <= 0 || popShareQueueNum >= cidAll.length - 1) {
    return mqAll.map((queue) => ({ topic: queue.topic, brokerName: queue.brokerName, queueId: -1 }));
  }
  if (cidAll.length > mqAll.length) {
    const index = cidAll.indexOf(clientId);
    return index < 0 ? [] : [mqAll[index % mqAll.length] as AssignedQueue];
  }
  const result = strategy(clientId, mqAll, cidAll);
  let index = cidAll.indexOf(clientId);
  if (index < 0) return result;
  for (let i = 1; i <= popShareQueueNum; i++) {
    index = (index + 1) % cidAll.length;
    result.push(...strategy(cidAll[index] as string, mqAll, cidAll));
  }
  return result;
}

/** Java `MessageQueue#compareTo`: topic, then broker name, then queue id. */
export function compareQueues(a: AssignedQueue, b: AssignedQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** Java collects the result in a HashSet: equal queues (several queueId -1) count once. */
function distinctQueues(queues: readonly AssignedQueue[]): AssignedQueue[] {
  const seen = new Map<string, AssignedQueue>();
  for (const queue of queues) seen.set(`${queue.topic}\u0000${queue.brokerName}\u0000${queue.queueId}`, queue);
  return [...seen.values()];
}
