// Consumer administration (Java `AdminBrokerProcessor#getConsumerConnectionList`,
// `#queryTopicConsumeByWho`, `#getConsumerRunningInfo` / `#consumeMessageDirectly` → `callConsumer`):
// GET_CONSUMER_CONNECTION_LIST (203), QUERY_TOPIC_CONSUME_BY_WHO (300), GET_CONSUMER_RUNNING_INFO (307) and
// CONSUME_MESSAGE_DIRECTLY (309, the record at the msgId's offset as body), relayed to the client and its answer
// relayed back untouched (its body is the client's own fastjson), over ConsumerAdminService.
// Depends on the service, the admin encoders, client-invoker.ts and ts/remoting.

import { encodeConsumerConnection, encodeGroupList } from '../domain/admin/consumer-connection.js';
import type { ClientChannel } from '../domain/client/client-channel.js';
import type { ConsumerAdminService } from '../services/consumer-admin-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { isRemotingError, RemotingErrorCode } from '../../remoting/remoting-error.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { ClientInvoker } from './client-invoker.js';
import type { BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField } from '../../protocol/header-fields.js';
import { decodeOffsetMessageId, MessageIdError } from '../../protocol/offset-message-id.js';
import { CALL_CLIENT_TIMEOUT_MS } from '../limits.js';

export class ConsumerAdminHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.GET_CONSUMER_CONNECTION_LIST,
    RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
    RequestCode.GET_CONSUMER_RUNNING_INFO,
    RequestCode.CONSUME_MESSAGE_DIRECTLY,
  ];

  constructor(
    private readonly consumers: ConsumerAdminService,
    private readonly clients: ClientInvoker,
    /** The stored record at a CommitLog offset, or null (CONSUME_MESSAGE_DIRECTLY's body). */
    private readonly recordAt: (physicalOffset: number) => Buffer | null = () => null,
  ) {}

  handle(request: RemotingCommand): RemotingCommand | Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_CONNECTION_LIST:
        return this.connectionList(request);
      case RequestCode.QUERY_TOPIC_CONSUME_BY_WHO:
        return this.consumeByWho(request);
      case RequestCode.CONSUME_MESSAGE_DIRECTLY:
        return this.consumeDirectly(request);
      default:
        return this.callConsumer(request, request.body);
    }
  }

  /** Java `getConsumerConnectionList`: CONSUMER_NOT_ONLINE when no client of the group is connected. */
  private connectionList(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'consumerGroup');
    try {
      const connection = this.consumers.consumerConnection(group);
      return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeConsumerConnection(connection));
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }

  private consumeByWho(request: RemotingCommand): RemotingCommand {
    const groups = this.consumers.topicConsumers(requiredField(request, 'topic'));
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeGroupList(groups));
  }

  /** Java `consumeMessageDirectly`: the record the offset msgId names goes to the client with the request. */
  private consumeDirectly(request: RemotingCommand): Promise<RemotingCommand> {
    const msgId = optionalField(request, 'msgId');
    let record: Buffer | null = null;
    try {
      if (msgId !== undefined) record = this.recordAt(decodeOffsetMessageId(msgId).physicalOffset);
    } catch (error) {
      if (!(error instanceof MessageIdError)) throw error;
    }
    return this.callConsumer(request, record);
  }

  /** Java `callConsumer`: the request goes to the client as it came; its answer comes back as it is. */
  private async callConsumer(request: RemotingCommand, body: Buffer | null): Promise<RemotingCommand> {
    const group = requiredField(request, 'consumerGroup');
    const clientId = requiredField(request, 'clientId');
    let channel: ClientChannel;
    try {
      channel = this.consumers.runningInfoTarget(group, clientId);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    const relayed = createRequest(request.code, { ...request.extFields }, body);
    try {
      const answer = await this.clients.invoke(channel.connectionId, relayed, CALL_CLIENT_TIMEOUT_MS);
      return createResponse(request, answer.code, answer.remark, { ...answer.extFields }, answer.body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isRemotingError(error, RemotingErrorCode.TIMEOUT)) {
        return createResponse(
          request,
          ResponseCode.CONSUME_MSG_TIMEOUT,
          `consumer <${group}> <${clientId}> Timeout: ${message}`,
        );
      }
      return createResponse(
        request,
        ResponseCode.SYSTEM_ERROR,
        `invoke consumer <${group}> <${clientId}> Exception: ${message}`,
      );
    }
  }
}
