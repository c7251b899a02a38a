// NotificationService: NOTIFICATION (Java `NotificationProcessor`: does the group have messages to
// pop, held up to pollTime for one to arrive) and POLLING_INFO (`PollingInfoProcessor`: how many pops
// of the group wait on the topic). Protocol-neutral; refusals are BrokerErrors. Depends on the meta
// domain, the held pops and the store interface.

import type {
  NotificationRequestHeader,
  NotificationResponseHeader,
  PollingInfoRequestHeader,
} from '../../../protocol/pop-headers.js';
import { popRetryTopic } from '../../../protocol/pop-extra-info.js';
import type { MessageStore } from '../../../store/message-store-api.js';
import { BrokerErrorCode } from '../../domain/broker-error.js';
import type { ConsumerOffsetManager } from '../../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../../domain/meta/topic-config-manager.js';
import type { PopLongPolling } from '../../domain/pop/pop-long-polling.js';
import { checkGroup, checkReadableQueue } from './pop-checks.js';

export type NotificationResult = NotificationResponseHeader;

export interface NotificationDeps {
  readonly store: () => MessageStore;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly polling: PopLongPolling;
  readonly nowMs: () => number;
  readonly retryTopicV2: boolean;
}

export class NotificationService {
  constructor(private readonly deps: NotificationDeps) {}

  /**
   * NOTIFICATION (Java `NotificationProcessor`): whether the group has messages to pop on the queue
   * (or any queue, -1) or its pop retry topic; held up to pollTime for one to arrive.
   */
  async notification(header: NotificationRequestHeader, clientAddress: string): Promise<NotificationResult> {
    const queue = { topic: header.topic, queueId: header.queueId, consumer: clientAddress };
    checkReadableQueue(this.deps.topics, queue, BrokerErrorCode.INVALID_PARAMETER);
    checkGroup(this.deps.groups, header.consumerGroup);
    const retryTopic = popRetryTopic(header.topic, header.consumerGroup, this.deps.retryTopicV2);
    const hasMsg = (): boolean =>
      this.hasMessage(header.consumerGroup, header.topic, header.queueId) ||
      this.hasMessage(header.consumerGroup, retryTopic, -1);
    if (hasMsg() || header.pollTime <= 0) return { hasMsg: hasMsg() };
    return new Promise((resolve) => {
      const deadlineMs = this.deps.nowMs() + header.pollTime;
      const topics = [header.topic, retryTopic];
      const held = this.deps.polling.hold(topics, header.consumerGroup, deadlineMs, () =>
        resolve({ hasMsg: hasMsg() }),
      );
      if (!held) resolve({ hasMsg: false, pollingFull: true });
    });
  }

  /** POLLING_INFO (Java `PollingInfoProcessor`): how many pops of the group wait on the topic. */
  pollingInfo(header: PollingInfoRequestHeader): number {
    const queue = { topic: header.topic, queueId: header.queueId, consumer: '' };
    checkReadableQueue(this.deps.topics, queue, BrokerErrorCode.INVALID_PARAMETER);
    checkGroup(this.deps.groups, header.consumerGroup);
    return this.deps.polling.heldCountOf(header.topic, header.consumerGroup);
  }

  /** Whether a queue (every read queue for -1) holds messages past the group's pop offset. */
  private hasMessage(group: string, topic: string, queueId: number): boolean {
    const config = this.deps.topics.get(topic);
    if (config === undefined) return false;
    const store = this.deps.store();
    const queueIds = queueId >= 0 ? [queueId] : Array.from({ length: config.readQueueNums }, (_, id) => id);
    return queueIds.some((id) => {
      const committed = this.deps.offsets.queryOffset(group, topic, id);
      const offset = committed >= 0 ? committed : store.getMinOffsetInQueue(topic, id);
      return offset < store.getMaxOffsetInQueue(topic, id);
    });
  }
}
