// ACK_MESSAGE (200051), BATCH_ACK_MESSAGE (200151) and CHANGE_MESSAGE_INVISIBLETIME (200053) over
// Remoting (Java `AckMessageProcessor`, `ChangeInvisibleTimeProcessor`): decodes the header or body,
// calls AckService and answers SUCCESS (with the new receipt's fields for a change); refusals through
// the one error table. Depends on the pop services, ts/protocol and ts/remoting.

import { BatchAckBodyError, decodeBatchAckBody } from '../../protocol/pop-batch-ack.js';
import {
  decodeAckMessageRequestHeader,
  decodeChangeInvisibleTimeRequestHeader,
  encodeChangeInvisibleTimeResponseHeader,
} from '../../protocol/pop-headers.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { AckService } from '../services/pop/ack-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

export class AckHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.ACK_MESSAGE, RequestCode.BATCH_ACK_MESSAGE, RequestCode.CHANGE_MESSAGE_INVISIBLETIME];

  constructor(private readonly acks: AckService) {}

  async handle(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    try {
      if (request.code === RequestCode.BATCH_ACK_MESSAGE) return await this.batchAck(request);
      if (request.code === RequestCode.CHANGE_MESSAGE_INVISIBLETIME) return await this.change(request, connection);
      await this.acks.ack(decodeAckMessageRequestHeader(request.extFields), connection.remoteAddress);
      return createResponse(request, ResponseCode.SUCCESS);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }

  /** Java: a missing or empty body is NO_MESSAGE; a body that is not one is a parse failure (SYSTEM_ERROR). */
  private async batchAck(request: RemotingCommand): Promise<RemotingCommand> {
    if (request.body === null || request.body.length === 0) return createResponse(request, ResponseCode.NO_MESSAGE);
    let acks;
    try {
      acks = decodeBatchAckBody(request.body).acks;
    } catch (error) {
      if (error instanceof BatchAckBodyError) return createResponse(request, ResponseCode.SYSTEM_ERROR, error.message);
      throw error;
    }
    if (acks.length === 0) return createResponse(request, ResponseCode.NO_MESSAGE);
    await this.acks.batchAck(acks);
    return createResponse(request, ResponseCode.SUCCESS);
  }

  private async change(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    const header = decodeChangeInvisibleTimeRequestHeader(request.extFields);
    const result = await this.acks.changeInvisibleTime(header, header.invisibleTime, connection.remoteAddress);
    return createResponse(request, ResponseCode.SUCCESS, null, encodeChangeInvisibleTimeResponseHeader(result));
  }
}
