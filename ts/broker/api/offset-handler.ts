// Consumer offset and queue offset requests (Java `ConsumerManageProcessor`, `AdminBrokerProcessor`):
// QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET (15), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31),
// SEARCH_OFFSET_BY_TIMESTAMP (29), GET_EARLIEST_MSG_STORETIME (32), answered through OffsetService.
// Depends on the offset service and ts/remoting.

import type { OffsetService } from '../services/offset-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';
import { optionalBoolean, requiredField, requiredInt, requiredLong } from '../../protocol/header-fields.js';

export class OffsetHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.QUERY_CONSUMER_OFFSET,
    RequestCode.UPDATE_CONSUMER_OFFSET,
    RequestCode.GET_MAX_OFFSET,
    RequestCode.GET_MIN_OFFSET,
    RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
    RequestCode.GET_EARLIEST_MSG_STORETIME,
  ];

  constructor(private readonly offsets: OffsetService) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const queueId = requiredInt(request, 'queueId');
    switch (request.code) {
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.queryOffset(request, requiredField(request, 'consumerGroup'), topic, queueId);
      case RequestCode.UPDATE_CONSUMER_OFFSET: {
        const group = requiredField(request, 'consumerGroup');
        this.offsets.commitOffset(
          connection.remoteAddress,
          group,
          topic,
          queueId,
          requiredLong(request, 'commitOffset'),
        );
        return createResponse(request, ResponseCode.SUCCESS);
      }
      case RequestCode.GET_MAX_OFFSET:
        return offsetReply(request, this.offsets.maxOffset(topic, queueId));
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP:
        return offsetReply(
          request,
          this.offsets.searchOffsetByTimestamp(topic, queueId, requiredLong(request, 'timestamp')),
        );
      case RequestCode.GET_EARLIEST_MSG_STORETIME: {
        const timestamp = this.offsets.earliestMessageStoreTime(topic, queueId);
        return createResponse(request, ResponseCode.SUCCESS, null, { timestamp: String(timestamp) });
      }
      default:
        return offsetReply(request, this.offsets.minOffset(topic, queueId));
    }
  }

  /** Java `queryConsumerOffset` (OffsetService); QUERY_NOT_FOUND (22) through the error table. */
  private queryOffset(request: RemotingCommand, group: string, topic: string, queueId: number): RemotingCommand {
    try {
      const setZeroIfNotFound = optionalBoolean(request, 'setZeroIfNotFound');
      return offsetReply(request, this.offsets.queryConsumerOffset(group, topic, queueId, setZeroIfNotFound));
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }
}

function offsetReply(request: RemotingCommand, offset: number): RemotingCommand {
  return createResponse(request, ResponseCode.SUCCESS, null, { offset: String(offset) });
}
