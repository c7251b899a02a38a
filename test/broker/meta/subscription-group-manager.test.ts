import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import {
  newSubscriptionGroupConfig,
  SubscriptionGroupManager,
} from '../../../ts/broker/domain/meta/subscription-group-manager.js';
import { steppingClock } from './meta-fixtures.js';

const OPTIONS = { autoCreateSubscriptionGroup: true, enableCreateSysGroup: true };

function manager(options = OPTIONS, store = new MemoryMetaConfigStore()) {
  return {
    groups: new SubscriptionGroupManager(options, { store, logger: createMemoryLogger(), nowMs: steppingClock() }),
    store,
  };
}

describe('meta: subscription group manager', () => {
  it('auto-creates a group with the Java defaults and persists it', () => {
    const { groups, store } = manager();
    expect(groups.get('cg')).toBeUndefined();
    const config = groups.findSubscriptionGroupConfig('cg');
    expect(config).toEqual({
      attributes: {},
      brokerId: 0,
      consumeBroadcastEnable: true,
      consumeEnable: true,
      consumeFromMinEnable: true,
      consumeMessageOrderly: false,
      consumeTimeoutMinute: 15,
      groupName: 'cg',
      groupRetryPolicy: { type: 'CUSTOMIZED' },
      groupSysFlag: 0,
      notifyConsumerIdsChangedEnable: true,
      retryMaxTimes: 16,
      retryQueueNums: 1,
      whichBrokerWhenConsumeSlowly: 1,
    });
    expect(groups.dataVersion.counter).toBe(1);
    expect(store.saveCount).toBe(1);
    groups.findSubscriptionGroupConfig('cg');
    expect(groups.dataVersion.counter).toBe(1);
  });

  it('does not auto-create when disabled, except CID_RMQ_SYS_ groups', () => {
    const { groups } = manager({ autoCreateSubscriptionGroup: false, enableCreateSysGroup: true });
    expect(groups.findSubscriptionGroupConfig('cg')).toBeUndefined();
    expect(groups.has('cg')).toBe(false);
    expect(groups.findSubscriptionGroupConfig('CID_RMQ_SYS_X')).toBeDefined();
  });

  it('does not auto-create an illegal group name', () => {
    const { groups } = manager();
    expect(groups.findSubscriptionGroupConfig('bad group')).toBeUndefined();
  });

  it('has the built-in groups', () => {
    const { groups } = manager();
    for (const group of [
      'TOOLS_CONSUMER',
      'FILTERSRV_CONSUMER',
      'SELF_TEST_C_GROUP',
      'CID_ONSAPI_PULL',
      'CID_RMQ_SYS_TRANS',
    ]) {
      expect(groups.has(group)).toBe(true);
    }
  });

  it('updates and deletes with a version bump each time', () => {
    const { groups } = manager();
    groups.update(newSubscriptionGroupConfig('cg', { retryMaxTimes: 3, consumeMessageOrderly: true }));
    expect(groups.get('cg')).toMatchObject({ retryMaxTimes: 3, consumeMessageOrderly: true, retryQueueNums: 1 });
    expect(groups.delete('cg')).toBe(true);
    expect(groups.delete('cg')).toBe(false);
    expect(groups.dataVersion.counter).toBe(2);
  });

  it('round-trips subscriptionGroup.json, filling absent fields with defaults', () => {
    const store = new MemoryMetaConfigStore({
      dataVersion: { counter: 9, stateVersion: 0, timestamp: 5 },
      forbiddenTable: { cg: { T: 1 } },
      subscriptionGroupTable: { cg: { groupName: 'cg', retryMaxTimes: 2, unknownField: 'x' } },
    });
    const { groups } = manager(OPTIONS, store);
    expect(groups.get('cg')).toEqual(newSubscriptionGroupConfig('cg', { retryMaxTimes: 2 }));
    expect(groups.dataVersion).toEqual({ counter: 9, stateVersion: 0, timestamp: 5 });
    const document = groups.encode();
    expect(document.forbiddenTable).toEqual({ cg: { T: 1 } });
    expect(Object.keys(document)).toEqual(['dataVersion', 'forbiddenTable', 'subscriptionGroupTable']);
    expect(Object.keys(document.subscriptionGroupTable.cg ?? {})).toEqual(Object.keys(newSubscriptionGroupConfig('x')));
  });
});
