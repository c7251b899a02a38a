// The Settings a client is answered with: a producer's publishing limits and backoff, a consumer's
// retry policy from its group (customized delays or exponential), FIFO flag and polling settings.

import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { consumerSettings, groupRetryDelayMs, producerSettings } from '../../../ts/broker/grpc/client-settings.js';
import { newSubscriptionGroupConfig } from '../../../ts/broker/domain/meta/subscription-group-manager.js';
import {
  ClientType,
  PublishingSchema,
  ResourceSchema,
  SettingsSchema,
  SubscriptionSchema,
} from '../../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';

const ms = (duration: { seconds: bigint; nanos: number } | undefined): number =>
  duration === undefined ? -1 : Number(duration.seconds) * 1000 + duration.nanos / 1e6;

describe('grpc: client settings', () => {
  it('tells a producer its topics, the body limit, message type checks and an exponential backoff', () => {
    const publishing = create(PublishingSchema, { topics: [create(ResourceSchema, { name: 'T' })], maxBodySize: 1 });
    const given = create(SettingsSchema, {
      clientType: ClientType.PRODUCER,
      pubSub: { case: 'publishing', value: publishing },
    });
    const answer = producerSettings(given, 4194304);
    expect(answer.pubSub.case).toBe('publishing');
    if (answer.pubSub.case !== 'publishing') return;
    expect(answer.pubSub.value.topics.map((topic) => topic.name)).toEqual(['T']);
    expect(answer.pubSub.value.maxBodySize).toBe(4194304);
    expect(answer.pubSub.value.validateMessageType).toBe(true);
    expect(answer.backoffPolicy?.maxAttempts).toBe(3);
    const strategy = answer.backoffPolicy?.strategy;
    expect(strategy?.case).toBe('exponentialBackoff');
    if (strategy?.case !== 'exponentialBackoff') return;
    expect([ms(strategy.value.initial), ms(strategy.value.max), strategy.value.multiplier]).toEqual([10, 1000, 2]);
    expect(answer.metric?.on).toBe(false);
  });

  it("tells a consumer its group's customized retry delays, FIFO flag, batch size and long polling", () => {
    const subscription = create(SubscriptionSchema, { group: create(ResourceSchema, { name: 'G' }) });
    const given = create(SettingsSchema, {
      clientType: ClientType.PUSH_CONSUMER,
      pubSub: { case: 'subscription', value: subscription },
    });
    const answer = consumerSettings(given, newSubscriptionGroupConfig('G', { consumeMessageOrderly: true }));
    expect(answer.backoffPolicy?.maxAttempts).toBe(17);
    const strategy = answer.backoffPolicy?.strategy;
    expect(strategy?.case).toBe('customizedBackoff');
    if (strategy?.case === 'customizedBackoff') {
      expect(strategy.value.next.map(ms).slice(0, 4)).toEqual([1000, 5000, 10000, 30000]);
      expect(strategy.value.next).toHaveLength(18);
    }
    expect(answer.pubSub.case).toBe('subscription');
    if (answer.pubSub.case !== 'subscription') return;
    expect(answer.pubSub.value.group?.name).toBe('G');
    expect(answer.pubSub.value.fifo).toBe(true);
    expect(answer.pubSub.value.receiveBatchSize).toBe(32);
    expect(ms(answer.pubSub.value.longPollingTimeout)).toBe(20_000);
  });

  it("takes an EXPONENTIAL group's initial, max and multiplier", () => {
    const subscription = create(SubscriptionSchema, { group: create(ResourceSchema, { name: 'G' }) });
    const given = create(SettingsSchema, {
      clientType: ClientType.SIMPLE_CONSUMER,
      pubSub: { case: 'subscription', value: subscription },
    });
    const group = newSubscriptionGroupConfig('G', {
      retryMaxTimes: 3,
      groupRetryPolicy: { type: 'EXPONENTIAL', exponentialRetryPolicy: { initial: 500, max: 60_000, multiplier: 3 } },
    });
    const strategy = consumerSettings(given, group).backoffPolicy;
    expect(strategy?.maxAttempts).toBe(4);
    expect(strategy?.strategy.case).toBe('exponentialBackoff');
    if (strategy?.strategy.case !== 'exponentialBackoff') return;
    const { initial, max, multiplier } = strategy.strategy.value;
    expect([ms(initial), ms(max), multiplier]).toEqual([500, 60_000, 3]);
  });

  it('gives the group retry delay as Java nextDelayDuration does (customized next[n + 2], exponential)', () => {
    const customized = newSubscriptionGroupConfig('G');
    expect([0, 1, 15, 40].map((times) => groupRetryDelayMs(customized, times))).toEqual([
      10_000, 30_000, 7_200_000, 7_200_000,
    ]);
    const exponential = newSubscriptionGroupConfig('G', {
      groupRetryPolicy: { type: 'EXPONENTIAL', exponentialRetryPolicy: { initial: 500, max: 60_000, multiplier: 3 } },
    });
    expect([0, 2, 10].map((times) => groupRetryDelayMs(exponential, times))).toEqual([500, 4_500, 60_000]);
  });
});
