// Offset reset (Java `AdminBrokerProcessor#resetOffset`): INVOKE_BROKER_TO_RESET_OFFSET (222), what
// `mqadmin resetOffsetByTime` sends; pushes RESET_CONSUMER_CLIENT_OFFSET (220, oneway) with the new
// offsets to the group's online clients (Java `Broker2Client#resetOffset`) and answers the
// ResetOffsetBody. useServerSideResetOffset picks the rule set (see domain/admin/reset-offset.ts).
// Depends on the admin, meta and client domains, client-invoker.ts and ts/remoting.

import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import {
  encodeResetOffsetBody,
  MIN_CLIENT_VERSION_FOR_RESET,
  planClientReset,
  planServerSideReset,
  resetClientOffsetHeader,
  type ResetOffsetPlan,
  type ResetOffsetRequest,
  type ResetOffsetStore,
} from '../domain/admin/reset-offset.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { responseCodeOf } from './broker-error-responses.js';
import type { ClientInvoker } from './client-invoker.js';
import { type BrokerConnection, type BrokerRequestHandler, optionalBoolean, optionalInt, optionalField, requiredField, requiredInt } from './request-fields.js';

export interface ResetOffsetSettings {
  readonly brokerName: string;
  readonly useServerSideResetOffset: boolean;
  readonly slave: boolean;
}

export interface ResetOffsetDeps {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly store: ResetOffsetStore;
  readonly clients: ClientInvoker;
}

export class ResetOffsetHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET];

  constructor(
    private readonly deps: ResetOffsetDeps,
    private readonly settings: ResetOffsetSettings,
  ) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const reset = readResetOffsetRequest(request);
    const plan = this.settings.useServerSideResetOffset ? this.planServerSide(reset) : this.planClientSide(reset);
    if (!plan.ok) return createResponse(request, responseCodeOf(plan.code), plan.remark);
    if (this.settings.useServerSideResetOffset) {
      for (const [queueId, offset] of plan.offsets) {
        this.deps.offsets.commitOffset(connection.remoteAddress, reset.group, reset.topic, queueId, offset);
      }
    }
    this.pushToClients(reset, plan.offsets);
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeResetOffsetBody(reset.topic, this.settings.brokerName, plan.offsets));
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

  /** RESET_CONSUMER_CLIENT_OFFSET, oneway, to every client of the group that can take it. */
  private pushToClients(reset: ResetOffsetRequest, offsets: ReadonlyMap<number, number>): void {
    const body = encodeResetOffsetBody(reset.topic, this.settings.brokerName, offsets);
    for (const channel of this.deps.consumers.channels(reset.group)) {
      if (channel.version < MIN_CLIENT_VERSION_FOR_RESET) continue;
      this.deps.clients.invokeOneway(channel.connectionId, createRequest(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, resetClientOffsetHeader(reset), body));
    }
  }
}

/** `ResetOffsetRequestHeader`: queueId -1 and offset null when absent; `isForce` as Java names the field. */
export function readResetOffsetRequest(request: RemotingCommand): ResetOffsetRequest {
  const offsetText = optionalField(request, 'offset');
  return {
    topic: requiredField(request, 'topic'),
    group: requiredField(request, 'group'),
    queueId: optionalInt(request, 'queueId') ?? -1,
    offset: offsetText === undefined || offsetText === '' ? null : requiredInt(request, 'offset'),
    timestamp: requiredInt(request, 'timestamp'),
    isForce: optionalBoolean(request, 'isForce') ?? optionalBoolean(request, 'force') ?? false,
  };
}
