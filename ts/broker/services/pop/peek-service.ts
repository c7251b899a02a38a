// PeekService: PEEK_MESSAGE (Java `PeekMessageProcessor`): the messages a pop would return next for
// the group, from its offsets (or each queue's start), without making them invisible, moving an offset
// or writing a checkpoint. Protocol-neutral; refusals are BrokerErrors. Depends on the meta domain,
// the pop checks of pop-checks.ts and the store interface.

import type { PeekMessageRequestHeader } from '../../../protocol/pop-headers.js';
import { popRetryTopic } from '../../../protocol/pop-extra-info.js';
import { PERM_READ } from '../../../protocol/route-types.js';
import { GetMessageStatus, type MessageStore } from '../../../store/message-store-api.js';
import { BrokerError, BrokerErrorCode } from '../../domain/broker-error.js';
import type { ConsumerOffsetManager } from '../../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../../domain/meta/topic-config-manager.js';
import { checkGroup, checkReadableQueue } from './pop-checks.js';

export interface PeekDeps {
  readonly store: () => MessageStore;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly random: () => number;
}

export interface PeekSettings {
  readonly brokerIp: string;
  readonly brokerPermission: number;
  readonly retryTopicV2: boolean;
}

export interface PeekResult {
  readonly found: boolean;
  readonly restNum: number;
  readonly messageCount: number;
  readonly body: Buffer | null;
}

export class PeekService {
  constructor(
    private readonly deps: PeekDeps,
    private readonly settings: PeekSettings,
  ) {}

  peek(header: PeekMessageRequestHeader, clientAddress: string): PeekResult {
    this.check(header, clientAddress);
    const randomQ = Math.floor(this.deps.random() * 100);
    const retryFirst = randomQ % 5 === 0;
    const retryTopic = popRetryTopic(header.topic, header.consumerGroup, this.settings.retryTopicV2);
    const state = { bodies: [] as Buffer[], count: 0, restNum: 0 };
    const visit = (topic: string, queueIds: readonly number[]): void => {
      for (const queueId of queueIds) this.peekQueue(header, topic, queueId, state);
    };
    if (retryFirst) visit(retryTopic, this.queueIds(retryTopic, -1, randomQ));
    visit(header.topic, this.queueIds(header.topic, header.queueId, randomQ));
    if (!retryFirst && state.count < header.maxMsgNums) visit(retryTopic, this.queueIds(retryTopic, -1, randomQ));
    const found = state.count > 0;
    return {
      found,
      restNum: state.restNum,
      messageCount: state.count,
      body: found ? Buffer.concat(state.bodies) : null,
    };
  }

  private peekQueue(
    header: PeekMessageRequestHeader,
    topic: string,
    queueId: number,
    state: { bodies: Buffer[]; count: number; restNum: number },
  ): void {
    const store = this.deps.store();
    const committed = this.deps.offsets.queryOffset(header.consumerGroup, topic, queueId);
    const offset = committed >= 0 ? committed : store.getMinOffsetInQueue(topic, queueId);
    const wanted = header.maxMsgNums - state.count;
    if (wanted <= 0) {
      state.restNum += store.getMaxOffsetInQueue(topic, queueId) - offset;
      return;
    }
    const result = store.getMessages(topic, queueId, offset, wanted);
    state.restNum += result.maxOffset - result.nextBeginOffset;
    if (result.status !== GetMessageStatus.FOUND) return;
    state.bodies.push(result.buffer);
    state.count += result.messageCount;
  }

  /** The queue asked for, or every read queue of the topic from a random one; none for an unknown topic. */
  private queueIds(topic: string, queueId: number, randomQ: number): number[] {
    if (queueId >= 0) return [queueId];
    const config = this.deps.topics.get(topic);
    if (config === undefined) return [];
    return Array.from({ length: config.readQueueNums }, (_, i) => (randomQ + i) % config.readQueueNums);
  }

  private check(header: PeekMessageRequestHeader, clientAddress: string): void {
    if ((this.settings.brokerPermission & PERM_READ) === 0) {
      const remark = `the broker[${this.settings.brokerIp}] peeking message is forbidden`;
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, remark);
    }
    const queue = { topic: header.topic, queueId: header.queueId, consumer: clientAddress };
    checkReadableQueue(this.deps.topics, queue, BrokerErrorCode.INVALID_PARAMETER);
    checkGroup(this.deps.groups, header.consumerGroup);
  }
}
