// Topic administration (Java `AdminBrokerProcessor#updateAndCreateTopic`, `#deleteTopic`,
// `#getAllTopicConfig`): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215),
// GET_ALL_TOPIC_CONFIG (21), over TopicAdminService (a change re-registers the broker so routes
// follow at once). Depends on the topic admin service and ts/remoting.

import type { TopicAdminService } from '../services/topic-admin-service.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { type BrokerRequestHandler } from './request-fields.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import {
  optionalBoolean,
  optionalField,
  optionalInt,
  requiredField,
  requiredInt,
} from '../../protocol/header-fields.js';
import { TopicFilterType } from '../../protocol/route-types.js';

export class TopicAdminHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.UPDATE_AND_CREATE_TOPIC,
    RequestCode.DELETE_TOPIC_IN_BROKER,
    RequestCode.GET_ALL_TOPIC_CONFIG,
  ];

  constructor(private readonly topics: TopicAdminService) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC:
        return this.updateAndCreate(request);
      case RequestCode.DELETE_TOPIC_IN_BROKER: {
        this.topics.deleteTopic(requiredField(request, 'topic'));
        return createResponse(request, ResponseCode.SUCCESS);
      }
      default: {
        const body = Buffer.from(JSON.stringify(this.topics.allTopicConfig()));
        return createResponse(request, ResponseCode.SUCCESS, null, {}, body);
      }
    }
  }

  private updateAndCreate(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    try {
      this.topics.checkTopicName(topic);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    const settings = {
      readQueueNums: requiredInt(request, 'readQueueNums'),
      writeQueueNums: requiredInt(request, 'writeQueueNums'),
      perm: requiredInt(request, 'perm'),
      topicFilterType: optionalField(request, 'topicFilterType') ?? TopicFilterType.SINGLE_TAG,
      topicSysFlag: optionalInt(request, 'topicSysFlag') ?? 0,
      order: optionalBoolean(request, 'order') ?? false,
    };
    this.topics.createOrUpdateTopic(topic, settings);
    return createResponse(request, ResponseCode.SUCCESS);
  }
}
