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
  ) {}

  async forwardMessageToDeadLetterQueue(
    context: GrpcCallContext,
    request: ForwardMessageToDeadLetterQueueRequest,
  ): Promise<ForwardMessageToDeadLetterQueueResponse> {
    const topic = validateTopicResource(request.topic);
    const group = validateConsumerGroupResource(request.group);
    const receipt = decodeReceiptHandle(request.receiptHandle);
    if (receipt.commitLogOffset < 0) {
      throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'commit log offset is empty');
    }
    const ack = ackRequestOf(group, topic, request.receiptHandle, receipt);
    const header = {
      offset: receipt.commitLogOffset,
      group,
      delayLevel: STRAIGHT_TO_DLQ,
      originMsgId: request.messageId,
      originTopic: ack.topic,
      unitMode: false,
      maxReconsumeTimes: 0,
    };
    await this.sends.sendBack(header, MQVersion.V5_5_0);
    // Java acks after a successful send-back and answers without waiting for the ack.
    this.acks.ack(ack, context.remoteAddress).catch(() => undefined);
    return create(ForwardMessageToDeadLetterQueueResponseSchema, { status: okStatus() });
  }
}
