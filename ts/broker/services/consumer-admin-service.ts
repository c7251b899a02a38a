// ConsumerAdminService: consumer views for administration, protocol-neutral (Java
// `AdminBrokerProcessor#getConsumerConnectionList`, `#queryTopicConsumeByWho`, and the checks of
// `#getConsumerRunningInfo` before the request is relayed to the client). Depends on the client,
// meta and admin domains.

import {
  buildConsumerConnection,
  topicConsumers,
  type ConsumerConnection,
} from '../domain/admin/consumer-connection.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ClientChannel } from '../domain/client/client-channel.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';

/** MQVersion.Version.V3_1_8_SNAPSHOT: older clients cannot answer relayed requests. */
const MIN_CLIENT_VERSION_FOR_CALL = 62;

export class ConsumerAdminService {
  constructor(
    private readonly consumers: ConsumerManager,
    private readonly offsets: ConsumerOffsetManager,
  ) {}

  /** The group's connections and subscriptions; CONSUMER_NOT_ONLINE when no client of it is connected. */
  consumerConnection(group: string): ConsumerConnection {
    const info = this.consumers.group(group);
    if (info === undefined || info.channels.size === 0) {
      throw new BrokerError(BrokerErrorCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`);
    }
    return buildConsumerConnection(info);
  }

  /** The groups consuming `topic`: online subscribers and groups with offsets on it. */
  topicConsumers(topic: string): string[] {
    const online = this.consumers.groupNames().flatMap((name) => this.consumers.group(name) ?? []);
    return topicConsumers(topic, online, this.offsets.whichGroupByTopic(topic));
  }

  /** The client a running-info request is relayed to; SYSTEM_ERROR when it is offline or too old. */
  runningInfoTarget(group: string, clientId: string): ClientChannel {
    const channel = this.consumers.group(group)?.channels.get(clientId);
    if (channel === undefined) {
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`);
    }
    if (channel.version < MIN_CLIENT_VERSION_FOR_CALL) {
      const remark =
        `The Consumer <${clientId}> Version <${channel.version}> too low to finish, ` +
        'please upgrade it to V3_1_8_SNAPSHOT';
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
    }
    return channel;
  }
}
