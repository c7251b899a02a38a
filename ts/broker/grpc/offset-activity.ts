// The offset RPCs of RocketMQ 5.3+'s lite consumers over gRPC: UpdateOffset and GetOffset (a group's committed
// offset of one queue, as Remoting UPDATE_CONSUMER_OFFSET / QUERY_CONSUMER_OFFSET) and QueryOffset (a queue's
// first or next offset, or the offset at a time). Apache's proxy does not serve them (docs/grpc.md §9); the
// answers are the Remoting ones over the same OffsetService. Depends on the offset service, the topic table and
// the protos.

import { create } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { Code, QueryOffsetPolicy, type MessageQueue } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  GetOffsetResponseSchema,
  QueryOffsetResponseSchema,
  UpdateOffsetResponseSchema,
  type GetOffsetRequest,
  type GetOffsetResponse,
  type QueryOffsetRequest,
  type QueryOffsetResponse,
  type UpdateOffsetRequest,
  type UpdateOffsetResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { OffsetService } from '../services/offset-service.js';
import type { GrpcCallContext } from './grpc-context.js';
import { GrpcError, okStatus } from './grpc-status.js';
import { validateConsumerGroupResource, validateTopicResource } from './message-validation.js';

/** A queue of this broker named by a request: its topic (legal, known) and its id (a readable queue). */
export interface QueueRef {
  readonly topic: string;
  readonly queueId: number;
}

export class OffsetActivity {
  constructor(
    private readonly offsets: OffsetService,
    private readonly topics: Pick<TopicConfigManager, 'get'>,
  ) {}

  updateOffset(context: GrpcCallContext, request: UpdateOffsetRequest): UpdateOffsetResponse {
    const group = validateConsumerGroupResource(request.group);
    const { topic, queueId } = checkQueue(this.topics, request.messageQueue);
    const offset = Number(request.offset);
    if (offset < 0) throw new GrpcError(Code.ILLEGAL_OFFSET, `offset ${offset} is negative`);
    this.offsets.commitOffset(context.remoteAddress, group, topic, queueId, offset);
    return create(UpdateOffsetResponseSchema, { status: okStatus() });
  }

  /** The committed offset; none yet: 0 while the queue still starts at 0, else NOT_FOUND (QUERY_CONSUMER_OFFSET). */
  getOffset(request: GetOffsetRequest): GetOffsetResponse {
    const group = validateConsumerGroupResource(request.group);
    const { topic, queueId } = checkQueue(this.topics, request.messageQueue);
    const offset = this.offsets.queryConsumerOffset(group, topic, queueId, undefined);
    return create(GetOffsetResponseSchema, { status: okStatus(), offset: BigInt(offset) });
  }

  /** BEGINNING: the queue's min offset; END: its max (the next to be written); TIMESTAMP: the offset at a time. */
  queryOffset(request: QueryOffsetRequest): QueryOffsetResponse {
    const { topic, queueId } = checkQueue(this.topics, request.messageQueue);
    let offset: number;
    switch (request.queryOffsetPolicy) {
      case QueryOffsetPolicy.BEGINNING:
        offset = this.offsets.minOffset(topic, queueId);
        break;
      case QueryOffsetPolicy.END:
        offset = this.offsets.maxOffset(topic, queueId);
        break;
      case QueryOffsetPolicy.TIMESTAMP:
        if (request.timestamp === undefined) throw new GrpcError(Code.BAD_REQUEST, 'timestamp is required');
        offset = this.offsets.searchOffsetByTimestamp(topic, queueId, timestampMs(request.timestamp));
        break;
      default:
        throw new GrpcError(Code.BAD_REQUEST, `unknown query offset policy ${String(request.queryOffsetPolicy)}`);
    }
    return create(QueryOffsetResponseSchema, { status: okStatus(), offset: BigInt(offset) });
  }
}

/** The queue's topic checked as everywhere (ILLEGAL_TOPIC, TOPIC_NOT_FOUND) and its id among the read queues. */
export function checkQueue(topics: Pick<TopicConfigManager, 'get'>, queue: MessageQueue | undefined): QueueRef {
  const topic = validateTopicResource(queue?.topic);
  const config = topics.get(topic);
  if (config === undefined) throw new GrpcError(Code.TOPIC_NOT_FOUND, `No route info of this topic: ${topic}`);
  const queueId = queue?.id ?? -1;
  if (queueId < 0 || queueId >= config.readQueueNums) {
    const queues = config.readQueueNums;
    throw new GrpcError(Code.BAD_REQUEST, `queueId[${queueId}] is illegal, topic:[${topic}] readQueueNums:[${queues}]`);
  }
  return { topic, queueId };
}
