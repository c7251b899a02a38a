// PullMessage over gRPC (the server stream of RocketMQ 5.3+'s lite pull consumers): one pull of one queue from an
// offset through the protocol-neutral PullService, as a Remoting PULL_MESSAGE with its own subscription (tag or
// SQL92) and, when the request gives a long polling time, held until a message arrives. The stream: a Status, the
// messages, the next offset, the end (docs/grpc.md §9). Depends on the pull service, the topic table and the protos.

import { create } from '@bufbuild/protobuf';
import { Code, FilterType } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  PullMessageResponseSchema,
  type PullMessageRequest,
  type PullMessageResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { ExpressionType, type PullMessageRequestHeader } from '../../protocol/pull-request-header.js';
import { buildPullSysFlag } from '../../protocol/pull-sys-flag.js';
import { decodeStoredRecords } from '../../protocol/record-decoder.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { PullStatus } from '../domain/pull/pull-result-mapper.js';
import type { PullResult, PullService } from '../services/pull-service.js';
import type { GrpcCallContext } from './grpc-context.js';
import { GRPC_MAX_LONG_POLLING_MS } from './grpc-limits.js';
import { okStatus, status, statusOf } from './grpc-status.js';
import { toGrpcMessage } from './message-converter.js';
import { validateConsumerGroupResource } from './message-validation.js';
import { checkQueue } from './offset-activity.js';
import { durationMs } from './receive-activity.js';

/** The most messages one PullMessage returns (as ReceiveMessage's batch). */
export const GRPC_PULL_MAX_BATCH = 32;

/** The response stream of one PullMessage call. */
export interface PullStream {
  isOpen(): boolean;
  write(response: PullMessageResponse): void;
  end(): void;
}

export class PullActivity {
  constructor(
    private readonly pulls: PullService,
    private readonly topics: Pick<TopicConfigManager, 'get'>,
    private readonly nowMs: () => number,
  ) {}

  /** Answers the stream; never throws (a refusal is a Status on the stream). */
  async pullMessage(context: GrpcCallContext, request: PullMessageRequest, stream: PullStream): Promise<void> {
    let result: PullResult;
    try {
      result = await this.pulls.pull(this.pullHeader(request), context.remoteAddress);
    } catch (error) {
      writeAll(stream, [{ case: 'status', value: statusOf(error) }]);
      return;
    }
    const records = result.status === PullStatus.FOUND ? decodeStoredRecords(result.body ?? Buffer.alloc(0)) : [];
    writeAll(stream, [
      { case: 'status', value: statusOfPull(result) },
      ...records.map((record) => ({ case: 'message' as const, value: toGrpcMessage(record) })),
      { case: 'nextOffset', value: BigInt(result.nextBeginOffset) },
    ]);
  }

  private pullHeader(request: PullMessageRequest): PullMessageRequestHeader {
    const group = validateConsumerGroupResource(request.group);
    const { topic, queueId } = checkQueue(this.topics, request.messageQueue);
    const pollMs = Math.min(Math.max(durationMs(request.longPollingTimeout), 0), GRPC_MAX_LONG_POLLING_MS);
    const filter = request.filterExpression;
    const batch = request.batchSize <= 0 ? GRPC_PULL_MAX_BATCH : Math.min(request.batchSize, GRPC_PULL_MAX_BATCH);
    return {
      consumerGroup: group,
      topic,
      queueId,
      queueOffset: Number(request.offset),
      maxMsgNums: batch,
      sysFlag: buildPullSysFlag({ subscription: true, suspend: pollMs > 0 }),
      commitOffset: 0,
      suspendTimeoutMillis: pollMs,
      subscription: filter === undefined || filter.expression === '' ? '*' : filter.expression,
      subVersion: this.nowMs(),
      expressionType: filter?.type === FilterType.SQL ? ExpressionType.SQL92 : ExpressionType.TAG,
    };
  }
}

type Content = PullMessageResponse['content'];

/** Writes each response while the client is there, then ends the stream. */
function writeAll(stream: PullStream, contents: readonly Content[]): void {
  for (const content of contents) {
    if (!stream.isOpen()) return;
    stream.write(create(PullMessageResponseSchema, { content }));
  }
  if (stream.isOpen()) stream.end();
}

/** FOUND: OK; nothing new or nothing matching: MESSAGE_NOT_FOUND; an offset outside the queue: ILLEGAL_OFFSET. */
function statusOfPull(result: PullResult): ReturnType<typeof status> {
  switch (result.status) {
    case PullStatus.FOUND:
      return okStatus();
    case PullStatus.NO_NEW_MSG:
      return status(Code.MESSAGE_NOT_FOUND, 'no new message');
    case PullStatus.NO_MATCHED_MSG:
      return status(Code.MESSAGE_NOT_FOUND, 'no match message');
    case PullStatus.OFFSET_ILLEGAL:
      return status(Code.ILLEGAL_OFFSET, `the offset is illegal: ${result.remark}`);
  }
}
