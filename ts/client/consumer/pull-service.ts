// PullService (Java `PullMessageService` + `DefaultMQPushConsumerImpl#pullMessage`): one long-polling
// pull loop per owned queue. Before each pull: flow control (cached count and bytes per queue, the
// offset span, the orderly lock); each pull carries the committed offset (commitOffset flag) and lets
// the broker hold it (suspend flag); found messages go to the consume service. A loop ends when its
// ProcessQueue is dropped. Depends on ../client-instance.ts, ../heartbeat-data.ts, offset-store.ts,
// process-queue.ts, pull-request.ts, abortable-delay.ts, push-consumer-options.ts.

import type { ClientInstance } from '../client-instance.js';
import type { SubscriptionData } from '../heartbeat-data.js';
import { formatMessageQueue } from '../message-queue.js';
import type { MessageView } from '../message/message-view.js';
import { abortableDelay } from './abortable-delay.js';
import type { OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import { PullSysFlag } from '../../protocol/pull-sys-flag.js';
import { pullMessage } from './pull-request.js';
import type { PushConsumerSettings } from './push-consumer-options.js';

/** Java `PULL_TIME_DELAY_MILLS_WHEN_FLOW_CONTROL`. */
const PULL_TIME_DELAY_MS_WHEN_FLOW_CONTROL = 50;

export interface PullServiceDeps {
  readonly instance: ClientInstance;
  readonly settings: PushConsumerSettings;
  readonly offsetStore: OffsetStore;
  readonly subscriptionOf: (topic: string) => SubscriptionData | undefined;
  /** How many queues the consumer owns (the cache limits are shared among them). */
  readonly ownedQueueCount: () => number;
  /** Hands newly cached messages to the consume service. */
  readonly consume: (pq: ProcessQueue, messages: MessageView[]) => void;
}

export class PullService {
  private readonly loops = new Set<Promise<void>>();

  constructor(private readonly deps: PullServiceDeps) {}

  /** Starts pulling `pq` from `nextOffset` until it is dropped. */
  start(pq: ProcessQueue, nextOffset: number): void {
    const loop = this.run(pq, nextOffset).finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  /** Resolves when every loop has ended (after their queues were dropped and their pulls answered or failed). */
  async stopped(): Promise<void> {
    await Promise.all([...this.loops]);
  }

  private async run(pq: ProcessQueue, firstOffset: number): Promise<void> {
    let nextOffset = firstOffset;
    while (!pq.dropped) {
      const waitMs = this.flowControlDelayMs(pq);
      if (waitMs > 0) {
        await abortableDelay(waitMs, pq.signal);
        continue;
      }
      try {
        nextOffset = await this.pullOnce(pq, nextOffset);
      } catch (error) {
        if (pq.dropped) break;
        this.deps.instance.logger.warn('pull failed', {
          queue: formatMessageQueue(pq.messageQueue),
          offset: nextOffset,
          error: String(error),
        });
        await abortableDelay(this.deps.settings.pullTimeDelayMsWhenException, pq.signal);
      }
    }
  }

  /** Java's checks before a pull: cache count, cache bytes, offset span (concurrent), lock (orderly). */
  private flowControlDelayMs(pq: ProcessQueue): number {
    const { settings } = this.deps;
    const queues = Math.max(1, this.deps.ownedQueueCount());
    const maxCount = Math.max(1, Math.floor(settings.maxCacheMessageCount / queues));
    const maxBytes = Math.max(1, Math.floor(settings.maxCacheMessageSizeBytes / queues));
    if (pq.cachedMessageCount >= maxCount || pq.cachedMessageSizeBytes >= maxBytes)
      return PULL_TIME_DELAY_MS_WHEN_FLOW_CONTROL;
    if (!settings.consumeOrderly && pq.maxSpan > settings.consumeConcurrentlyMaxSpan)
      return PULL_TIME_DELAY_MS_WHEN_FLOW_CONTROL;
    if (settings.consumeOrderly && settings.messageModel === 'CLUSTERING' && !pq.locked)
      return settings.pullTimeDelayMsWhenException;
    return 0;
  }

  /** One pull; returns the next offset. */
  private async pullOnce(pq: ProcessQueue, offset: number): Promise<number> {
    const { instance, settings, offsetStore } = this.deps;
    const mq = pq.messageQueue;
    const subscription = this.deps.subscriptionOf(mq.topic);
    if (subscription === undefined) throw new Error(`no subscription for ${mq.topic}`);
    let address = instance.findBrokerAddress(mq.brokerName);
    if (address === undefined) {
      await instance.updateTopicRoute(mq.topic);
      address = instance.brokerAddressOrThrow(mq.brokerName);
    }
    const commitOffset = settings.messageModel === 'CLUSTERING' ? offsetStore.readMemory(mq) : -1;
    let sysFlag = PullSysFlag.FLAG_SUSPEND;
    if (commitOffset > 0) sysFlag |= PullSysFlag.FLAG_COMMIT_OFFSET;
    if (settings.postSubscriptionWhenPull) sysFlag |= PullSysFlag.FLAG_SUBSCRIPTION;
    const result = await pullMessage(instance, address, {
      consumerGroup: settings.consumerGroup,
      messageQueue: mq,
      queueOffset: offset,
      maxMsgNums: settings.pullBatchSize,
      sysFlag,
      commitOffset: Math.max(0, commitOffset),
      suspendTimeoutMs: settings.brokerSuspendMaxTimeMs,
      subscription,
      timeoutMs: settings.consumerTimeoutMsWhenSuspend,
    });
    if (pq.dropped) return offset;
    switch (result.status) {
      case 'FOUND': {
        const cached = pq.putMessages(result.messages);
        if (cached.length === 0) this.correctTagsOffset(pq, result.nextBeginOffset);
        else this.deps.consume(pq, cached);
        return result.nextBeginOffset;
      }
      case 'NO_NEW_MSG':
      case 'NO_MATCHED_MSG':
        this.correctTagsOffset(pq, result.nextBeginOffset);
        return result.nextBeginOffset;
      case 'OFFSET_ILLEGAL':
        // Compat: Java drops the queue and waits for the next rebalance; this adopts the broker's
        // offset, commits it and goes on pulling from there.
        instance.logger.warn('pull offset illegal', {
          queue: formatMessageQueue(mq),
          offset,
          nextBeginOffset: result.nextBeginOffset,
        });
        offsetStore.update(mq, result.nextBeginOffset, false);
        await offsetStore.persistAll([mq], false);
        return result.nextBeginOffset;
    }
  }

  /** Java `correctTagsOffset`: with nothing cached, the filtered-out offsets count as consumed. */
  private correctTagsOffset(pq: ProcessQueue, nextOffset: number): void {
    if (pq.cachedMessageCount === 0) this.deps.offsetStore.update(pq.messageQueue, nextOffset, true);
  }
}
