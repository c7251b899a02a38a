// Sends over Remoting (Java `SendMessageProcessor#sendMessage`, `#sendBatchMessage`): SEND_MESSAGE (10),
// SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320). Decodes the header, calls SendService and answers
// with every send response field; refusals through the one error table. Depends on the send service,
// the send header and reply modules, and remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { decodeSendMessageRequestHeader } from '../../protocol/send-request-header.js';
import { sendResponseFields } from '../domain/send/send-response.js';
import type { SendResult, SendService } from '../services/send-service.js';
import { brokerErrorResponse, responseCodeOf } from './broker-error-responses.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

export class SendHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE];

  constructor(private readonly sends: SendService) {}

  async handle(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    const header = decodeSendMessageRequestHeader(request.code, request.extFields);
    const batch = request.code === RequestCode.SEND_BATCH_MESSAGE;
    let result: SendResult;
    try {
      result = await this.sends.send(header, request.body, batch, connection.remoteAddress, request.version);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    const fields = sendResponseFields(result.stored);
    if (result.recallHandle !== undefined) fields['recallHandle'] = result.recallHandle;
    const failure = result.flushFailure;
    if (failure === null) return createResponse(request, ResponseCode.SUCCESS, null, fields);
    return createResponse(request, responseCodeOf(failure.code), failure.remark, fields);
  }
}
