import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { newTopicConfig, TopicConfigManager } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import type { TopicConfig } from '../../../ts/protocol/route-types.js';
import { steppingClock, TOPIC_OPTIONS } from './meta-fixtures.js';

function manager(overrides: Partial<typeof TOPIC_OPTIONS> = {}, store = new MemoryMetaConfigStore()) {
  const created: TopicConfig[] = [];
  const topics = new TopicConfigManager(
    { ...TOPIC_OPTIONS, ...overrides },
    { store, logger: createMemoryLogger(), nowMs: steppingClock(), onTopicCreated: (config) => created.push(config) },
  );
  return { topics, store, created };
}

describe('meta: topic config manager', () => {
  it('creates the system topics at start like Java', () => {
    const { topics } = manager();
    expect(topics.get('TBW102')).toMatchObject({ perm: 7, readQueueNums: 8, writeQueueNums: 8 });
    expect(topics.get('SCHEDULE_TOPIC_XXXX')).toMatchObject({ readQueueNums: 18, writeQueueNums: 18, perm: 6 });
    expect(topics.get('SELF_TEST_TOPIC')).toMatchObject({ readQueueNums: 1 });
    expect(topics.get('OFFSET_MOVED_EVENT')).toMatchObject({ readQueueNums: 1 });
    expect(topics.get('RMQ_SYS_TRANS_HALF_TOPIC')).toMatchObject({ readQueueNums: 1 });
    expect(topics.get('RMQ_SYS_TRANS_OP_HALF_TOPIC')).toMatchObject({ readQueueNums: 1 });
    expect(topics.get('BenchmarkTest')).toMatchObject({ readQueueNums: 1024 });
    expect(topics.get('DefaultCluster')).toMatchObject({ perm: 7, readQueueNums: 16 });
    expect(topics.get('broker-a')).toMatchObject({ perm: 7, readQueueNums: 1 });
    expect(topics.get('DefaultCluster_REPLY_TOPIC')).toMatchObject({ readQueueNums: 1 });
    expect(topics.get('rmq_sys_REVIVE_LOG_DefaultCluster')).toMatchObject({ readQueueNums: 8 });
    expect(topics.get('rmq_sys_SYNC_BROKER_MEMBER_broker-a')).toMatchObject({ perm: 1 });
    expect(topics.get('rmq_sys_wheel_timer')).toBeDefined();
    expect(topics.has('RMQ_SYS_TRACE_TOPIC')).toBe(false);
    expect(topics.isSystemTopic('broker-a')).toBe(true);
    expect(topics.dataVersion.counter).toBe(0);
  });

  it('leaves TBW102 out when autoCreateTopicEnable is off', () => {
    const { topics } = manager({ autoCreateTopicEnable: false, clusterTopicEnable: false });
    expect(topics.has('TBW102')).toBe(false);
    expect(topics.get('DefaultCluster')?.perm).toBe(1);
  });

  it('auto-creates a topic from TBW102 with min(client, default) queues and no inherit bit', () => {
    const { topics, store, created } = manager();
    const before = topics.dataVersion;
    const config = topics.createTopicInSendMessageMethod('NewTopic', 'TBW102', '10.0.0.5:5000', 4, 0);
    expect(config).toEqual(newTopicConfig('NewTopic', { readQueueNums: 4, writeQueueNums: 4, perm: 6 }));
    expect(topics.get('NewTopic')).toEqual(config);
    expect(topics.dataVersion.counter).toBe(before.counter + 1);
    expect(topics.dataVersion.timestamp).toBeGreaterThan(before.timestamp);
    expect(created.map((c) => c.topicName)).toEqual(['NewTopic']);
    expect(store.saveCount).toBe(1);
    // a second send finds it and changes nothing
    topics.createTopicInSendMessageMethod('NewTopic', 'TBW102', '10.0.0.5:5000', 4, 0);
    expect(topics.dataVersion.counter).toBe(before.counter + 1);
    // a client asking for more queues than TBW102 has gets TBW102's count
    expect(topics.createTopicInSendMessageMethod('Big', 'TBW102', 'x', 64, 0)?.writeQueueNums).toBe(8);
  });

  it('refuses to auto-create when disabled, even if TBW102 was loaded from disk', () => {
    const stored = new MemoryMetaConfigStore({
      dataVersion: { counter: 3, stateVersion: 0, timestamp: 1 },
      topicConfigTable: { TBW102: { topicName: 'TBW102', perm: 7, readQueueNums: 8, writeQueueNums: 8 } },
    });
    const { topics, created } = manager({ autoCreateTopicEnable: false }, stored);
    expect(topics.createTopicInSendMessageMethod('NewTopic', 'TBW102', 'x', 4, 0)).toBeNull();
    expect(topics.get('TBW102')?.perm).toBe(6);
    expect(topics.has('NewTopic')).toBe(false);
    expect(created).toEqual([]);
  });

  it('refuses to inherit from a default topic without PERM_INHERIT or that does not exist', () => {
    const { topics } = manager();
    topics.createOrUpdate(newTopicConfig('Template', { perm: 6 }));
    expect(topics.createTopicInSendMessageMethod('A', 'Template', 'x', 4, 0)).toBeNull();
    expect(topics.createTopicInSendMessageMethod('A', 'Missing', 'x', 4, 0)).toBeNull();
    topics.createOrUpdate(newTopicConfig('Template', { perm: 7, writeQueueNums: 2 }));
    expect(topics.createTopicInSendMessageMethod('A', 'Template', 'x', 4, 0)).toMatchObject({
      readQueueNums: 2,
      perm: 6,
    });
  });

  it('creates retry topics on send-back with the asked queues and perm', () => {
    const { topics, created } = manager();
    const retry = topics.createTopicInSendMessageBackMethod('%RETRY%cg', 1, 6, 0);
    expect(retry).toEqual(newTopicConfig('%RETRY%cg', { readQueueNums: 1, writeQueueNums: 1, perm: 6 }));
    expect(created).toHaveLength(1);
    expect(topics.createTopicInSendMessageBackMethod('%RETRY%cg', 3, 2, 0)).toEqual(retry);
    expect(topics.createTopicInSendMessageBackMethod('%RETRY%cg', 1, 6, 0, true).order).toBe(true);
  });

  it('bumps the data version on update and delete, and persists each change', () => {
    const { topics, store } = manager();
    topics.createOrUpdate(newTopicConfig('T', { readQueueNums: 4, writeQueueNums: 4 }));
    expect(topics.dataVersion.counter).toBe(1);
    topics.createOrUpdate(newTopicConfig('T', { readQueueNums: 8, writeQueueNums: 8 }));
    expect(topics.get('T')?.readQueueNums).toBe(8);
    expect(topics.dataVersion.counter).toBe(2);
    expect(topics.delete('T')).toBe(true);
    expect(topics.delete('T')).toBe(false);
    expect(topics.dataVersion.counter).toBe(3);
    expect(store.saveCount).toBe(3);
  });

  it('serializes for REGISTER_BROKER and reloads from topics.json', () => {
    const { topics, store } = manager();
    topics.createOrUpdate(
      newTopicConfig('T', {
        readQueueNums: 4,
        writeQueueNums: 4,
        order: true,
        attributes: { '+message.type': 'FIFO' },
      }),
    );
    const wrapper = topics.topicConfigSerializeWrapper();
    expect(wrapper.dataVersion).toEqual(topics.dataVersion);
    expect(Object.keys(wrapper.topicConfigTable.T ?? {})).toEqual([
      'attributes',
      'order',
      'perm',
      'readQueueNums',
      'topicFilterType',
      'topicName',
      'topicSysFlag',
      'writeQueueNums',
    ]);
    const deps = { store, logger: createMemoryLogger(), nowMs: steppingClock() };
    const reloaded = new TopicConfigManager(TOPIC_OPTIONS, deps);
    expect(reloaded.get('T')).toEqual(topics.get('T'));
    expect(reloaded.dataVersion).toEqual(topics.dataVersion);
  });

  it('marks order topics from the name server', () => {
    const { topics } = manager();
    topics.createOrUpdate(newTopicConfig('O'));
    topics.updateOrderTopicConfig(['O', 'Unknown']);
    expect(topics.isOrderTopic('O')).toBe(true);
    expect(topics.dataVersion.counter).toBe(2);
  });
});
