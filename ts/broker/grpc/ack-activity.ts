// AckMessage and ChangeInvisibleDuration over gRPC (Java `AckMessageActivity`, `ChangeInvisibleDurationActivity`):
// receipt handles decoded into the protocol-neutral AckService's requests; one result entry per acked message and
// MULTIPLE_RESULTS when they differ; the new receipt handle after a change. Depends on the AckService and the protos.

import { create } from '@bufbuild/protobuf';
import { Code } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  AckMessageResponseSchema,
  AckMessageResultEntrySchema,
  ChangeInvisibleDurationResponseSchema,
  type AckMessageEntry,
  type AckMessageRequest,
  type AckMessageResponse,
  type AckMessageResultEntry,
  type ChangeInvisibleDurationRequest,
  type ChangeInvisibleDurationResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import type { AckService } from '../services/pop/ack-service.js';
import type { ReceiptRenewer } from './receipt-renewer.js';
import type { GrpcCallContext } from './grpc-context.js';
import { GrpcError, okStatus, status, statusOf } from './grpc-status.js';
import { validateConsumerGroupResource, validateTopicResource } from './message-validation.js';
import { ackRequestOf, changedReceiptHandle, decodeReceiptHandle, isExpiredReceipt } from './receipt-handle.js';
import { checkInvisibleTime, durationMs } from './receive-activity.js';

export interface AckActivitySettings {
  readonly brokerName: string;
  readonly nowMs: () => number;
  /** The renewed handles of auto-renewed receives: an ack or change uses the latest one. */
  readonly renewer?: ReceiptRenewer;
}

export class AckActivity {
  constructor(
    private readonly acks: AckService,
    private readonly settings: AckActivitySettings,
  ) {}

  /** Each entry acked on its own; the response's status is their one code, or MULTIPLE_RESULTS. */
  async ackMessage(context: GrpcCallContext, request: AckMessageRequest): Promise<AckMessageResponse> {
    const topic = validateTopicResource(request.topic);
    const group = validateConsumerGroupResource(request.group);
    const entries = await Promise.all(request.entries.map((entry) => this.ackEntry(context, group, topic, entry)));
    const codes = new Set(entries.map((entry) => entry.status?.code ?? Code.OK));
    let overall = status(Code.INTERNAL_SERVER_ERROR, 'ack message result is empty');
    if (codes.size > 1) overall = status(Code.MULTIPLE_RESULTS, Code[Code.MULTIPLE_RESULTS]);
    if (codes.size === 1) {
      const [code] = codes as unknown as [Code];
      overall = status(code, Code[code]);
    }
    return create(AckMessageResponseSchema, { status: overall, entries });
  }

  /** Java `ChangeInvisibleDurationActivity`: any duration up to 12 h (no minimum); the new handle. */
  async changeInvisibleDuration(
    context: GrpcCallContext,
    request: ChangeInvisibleDurationRequest,
  ): Promise<ChangeInvisibleDurationResponse> {
    const topic = validateTopicResource(request.topic);
    const group = validateConsumerGroupResource(request.group);
    const invisibleTime = durationMs(request.invisibleDuration);
    checkInvisibleTime(invisibleTime, 0);
    const handle = this.latestHandle(context, group, request.messageId, request.receiptHandle);
    const receipt = decodeReceiptHandle(handle);
    const ack = ackRequestOf(group, topic, handle, receipt);
    const changed = await this.acks.changeInvisibleTime(ack, invisibleTime, context.remoteAddress);
    const { brokerName } = this.settings;
    return create(ChangeInvisibleDurationResponseSchema, {
      status: okStatus(),
      receiptHandle: changedReceiptHandle(ack, changed, brokerName, receipt.commitLogOffset),
    });
  }

  /** Java `removeReceiptHandle`: the message is no longer renewed; its latest handle (renewed or as sent). */
  private latestHandle(context: GrpcCallContext, group: string, messageId: string, handle: string): string {
    return this.settings.renewer?.take(context.clientId, group, messageId, handle) ?? handle;
  }

  /** One entry: an expired handle is INVALID_RECEIPT_HANDLE (Java `ConsumerProcessor`); failures in its status. */
  private async ackEntry(
    context: GrpcCallContext,
    group: string,
    topic: string,
    entry: AckMessageEntry,
  ): Promise<AckMessageResultEntry> {
    const result = { messageId: entry.messageId, receiptHandle: entry.receiptHandle };
    try {
      const handle = this.latestHandle(context, group, entry.messageId, entry.receiptHandle);
      const receipt = decodeReceiptHandle(handle);
      if (isExpiredReceipt(receipt, this.settings.nowMs())) {
        throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is expired');
      }
      await this.acks.ack(ackRequestOf(group, topic, handle, receipt), context.remoteAddress);
      return create(AckMessageResultEntrySchema, { ...result, status: okStatus() });
    } catch (error) {
      return create(AckMessageResultEntrySchema, { ...result, status: statusOf(error) });
    }
  }
}
