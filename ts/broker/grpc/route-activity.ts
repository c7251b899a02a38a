// QueryRoute and QueryAssignment over gRPC (Java `RouteActivity`): the topic's queues on this broker, each pointing
// at this broker's own gRPC endpoint (no proxy), with its permission and the message types the topic accepts; a
// push consumer's assignment (the whole broker, or each queue for an orderly group). Depends on the topic table.

import { create } from '@bufbuild/protobuf';
import {
  AddressScheme,
  AddressSchema,
  AssignmentSchema,
  BrokerSchema,
  Code,
  EndpointsSchema,
  MessageQueueSchema,
  MessageType,
  Permission,
  ResourceSchema,
  type Endpoints,
  type MessageQueue,
} from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  QueryAssignmentResponseSchema,
  type QueryAssignmentRequest,
  type QueryAssignmentResponse,
  QueryRouteResponseSchema,
  type QueryRouteRequest,
  type QueryRouteResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { PERM_READ, PERM_WRITE, type TopicConfig } from '../../protocol/route-types.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { GrpcError, okStatus } from './grpc-status.js';
import { validateConsumerGroupResource, validateTopicResource } from './message-validation.js';

/** Java `TopicAttributes.TOPIC_MESSAGE_TYPE_ATTRIBUTE`. */
const MESSAGE_TYPE_ATTRIBUTE = 'message.type';

const TYPES_BY_ATTRIBUTE: Readonly<Record<string, readonly MessageType[]>> = {
  NORMAL: [MessageType.NORMAL],
  FIFO: [MessageType.FIFO],
  DELAY: [MessageType.DELAY],
  TRANSACTION: [MessageType.TRANSACTION],
  MIXED: [MessageType.NORMAL, MessageType.FIFO, MessageType.DELAY, MessageType.TRANSACTION],
};

export interface RouteSettings {
  readonly brokerName: string;
  /** This broker's gRPC address, `host:port` (the real port once listening). */
  readonly grpcAddress: () => { host: string; port: number };
  /** Whether a consumer group consumes orderly (`consumeMessageOrderly`); absent: none does. */
  readonly consumeOrderly?: (group: string) => boolean;
}

export class RouteActivity {
  constructor(
    private readonly topics: TopicConfigManager,
    private readonly settings: RouteSettings,
  ) {}

  queryRoute(request: QueryRouteRequest): QueryRouteResponse {
    const name = validateTopicResource(request.topic);
    const topic = this.topics.get(name);
    if (topic === undefined)
      throw new GrpcError(Code.TOPIC_NOT_FOUND, `No topic route info in name server for the topic: ${name}`);
    return create(QueryRouteResponseSchema, { status: okStatus(), messageQueues: this.messageQueues(topic, name) });
  }

  /**
   * Java `RouteActivity#queryAssignment`: a readable topic is assigned as one queue per broker (id -1: the
   * broker pops from any queue), or, for an orderly group, queue by queue; with the topic's permission.
   */
  queryAssignment(request: QueryAssignmentRequest): QueryAssignmentResponse {
    const name = validateTopicResource(request.topic);
    const group = validateConsumerGroupResource(request.group);
    const topic = this.topics.get(name);
    if (topic === undefined)
      throw new GrpcError(Code.TOPIC_NOT_FOUND, `No topic route info in name server for the topic: ${name}`);
    if ((topic.perm & PERM_READ) === 0 || topic.readQueueNums <= 0) {
      return create(QueryAssignmentResponseSchema, { status: okStatus(), assignments: [] });
    }
    const broker = create(BrokerSchema, { name: this.settings.brokerName, id: 0, endpoints: this.endpoints() });
    const permission = (topic.perm & PERM_WRITE) !== 0 ? Permission.READ_WRITE : Permission.READ;
    const orderly = this.settings.consumeOrderly?.(group) ?? false;
    const ids = orderly ? Array.from({ length: topic.readQueueNums }, (_, i) => i) : [-1];
    const assignments = ids.map((id) =>
      create(AssignmentSchema, {
        messageQueue: create(MessageQueueSchema, { topic: create(ResourceSchema, { name }), id, permission, broker }),
      }),
    );
    return create(QueryAssignmentResponseSchema, { status: okStatus(), assignments });
  }

  /** The queues in Java's order: read-only, write-only, then read-write; none accessible: NONE. */
  private messageQueues(topic: TopicConfig, name: string): MessageQueue[] {
    const readable = (topic.perm & PERM_READ) !== 0;
    const writable = (topic.perm & PERM_WRITE) !== 0;
    const rw = readable && writable ? Math.min(topic.readQueueNums, topic.writeQueueNums) : 0;
    const counts: Array<[Permission, number]> = [
      [Permission.READ, readable ? topic.readQueueNums - rw : 0],
      [Permission.WRITE, writable ? topic.writeQueueNums - rw : 0],
      [Permission.READ_WRITE, rw],
      [Permission.NONE, readable || writable ? 0 : Math.max(1, topic.readQueueNums, topic.writeQueueNums)],
    ];
    const broker = create(BrokerSchema, { name: this.settings.brokerName, id: 0, endpoints: this.endpoints() });
    const acceptMessageTypes = acceptedTypes(topic);
    const queues: MessageQueue[] = [];
    for (const [permission, count] of counts) {
      for (let i = 0; i < count; i++) {
        const resource = create(ResourceSchema, { name });
        queues.push(
          create(MessageQueueSchema, { topic: resource, id: queues.length, permission, broker, acceptMessageTypes }),
        );
      }
    }
    return queues;
  }

  private endpoints(): Endpoints {
    const { host, port } = this.settings.grpcAddress();
    const scheme = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? AddressScheme.IPv4 : AddressScheme.DOMAIN_NAME;
    return create(EndpointsSchema, { scheme, addresses: [create(AddressSchema, { host, port })] });
  }
}

/**
 * The types the topic's `message.type` attribute allows. Compat: Apache treats a topic without the
 * attribute as NORMAL; topics created through our UPDATE_AND_CREATE_TOPIC carry no attributes yet, so
 * such a topic accepts every type (what MIXED means) instead of refusing FIFO, delay and transactions.
 */
function acceptedTypes(topic: TopicConfig): MessageType[] {
  const attribute = topic.attributes[MESSAGE_TYPE_ATTRIBUTE] ?? topic.attributes[`+${MESSAGE_TYPE_ATTRIBUTE}`];
  return [...(TYPES_BY_ATTRIBUTE[attribute ?? 'MIXED'] ?? [MessageType.MESSAGE_TYPE_UNSPECIFIED])];
}
