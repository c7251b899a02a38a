// CONSUMER_SEND_MSG_BACK (36) over Remoting (Java `AbstractSendMessageProcessor#consumerSendMsgBack`):
// decodes the header and calls SendService#sendBack, which re-stores the record to `%RETRY%<group>`
// or `%DLQ%<group>`; refusals through the one error table. Depends on the send service and remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { ConsumerSendMsgBackRequestHeader } from '../domain/send/send-back.js';
import type { SendService } from '../services/send-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { type BrokerRequestHandler } from './request-fields.js';
import {
  optionalBoolean,
  optionalField,
  optionalInt,
  requiredField,
  requiredInt,
  requiredLong,
} from '../../protocol/header-fields.js';

export class SendBackHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.CONSUMER_SEND_MSG_BACK];

  constructor(private readonly sends: SendService) {}

  async handle(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeSendBackHeader(request);
    try {
      await this.sends.sendBack(header, request.version);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS, null);
  }
}

/** Java `ConsumerSendMsgBackRequestHeader`; a missing required field fails the request (SYSTEM_ERROR). */
export function decodeSendBackHeader(request: RemotingCommand): ConsumerSendMsgBackRequestHeader {
  const originMsgId = optionalField(request, 'originMsgId');
  const originTopic = optionalField(request, 'originTopic');
  const maxReconsumeTimes = optionalInt(request, 'maxReconsumeTimes');
  return {
    offset: requiredLong(request, 'offset'),
    group: requiredField(request, 'group'),
    delayLevel: requiredInt(request, 'delayLevel'),
    unitMode: optionalBoolean(request, 'unitMode') ?? false,
    ...(originMsgId !== undefined && { originMsgId }),
    ...(originTopic !== undefined && { originTopic }),
    ...(maxReconsumeTimes !== undefined && { maxReconsumeTimes }),
  };
}
