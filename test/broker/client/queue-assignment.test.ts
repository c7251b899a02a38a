// Server-side rebalance rules (Java QueryAssignmentProcessor#doLoadBalance, #allocate4Pop) and the shared
// allocate strategies, on plain lists: no broker.

import { describe, expect, it } from 'vitest';
import type { AssignedQueue, QueryAssignmentRequest } from '../../../ts/protocol/assignment.js';
import { allocateAveragely, allocateAveragelyByCircle } from '../../../ts/protocol/queue-allocation.js';
import {
  allocateForPop,
  assignQueues,
  effectiveRequestMode,
} from '../../../ts/broker/domain/client/queue-assignment.js';

const queues = (n: number): AssignedQueue[] =>
  Array.from({ length: n }, (_, queueId) => ({ topic: 'T', brokerName: 'b', queueId }));
const ids = (list: readonly AssignedQueue[]): number[] => list.map((queue) => queue.queueId);
const request = (clientId: string, strategyName = 'AVG'): QueryAssignmentRequest => ({
  topic: 'T',
  consumerGroup: 'g',
  clientId,
  strategyName,
  messageModel: 'CLUSTERING',
});
const pull = { topic: 'T', consumerGroup: 'g', mode: 'PULL', popShareQueueNum: 0 } as const;
const pop = (popShareQueueNum: number) => ({ ...pull, mode: 'POP', popShareQueueNum }) as const;

describe('queue allocation strategies (AVG, AVG_BY_CIRCLE)', () => {
  it('AVG gives contiguous blocks, the first clients one more', () => {
    expect(allocateAveragely('a', [0, 1, 2, 3, 4], ['a', 'b'])).toEqual([0, 1, 2]);
    expect(allocateAveragely('b', [0, 1, 2, 3, 4], ['a', 'b'])).toEqual([3, 4]);
    expect(allocateAveragely('c', [0, 1], ['a', 'b', 'c'])).toEqual([]);
    expect(allocateAveragely('x', [0, 1], ['a'])).toEqual([]);
  });

  it('AVG_BY_CIRCLE deals queues round the clients', () => {
    expect(allocateAveragelyByCircle('a', [0, 1, 2, 3, 4], ['a', 'b'])).toEqual([0, 2, 4]);
    expect(allocateAveragelyByCircle('b', [0, 1, 2, 3, 4], ['a', 'b'])).toEqual([1, 3]);
  });
});

describe('QUERY_ASSIGNMENT rules', () => {
  it('a retry topic is PULL unless set; other topics take the broker default and its share number', () => {
    const defaults = { defaultMessageRequestMode: 'POP', defaultPopShareQueueNum: -1 } as const;
    expect(effectiveRequestMode(undefined, '%RETRY%g', 'g', defaults).mode).toBe('PULL');
    expect(effectiveRequestMode(undefined, 'T', 'g', defaults)).toEqual({ ...pop(-1) });
    expect(effectiveRequestMode(pull, 'T', 'g', defaults)).toBe(pull);
  });

  it('PULL mode allocates by the strategy the client names, sorted lists', () => {
    const input = { mode: pull, queues: queues(4), clientIds: ['c2', 'c1'], serverLoadBalancerEnable: true };
    const mine = assignQueues({ ...input, request: request('c1') });
    expect(mine?.map((a) => [a.messageQueue.queueId, a.mode])).toEqual([
      [0, 'PULL'],
      [1, 'PULL'],
    ]);
    expect(
      ids(assignQueues({ ...input, request: request('c2', 'AVG_BY_CIRCLE') })!.map((a) => a.messageQueue)),
    ).toEqual([1, 3]);
  });

  it('has no valid result for an unknown topic, strategy or group, or a topic without readable queues', () => {
    const input = { request: request('c1'), mode: pull, serverLoadBalancerEnable: true };
    expect(assignQueues({ ...input, queues: null, clientIds: ['c1'] })).toBeNull();
    expect(assignQueues({ ...input, queues: queues(2), clientIds: [] })).toBeNull();
    expect(assignQueues({ ...input, queues: [], clientIds: ['c1'] })).toBeNull();
    expect(
      assignQueues({ ...input, request: request('c1', 'CONFIG'), queues: queues(2), clientIds: ['c1'] }),
    ).toBeNull();
  });

  it('broadcasting, or server load balancing off, gives every queue', () => {
    const input = { mode: pull, queues: queues(3), clientIds: ['c1', 'c2'] };
    const broadcast = { ...request('c1'), messageModel: 'BROADCASTING' } as const;
    expect(assignQueues({ ...input, request: broadcast, serverLoadBalancerEnable: true })).toHaveLength(3);
    expect(assignQueues({ ...input, request: request('c1'), serverLoadBalancerEnable: false })).toHaveLength(3);
  });

  it('POP with popShareQueueNum -1, 0 or >= the other consumers: every queue, as queueId -1', () => {
    const input = {
      request: request('c1'),
      queues: queues(4),
      clientIds: ['c1', 'c2'],
      serverLoadBalancerEnable: true,
    };
    for (const share of [-1, 0, 1]) {
      const result = assignQueues({ ...input, mode: pop(share) });
      expect(result).toEqual([{ messageQueue: { topic: 'T', brokerName: 'b', queueId: -1 }, mode: 'POP' }]);
    }
  });

  it('POP adds the shares of the popShareQueueNum next consumers; one queue each past the queue count', () => {
    const avg = allocateAveragely;
    expect(ids(allocateForPop(avg, 'c1', queues(6), ['c1', 'c2', 'c3'], 1))).toEqual([0, 1, 2, 3]);
    expect(ids(allocateForPop(avg, 'c3', queues(6), ['c1', 'c2', 'c3'], 1))).toEqual([4, 5, 0, 1]);
    expect(ids(allocateForPop(avg, 'c4', queues(2), ['c1', 'c2', 'c3', 'c4'], 1))).toEqual([1]);
    expect(ids(allocateForPop(avg, 'zz', queues(6), ['c1', 'c2', 'c3'], 1))).toEqual([]);
  });
});
