// ReceiveMessage over gRPC (Java `ReceiveMessageActivity`, `ReceiveMessageResponseStreamWriter`): the request
// checked as Apache's proxy checks it, one pop through the protocol-neutral PopService (long polling), then the
// stream: a Status, each message with its receipt handle, a delivery timestamp, the end. Messages a cancelled
// stream could not take are made visible again after 1 s. Depends on the pop services and the protos.

import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, FilterType } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  ReceiveMessageResponseSchema,
  type ReceiveMessageRequest,
  type ReceiveMessageResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { MessageProperty } from '../../protocol/message-properties.js';
import { normalTopicOfPopRetry } from '../../protocol/pop-extra-info.js';
import { ConsumeInitMode, type PopMessageRequestHeader } from '../../protocol/pop-headers.js';
import { decodeStoredRecords, type StoredMessage } from '../../protocol/record-decoder.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { AckService } from '../services/pop/ack-service.js';
import { POP_MAX_MSG_NUMS, type PopResult, type PopService } from '../services/pop/pop-service.js';
import type { DeadLetterActivity } from './dead-letter-activity.js';
import type { ReceiptRenewer } from './receipt-renewer.js';
import type { GrpcCallContext } from './grpc-context.js';
import {
  GRPC_DEFAULT_INVISIBLE_MS,
  GRPC_MAX_INVISIBLE_MS,
  GRPC_MAX_LONG_POLLING_MS,
  GRPC_MIN_INVISIBLE_MS_FOR_RECEIVE,
  GRPC_MIN_LONG_POLLING_MS,
  GRPC_NACK_INVISIBLE_MS,
} from './grpc-limits.js';
import { GrpcError, okStatus, status, statusOf } from './grpc-status.js';
import { toGrpcMessage } from './message-converter.js';
import { validateConsumerGroupResource, validateTopicResource } from './message-validation.js';
import { ackRequestOf, decodeReceiptHandle, receiptHandles } from './receipt-handle.js';

/** The response stream of one ReceiveMessage call. */
export interface ReceiveStream {
  /** False once the client cancelled or went away: what is left is not written. */
  isOpen(): boolean;
  write(response: ReceiveMessageResponse): void;
  end(): void;
}

export interface ReceiveActivitySettings {
  readonly brokerName: string;
  readonly nowMs: () => number;
  /** Renews the handles of messages written to an `auto_renew` receive (push consumers). */
  readonly renewer?: ReceiptRenewer;
}

export class ReceiveActivity {
  constructor(
    private readonly pops: PopService,
    private readonly acks: AckService,
    private readonly deadLetters: DeadLetterActivity,
    private readonly groups: SubscriptionGroupManager,
    private readonly settings: ReceiveActivitySettings,
  ) {}

  /** Answers the stream; never throws (every failure is a Status on the stream). */
  async receiveMessage(context: GrpcCallContext, request: ReceiveMessageRequest, stream: ReceiveStream): Promise<void> {
    let header: PopMessageRequestHeader;
    let result: PopResult;
    try {
      header = this.popHeader(request);
      // A call cancelled while its pop is held pops nothing when the hold wakes (nothing to give back).
      result = await this.pops.receive(header, context.remoteAddress, () => !stream.isOpen());
    } catch (error) {
      this.complete(stream, statusOf(error));
      return;
    }
    if (result.status !== 'FOUND') {
      const polling = result.status === 'POLLING_FULL';
      this.complete(stream, polling ? status(Code.TOO_MANY_REQUESTS, 'polling full') : notFound('no new message'));
      return;
    }
    this.writeMessages(context, header, result, stream, request.autoRenew);
  }

  /** Java's order: topic and group, invisible time (10 s … 12 h), long polling (5 s … 20 s), filter. */
  private popHeader(request: ReceiveMessageRequest): PopMessageRequestHeader {
    const topic = validateTopicResource(request.messageQueue?.topic);
    const group = validateConsumerGroupResource(request.group);
    // Java: a push consumer asks for auto renewal and gets the proxy's default invisible time; the handles of the
    // messages written are then renewed while the client consumes them (receipt-renewer.ts).
    const invisibleTime = request.autoRenew ? GRPC_DEFAULT_INVISIBLE_MS : durationMs(request.invisibleDuration);
    if (!request.autoRenew) checkInvisibleTime(invisibleTime, GRPC_MIN_INVISIBLE_MS_FOR_RECEIVE);
    const asked =
      request.longPollingTimeout === undefined ? GRPC_MAX_LONG_POLLING_MS : durationMs(request.longPollingTimeout);
    const pollTime = Math.min(Math.max(asked, GRPC_MIN_LONG_POLLING_MS), GRPC_MAX_LONG_POLLING_MS);
    const filter = request.filterExpression;
    const sql = filter?.type === FilterType.SQL;
    return {
      consumerGroup: group,
      topic,
      queueId: -1,
      maxMsgNums: Math.min(Math.max(request.batchSize, 1), POP_MAX_MSG_NUMS),
      invisibleTime,
      pollTime,
      bornTime: this.settings.nowMs(),
      initMode: ConsumeInitMode.MAX,
      expType: sql ? 'SQL92' : 'TAG',
      exp: filter === undefined || filter.expression === '' ? '*' : filter.expression,
      order: this.groups.get(group)?.consumeMessageOrderly ?? false,
      ...(request.attemptId !== undefined && { attemptId: request.attemptId }),
    };
  }

