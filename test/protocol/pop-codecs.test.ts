// Specification of the pop protocol codecs: the receipt handle and offset-info strings in the format of
// Java's ExtraInfoUtil, the pop retry topic names of KeyBuilder, the pop-family headers (strict decode,
// absent optionals left out), and the BATCH_ACK body with its java.util.BitSet bytes.

import { describe, expect, it } from 'vitest';
import { HeaderFieldError } from '../../ts/protocol/header-fields.js';
import { bitSetBytes, bitSetIndexes, decodeBatchAckBody, encodeBatchAckBody } from '../../ts/protocol/pop-batch-ack.js';
import {
  buildExtraInfo,
  buildMessageOrderCountInfo,
  buildMsgOffsetInfo,
  buildOrderCountInfo,
  buildStartOffsetInfo,
  isOrderReceipt,
  normalTopicOfPopRetry,
  parseExtraInfo,
  parseMsgOffsetInfo,
  parseOrderCountInfo,
  parseStartOffsetInfo,
  PopExtraInfoError,
  popOffsetInfoKey,
  popQueueOffsetInfoKey,
  popRetryTopic,
  popTopicMarkOf,
  topicOfPopMark,
} from '../../ts/protocol/pop-extra-info.js';
import {
  decodeAckMessageRequestHeader,
  decodeChangeInvisibleTimeRequestHeader,
  decodeNotificationResponseHeader,
  decodePopMessageRequestHeader,
  decodePopMessageResponseHeader,
  encodeChangeInvisibleTimeRequestHeader,
  encodeNotificationResponseHeader,
  encodePopMessageRequestHeader,
  encodePopMessageResponseHeader,
} from '../../ts/protocol/pop-headers.js';

describe('pop retry topics (KeyBuilder)', () => {
  it('builds v1 with "_" and v2 with "+", and parses the original topic back', () => {
    expect(popRetryTopic('TopicA', 'GroupA', false)).toBe('%RETRY%GroupA_TopicA');
    expect(popRetryTopic('TopicA', 'GroupA', true)).toBe('%RETRY%GroupA+TopicA');
    expect(normalTopicOfPopRetry('%RETRY%GroupA_TopicA', 'GroupA')).toBe('TopicA');
    expect(normalTopicOfPopRetry('%RETRY%GroupA+TopicA', 'GroupA')).toBe('TopicA');
    expect(normalTopicOfPopRetry('TopicA', 'GroupA')).toBe('TopicA');
  });

  it('marks a topic 0 (normal), 1 (retry v1) or 2 (retry v2), and maps a mark back', () => {
    expect(popTopicMarkOf('TopicA')).toBe('0');
    expect(popTopicMarkOf('%RETRY%GroupA_TopicA')).toBe('1');
    expect(popTopicMarkOf('%RETRY%GroupA+TopicA')).toBe('2');
    expect(topicOfPopMark('1', 'TopicA', 'GroupA')).toBe('%RETRY%GroupA_TopicA');
    expect(topicOfPopMark('2', 'TopicA', 'GroupA')).toBe('%RETRY%GroupA+TopicA');
    expect(() => topicOfPopMark('7', 'TopicA', 'GroupA')).toThrow(PopExtraInfoError);
  });
});

describe('receipt handle (ExtraInfoUtil.buildExtraInfo)', () => {
  const fields = {
    ckQueueOffset: 100,
    popTime: 1_700_000_000_000,
    invisibleTime: 60_000,
    reviveQid: 3,
    topic: '%RETRY%GroupA_TopicA',
    brokerName: 'broker-a',
    queueId: 2,
  };

  it('joins seven fields with spaces, eight with the message queue offset', () => {
    expect(buildExtraInfo(fields)).toBe('100 1700000000000 60000 3 1 broker-a 2');
    expect(buildExtraInfo({ ...fields, queueOffset: 104 })).toBe('100 1700000000000 60000 3 1 broker-a 2 104');
  });

  it('parses its own output', () => {
    expect(parseExtraInfo('100 1700000000000 60000 3 1 broker-a 2 104')).toEqual({
      ckQueueOffset: 100,
      popTime: 1_700_000_000_000,
      invisibleTime: 60_000,
      reviveQid: 3,
      topicMark: '1',
      brokerName: 'broker-a',
      queueId: 2,
      queueOffset: 104,
    });
    expect(parseExtraInfo('5 6 7 999 0 b 0').queueOffset).toBeUndefined();
    expect(isOrderReceipt(parseExtraInfo('5 6 7 999 0 b 0'))).toBe(true);
  });

  it('refuses a forged handle: too few fields, or a field that is not a number', () => {
    expect(() => parseExtraInfo('forged')).toThrow(PopExtraInfoError);
    expect(() => parseExtraInfo('1 2 3 4 0 b')).toThrow(PopExtraInfoError);
    expect(() => parseExtraInfo('x 2 3 4 0 b 1')).toThrow(PopExtraInfoError);
    expect(() => parseExtraInfo('1 2 3 4 0 b 1 1e3')).toThrow(PopExtraInfoError);
  });
});

