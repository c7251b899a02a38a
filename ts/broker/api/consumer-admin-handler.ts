// Consumer administration (Java `AdminBrokerProcessor#getConsumerConnectionList`,
// `#queryTopicConsumeByWho`, `#getConsumerRunningInfo` → `callConsumer`): GET_CONSUMER_CONNECTION_LIST
// (203), QUERY_TOPIC_CONSUME_BY_WHO (300), GET_CONSUMER_RUNNING_INFO (307, relayed to the client and
// its answer relayed back untouched: its body is the client's fastjson, pitfall 10).
// Depends on the client, meta and admin domains, client-invoker.ts and ts/remoting.

import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import {
  buildConsumerConnection,
  encodeConsumerConnection,
  encodeGroupList,
  topicConsumers,
} from '../domain/admin/consumer-connection.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { isRemotingError, RemotingErrorCode } from '../../remoting/remoting-error.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { ClientInvoker } from './client-invoker.js';
import type { BrokerRequestHandler } from './request-fields.js';
import { requiredField } from '../../protocol/header-fields.js';

/** MQVersion.Version.V3_1_8_SNAPSHOT: older clients cannot answer relayed requests. */
const MIN_CLIENT_VERSION_FOR_CALL = 62;
/** Java `Broker2Client#callClient`: how long the client has to answer. */
const CALL_CLIENT_TIMEOUT_MS = 10_000;

export class ConsumerAdminHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.GET_CONSUMER_CONNECTION_LIST, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, RequestCode.GET_CONSUMER_RUNNING_INFO];

  constructor(
    private readonly consumers: ConsumerManager,
    private readonly offsets: ConsumerOffsetManager,
    private readonly clients: ClientInvoker,
  ) {}

  handle(request: RemotingCommand): RemotingCommand | Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_CONNECTION_LIST:
        return this.connectionList(request);
      case RequestCode.QUERY_TOPIC_CONSUME_BY_WHO:
        return this.consumeByWho(request);
      default:
        return this.runningInfo(request);
    }
  }

  /** Java `getConsumerConnectionList`: CONSUMER_NOT_ONLINE when no client of the group is connected. */
  private connectionList(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'consumerGroup');
    const info = this.consumers.group(group);
    if (info === undefined || info.channels.size === 0) {
      return createResponse(request, ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`);
    }
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeConsumerConnection(buildConsumerConnection(info)));
  }

  private consumeByWho(request: RemotingCommand): RemotingCommand {
    const topic = requiredField(request, 'topic');
    const online = this.consumers.groupNames().flatMap((name) => this.consumers.group(name) ?? []);
    const groups = topicConsumers(topic, online, this.offsets.whichGroupByTopic(topic));
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeGroupList(groups));
  }

  /** Java `callConsumer`: the request goes to the client as it came; its answer comes back as it is. */
  private async runningInfo(request: RemotingCommand): Promise<RemotingCommand> {
    const group = requiredField(request, 'consumerGroup');
    const clientId = requiredField(request, 'clientId');
    const channel = this.consumers.group(group)?.channels.get(clientId);
    if (channel === undefined) {
      return createResponse(request, ResponseCode.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`);
    }
    if (channel.version < MIN_CLIENT_VERSION_FOR_CALL) {
      return createResponse(
        request,
        ResponseCode.SYSTEM_ERROR,
        `The Consumer <${clientId}> Version <${channel.version}> too low to finish, please upgrade it to V3_1_8_SNAPSHOT`,
      );
    }
    const relayed = createRequest(request.code, { ...request.extFields }, request.body);
    try {
      const answer = await this.clients.invoke(channel.connectionId, relayed, CALL_CLIENT_TIMEOUT_MS);
      return createResponse(request, answer.code, answer.remark, { ...answer.extFields }, answer.body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isRemotingError(error, RemotingErrorCode.TIMEOUT)) {
        return createResponse(request, ResponseCode.CONSUME_MSG_TIMEOUT, `consumer <${group}> <${clientId}> Timeout: ${message}`);
      }
      return createResponse(request, ResponseCode.SYSTEM_ERROR, `invoke consumer <${group}> <${clientId}> Exception: ${message}`);
    }
  }
}
