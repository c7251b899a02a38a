// AssignmentService: server-side rebalance, protocol-neutral (Java `QueryAssignmentProcessor`,
// `AdminBrokerProcessor#getAllMessageRequestMode`): sets and lists each (topic, group)'s request mode
// (PULL or POP, `mqadmin setConsumeMode`) and answers which queues a consumer gets. Depends on the meta
// and client domains and ts/protocol.

import {
  type AssignedQueue,
  type MessageQueueAssignment,
  type MessageRequestModeBody,
  type MessageRequestModeMap,
  type QueryAssignmentRequest,
} from '../../protocol/assignment.js';
import { PERM_READ } from '../../protocol/route-types.js';
import { isRetryTopic } from '../../protocol/topics.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import { assignQueues, effectiveRequestMode, type RequestModeDefaults } from '../domain/client/queue-assignment.js';
import type { MessageRequestModeManager } from '../domain/meta/message-request-mode-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';

export interface AssignmentDeps {
  readonly modes: MessageRequestModeManager;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly consumers: ConsumerManager;
}

export interface AssignmentSettings extends RequestModeDefaults {
  readonly brokerName: string;
  readonly brokerPermission: number;
  readonly serverLoadBalancerEnable: boolean;
}

export class AssignmentService {
  constructor(
    private readonly deps: AssignmentDeps,
    private readonly settings: AssignmentSettings,
  ) {}

  /** Java `setMessageRequestMode`: not for a retry topic; the topic must exist and the group be known or creatable. */
  setMessageRequestMode(body: MessageRequestModeBody): void {
    if (isRetryTopic(body.topic)) {
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, 'retry topic is not allowed to set mode');
    }
    if (this.deps.topics.get(body.topic) === undefined) {
      throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, `topic[${body.topic}] not exist`);
    }
    if (this.deps.groups.findSubscriptionGroupConfig(body.consumerGroup) === undefined) {
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_GROUP_NOT_EXIST, 'subscription group does not exist');
    }
    this.deps.modes.set(body);
  }

  /** Every mode set (GET_ALL_MESSAGE_REQUEST_MODE), as messageRequestMode.json holds them. */
  allMessageRequestModes(): { messageRequestModeMap: MessageRequestModeMap } {
    return this.deps.modes.encode();
  }

  /** Java `queryAssignment`: the consumer's queues with the group's mode; null when there is no valid result. */
  queryAssignment(request: QueryAssignmentRequest): MessageQueueAssignment[] | null {
    const stored = this.deps.modes.get(request.topic, request.consumerGroup);
    const mode = effectiveRequestMode(stored, request.topic, request.consumerGroup, this.settings);
    return assignQueues({
      request,
      mode,
      queues: this.readableQueues(request.topic),
      clientIds: this.deps.consumers.group(request.consumerGroup)?.clientIds() ?? [],
      serverLoadBalancerEnable: this.settings.serverLoadBalancerEnable,
    });
  }

  /**
   * The topic's readable queues on this broker (Java `TopicRouteInfoManager#getTopicSubscribeInfo`).
   * Compat: Java reads the cluster's route from the name server; this broker answers with its own queues.
   */
  private readableQueues(topic: string): AssignedQueue[] | null {
    const config = this.deps.topics.get(topic);
    if (config === undefined) return null;
    const { brokerName, brokerPermission } = this.settings;
    if ((config.perm & PERM_READ) === 0 || (brokerPermission & PERM_READ) === 0) return [];
    return Array.from({ length: config.readQueueNums }, (_, queueId) => ({ topic, brokerName, queueId }));
  }
}
