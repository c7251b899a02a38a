// QueryRoute: the topic's queues in Java's order (read-only, write-only, read-write; NONE when neither),
// every one pointing at this broker's gRPC endpoint, with the types the topic's message.type accepts; QueryAssignment.

import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { GrpcError } from '../../../ts/broker/grpc/grpc-status.js';
import { RouteActivity } from '../../../ts/broker/grpc/route-activity.js';
import type { TopicConfigManager } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import {
  AddressScheme,
  Code,
  MessageType,
  Permission,
  ResourceSchema,
} from '../../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  QueryAssignmentRequestSchema,
  QueryRouteRequestSchema,
} from '../../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import type { TopicConfig } from '../../../ts/protocol/route-types.js';

function routeOf(config: TopicConfig | undefined, topic = 'T') {
  const topics = { get: (name: string) => (name === config?.topicName ? config : undefined) };
  const activity = new RouteActivity(topics as unknown as TopicConfigManager, {
    brokerName: 'broker-a',
    grpcAddress: () => ({ host: '127.0.0.1', port: 8081 }),
  });
  return activity.queryRoute(create(QueryRouteRequestSchema, { topic: create(ResourceSchema, { name: topic }) }));
}

function topicConfig(overrides: Partial<TopicConfig>): TopicConfig {
  return { ...newTopicConfig('T'), ...overrides };
}

describe('grpc: QueryRoute', () => {
  it('lists read-only, then read-write queues, each at this broker gRPC endpoint', () => {
    const route = routeOf(topicConfig({ readQueueNums: 6, writeQueueNums: 4, perm: 6 }));
    expect(route.status?.code).toBe(Code.OK);
    expect(route.messageQueues.map((queue) => [queue.id, queue.permission])).toEqual([
      [0, Permission.READ],
      [1, Permission.READ],
      [2, Permission.READ_WRITE],
      [3, Permission.READ_WRITE],
      [4, Permission.READ_WRITE],
      [5, Permission.READ_WRITE],
    ]);
    const broker = route.messageQueues[0]?.broker;
    expect(broker?.name).toBe('broker-a');
    expect(broker?.id).toBe(0);
    expect(broker?.endpoints?.scheme).toBe(AddressScheme.IPv4);
    expect(broker?.endpoints?.addresses.map((a) => `${a.host}:${a.port}`)).toEqual(['127.0.0.1:8081']);
  });

  it('gives write-only and inaccessible topics their permissions', () => {
    const writeOnly = routeOf(topicConfig({ readQueueNums: 2, writeQueueNums: 2, perm: 2 }));
    expect(writeOnly.messageQueues.map((queue) => queue.permission)).toEqual([Permission.WRITE, Permission.WRITE]);
    const none = routeOf(topicConfig({ readQueueNums: 3, writeQueueNums: 1, perm: 0 }));
    expect(none.messageQueues.map((queue) => queue.permission)).toEqual([
      Permission.NONE,
      Permission.NONE,
      Permission.NONE,
    ]);
  });

  it('accepts the types of the message.type attribute, and every type without it', () => {
    const fifo = routeOf(topicConfig({ attributes: { 'message.type': 'FIFO' } }));
    expect(fifo.messageQueues[0]?.acceptMessageTypes).toEqual([MessageType.FIFO]);
    const plain = routeOf(topicConfig({}));
    expect(plain.messageQueues[0]?.acceptMessageTypes).toEqual([
      MessageType.NORMAL,
      MessageType.FIFO,
      MessageType.DELAY,
      MessageType.TRANSACTION,
    ]);
  });

  it('refuses an unknown topic with TOPIC_NOT_FOUND and a system topic with ILLEGAL_TOPIC', () => {
    const codeOf = (topic: string): Code | undefined => {
      try {
        routeOf(undefined, topic);
      } catch (error) {
        return error instanceof GrpcError ? error.code : undefined;
      }
      return undefined;
    };
    expect(codeOf('missing')).toBe(Code.TOPIC_NOT_FOUND);
    expect(codeOf('SCHEDULE_TOPIC_XXXX')).toBe(Code.ILLEGAL_TOPIC);
  });
});

describe('grpc: QueryAssignment', () => {
  function assignmentOf(config: TopicConfig, orderly = false) {
    const topics = { get: (name: string) => (name === config.topicName ? config : undefined) };
    const activity = new RouteActivity(topics as unknown as TopicConfigManager, {
      brokerName: 'broker-a',
      grpcAddress: () => ({ host: '127.0.0.1', port: 8081 }),
      consumeOrderly: (group) => orderly && group === 'G',
    });
    const request = create(QueryAssignmentRequestSchema, {
      topic: create(ResourceSchema, { name: config.topicName }),
      group: create(ResourceSchema, { name: 'G' }),
    });
    return activity.queryAssignment(request);
  }

  it('assigns the whole broker (queue id -1) with the topic permission', () => {
    const answer = assignmentOf(topicConfig({ readQueueNums: 4, writeQueueNums: 4, perm: 6 }));
    expect(answer.status?.code).toBe(Code.OK);
    const queues = answer.assignments.map((assignment) => assignment.messageQueue);
    expect(queues.map((queue) => [queue?.id, queue?.permission, queue?.broker?.name])).toEqual([
      [-1, Permission.READ_WRITE, 'broker-a'],
    ]);
  });

  it('assigns queue by queue to an orderly group, and nothing for a topic it cannot read', () => {
    const orderly = assignmentOf(topicConfig({ readQueueNums: 3, writeQueueNums: 3, perm: 4 }), true);
    expect(orderly.assignments.map((a) => [a.messageQueue?.id, a.messageQueue?.permission])).toEqual([
      [0, Permission.READ],
      [1, Permission.READ],
      [2, Permission.READ],
    ]);
    expect(assignmentOf(topicConfig({ perm: 2 })).assignments).toEqual([]);
  });
});
