// Consumer offset and queue offset requests (Java `ConsumerManageProcessor`, `AdminBrokerProcessor`):
// QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET (15), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31),
// SEARCH_OFFSET_BY_TIMESTAMP (29), GET_EARLIEST_MSG_STORETIME (32).
// Depends on the meta domain, the store interface and ts/remoting.

import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { MessageStore } from '../../store/message-store-api.js';
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

  constructor(
    private readonly offsets: ConsumerOffsetManager,
    private readonly store: () => MessageStore,
  ) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const queueId = requiredInt(request, 'queueId');
    switch (request.code) {
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.queryOffset(request, requiredField(request, 'consumerGroup'), topic, queueId);
      case RequestCode.UPDATE_CONSUMER_OFFSET: {
        const group = requiredField(request, 'consumerGroup');
        this.offsets.commitOffset(connection.remoteAddress, group, topic, queueId, requiredLong(request, 'commitOffset'));
        return createResponse(request, ResponseCode.SUCCESS);
      }
      case RequestCode.GET_MAX_OFFSET:
        return offsetReply(request, this.store().getMaxOffsetInQueue(topic, queueId));
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP:
        return offsetReply(request, this.store().getOffsetInQueueByTime(topic, queueId, requiredLong(request, 'timestamp')));
      case RequestCode.GET_EARLIEST_MSG_STORETIME: {
        const timestamp = this.store().getEarliestMessageStoreTime(topic, queueId);
        return createResponse(request, ResponseCode.SUCCESS, null, { timestamp: String(timestamp) });
      }
      default:
        return offsetReply(request, this.store().getMinOffsetInQueue(topic, queueId));
    }
  }

  /**
   * Java `queryConsumerOffset`: the committed offset; without one, 0 when the queue still starts
   * at 0 (so a new group reads a young topic from its start — our reading of Java's in-memory
   * check) unless `setZeroIfNotFound=false`; otherwise QUERY_NOT_FOUND (22).
   */
  private queryOffset(request: RemotingCommand, group: string, topic: string, queueId: number): RemotingCommand {
    const offset = this.offsets.queryOffset(group, topic, queueId);
    if (offset >= 0) return offsetReply(request, offset);
    if (optionalBoolean(request, 'setZeroIfNotFound') === false) {
      return createResponse(request, ResponseCode.QUERY_NOT_FOUND, 'Not found, do not set to zero, maybe this group boot first');
    }
    if (this.store().getMinOffsetInQueue(topic, queueId) <= 0) return offsetReply(request, 0);
    return createResponse(request, ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first');
  }
}

function offsetReply(request: RemotingCommand, offset: number): RemotingCommand {
  return createResponse(request, ResponseCode.SUCCESS, null, { offset: String(offset) });
}