describe('offset info strings', () => {
  it('builds startOffsetInfo and msgOffsetInfo entries joined by ";" and keys them <mark>@<queueId>', () => {
    let start = buildStartOffsetInfo('', 'TopicA', 0, 10);
    start = buildStartOffsetInfo(start, '%RETRY%G_TopicA', 1, 3);
    expect(start).toBe('0 0 10;1 1 3');
    let offsets = buildMsgOffsetInfo('', 'TopicA', 0, [10, 11, 12]);
    offsets = buildMsgOffsetInfo(offsets, '%RETRY%G_TopicA', 1, [3]);
    expect(offsets).toBe('0 0 10,11,12;1 1 3');
    expect(parseStartOffsetInfo(start)).toEqual(
      new Map([
        ['0@0', 10],
        ['1@1', 3],
      ]),
    );
    expect(parseMsgOffsetInfo(offsets)).toEqual(
      new Map([
        ['0@0', [10, 11, 12]],
        ['1@1', [3]],
      ]),
    );
    expect(popOffsetInfoKey('TopicA', 0)).toBe('0@0');
    expect(parseStartOffsetInfo('')).toBeUndefined();
  });

  it('keys order counts by queue and by queue offset (ExtraInfoUtilTest#testOrderCountInfo)', () => {
    let counts = buildOrderCountInfo('', 'TOPIC', 0, 1);
    counts = buildMessageOrderCountInfo(counts, 'TOPIC', 0, 1234, 2);
    expect(counts).toBe('0 0 1;0 qo0%1234 2');
    const parsed = parseOrderCountInfo(counts)!;
    expect(parsed.get(popOffsetInfoKey('TOPIC', 0))).toBe(1);
    expect(parsed.get(popQueueOffsetInfoKey('TOPIC', 0, 1234))).toBe(2);
  });

  it('refuses duplicates and entries without three fields', () => {
    expect(() => parseStartOffsetInfo('0 0 1;0 0 2')).toThrow(PopExtraInfoError);
    expect(() => parseStartOffsetInfo('0 0')).toThrow(PopExtraInfoError);
    expect(() => parseMsgOffsetInfo('0 0 1,x')).toThrow(PopExtraInfoError);
  });
});

