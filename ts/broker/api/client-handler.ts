// Client management requests (Java `ClientManageProcessor`, `ConsumerManageProcessor#getConsumerListByGroup`):
// HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38); sends
// NOTIFY_CONSUMER_IDS_CHANGED (40) to a group's clients when its membership changes, and drops
// the clients of a closed connection. Depends on the client and meta domains and ts/remoting.

import type { ConsumerManager} from '../domain/client/consumer-manager.js';
import { type GroupChange } from '../domain/client/consumer-manager.js';
import { decodeHeartbeatData } from '../domain/client/heartbeat-data.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { retryTopicOf } from '../../protocol/topics.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField } from '../../protocol/header-fields.js';

/** `PermName.PERM_READ | PERM_WRITE`. */
const RETRY_TOPIC_PERM = 6;

export class ClientHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.GET_CONSUMER_LIST_BY_GROUP];
  /** connectionId → the connection, to notify a group's clients. */
  private readonly connections = new Map<string, BrokerConnection>();

  constructor(
    private readonly consumers: ConsumerManager,
    private readonly producers: ProducerManager,
    private readonly groups: SubscriptionGroupManager,
    private readonly topics: TopicConfigManager,
    private readonly clock: () => number,
    private readonly notifyConsumerIdsChangedEnable: boolean,
  ) {}

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

  /** Java `heartBeat`: registers producer and consumer groups; creates the group and its retry topic. */
  private heartbeat(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const data = decodeHeartbeatData(request.body);
    this.connections.set(connection.remoteAddress, connection);
    const channel = {
      connectionId: connection.remoteAddress,
      clientId: data.clientID,
      language: request.language,
      version: request.version,
      lastUpdateMs: this.clock(),
    };
    for (const consumer of data.consumerDataSet) {
      const groupConfig = this.groups.findSubscriptionGroupConfig(consumer.groupName);
      if (groupConfig !== undefined) {
        this.topics.createTopicInSendMessageBackMethod(
          retryTopicOf(consumer.groupName),
          groupConfig.retryQueueNums,
          RETRY_TOPIC_PERM,
          0,
        );
      }
      this.notify(this.consumers.registerConsumer(consumer, channel));
    }
    for (const producer of data.producerDataSet) this.producers.registerProducer(producer.groupName, channel);
    return createResponse(request, ResponseCode.SUCCESS);
  }

  private unregister(request: RemotingCommand): RemotingCommand {
    const clientId = requiredField(request, 'clientID');
    const producerGroup = optionalField(request, 'producerGroup');
    const consumerGroup = optionalField(request, 'consumerGroup');
    if (producerGroup !== undefined) this.producers.unregisterProducer(producerGroup, clientId);
    if (consumerGroup !== undefined) {
      const change = this.consumers.unregisterConsumer(consumerGroup, clientId);
      if (change !== null) this.notify(change);
    }
    return createResponse(request, ResponseCode.SUCCESS);
  }

  /** Java answers SYSTEM_ERROR when the group has no consumer online. */
  private consumerList(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'consumerGroup');
    const consumerIdList = this.consumers.consumerIdList(group);
    if (consumerIdList.length === 0) {
      return createResponse(request, ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${group}`);
    }
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify({ consumerIdList })));
  }

  /** The connection closed: its clients leave their groups, and the rest of each group is told. */
  onConnectionClosed(connectionId: string): void {
    this.connections.delete(connectionId);
    this.producers.onConnectionClosed(connectionId);
    for (const change of this.consumers.onConnectionClosed(connectionId)) this.notify(change);
  }

  /** `scanNotActiveChannel`, run periodically. */
  scanNotActiveChannels(): void {
    const now = this.clock();
    this.producers.scanNotActiveChannels(now);
    for (const change of this.consumers.scanNotActiveChannels(now)) this.notify(change);
  }

  /** NOTIFY_CONSUMER_IDS_CHANGED (40), oneway, to every client left in the group. */
  private notify(change: GroupChange): void {
    if (!change.membershipChanged || !this.notifyConsumerIdsChangedEnable) return;
    for (const channel of this.consumers.channels(change.group)) {
      const connection = this.connections.get(channel.connectionId);
      connection?.invokeOneway(createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: change.group }));
    }
  }
}
