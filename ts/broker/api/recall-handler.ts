// RECALL_MESSAGE (370, RocketMQ 5.5 `RecallMessageProcessor`) over Remoting: header `{producerGroup?, topic,
// recallHandle}`, answered with `msgId` (the recalled message's UNIQ_KEY) and MSG_REGION; refusals through the
// one error table. Depends on the recall service, the send reply's base fields and ts/remoting.

import { optionalField, requiredField } from '../../protocol/header-fields.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { MSG_REGION_FIELD, DEFAULT_REGION_ID } from '../domain/send/send-response.js';
import type { RecallService } from '../services/recall-service.js';
import { BrokerError } from '../domain/broker-error.js';
import { responseCodeOf } from './broker-error-responses.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

export class RecallHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.RECALL_MESSAGE];

  constructor(private readonly recalls: RecallService) {}

  async handle(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    const topic = requiredField(request, 'topic');
    const recallHandle = requiredField(request, 'recallHandle');
    const producerGroup = optionalField(request, 'producerGroup');
    const region = { [MSG_REGION_FIELD]: DEFAULT_REGION_ID };
    try {
      const msgId = await this.recalls.recall({
        topic,
        recallHandle,
        producerAddress: connection.remoteAddress,
        ...(producerGroup !== undefined && { producerGroup }),
      });
      return createResponse(request, ResponseCode.SUCCESS, null, { ...region, msgId });
    } catch (error) {
      if (!(error instanceof BrokerError)) throw error;
      return createResponse(request, responseCodeOf(error.code), error.message, region);
    }
  }
}