  /** Status OK, then each message while the stream is open; the rest are made visible again soon. */
  private writeMessages(
    context: GrpcCallContext,
    header: PopMessageRequestHeader,
    result: PopResult,
    stream: ReceiveStream,
    autoRenew: boolean,
  ): void {
    const popped = decodeStoredRecords(result.body ?? Buffer.alloc(0));
    const poppedHandles = receiptHandles(result, popped, this.settings.brokerName);
    const { records, handles } = this.withoutExhausted(context, header, popped, poppedHandles);
    if (records.length === 0) {
      this.complete(stream, notFound('no match message'));
      return;
    }
    let written = 0;
    if (stream.isOpen()) {
      stream.write(create(ReceiveMessageResponseSchema, { content: { case: 'status', value: okStatus() } }));
      for (; written < records.length && stream.isOpen(); written++) {
        const message = receivedMessage(records[written]!, handles[written]!, header.consumerGroup);
        stream.write(create(ReceiveMessageResponseSchema, { content: { case: 'message', value: message } }));
        const messageId = message.systemProperties?.messageId ?? '';
        if (autoRenew)
          this.settings.renewer?.add(
            context.clientId,
            header.consumerGroup,
            header.topic,
            messageId,
            handles[written]!,
            records[written]!.reconsumeTimes,
          );
      }
    }
    for (const handle of handles.slice(written)) this.nack(context, header, handle);
    this.complete(stream, null);
  }

  /**
   * Java `PopMessageResultFilterImpl`: a message already delivered `max_attempts` times (the group's retryMaxTimes
   * + 1, what the client's Settings were given) goes to the group's DLQ instead of the client.
   */
  private withoutExhausted(
    context: GrpcCallContext,
    header: PopMessageRequestHeader,
    records: StoredMessage[],
    handles: string[],
  ): { records: StoredMessage[]; handles: string[] } {
    const group = header.consumerGroup;
    const maxAttempts = (this.groups.get(group)?.retryMaxTimes ?? DEFAULT_RETRY_MAX_TIMES) + 1;
    const kept = { records: [] as StoredMessage[], handles: [] as string[] };
    records.forEach((record, index) => {
      const handle = handles[index]!;
      if (record.reconsumeTimes < maxAttempts) {
        kept.records.push(record);
        kept.handles.push(handle);
        return;
      }
      const messageId = record.properties.get(MessageProperty.UNIQ_KEY) ?? '';
      const message = { group, topic: header.topic, handle, messageId };
      this.deadLetters.forward(context, message).catch(() => undefined);
    });
    return kept;
  }

  /** Java `processThrowableWhenWriteMessage`: the message becomes visible again after 1 s. */
  private nack(context: GrpcCallContext, header: PopMessageRequestHeader, handle: string): void {
    const request = ackRequestOf(header.consumerGroup, header.topic, handle, decodeReceiptHandle(handle));
    this.acks.changeInvisibleTime(request, GRPC_NACK_INVISIBLE_MS, context.remoteAddress).catch(() => undefined);
  }

  /** Java `onComplete`: the status (if any), the delivery timestamp, the end. */
  private complete(stream: ReceiveStream, failure: ReturnType<typeof status> | null): void {
    if (!stream.isOpen()) return;
    if (failure !== null)
      stream.write(create(ReceiveMessageResponseSchema, { content: { case: 'status', value: failure } }));
    const now = timestampFromMs(this.settings.nowMs());
    stream.write(create(ReceiveMessageResponseSchema, { content: { case: 'deliveryTimestamp', value: now } }));
    stream.end();
  }
}

/** Java `SubscriptionGroupConfig`'s default retryMaxTimes (a group that does not exist yet). */
const DEFAULT_RETRY_MAX_TIMES = 16;

/** Java `GrpcValidator#validateInvisibleTime`. */
export function checkInvisibleTime(invisibleTimeMs: number, minMs: number): void {
  if (invisibleTimeMs < minMs) {
    throw new GrpcError(Code.ILLEGAL_INVISIBLE_TIME, `the invisibleTime is too small. min is ${minMs}`);
  }
  if (invisibleTimeMs > GRPC_MAX_INVISIBLE_MS) {
    throw new GrpcError(Code.ILLEGAL_INVISIBLE_TIME, `the invisibleTime is too large. max is ${GRPC_MAX_INVISIBLE_MS}`);
  }
}

/** A protobuf Duration in ms (absent: 0). */
export function durationMs(duration: { seconds: bigint; nanos: number } | undefined): number {
  if (duration === undefined) return 0;
  return Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1_000_000);
}

function notFound(message: string): ReturnType<typeof status> {
  return status(Code.MESSAGE_NOT_FOUND, message);
}

/** A popped record as the client sees it: its normal topic (a retried message comes from the pop retry topic). */
function receivedMessage(record: StoredMessage, handle: string, group: string) {
  const topic = normalTopicOfPopRetry(record.topic, group);
  const properties = new Map(record.properties).set(MessageProperty.POP_CK, handle);
  return toGrpcMessage({ ...record, properties }, topic);
}
