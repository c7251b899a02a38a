// Client management requests over Remoting (Java `ClientManageProcessor`,
// `ConsumerManageProcessor#getConsumerListByGroup`): HEART_BEAT (34), UNREGISTER_CLIENT (35),
// GET_CONSUMER_LIST_BY_GROUP (38), answered through ClientService; sends NOTIFY_CONSUMER_IDS_CHANGED
// (40) to a group's clients when the service reports a membership change, and keeps the connections
// to reach them. Depends on the client service, the heartbeat decoder and ts/remoting.

import { decodeHeartbeatData } from '../domain/client/heartbeat-data.js';
import type { ClientService } from '../services/client-service.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { type BrokerConnection, type BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField } from '../../protocol/header-fields.js';

export class ClientHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.GET_CONSUMER_LIST_BY_GROUP];
  /** connectionId → the connection, to notify a group's clients. */
  private readonly connections = new Map<string, BrokerConnection>();

  constructor(private readonly clients: ClientService) {
    clients.onConsumerIdsChanged((group, connectionIds) => this.notifyConsumerIdsChanged(group, connectionIds));
  }

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    switch (request.code) {
      case RequestCode.HEART_BEAT:
        return this.heartbeat(request, connection);
      case RequestCode.UNREGISTER_CLIENT:
        return this.unregister(request);
      default:
        return this.consumerList(request);
    }
  }

  private heartbeat(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const data = decodeHeartbeatData(request.body);
    this.connections.set(connection.remoteAddress, connection);
    const source = { connectionId: connection.remoteAddress, language: request.language, version: request.version };
    this.clients.heartbeat(data, source);
    return createResponse(request, ResponseCode.SUCCESS);
  }

  private unregister(request: RemotingCommand): RemotingCommand {
    const clientId = requiredField(request, 'clientID');
    this.clients.unregister(clientId, optionalField(request, 'producerGroup'), optionalField(request, 'consumerGroup'));
    return createResponse(request, ResponseCode.SUCCESS);
  }

  private consumerList(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'consumerGroup');
    let consumerIdList: string[];
    try {
      consumerIdList = this.clients.consumerIdList(group);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify({ consumerIdList })));
  }

  /** The connection closed: forget it; its clients leave their groups (the service tells the rest). */
  onConnectionClosed(connectionId: string): void {
    this.connections.delete(connectionId);
    this.clients.onConnectionClosed(connectionId);
  }

  /** NOTIFY_CONSUMER_IDS_CHANGED (40), oneway, to every client left in the group. */
  notifyConsumerIdsChanged(group: string, connectionIds: readonly string[]): void {
    for (const connectionId of connectionIds) {
      const connection = this.connections.get(connectionId);
      connection?.invokeOneway(createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: group }));
    }
  }
}
