// ResetOffsetService: resetting a consumer group's offsets, protocol-neutral (Java
// `AdminBrokerProcessor#resetOffset`): plans the new offsets by the server-side rules
// (useServerSideResetOffset, committing them) or the client-side ones (Broker2Client), and names the
// online clients a front pushes them to. Depends on the admin, meta and client domains.

import {
  MIN_CLIENT_VERSION_FOR_RESET,
  planClientReset,
  planServerSideReset,
  type ResetOffsetPlan,
  type ResetOffsetRequest,
  type ResetOffsetStore,
} from '../domain/admin/reset-offset.js';
import { BrokerError } from '../domain/broker-error.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';

export interface ResetOffsetSettings {
  readonly useServerSideResetOffset: boolean;
  readonly slave: boolean;
}

export interface ResetOffsetDeps {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly store: ResetOffsetStore;
}

/** A planned reset: queueId → new offset, and the connections of the clients that can take the push. */
export interface ResetOffsetResult {
  readonly offsets: ReadonlyMap<number, number>;
  readonly clientConnectionIds: readonly string[];
}

export class ResetOffsetService {
  constructor(
    private readonly deps: ResetOffsetDeps,
    private readonly settings: ResetOffsetSettings,
  ) {}

  /** Plans the reset (server-side: committed as `clientAddress` would); throws the refusal as a BrokerError. */
  resetOffset(reset: ResetOffsetRequest, clientAddress: string): ResetOffsetResult {
    const plan = this.settings.useServerSideResetOffset ? this.planServerSide(reset) : this.planClientSide(reset);
    if (!plan.ok) throw new BrokerError(plan.code, plan.remark);
    if (this.settings.useServerSideResetOffset) {
      for (const [queueId, offset] of plan.offsets) {
        this.deps.offsets.commitOffset(clientAddress, reset.group, reset.topic, queueId, offset);
      }
    }
    const clientConnectionIds = this.deps.consumers
      .channels(reset.group)
      .filter((channel) => channel.version >= MIN_CLIENT_VERSION_FOR_RESET)
      .map((channel) => channel.connectionId);
    return { offsets: plan.offsets, clientConnectionIds };
  }

  /**
   * Java `resetOffsetInner`. // Compat: Java records a pending reset that the next PULL_MESSAGE
   * answers with OFFSET_MOVED; here the offsets are committed and pushed to the online clients
   * (220), which adopt them as they do with Broker2Client.
   */
  private planServerSide(reset: ResetOffsetRequest): ResetOffsetPlan {
    return planServerSideReset({
      request: reset,
      topicConfig: this.deps.topics.get(reset.topic),
      groupExists: this.deps.groups.has(reset.group),
      slave: this.settings.slave,
      store: this.deps.store,
    });
  }

  /** Java `Broker2Client#resetOffset`: the group's clients must be online and get the offsets. */
  private planClientSide(reset: ResetOffsetRequest): ResetOffsetPlan {
    return planClientReset({
      request: reset,
      topicConfig: this.deps.topics.get(reset.topic),
      consumerOffset: (queueId) => this.deps.offsets.queryOffset(reset.group, reset.topic, queueId),
      clientVersions: this.deps.consumers.channels(reset.group).map((channel) => channel.version),
      store: this.deps.store,
    });
  }
}
