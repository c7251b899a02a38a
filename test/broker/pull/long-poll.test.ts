// Specification of long polling: a held pull wakes when a message at or past its offset arrives on
// its queue (and passes its tag filter), times out at its deadline on a fake clock, is bounded (the
// oldest is evicted), and is released by shutdown. No sleeping: the clock and timers are
// the shared FakeScheduler.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PULL_HOLD_CONFIG,
  pullHoldTimeMs,
  PullRequestHoldService,
  type PullHoldRequest,
  type PullWakeReason,
} from '../../../ts/broker/domain/pull/long-poll.js';
import { buildTagSubscription, type SubscriptionData } from '../../../ts/broker/domain/pull/subscription-expression.js';
import { tagsCode } from '../../../ts/protocol/tag-code.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

function tags(expression: string): SubscriptionData {
  const result = buildTagSubscription('T', expression);
  if (!result.ok) throw new Error(result.message);
  return result.subscription;
}

function setup(config: Parameters<typeof createService>[1] = {}) {
  return createService(new FakeScheduler(), config);
}

function createService(scheduler: FakeScheduler, config: ConstructorParameters<typeof PullRequestHoldService>[1] = {}) {
  const service = new PullRequestHoldService(scheduler, config);
  const wakes: Array<[string, PullWakeReason]> = [];
  const hold = (name: string, request: Partial<PullHoldRequest> = {}) =>
    service.hold({
      topic: 'T',
      queueId: 0,
      offset: 5,
      deadlineMs: scheduler.now() + 15_000,
      onWake: (reason) => wakes.push([name, reason]),
      ...request,
    });
  return { scheduler, service, wakes, hold };
}

