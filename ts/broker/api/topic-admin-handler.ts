// Topic administration (Java `AdminBrokerProcessor#updateAndCreateTopic`, `#deleteTopic`,
// `#getAllTopicConfig`): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215),
// GET_ALL_TOPIC_CONFIG (21). A change re-registers the broker so routes follow at once.
// Depends on the meta domain and ts/remoting.

import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { newTopicConfig, type TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { checkTopicForUpdate } from '../domain/meta/topic-validator.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { type BrokerRequestHandler, optionalBoolean, optionalField, optionalInt, requiredField, requiredInt } from './request-fields.js';
import { responseCodeOf } from './broker-error-responses.js';

export class TopicAdminHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.DELETE_TOPIC_IN_BROKER, RequestCode.GET_ALL_TOPIC_CONFIG];

  constructor(
    private readonly topics: TopicConfigManager,
    private readonly offsets: ConsumerOffsetManager,
    private readonly validateSystemTopic: boolean,
    /** Re-registers the broker with its registries (topic routes change). */
    private readonly onTopicsChanged: () => void,
  ) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC:
        return this.updateAndCreate(request);
      case RequestCode.DELETE_TOPIC_IN_BROKER: {
        const topic = requiredField(request, 'topic');
        this.topics.delete(topic);
        this.offsets.cleanOffsetByTopic(topic);
        this.onTopicsChanged();
        return createResponse(request, ResponseCode.SUCCESS);
      }
      default:
        return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify(this.topics.encode())));
    }
  }

  private updateAndCreate(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const check = checkTopicForUpdate(topic, { validateSystemTopic: this.validateSystemTopic });
    if (!check.ok) return createResponse(request, responseCodeOf(check.code), check.remark);
    this.topics.createOrUpdate(
      newTopicConfig(topic, {
        readQueueNums: requiredInt(request, 'readQueueNums'),
        writeQueueNums: requiredInt(request, 'writeQueueNums'),
        perm: requiredInt(request, 'perm'),
        topicFilterType: optionalField(request, 'topicFilterType') ?? 'SINGLE_TAG',
        topicSysFlag: optionalInt(request, 'topicSysFlag') ?? 0,
        order: optionalBoolean(request, 'order') ?? false,
      }),
    );
    this.onTopicsChanged();
    return createResponse(request, ResponseCode.SUCCESS);
  }
}
