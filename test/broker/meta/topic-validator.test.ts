import { describe, expect, it } from 'vitest';
import {
  checkTopicForSend,
  checkTopicForUpdate,
  validateGroup,
  validateTopic,
} from '../../../ts/broker/domain/meta/topic-validator.js';
import { isNotAllowedSendTopic, isSystemTopic } from '../../../ts/protocol/topics.js';
import { inRemoting } from '../in-remoting.js';

const INVALID_PARAMETER = 29;
const NO_PERMISSION = 16;

describe('meta: topic validator', () => {
  it.each([
    ['TopicTest'],
    ['a'],
    ['%RETRY%group-1'],
    ['with|pipe_and-dash%'],
    ['T'.repeat(127)],
    [`%RETRY%${'g'.repeat(248)}`],
    [`%DLQ%${'g'.repeat(250)}`],
  ])('accepts %s', (topic) => {
    expect(validateTopic(topic)).toEqual({ ok: true });
  });

  it.each([
    ['', 'The specified topic is blank.'],
    ['   ', 'The specified topic is blank.'],
    ['a.b', 'The specified topic: a.b, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$'],
    ['a b', 'The specified topic: a b, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$'],
    ['tópico', 'The specified topic: tópico, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$'],
    ['T'.repeat(128), `The specified topic: ${'T'.repeat(128)}, is longer than topic max length: 127`],
    [
      `%RETRY%${'g'.repeat(249)}`,
      `The specified topic is DLQ or Retry topic: %RETRY%${'g'.repeat(249)}` +
        ", and it's longer than topic max length: 255",
    ],
  ])('rejects %j with 29 and Java remark', (topic, remark) => {
    expect(inRemoting(validateTopic(topic))).toEqual({ ok: false, code: INVALID_PARAMETER, remark });
  });

  it('validates groups: blank, characters, 120 max', () => {
    expect(validateGroup('cg')).toEqual({ ok: true });
    expect(validateGroup('g'.repeat(120))).toEqual({ ok: true });
    expect(inRemoting(validateGroup(''))).toMatchObject({
      ok: false,
      code: INVALID_PARAMETER,
      remark: 'The specified group is blank.',
    });
    expect(inRemoting(validateGroup('a/b'))).toMatchObject({ ok: false, code: INVALID_PARAMETER });
    expect(inRemoting(validateGroup('g'.repeat(121)))).toMatchObject({
      ok: false,
      remark: `The specified group: ${'g'.repeat(121)}, is longer than group max length: 120`,
    });
  });

  it('knows the system topics, rmq_sys_ prefix and broker-added names', () => {
    for (const topic of [
      'TBW102',
      'SCHEDULE_TOPIC_XXXX',
      'BenchmarkTest',
      'RMQ_SYS_TRANS_HALF_TOPIC',
      'OFFSET_MOVED_EVENT',
      'SELF_TEST_TOPIC',
      'rmq_sys_anything',
    ]) {
      expect(isSystemTopic(topic)).toBe(true);
    }
    expect(isSystemTopic('DefaultCluster')).toBe(false);
    expect(isSystemTopic('DefaultCluster', new Set(['DefaultCluster']))).toBe(true);
    expect(isSystemTopic('TopicTest')).toBe(false);
  });

  it('forbids sending to internal topics with 16, but allows TBW102 and the trace topic', () => {
    expect(isNotAllowedSendTopic('SCHEDULE_TOPIC_XXXX')).toBe(true);
    expect(inRemoting(checkTopicForSend('RMQ_SYS_TRANS_HALF_TOPIC'))).toEqual({
      ok: false,
      code: NO_PERMISSION,
      remark: 'Sending message to topic[RMQ_SYS_TRANS_HALF_TOPIC] is forbidden.',
    });
    expect(checkTopicForSend('TBW102')).toEqual({ ok: true });
    expect(checkTopicForSend('RMQ_SYS_TRACE_TOPIC')).toEqual({ ok: true });
    expect(inRemoting(checkTopicForSend('bad topic'))).toMatchObject({ ok: false, code: INVALID_PARAMETER });
  });

  it('rejects creating a system topic unless validateSystemTopicWhenUpdateTopic is off', () => {
    expect(inRemoting(checkTopicForUpdate('TBW102', { validateSystemTopic: true }))).toEqual({
      ok: false,
      code: INVALID_PARAMETER,
      remark: 'The topic[TBW102] is conflict with system topic.',
    });
    expect(checkTopicForUpdate('TBW102', { validateSystemTopic: false })).toEqual({ ok: true });
    expect(
      checkTopicForUpdate('broker-a', { validateSystemTopic: true, extraSystemTopics: new Set(['broker-a']) }),
    ).toMatchObject({ ok: false });
    expect(checkTopicForUpdate('TopicTest', { validateSystemTopic: true })).toEqual({ ok: true });
  });
});