describe('pull: long polling', () => {
  it('wakes a suspended pull when a message at its offset arrives', () => {
    const { service, wakes, hold, scheduler } = setup();
    hold('a');
    expect(service.heldCount).toBe(1);
    expect(service.notifyMessageArriving('T', 0, 5)).toBe(0); // max 5: still nothing at offset 5
    expect(wakes).toEqual([]);
    expect(service.notifyMessageArriving('T', 0, 6)).toBe(1);
    expect(wakes).toEqual([['a', 'arrived']]);
    expect(service.heldCount).toBe(0);
    expect(scheduler.pendingTimers).toBe(0);
    scheduler.advance(60_000);
    expect(wakes).toHaveLength(1); // exactly once
  });

  it('wakes only the pulls held on that queue', () => {
    const { service, wakes, hold } = setup();
    hold('q0');
    hold('q1', { queueId: 1 });
    hold('other-topic', { topic: 'U' });
    service.notifyMessageArriving('T', 1, 100);
    expect(wakes).toEqual([['q1', 'arrived']]);
    expect(service.heldCountOf('T', 0)).toBe(1);
    expect(service.heldCountOf('U', 0)).toBe(1);
    expect(service.notifyMessageArriving('V', 0, 100)).toBe(0);
  });

  it('wakes only pulls whose offset the arrival passes', () => {
    const { service, wakes, hold } = setup();
    hold('at5', { offset: 5 });
    hold('at9', { offset: 9 });
    service.notifyMessageArriving('T', 0, 7);
    expect(wakes).toEqual([['at5', 'arrived']]);
  });

  it('respects the tag filter when the arriving tags code is known', () => {
    const { service, wakes, hold } = setup();
    hold('tagA', { subscription: tags('TagA') });
    hold('tagAorB', { subscription: tags('TagA || TagB') });
    hold('all', { subscription: tags('*') });
    service.notifyMessageArriving('T', 0, 6, tagsCode('TagB'));
    expect(wakes).toEqual([
      ['tagAorB', 'arrived'],
      ['all', 'arrived'],
    ]);
    service.notifyMessageArriving('T', 0, 7, tagsCode('TagC'));
    expect(wakes).toHaveLength(2);
    service.notifyMessageArriving('T', 0, 8); // code unknown (Java's periodic check): wakes
    expect(wakes.at(-1)).toEqual(['tagA', 'arrived']);
  });

  it('times out at the deadline on the clock, not before', () => {
    const { service, wakes, hold, scheduler } = setup();
    hold('a', { deadlineMs: scheduler.now() + 15_000 });
    hold('b', { deadlineMs: scheduler.now() + 20_000 });
    scheduler.advance(14_999);
    expect(wakes).toEqual([]);
    scheduler.advance(1);
    expect(wakes).toEqual([['a', 'timeout']]);
    scheduler.advance(5_000);
    expect(wakes).toEqual([
      ['a', 'timeout'],
      ['b', 'timeout'],
    ]);
    expect(service.heldCount).toBe(0);
  });

  it('releases a pull past its deadline on a non-matching arrival (timer not yet run)', () => {
    const scheduler = new FakeScheduler();
    const { service, wakes, hold } = createService(scheduler);
    hold('a', { subscription: tags('TagA'), deadlineMs: scheduler.now() - 1 });
    service.notifyMessageArriving('T', 0, 6, tagsCode('TagB'));
    expect(wakes).toEqual([['a', 'timeout']]);
  });

  it('bounds the held pulls: the oldest is answered early', () => {
    const { service, wakes, hold } = setup({ maxHeldRequests: 2 });
    hold('first');
    hold('second', { queueId: 1 });
    hold('third', { queueId: 2 });
    expect(wakes).toEqual([['first', 'evicted']]);
    expect(service.heldCount).toBe(2);
    expect(service.heldCountOf('T', 0)).toBe(0);
    hold('fourth');
    expect(wakes.at(-1)).toEqual(['second', 'evicted']);
  });

  it('cancel drops a hold without a callback', () => {
    const { service, wakes, hold, scheduler } = setup();
    const held = hold('a');
    expect(held.cancel()).toBe(true);
    expect(held.cancel()).toBe(false);
    service.notifyMessageArriving('T', 0, 100);
    scheduler.advance(60_000);
    expect(wakes).toEqual([]);
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('shutdown wakes every held pull, and later holds at once', () => {
    const { service, wakes, hold, scheduler } = setup();
    hold('a');
    hold('b', { queueId: 3 });
    service.shutdown();
    expect(wakes).toEqual([
      ['a', 'shutdown'],
      ['b', 'shutdown'],
    ]);
    expect(scheduler.pendingTimers).toBe(0);
    hold('late');
    expect(wakes.at(-1)).toEqual(['late', 'shutdown']);
    service.shutdown();
    expect(wakes).toHaveLength(3);
  });

  it('re-checks held queues against the store max offset (Java checkHoldRequest)', () => {
    const { service, wakes, hold } = setup();
    hold('q0', { subscription: tags('TagA') });
    hold('q1', { queueId: 1 });
    const max = new Map([
      ['T@0', 6],
      ['T@1', 5],
    ]);
    expect(service.recheck((topic, queueId) => max.get(`${topic}@${queueId}`) ?? 0)).toBe(1);
    expect(wakes).toEqual([['q0', 'arrived']]);
  });

  it('lets a woken pull hold again from its callback, and reports a failing callback after waking the rest', () => {
    const scheduler = new FakeScheduler();
    const service = new PullRequestHoldService(scheduler);
    const seen: string[] = [];
    service.hold({
      topic: 'T',
      queueId: 0,
      offset: 0,
      deadlineMs: scheduler.now() + 1000,
      onWake: () => {
        seen.push('first');
        throw new Error('boom');
      },
    });
    service.hold({
      topic: 'T',
      queueId: 0,
      offset: 0,
      deadlineMs: scheduler.now() + 1000,
      onWake: () => {
        seen.push('second');
        service.hold({
          topic: 'T',
          queueId: 0,
          offset: 1,
          deadlineMs: scheduler.now() + 1000,
          onWake: () => seen.push('again'),
        });
      },
    });
    expect(() => service.notifyMessageArriving('T', 0, 1)).toThrow('boom');
    expect(seen).toEqual(['first', 'second']);
    expect(service.heldCount).toBe(1);
    service.notifyMessageArriving('T', 0, 2);
    expect(seen).toEqual(['first', 'second', 'again']);
  });
});

describe('pull: hold time', () => {
  it('is the request suspend timeout with long polling, bounded; the short polling time otherwise', () => {
    expect(pullHoldTimeMs(15_000)).toBe(15_000);
    expect(pullHoldTimeMs(20_000)).toBe(20_000);
    expect(pullHoldTimeMs(3_600_000)).toBe(DEFAULT_PULL_HOLD_CONFIG.maxSuspendTimeoutMs);
    expect(pullHoldTimeMs(-5)).toBe(0);
    expect(pullHoldTimeMs(15_000, { ...DEFAULT_PULL_HOLD_CONFIG, longPollingEnable: false })).toBe(1000);
  });
});
