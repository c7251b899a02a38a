// PushConsumer's options (rocketmq-client-nodejs's names where it has them, Java
// `DefaultMQPushConsumer`'s otherwise, units in the names) and their resolution into the settings
// its parts share. Depends on ../client-options.ts, ../client-error.ts, ../heartbeat-data.ts,
// allocate-strategy.ts, consume-result.ts.

import { ClientError, ClientErrorCode } from '../client-error.js';
import { checkGroupName, positiveOption, type ClientOptions } from '../client-options.js';
import type { ConsumeFromWhere, MessageModel } from '../heartbeat-data.js';
import { allocateMessageQueueAveragely, type AllocateMessageQueueStrategy } from './allocate-strategy.js';
import type { MessageListener } from './consume-result.js';
import type { SubscriptionExpression } from './filter-expression.js';

export interface PushConsumerOptions extends ClientOptions {
  readonly consumerGroup: string;
  /** topic → tag expression ("*", "TagA || TagB") or MessageSelector (bySql); more with subscribe(). */
  readonly subscriptions?:
    ReadonlyMap<string, SubscriptionExpression> | Readonly<Record<string, SubscriptionExpression>>;
  readonly messageListener: MessageListener;
  /** Default CLUSTERING: each message to one consumer of the group. BROADCASTING: to every one. */
  readonly messageModel?: MessageModel;
  /** Where a group with no committed offset starts; default CONSUME_FROM_LAST_OFFSET. */
  readonly consumeFromWhere?: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP; default half an hour ago. */
  readonly consumeTimestampMs?: number;
  /** Orderly consumption: one message at a time per queue, queues locked on the broker (clustering). */
  readonly consumeOrderly?: boolean;
  /** Messages cached (pulled, not consumed) by the whole consumer; default 1024. */
  readonly maxCacheMessageCount?: number;
  /** Bytes cached by the whole consumer; default 64 MiB. */
  readonly maxCacheMessageSizeInBytes?: number;
  /** Listener calls running at once; default 20. */
  readonly consumptionThreadCount?: number;
  /** Messages per pull (Java `pullBatchSize`); default 32. */
  readonly pullBatchSize?: number;
  /** Concurrent mode: pause pulling a queue while its cached offsets span more; default 2000. */
  readonly consumeConcurrentlyMaxSpan?: number;
  /** How long the broker may hold an empty pull; default 15 000 ms. */
  readonly brokerSuspendMaxTimeMs?: number;
  /** The client's wait for a held pull; default 30 000 ms. */
  readonly consumerTimeoutMsWhenSuspend?: number;
  /** Pause after a failed pull; default 3000 ms. */
  readonly pullTimeDelayMsWhenException?: number;
  /** Offset commit period; default 5000 ms. */
  readonly persistConsumerOffsetIntervalMs?: number;
  /** Rebalance period; default 20 000 ms (also on NOTIFY_CONSUMER_IDS_CHANGED). */
  readonly rebalanceIntervalMs?: number;
  /** Deliveries before the DLQ; default 16 (concurrent) or unlimited local retries (orderly). */
  readonly maxReconsumeTimes?: number;
  /** Concurrent mode: the delay level of a retry; default 0 (the broker picks 3 + reconsumeTimes). */
  readonly delayLevelWhenNextConsume?: number;
  /** Orderly mode: pause before retrying a failed message; default 1000 ms. */
  readonly suspendCurrentQueueTimeMs?: number;
  /** Send the subscription with every pull (Java `postSubscriptionWhenPull`); default false. */
  readonly postSubscriptionWhenPull?: boolean;
  /** How long shutdown waits for running listener calls; default 5000 ms. */
  readonly awaitTerminationMsWhenShutdown?: number;
  readonly allocateMessageQueueStrategy?: AllocateMessageQueueStrategy;
}

