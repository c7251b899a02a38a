// Specification of the reserved topic names and their helpers (Java TopicValidator, MixAll,
// KeyBuilder), and the MQVersion ordinals the broker and registry compare against.

import { describe, expect, it } from 'vitest';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  dlqTopicOf,
  groupOfRetryTopic,
  isNotAllowedSendTopic,
  isRetryOrDlqTopic,
  isRetryTopic,
  isSystemTopic,
  retryTopicOf,
  RMQ_SYS_SCHEDULE_TOPIC,
  TIMER_TOPIC,
} from '../../ts/protocol/topics.js';
import { MQVersion } from '../../ts/protocol/versions.js';

describe('protocol: topic names', () => {
  it('spells the reserved names as Java does', () => {
    expect([AUTO_CREATE_TOPIC_KEY_TOPIC, RMQ_SYS_SCHEDULE_TOPIC, TIMER_TOPIC]).toEqual([
      'TBW102',
      'SCHEDULE_TOPIC_XXXX',
      'rmq_sys_wheel_timer',
    ]);
  });

  it('builds and parses retry and dead-letter topics', () => {
    expect(retryTopicOf('cg')).toBe('%RETRY%cg');
    expect(dlqTopicOf('cg')).toBe('%DLQ%cg');
    expect(groupOfRetryTopic('%RETRY%cg')).toBe('cg');
    expect([isRetryTopic('%RETRY%cg'), isRetryTopic('%DLQ%cg')]).toEqual([true, false]);
    expect([isRetryOrDlqTopic('%DLQ%cg'), isRetryOrDlqTopic('TopicA')]).toEqual([true, false]);
  });

  it('knows the system topics and the ones a client may not send to', () => {
    expect(isSystemTopic('TBW102')).toBe(true);
    expect(isSystemTopic('rmq_sys_anything')).toBe(true);
    expect(isSystemTopic('DefaultCluster', new Set(['DefaultCluster']))).toBe(true);
    expect(isSystemTopic('TopicA')).toBe(false);
    expect(isNotAllowedSendTopic('SCHEDULE_TOPIC_XXXX')).toBe(true);
    expect(isNotAllowedSendTopic('TBW102')).toBe(false);
  });
});

describe('protocol: MQVersion ordinals', () => {
  it('matches Java MQVersion.Version ordinals', () => {
    expect(MQVersion).toEqual({
      V3_0_7_SNAPSHOT: 28,
      V3_1_8_SNAPSHOT: 62,
      V3_4_9: 121,
      V4_9_4: 401,
      V5_3_3: 479,
      V5_5_0: 513,
    });
  });
});
