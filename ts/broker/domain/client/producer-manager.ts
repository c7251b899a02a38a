// ProducerManager (Java `ProducerManager`): producer groups and their clients' channels from
// HEART_BEAT, for transaction check-backs (one live channel of the group) and producerConnection.
// Pure domain. Depends on client-channel.ts.

import type { ClientChannel } from './client-channel.js';
import { CHANNEL_EXPIRED_TIMEOUT_MS } from '../../limits.js';

export class ProducerManager {
  /** group → clientId → channel. */
  private readonly groups = new Map<string, Map<string, ClientChannel>>();

  constructor(private readonly channelExpiredTimeoutMs = CHANNEL_EXPIRED_TIMEOUT_MS) {}

  registerProducer(group: string, channel: ClientChannel): void {
    const channels = this.groups.get(group) ?? new Map<string, ClientChannel>();
    channels.set(channel.clientId, { ...channel });
    this.groups.set(group, channels);
  }

  unregisterProducer(group: string, clientId: string): void {
    const channels = this.groups.get(group);
    channels?.delete(clientId);
    if (channels?.size === 0) this.groups.delete(group);
  }

  onConnectionClosed(connectionId: string): void {
    this.removeChannels((channel) => channel.connectionId === connectionId);
  }

  scanNotActiveChannels(nowMs: number): void {
    this.removeChannels((channel) => channel.lastUpdateMs + this.channelExpiredTimeoutMs < nowMs);
  }

  private removeChannels(doomed: (channel: ClientChannel) => boolean): void {
    for (const [group, channels] of this.groups) {
      for (const [clientId, channel] of channels) if (doomed(channel)) channels.delete(clientId);
      if (channels.size === 0) this.groups.delete(group);
    }
  }

  /** A live channel of the group (the most recently heard from), e.g. for CHECK_TRANSACTION_STATE. */
  availableChannel(group: string): ClientChannel | undefined {
    const channels = [...(this.groups.get(group)?.values() ?? [])];
    return channels.sort((a, b) => b.lastUpdateMs - a.lastUpdateMs)[0];
  }

  /** The producer groups with a live channel (the dashboard's producers page). */
  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  channels(group: string): ClientChannel[] {
    return [...(this.groups.get(group)?.values() ?? [])];
  }

  /** Every group's channels (group → clientId → channel), read by the metrics at scrape time. */
  groupChannels(): ReadonlyMap<string, ReadonlyMap<string, ClientChannel>> {
    return this.groups;
  }

  /** The channel of a producer client, whatever its group (Java `findChannel`: where replies are pushed). */
  findChannel(clientId: string): ClientChannel | undefined {
    let found: ClientChannel | undefined;
    for (const channels of this.groups.values()) {
      const channel = channels.get(clientId);
      if (channel !== undefined && (found === undefined || channel.lastUpdateMs > found.lastUpdateMs)) found = channel;
    }
    return found;
  }
}
