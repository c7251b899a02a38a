// Specification of the send checks: each refusal with Java's response code and remark, and the
// random queue choice for queueId < 0.

import { describe, expect, it } from 'vitest';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import type { TopicConfig } from '../../../ts/protocol/route-types.js';
import {
  checkBatchRequest,
  checkBrokerPermission,
  checkMessageSize,
  checkQueueId,
  checkTopicForSend,
  checkTopicWriteable,
  chooseQueueId,
  topicConfigToString,
  topicNotExist,
} from '../../../ts/broker/domain/send/message-check.js';
import type { SendMessageRequestHeader } from '../../../ts/protocol/send-request-header.js';
import { inRemoting } from '../in-remoting.js';

const MAX = 4 * 1024 * 1024;
const ILLEGAL_REMARK =
  'the message is illegal, maybe msg body or properties length not matched. ' +
  'msg body length limit 4194304B, msg properties length limit 32KB.';

const topicConfig: TopicConfig = {
  topicName: 'TopicTest',
  readQueueNums: 4,
  writeQueueNums: 2,
  perm: 6,
  topicFilterType: 'SINGLE_TAG',
  topicSysFlag: 0,
  order: false,
  attributes: {},
};

const header: SendMessageRequestHeader = {
  producerGroup: 'pg',
  topic: 'TopicTest',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 0,
  sysFlag: 0,
  bornTimestamp: 1_700_000_000_000,
  flag: 0,
  properties: '',
  reconsumeTimes: 0,
  unitMode: false,
  batch: true,
};

describe('send: message checks', () => {
  it.each([
    [{ brokerPermission: 6, brokerIp: '10.0.0.1', topicIsOrder: true }, { ok: true }],
    [{ brokerPermission: 4, brokerIp: '10.0.0.1', topicIsOrder: false }, { ok: true }],
    [
      { brokerPermission: 4, brokerIp: '10.0.0.1', topicIsOrder: true },
      { ok: false, code: ResponseCode.NO_PERMISSION, remark: 'the broker[10.0.0.1] sending message is forbidden' },
    ],
  ])('broker permission %j → %j', (options, result) => {
    expect(inRemoting(checkBrokerPermission(options))).toEqual(result);
  });

  it.each([
    ['TopicTest', { ok: true }],
    ['%RETRY%group', { ok: true }],
    ['a'.repeat(127), { ok: true }],
    [
      'a'.repeat(128),
      { ok: false, code: 29, remark: `The specified topic: ${'a'.repeat(128)}, is longer than topic max length: 127` },
    ],
    ['%RETRY%' + 'g'.repeat(248), { ok: true }],
    [
      'Topic Test',
      {
        ok: false,
        code: 29,
        remark: 'The specified topic: Topic Test, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$',
      },
    ],
    ['', { ok: false, code: 29, remark: 'The specified topic is blank.' }],
    [
      'SCHEDULE_TOPIC_XXXX',
      { ok: false, code: 16, remark: 'Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.' },
    ],
  ])('topic %j → %j', (topic, result) => {
    expect(inRemoting(checkTopicForSend(topic))).toEqual(result);
  });

  it('answers a missing topic with 17 and the FAQ tip', () => {
    expect(inRemoting(topicNotExist('Nope'))).toEqual({
      ok: false,
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark:
        'topic[Nope] not exist, apply first please!\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.',
    });
  });

  it('refuses a read-only topic when asked (Java send-back remark)', () => {
    expect(inRemoting(checkTopicWriteable('T', 6))).toEqual({ ok: true });
    expect(inRemoting(checkTopicWriteable('T', 4))).toEqual({
      ok: false,
      code: 16,
      remark: 'the topic[T] sending message is forbidden',
    });
  });

  it('prints a TopicConfig as Java does', () => {
    expect(topicConfigToString({ ...topicConfig, perm: 7, attributes: { '+queue.type': 'BatchCQ' } })).toBe(
      'TopicConfig [topicName=TopicTest, readQueueNums=4, writeQueueNums=2, perm=RWX, ' +
        'topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={+queue.type=BatchCQ}]',
    );
  });

  it.each([
    [-1, { ok: true }],
    [3, { ok: true }], // below max(write 2, read 4)
    [
      4,
      {
        ok: false,
        code: ResponseCode.INVALID_PARAMETER,
        remark:
          'request queueId[4] is illegal, ' +
          'TopicConfig [topicName=TopicTest, readQueueNums=4, writeQueueNums=2, perm=RW-, ' +
          'topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={}] Producer: 127.0.0.1:50000',
      },
    ],
  ])('queueId %d → %j', (queueId, result) => {
    expect(inRemoting(checkQueueId(queueId, topicConfig, '127.0.0.1:50000'))).toEqual(result);
  });

  it.each([
    ['a 4 MiB body', new Uint8Array(MAX), '', { ok: true }],
    ['a body over 4 MiB', new Uint8Array(MAX + 1), '', { ok: false, code: 13, remark: ILLEGAL_REMARK }],
    ['no body', null, '', { ok: false, code: 13, remark: ILLEGAL_REMARK }],
    ['32767 property bytes', new Uint8Array(1), 'x'.repeat(32_767), { ok: true }],
    [
      '32768 property bytes (docs/remoting-protocol.md §6 pitfall 11)',
      new Uint8Array(1),
      'x'.repeat(32_766) + 'é',
      { ok: false, code: 13, remark: ILLEGAL_REMARK },
    ],
  ])('size: %s', (_name, body, properties, result) => {
    expect(inRemoting(checkMessageSize(body, properties, MAX))).toEqual(result);
  });

  it.each([
    ['a plain batch', header, { ok: true }],
    [
      'a topic over 127',
      { ...header, topic: 'a'.repeat(128) },
      { ok: false, code: 13, remark: 'message topic length too long 128' },
    ],
    [
      'a retry topic',
      { ...header, topic: '%RETRY%g' },
      { ok: false, code: 13, remark: 'batch request does not support retry group %RETRY%g' },
    ],
    ['a prepared transaction', { ...header, sysFlag: 0x4 }, { ok: false, code: 13, remark: ILLEGAL_REMARK }],
    ['a delay level', { ...header, properties: 'DELAY\u00013\u0002' }, { ok: false, code: 13, remark: ILLEGAL_REMARK }],
    ['delay level 0', { ...header, properties: 'DELAY\u00010\u0002' }, { ok: true }],
  ])('batch: %s', (_name, batchHeader, result) => {
    expect(inRemoting(checkBatchRequest(batchHeader, MAX))).toEqual(result);
  });

  it('keeps a requested queue and picks nextInt(99999999) % writeQueueNums for queueId < 0', () => {
    expect(chooseQueueId(3, 2, Math.random)).toEqual({ ok: true, queueId: 3 });
    expect(chooseQueueId(-1, 4, () => 0)).toEqual({ ok: true, queueId: 0 });
    expect(chooseQueueId(-1, 4, () => 0.5)).toEqual({ ok: true, queueId: 49_999_999 % 4 });
    for (let i = 0; i < 100; i++) {
      const choice = chooseQueueId(-1, 3, Math.random);
      expect(choice.ok && choice.queueId >= 0 && choice.queueId < 3).toBe(true);
    }
    expect(inRemoting(chooseQueueId(-1, 0, Math.random))).toMatchObject({ ok: false, code: ResponseCode.SYSTEM_ERROR });
  });
});
