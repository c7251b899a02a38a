// RecallMessage over gRPC (Apache's proxy `RecallMessageActivity` and `ProducerProcessor#recallMessage`): the topic
// checked, the handle decoded as the proxy does, then the protocol-neutral RecallService, as RECALL_MESSAGE over
// Remoting. Depends on the recall service, the recall handle codec and the protos.

import { create } from '@bufbuild/protobuf';
import { Code } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  RecallMessageResponseSchema,
  type RecallMessageRequest,
  type RecallMessageResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { decodeRecallHandle, RecallHandleError } from '../../protocol/recall-handle.js';
import type { RecallService } from '../services/recall-service.js';
import type { GrpcCallContext } from './grpc-context.js';
import { GrpcError, okStatus } from './grpc-status.js';
import { validateTopicResource } from './message-validation.js';

export class RecallActivity {
  constructor(private readonly recalls: RecallService) {}

  async recallMessage(context: GrpcCallContext, request: RecallMessageRequest): Promise<RecallMessageResponse> {
    const topic = validateTopicResource(request.topic);
    try {
      decodeRecallHandle(request.recallHandle);
    } catch (error) {
      // Apache's proxy decodes the handle itself and answers INTERNAL_SERVER_ERROR with the decoder's message.
      if (error instanceof RecallHandleError) throw new GrpcError(Code.INTERNAL_SERVER_ERROR, error.message);
      throw error;
    }
    const messageId = await this.recalls.recall({
      topic,
      recallHandle: request.recallHandle,
      producerAddress: context.remoteAddress,
    });
    return create(RecallMessageResponseSchema, { status: okStatus(), messageId });
  }
}
