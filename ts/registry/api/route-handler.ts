// Route and topic requests (Java `ClientRequestProcessor#getRouteInfoByTopic`,
// `DefaultRequestProcessor#getBrokerClusterInfo`, `#getAllTopicListFromNameserver`,
// `#getTopicsByCluster`, `#deleteTopicInNamesrv`): codes 105, 106, 206, 224, 216.
// Depends on the domain, remoting and the fastjson dialect.

import { stringifyLegacy } from '../../common/fastjson.js';
import { MQVersion } from '../../protocol/versions.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RouteInfoManager } from '../domain/route-info-manager.js';
import type { RegistryRequestHandler } from './request-fields.js';
import { optionalBoolean, optionalField, requiredField } from '../../protocol/header-fields.js';

/** From V4_9_4 on, clients get standard JSON routes. */
const STANDARD_JSON_FROM_VERSION = MQVersion.V4_9_4;
const APPLY_TOPIC_FAQ = '\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';

export class RouteHandler implements RegistryRequestHandler {
  readonly codes = [
    RequestCode.GET_ROUTEINFO_BY_TOPIC,
    RequestCode.GET_BROKER_CLUSTER_INFO,
    RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
    RequestCode.GET_TOPICS_BY_CLUSTER,
    RequestCode.DELETE_TOPIC_IN_NAMESRV,
  ];

  constructor(private readonly routes: RouteInfoManager) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_ROUTEINFO_BY_TOPIC:
        return this.routeInfo(request);
      case RequestCode.GET_BROKER_CLUSTER_INFO:
        return ok(request, JSON.stringify(this.routes.clusterInfo()));
      case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER:
        return ok(request, JSON.stringify({ topicList: this.routes.allTopics() }));
      case RequestCode.GET_TOPICS_BY_CLUSTER:
        return ok(
          request,
          JSON.stringify({ topicList: this.routes.topicsByCluster(requiredField(request, 'cluster')) }),
        );
      default:
        this.routes.deleteTopic(requiredField(request, 'topic'), optionalField(request, 'clusterName'));
        return createResponse(request, ResponseCode.SUCCESS);
    }
  }

  /**
   * Standard compact JSON for clients from 4.9.4 on or asking for it; fastjson's unquoted integer
   * brokerAddrs keys for older ones (the Go client sends version 317 and parses both).
   */
  private routeInfo(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const route = this.routes.pickupTopicRouteData(topic);
    if (route === null) {
      return createResponse(
        request,
        ResponseCode.TOPIC_NOT_EXIST,
        `No topic route info in name server for the topic: ${topic}${APPLY_TOPIC_FAQ}`,
      );
    }
    const standard =
      request.version >= STANDARD_JSON_FROM_VERSION || optionalBoolean(request, 'acceptStandardJsonOnly') === true;
    const sorted = {
      brokerDatas: route.brokerDatas.map((b) => ({
        brokerAddrs: b.brokerAddrs,
        brokerName: b.brokerName,
        cluster: b.cluster,
        enableActingMaster: b.enableActingMaster,
      })),
      filterServerTable: route.filterServerTable,
      queueDatas: route.queueDatas,
    };
    const body = standard ? JSON.stringify(sorted) : stringifyLegacy(sorted, ['brokerDatas.*.brokerAddrs']);
    return ok(request, body);
  }
}

function ok(request: RemotingCommand, json: string): RemotingCommand {
  return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(json, 'utf8'));
}
