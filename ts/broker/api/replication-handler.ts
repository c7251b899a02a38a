// GET_ALL_CONSUMER_OFFSET (43) and GET_ALL_DELAY_OFFSET (45): the metadata a slave copies from its
// master every 10 s (docs/replication.md §6), as consumerOffset.json and delayOffset.json documents.
// Depends on the offset manager, the schedule service and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { ScheduleMessageService } from '../domain/schedule/schedule-message-service.js';
import type { BrokerRequestHandler } from './request-fields.js';

export class ReplicationMetadataHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.GET_ALL_CONSUMER_OFFSET, RequestCode.GET_ALL_DELAY_OFFSET];

  constructor(
    private readonly offsets: ConsumerOffsetManager,
    private readonly schedule: ScheduleMessageService,
  ) {}

  handle(request: RemotingCommand): RemotingCommand {
    const document =
      request.code === RequestCode.GET_ALL_CONSUMER_OFFSET ? this.offsets.encode() : this.schedule.encode();
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify(document), 'utf8'));
  }
}
