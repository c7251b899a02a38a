// ForwardMessageToDeadLetterQueue over gRPC (Java `ForwardMessageToDLQActivity`, `ProducerProcessor#forwardMessage-
// ToDeadLetterQueue`): the message named by the receipt handle's CommitLog offset is given back straight to the
// group's DLQ through the SendService's send-back path, then acked. Depends on the send and ack services.

import { create } from '@bufbuild/protobuf';
import { Code } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  ForwardMessageToDeadLetterQueueResponseSchema,
  type ForwardMessageToDeadLetterQueueRequest,
  type ForwardMessageToDeadLetterQueueResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { MQVersion } from '../../protocol/versions.js';
import type { AckService } from '../services/pop/ack-service.js';
import type { SendService } from '../services/send-service.js';
import type { ReceiptRenewer } from './receipt-renewer.js';
import type { GrpcCallContext } from './grpc-context.js';
import { GrpcError, okStatus } from './grpc-status.js';
import { validateConsumerGroupResource, validateTopicResource } from './message-validation.js';
import { ackRequestOf, decodeReceiptHandle } from './receipt-handle.js';

/** Java's send-back header: a negative delay level sends the message to `%DLQ%<group>` whatever its attempts. */
const STRAIGHT_TO_DLQ = -1;

export class DeadLetterActivity {
  constructor(
    private readonly sends: SendService,
    private readonly acks: AckService,
    /** The renewed handles of auto-renewed receives: a forward uses the latest one. */
    private readonly renewer?: ReceiptRenewer,
  ) {}

  async forwardMessageToDeadLetterQueue(
    context: GrpcCallContext,
    request: ForwardMessageToDeadLetterQueueRequest,
  ): Promise<ForwardMessageToDeadLetterQueueResponse> {
    const topic = validateTopicResource(request.topic);
    const group = validateConsumerGroupResource(request.group);
    const { messageId } = request;
    const handle =
      this.renewer?.take(context.clientId, group, messageId, request.receiptHandle) ?? request.receiptHandle;
    await this.forward(context, { group, topic, handle, messageId });
    return create(ForwardMessageToDeadLetterQueueResponseSchema, { status: okStatus() });
  }

  /** Gives the handle's message back to `%DLQ%<group>` and acks it (also ReceiveMessage's max-attempts filter). */
  async forward(context: GrpcCallContext, message: DeadLetterMessage): Promise<void> {
    const { group, topic, handle, messageId } = message;
    const receipt = decodeReceiptHandle(handle);
    if (receipt.commitLogOffset < 0) {
      throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'commit log offset is empty');
    }
    const ack = ackRequestOf(group, topic, handle, receipt);
    const header = {
      offset: receipt.commitLogOffset,
      group,
      delayLevel: STRAIGHT_TO_DLQ,
      originMsgId: messageId,
      originTopic: ack.topic,
      unitMode: false,
      maxReconsumeTimes: 0,
    };
    await this.sends.sendBack(header, MQVersion.V5_5_0);
    // Java acks after a successful send-back and answers without waiting for the ack.
    this.acks.ack(ack, context.remoteAddress).catch(() => undefined);
  }
}

/** A received message to move to its group's DLQ: the topic as the client names it and its receipt handle. */
export interface DeadLetterMessage {
  readonly group: string;
  readonly topic: string;
  readonly handle: string;
  readonly messageId: string;
}