describe('pop headers', () => {
  const javaPop = {
    consumerGroup: 'GroupA',
    topic: 'TopicA',
    queueId: '-1',
    maxMsgNums: '32',
    invisibleTime: '60000',
    pollTime: '20000',
    bornTime: '1700000000000',
    initMode: '0',
    expType: 'TAG',
    exp: '*',
    order: 'false',
    bname: 'broker-a',
  };

  it('decodes a POP_MESSAGE request as the Java client sends it and encodes it back', () => {
    const header = decodePopMessageRequestHeader(javaPop);
    expect(header).toEqual({
      consumerGroup: 'GroupA',
      topic: 'TopicA',
      queueId: -1,
      maxMsgNums: 32,
      invisibleTime: 60_000,
      pollTime: 20_000,
      bornTime: 1_700_000_000_000,
      initMode: 0,
      expType: 'TAG',
      exp: '*',
      order: false,
      brokerName: 'broker-a',
    });
    expect(encodePopMessageRequestHeader(header)).toEqual(javaPop);
  });

  it('fails on a missing required field or a malformed number, as Java decodeCommandCustomHeader', () => {
    expect(() => decodePopMessageRequestHeader({ ...javaPop, invisibleTime: undefined })).toThrow(
      'the custom field <invisibleTime> is null',
    );
    expect(() => decodePopMessageRequestHeader({ ...javaPop, maxMsgNums: '1e3' })).toThrow(HeaderFieldError);
    expect(decodePopMessageRequestHeader({ ...javaPop, invisibleTime: '-1' }).invisibleTime).toBe(-1);
  });

  it('round-trips the POP response header and leaves absent offset infos out', () => {
    const header = { popTime: 5, invisibleTime: 6, reviveQid: 7, restNum: 8, startOffsetInfo: '0 0 1' };
    const fields = encodePopMessageResponseHeader(header);
    expect(fields).toEqual({
      popTime: '5',
      invisibleTime: '6',
      reviveQid: '7',
      restNum: '8',
      startOffsetInfo: '0 0 1',
    });
    expect(decodePopMessageResponseHeader(fields)).toEqual(header);
  });

  it('decodes ACK and CHANGE_MESSAGE_INVISIBLETIME requests', () => {
    const ack = { consumerGroup: 'G', topic: 'T', queueId: '1', extraInfo: '1 2 3 4 0 b 1 5', offset: '5' };
    expect(decodeAckMessageRequestHeader(ack)).toEqual({
      consumerGroup: 'G',
      topic: 'T',
      queueId: 1,
      extraInfo: '1 2 3 4 0 b 1 5',
      offset: 5,
    });
    expect(() => decodeAckMessageRequestHeader({ ...ack, offset: undefined })).toThrow('<offset> is null');
    const change = decodeChangeInvisibleTimeRequestHeader({ ...ack, invisibleTime: '30000' });
    expect(change.invisibleTime).toBe(30_000);
    expect(encodeChangeInvisibleTimeRequestHeader(change)).toEqual({ ...ack, invisibleTime: '30000' });
  });

  it('reads NOTIFICATION booleans with Boolean.parseBoolean', () => {
    expect(decodeNotificationResponseHeader(encodeNotificationResponseHeader({ hasMsg: true }))).toEqual({
      hasMsg: true,
      pollingFull: false,
    });
    expect(decodeNotificationResponseHeader({ hasMsg: 'TRUE' }).hasMsg).toBe(true);
    expect(() => decodeNotificationResponseHeader({})).toThrow('<hasMsg> is null');
  });
});

describe('BATCH_ACK body', () => {
  it('writes the acked offsets as java.util.BitSet bytes (BatchAckTest: bits 1, 3, 5 → 0x2a)', () => {
    expect(bitSetBytes([1, 3, 5])).toEqual(Buffer.from([0x2a]));
    expect(bitSetBytes([0, 9])).toEqual(Buffer.from([0x01, 0x02]));
    expect(bitSetIndexes(Buffer.from([0x2a]))).toEqual([1, 3, 5]);
  });

  it('encodes short keys sorted as fastjson does and decodes short or long names', () => {
    const ack = {
      consumerGroup: 'G',
      topic: 'myTopic',
      retry: '0',
      startOffset: 100,
      queueId: 1,
      reviveQueueId: 2,
      popTime: 1_700_000_000_000,
      invisibleTime: 5000,
      ackOffsets: [101, 103, 105],
    };
    const bytes = encodeBatchAckBody({ brokerName: 'broker-a', acks: [ack] });
    expect(bytes.toString()).toBe(
      '{"acks":[{"b":"Kg==","c":"G","it":5000,"pt":1700000000000,"q":1,"r":"0","rq":2,"so":100,"t":"myTopic"}],' +
        '"brokerName":"broker-a"}',
    );
    expect(decodeBatchAckBody(bytes)).toEqual({ brokerName: 'broker-a', acks: [ack] });
    const long = JSON.stringify({
      acks: [
        {
          bitSet: 'Kg==',
          consumerGroup: 'G',
          invisibleTime: 5000,
          popTime: 1,
          queueId: 1,
          retry: '0',
          reviveQueueId: 2,
          startOffset: 100,
          topic: 'myTopic',
        },
      ],
    });
    expect(decodeBatchAckBody(Buffer.from(long)).acks[0]!.ackOffsets).toEqual([101, 103, 105]);
    expect(() => decodeBatchAckBody(Buffer.from('nope'))).toThrow('not JSON');
  });
});