export interface PushConsumerSettings {
  readonly consumerGroup: string;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly consumeTimestampMs: number;
  readonly consumeOrderly: boolean;
  readonly maxCacheMessageCount: number;
  readonly maxCacheMessageSizeBytes: number;
  readonly consumptionThreadCount: number;
  readonly pullBatchSize: number;
  readonly consumeConcurrentlyMaxSpan: number;
  readonly brokerSuspendMaxTimeMs: number;
  readonly consumerTimeoutMsWhenSuspend: number;
  readonly pullTimeDelayMsWhenException: number;
  readonly persistConsumerOffsetIntervalMs: number;
  readonly rebalanceIntervalMs: number;
  readonly maxReconsumeTimes: number;
  readonly delayLevelWhenNextConsume: number;
  readonly suspendCurrentQueueTimeMs: number;
  readonly postSubscriptionWhenPull: boolean;
  readonly awaitTerminationMsWhenShutdown: number;
  readonly allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
}

/** Java `maxReconsumeTimes` -1 default: 16 for concurrent listeners. */
const DEFAULT_MAX_RECONSUME_TIMES = 16;
const HALF_AN_HOUR_MS = 30 * 60 * 1000;

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, `${name} must be a non-negative integer, not ${value}`);
  return value;
}

export function resolvePushConsumerSettings(options: PushConsumerOptions): PushConsumerSettings {
  checkGroupName(options.consumerGroup, 'consumerGroup');
  const consumeOrderly = options.consumeOrderly ?? false;
  const threads = positiveOption('consumptionThreadCount', options.consumptionThreadCount, 20);
  return {
    consumerGroup: options.consumerGroup,
    messageModel: options.messageModel ?? 'CLUSTERING',
    consumeFromWhere: options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET',
    consumeTimestampMs: options.consumeTimestampMs ?? Date.now() - HALF_AN_HOUR_MS,
    consumeOrderly,
    maxCacheMessageCount: positiveOption('maxCacheMessageCount', options.maxCacheMessageCount, 1024),
    maxCacheMessageSizeBytes: positiveOption(
      'maxCacheMessageSizeInBytes',
      options.maxCacheMessageSizeInBytes,
      64 * 1024 * 1024,
    ),
    consumptionThreadCount: Math.floor(threads),
    pullBatchSize: positiveOption('pullBatchSize', options.pullBatchSize, 32),
    consumeConcurrentlyMaxSpan: positiveOption('consumeConcurrentlyMaxSpan', options.consumeConcurrentlyMaxSpan, 2000),
    brokerSuspendMaxTimeMs: positiveOption('brokerSuspendMaxTimeMs', options.brokerSuspendMaxTimeMs, 15_000),
    consumerTimeoutMsWhenSuspend: positiveOption(
      'consumerTimeoutMsWhenSuspend',
      options.consumerTimeoutMsWhenSuspend,
      30_000,
    ),
    pullTimeDelayMsWhenException: positiveOption(
      'pullTimeDelayMsWhenException',
      options.pullTimeDelayMsWhenException,
      3000,
    ),
    persistConsumerOffsetIntervalMs: positiveOption(
      'persistConsumerOffsetIntervalMs',
      options.persistConsumerOffsetIntervalMs,
      5000,
    ),
    rebalanceIntervalMs: positiveOption('rebalanceIntervalMs', options.rebalanceIntervalMs, 20_000),
    maxReconsumeTimes: nonNegativeInteger(
      'maxReconsumeTimes',
      options.maxReconsumeTimes,
      consumeOrderly ? Number.MAX_SAFE_INTEGER : DEFAULT_MAX_RECONSUME_TIMES,
    ),
    delayLevelWhenNextConsume: options.delayLevelWhenNextConsume ?? 0,
    suspendCurrentQueueTimeMs: positiveOption('suspendCurrentQueueTimeMs', options.suspendCurrentQueueTimeMs, 1000),
    postSubscriptionWhenPull: options.postSubscriptionWhenPull ?? false,
    awaitTerminationMsWhenShutdown: nonNegativeInteger(
      'awaitTerminationMsWhenShutdown',
      options.awaitTerminationMsWhenShutdown,
      5000,
    ),
    allocateMessageQueueStrategy: options.allocateMessageQueueStrategy ?? allocateMessageQueueAveragely,
  };
}
