// The Settings a client is answered with over Telemetry (Java `GrpcClientSettingsManager`): a producer's publishing
// limits and backoff, a consumer's group retry policy, FIFO flag, batch size and long polling. Pure.
// Depends on the protos, the subscription group config and grpc-limits.ts.

import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import {
  CustomizedBackoffSchema,
  ExponentialBackoffSchema,
  MetricSchema,
  PublishingSchema,
  RetryPolicySchema,
  SettingsSchema,
  SubscriptionSchema,
  type RetryPolicy,
  type Settings,
} from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import type { SubscriptionGroupConfig } from '../domain/meta/subscription-group-manager.js';
import {
  GRPC_CONSUMER_LONG_POLLING_TIMEOUT_MS,
  GRPC_CONSUMER_RECEIVE_BATCH_SIZE,
  GRPC_CUSTOMIZED_BACKOFF_MS,
  GRPC_EXPONENTIAL_BACKOFF,
  GRPC_PRODUCER_BACKOFF_INITIAL_MS,
  GRPC_PRODUCER_BACKOFF_MAX_MS,
  GRPC_PRODUCER_BACKOFF_MULTIPLIER,
  GRPC_PRODUCER_MAX_ATTEMPTS,
} from './grpc-limits.js';

/** A producer's settings: its topics as given, the body limit, message type validation, the backoff. */
export function producerSettings(given: Settings, maxBodyBytes: number): Settings {
  const topics = given.pubSub.case === 'publishing' ? given.pubSub.value.topics : [];
  const backoffPolicy = create(RetryPolicySchema, {
    maxAttempts: GRPC_PRODUCER_MAX_ATTEMPTS,
    strategy: {
      case: 'exponentialBackoff',
      value: create(ExponentialBackoffSchema, {
        initial: durationFromMs(GRPC_PRODUCER_BACKOFF_INITIAL_MS),
        max: durationFromMs(GRPC_PRODUCER_BACKOFF_MAX_MS),
        multiplier: GRPC_PRODUCER_BACKOFF_MULTIPLIER,
      }),
    },
  });
  const publishing = create(PublishingSchema, { topics, maxBodySize: maxBodyBytes, validateMessageType: true });
  return withoutMetric({ ...given, backoffPolicy, pubSub: { case: 'publishing', value: publishing } });
}

/** A consumer's settings from its group's config (the defaults of a new group when it has none yet). */
export function consumerSettings(given: Settings, group: SubscriptionGroupConfig): Settings {
  if (given.pubSub.case !== 'subscription') return withoutMetric(given);
  const subscription = create(SubscriptionSchema, {
    ...given.pubSub.value,
    fifo: group.consumeMessageOrderly,
    receiveBatchSize: GRPC_CONSUMER_RECEIVE_BATCH_SIZE,
    longPollingTimeout: durationFromMs(GRPC_CONSUMER_LONG_POLLING_TIMEOUT_MS),
  });
  const backoffPolicy = retryPolicyOf(group);
  return withoutMetric({ ...given, backoffPolicy, pubSub: { case: 'subscription', value: subscription } });
}

/** Java `mergeSubscriptionData`'s backoff: EXPONENTIAL with the policy's fields, else customized delays. */
function retryPolicyOf(group: SubscriptionGroupConfig): RetryPolicy {
  const maxAttempts = group.retryMaxTimes + 1;
  const policy = group.groupRetryPolicy;
  if (policy.type === 'EXPONENTIAL') {
    const fields = (policy['exponentialRetryPolicy'] ?? {}) as Record<string, unknown>;
    const number = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
    const exponential = create(ExponentialBackoffSchema, {
      initial: durationFromMs(number(fields['initial'], GRPC_EXPONENTIAL_BACKOFF.initialMs)),
      max: durationFromMs(number(fields['max'], GRPC_EXPONENTIAL_BACKOFF.maxMs)),
      multiplier: number(fields['multiplier'], GRPC_EXPONENTIAL_BACKOFF.multiplier),
    });
    return create(RetryPolicySchema, { maxAttempts, strategy: { case: 'exponentialBackoff', value: exponential } });
  }
  const customized = (policy['customizedRetryPolicy'] ?? {}) as Record<string, unknown>;
  const next = Array.isArray(customized['next']) ? customized['next'].map(Number) : GRPC_CUSTOMIZED_BACKOFF_MS;
  const value = create(CustomizedBackoffSchema, { next: next.map((ms) => durationFromMs(ms)) });
  return create(RetryPolicySchema, { maxAttempts, strategy: { case: 'customizedBackoff', value } });
}

/**
 * Java `RetryPolicy#nextDelayDuration` of the group's policy: EXPONENTIAL `min(max, initial * multiplier^n)` (n at
 * most 32), customized `next[n + 2]` (the last one beyond its end).
 */
export function groupRetryDelayMs(group: SubscriptionGroupConfig, reconsumeTimes: number): number {
  const times = Math.max(reconsumeTimes, 0);
  const policy = group.groupRetryPolicy;
  if (policy.type === 'EXPONENTIAL') {
    const fields = (policy['exponentialRetryPolicy'] ?? {}) as Record<string, unknown>;
    const number = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
    const initial = number(fields['initial'], GRPC_EXPONENTIAL_BACKOFF.initialMs);
    const multiplier = number(fields['multiplier'], GRPC_EXPONENTIAL_BACKOFF.multiplier);
    return Math.min(number(fields['max'], GRPC_EXPONENTIAL_BACKOFF.maxMs), initial * multiplier ** Math.min(times, 32));
  }
  const customized = (policy['customizedRetryPolicy'] ?? {}) as Record<string, unknown>;
  const next = Array.isArray(customized['next']) ? customized['next'].map(Number) : GRPC_CUSTOMIZED_BACKOFF_MS;
  return next[Math.min(times + 2, next.length - 1)] ?? 0;
}

/** Apache's default `metricCollectorMode` OFF: the client exports no metrics. */
function withoutMetric(settings: Omit<Settings, '$typeName' | '$unknown'> & Partial<Settings>): Settings {
  return create(SettingsSchema, { ...settings, metric: create(MetricSchema, { on: false }) });
}
