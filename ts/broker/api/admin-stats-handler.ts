// Admin statistics over Remoting (Java `AdminBrokerProcessor#getTopicStatsInfo`, `#getBrokerRuntimeInfo`,
// `#getConsumeStats`, `#getTopicConfig`): GET_TOPIC_STATS_INFO (202), GET_BROKER_RUNTIME_INFO (28),
// GET_CONSUME_STATS (208) — what `mqadmin topicStatus`, `brokerStatus` and `consumerProgress` print —
// and GET_TOPIC_CONFIG (351), which those commands read first for static-topic queue mappings.
// Decodes the header, calls AdminStatsService, encodes the body. Depends on the service, the admin
// encoders and ts/remoting.

import { encodeConsumeStats, parseTopicList } from '../domain/admin/consume-stats.js';
import { encodeKvTable } from '../domain/admin/runtime-info.js';
import { encodeTopicStatsTable } from '../domain/admin/topic-stats.js';
import { encodeTopicConfig } from '../domain/meta/topic-config-manager.js';
import type { AdminStatsService } from '../services/admin-stats-service.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { type BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField } from '../../protocol/header-fields.js';

export class AdminStatsHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.GET_TOPIC_STATS_INFO,
    RequestCode.GET_BROKER_RUNTIME_INFO,
    RequestCode.GET_CONSUME_STATS,
    RequestCode.GET_TOPIC_CONFIG,
  ];

  constructor(private readonly stats: AdminStatsService) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_TOPIC_STATS_INFO:
        return this.topicStats(request);
      case RequestCode.GET_CONSUME_STATS:
        return this.consumeStats(request);
      case RequestCode.GET_TOPIC_CONFIG:
        return this.topicConfig(request);
      default:
        return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeKvTable(this.stats.runtimeInfo()));
    }
  }

  private topicStats(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    try {
      const body = encodeTopicStatsTable(this.stats.topicStats(topic));
      return createResponse(request, ResponseCode.SUCCESS, null, {}, body);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }

  /**
   * TopicConfigAndQueueMapping, i.e. the TopicConfig bean; without static topics there is no
   * `mappingDetail` (fastjson leaves the null out).
   */
  private topicConfig(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    try {
      const body = Buffer.from(JSON.stringify(encodeTopicConfig(this.stats.topicConfig(topic))));
      return createResponse(request, ResponseCode.SUCCESS, null, {}, body);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }

  private consumeStats(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'consumerGroup');
    const topicList = parseTopicList(optionalField(request, 'topicList'));
    const consumeStats = this.stats.consumeStats(group, optionalField(request, 'topic'), topicList);
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeConsumeStats(consumeStats));
  }
}
