// The consumer views of the admin requests: ConsumerConnection (Java
// `AdminBrokerProcessor#getConsumerConnectionList`, what `mqadmin consumerConnection` prints) and the
// GroupList of QUERY_TOPIC_CONSUME_BY_WHO (groups online on a topic plus groups with its offsets).
// Pure. Depends on the client domain (ConsumerGroupInfo) and admin-json.ts.

import type { ConsumerGroupInfo } from '../client/consumer-manager.js';
import type { SubscriptionData } from '../client/heartbeat-data.js';
import { fastJsonBody } from './admin-json.js';

/** Java `Connection`, fields in fastjson's order. */
export interface Connection {
  readonly clientAddr: string;
  readonly clientId: string;
  readonly language: string;
  readonly version: number;
}

/** Java `ConsumerConnection`, fields in fastjson's order. */
export interface ConsumerConnection {
  readonly connectionSet: readonly Connection[];
  readonly consumeFromWhere: string;
  readonly consumeType: string;
  readonly messageModel: string;
  readonly subscriptionTable: Readonly<Record<string, SubscriptionData>>;
}

/** The group's clients (address = the connection's remote address) and subscriptions. */
export function buildConsumerConnection(group: ConsumerGroupInfo): ConsumerConnection {
  const connectionSet = [...group.channels.values()].map((channel) => ({
    clientAddr: channel.connectionId,
    clientId: channel.clientId,
    language: channel.language,
    version: channel.version,
  }));
  const subscriptionTable: Record<string, SubscriptionData> = {};
  for (const [topic, subscription] of group.subscriptions) subscriptionTable[topic] = encodeSubscription(subscription);
  return {
    connectionSet,
    consumeFromWhere: group.consumeFromWhere,
    consumeType: group.consumeType,
    messageModel: group.messageModel,
    subscriptionTable,
  };
}

/** Java `SubscriptionData` as fastjson writes it (sorted fields; filterClassSource is not serialized). */
function encodeSubscription(subscription: SubscriptionData): SubscriptionData {
  return {
    classFilterMode: subscription.classFilterMode,
    codeSet: [...subscription.codeSet],
    expressionType: subscription.expressionType,
    subString: subscription.subString,
    subVersion: subscription.subVersion,
    tagsSet: [...subscription.tagsSet],
    topic: subscription.topic,
  };
}

export function encodeConsumerConnection(connection: ConsumerConnection): Buffer {
  return fastJsonBody(connection);
}

/**
 * Java `queryTopicConsumeByWho`: the online groups subscribed to `topic` (ConsumerManager) and the
 * groups holding offsets of it (ConsumerOffsetManager).
 */
export function topicConsumers(
  topic: string,
  onlineGroups: Iterable<ConsumerGroupInfo>,
  groupsWithOffsets: Iterable<string>,
): string[] {
  const groups = new Set<string>();
  for (const group of onlineGroups) if (group.subscriptions.has(topic)) groups.add(group.groupName);
  for (const group of groupsWithOffsets) groups.add(group);
  return [...groups].sort();
}

/** `GroupList`: `{"groupList":[…]}`. */
export function encodeGroupList(groups: readonly string[]): Buffer {
  return fastJsonBody({ groupList: groups });
}
