// ConsumerManager (Java `ConsumerManager` + `ConsumerGroupInfo`): consumer groups, their clients'
// channels and subscriptions, fed by HEART_BEAT and UNREGISTER_CLIENT; drops silent or
// disconnected clients. Reports membership changes so the api can send NOTIFY_CONSUMER_IDS_CHANGED.
// Pure domain (clock passed in). Depends on heartbeat-data.ts, client-channel.ts.

import type { ClientChannel } from './client-channel.js';
import { CHANNEL_EXPIRED_TIMEOUT_MS } from '../../limits.js';
import type { ConsumerData, ConsumeType, MessageModel, SubscriptionData } from './heartbeat-data.js';

export class ConsumerGroupInfo {
  /** clientId → channel. */
  readonly channels = new Map<string, ClientChannel>();
  /** topic → subscription. */
  readonly subscriptions = new Map<string, SubscriptionData>();
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: string;

  constructor(
    readonly groupName: string,
    data: ConsumerData,
  ) {
    this.consumeType = data.consumeType;
    this.messageModel = data.messageModel;
    this.consumeFromWhere = data.consumeFromWhere;
  }

  /** The client ids, sorted as clients sort them before allocating queues. */
  clientIds(): string[] {
    return [...this.channels.keys()].sort();
  }
}

/** What a heartbeat or removal changed for a group. */
export interface GroupChange {
  readonly group: string;
  /** The channel set changed: the group's clients should rebalance. */
  readonly membershipChanged: boolean;
  readonly subscriptionChanged: boolean;
}

export class ConsumerManager {
  private readonly groups = new Map<string, ConsumerGroupInfo>();

  constructor(private readonly channelExpiredTimeoutMs = CHANNEL_EXPIRED_TIMEOUT_MS) {}

  /** `registerConsumer`: adds or refreshes the client's channel and replaces the group's subscriptions when newer. */
  registerConsumer(data: ConsumerData, channel: ClientChannel): GroupChange {
    let group = this.groups.get(data.groupName);
    if (group === undefined) {
      group = new ConsumerGroupInfo(data.groupName, data);
      this.groups.set(data.groupName, group);
    }
    group.consumeType = data.consumeType;
    group.messageModel = data.messageModel;
    group.consumeFromWhere = data.consumeFromWhere;
    const existing = group.channels.get(channel.clientId);
    const membershipChanged = existing === undefined || existing.connectionId !== channel.connectionId;
    group.channels.set(channel.clientId, { ...channel });
    const subscriptionChanged = this.updateSubscriptions(group, data.subscriptionDataSet);
    return { group: data.groupName, membershipChanged, subscriptionChanged };
  }

  /** `updateSubscription`: newer versions replace, new topics are added, topics no client sends are dropped. */
  private updateSubscriptions(group: ConsumerGroupInfo, subscriptions: readonly SubscriptionData[]): boolean {
    let changed = false;
    for (const subscription of subscriptions) {
      const previous = group.subscriptions.get(subscription.topic);
      if (previous === undefined || previous.subVersion < subscription.subVersion) {
        group.subscriptions.set(subscription.topic, subscription);
        changed = true;
      }
    }
    const topics = new Set(subscriptions.map((s) => s.topic));
    for (const topic of group.subscriptions.keys()) {
      if (!topics.has(topic)) {
        group.subscriptions.delete(topic);
        changed = true;
      }
    }
    return changed;
  }

  /** UNREGISTER_CLIENT for a consumer group. */
  unregisterConsumer(group: string, clientId: string): GroupChange | null {
    const info = this.groups.get(group);
    if (info?.channels.delete(clientId) !== true) return null;
    if (info.channels.size === 0) this.groups.delete(group);
    return { group, membershipChanged: true, subscriptionChanged: false };
  }

  /** `doChannelCloseEvent`: the connection closed; every group it was in changed. */
  onConnectionClosed(connectionId: string): GroupChange[] {
    return this.removeChannels((channel) => channel.connectionId === connectionId);
  }

  /** `scanNotActiveChannel`: drops clients silent past the channel timeout. */
  scanNotActiveChannels(nowMs: number): GroupChange[] {
    return this.removeChannels((channel) => channel.lastUpdateMs + this.channelExpiredTimeoutMs < nowMs);
  }

  private removeChannels(doomed: (channel: ClientChannel) => boolean): GroupChange[] {
    const changes: GroupChange[] = [];
    for (const [name, group] of this.groups) {
      let removed = false;
      for (const [clientId, channel] of group.channels) {
        if (doomed(channel)) {
          group.channels.delete(clientId);
          removed = true;
        }
      }
      if (!removed) continue;
      if (group.channels.size === 0) this.groups.delete(name);
      changes.push({ group: name, membershipChanged: true, subscriptionChanged: false });
    }
    return changes;
  }

  group(name: string): ConsumerGroupInfo | undefined {
    return this.groups.get(name);
  }

  /** GET_CONSUMER_LIST_BY_GROUP. */
  consumerIdList(group: string): string[] {
    return this.groups.get(group)?.clientIds() ?? [];
  }

  /** The subscription a pull without its own (flag 0x4 unset) uses. */
  subscription(group: string, topic: string): SubscriptionData | undefined {
    return this.groups.get(group)?.subscriptions.get(topic);
  }

  /** The channels of a group, to send NOTIFY_CONSUMER_IDS_CHANGED to. */
  channels(group: string): ClientChannel[] {
    return [...(this.groups.get(group)?.channels.values() ?? [])];
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }
}
