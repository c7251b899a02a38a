// Replies over Remoting (Java `ReplyMessageProcessor`): SEND_REPLY_MESSAGE (324, V1 header) and
// SEND_REPLY_MESSAGE_V2 (325, V2 header). Decodes the header, calls ReplyService with a delivery that
// pushes PUSH_REPLY_MESSAGE_TO_CLIENT (326) to the requester's connection, and answers SUCCESS once the
// requester took the reply, else SYSTEM_ERROR with Java's remark. Depends on the reply service, the
// send and reply headers, client-invoker.ts and remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { encodeReplyMessageRequestHeader } from '../../protocol/reply-message-header.js';
import { decodeSendMessageRequestHeader } from '../../protocol/send-request-header.js';
import { sendResponseBaseFields, sendResponseFields } from '../domain/send/send-response.js';
import { REPLY_PUSH_TIMEOUT_MS } from '../limits.js';
import type { ReplyDelivery, ReplyResult, ReplyService } from '../services/reply-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { ClientInvoker } from './client-invoker.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

export class ReplyHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.SEND_REPLY_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2];
  private readonly deliver: ReplyDelivery;

  constructor(
    private readonly replies: ReplyService,
    clients: ClientInvoker,
  ) {
    this.deliver = async (connectionId, header, body) => {
      const push = createRequest(
        RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT,
        encodeReplyMessageRequestHeader(header),
        body,
      );
      const response = await clients.invoke(connectionId, push, REPLY_PUSH_TIMEOUT_MS);
      return response.code === ResponseCode.SUCCESS;
    };
  }

  async handle(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    const header = decodeSendMessageRequestHeader(request.code, request.extFields);
    let result: ReplyResult;
    try {
      result = await this.replies.reply(header, request.body, connection.remoteAddress, this.deliver);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return replyResponse(request, result);
  }
}

/**
 * Java `handlePushReplyResult` then `handlePutMessageResult`: the code and remark are the delivery's;
 * the msgId, queueId and queueOffset are the stored reply's, or "0", the queue and 0 for a delivered
 * reply that was not stored.
 */
function replyResponse(request: RemotingCommand, result: ReplyResult): RemotingCommand {
  let fields = sendResponseBaseFields();
  if (result.stored !== null) fields = sendResponseFields(result.stored);
  else if (result.delivered) fields = { ...fields, msgId: '0', queueId: String(result.queueId), queueOffset: '0' };
  if (result.delivered) return createResponse(request, ResponseCode.SUCCESS, null, fields);
  return createResponse(request, ResponseCode.SYSTEM_ERROR, result.failure, fields);
}
