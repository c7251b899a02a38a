// Specification of the SEND_MESSAGE request headers: Java's V2 one-letter form (310/320) and the
// full-name form (10, Go) decode into one header; missing required fields fail with Java's text;
// absent booleans are false (Java 5 clients may omit them); numbers are parsed strictly.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderFieldError } from '../../ts/protocol/header-fields.js';
import { RequestCode } from '../../ts/remoting/codes.js';
import {
  decodeSendMessageRequestHeader,
  encodeSendMessageRequestHeader,
  type SendMessageRequestHeader,
} from '../../ts/protocol/send-request-header.js';

const properties =
  'KEYS\u0001K1\u0002UNIQ_KEY\u00017F0000010B6A18B4AAC26E5F5B7C0000\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002';

/** A J4 SEND_MESSAGE_V2 header as `MQClientAPIImpl#sendMessage` writes it. */
const javaV2Fields = {
  a: 'please_rename_unique_group_name',
  b: 'TopicTest',
  c: 'TBW102',
  d: '4',
  e: '1',
  f: '0',
  g: '1700000000000',
  h: '0',
  i: properties,
  j: '0',
  k: 'false',
  m: 'false',
  n: 'broker-a',
};

const expected: SendMessageRequestHeader = {
  producerGroup: 'please_rename_unique_group_name',
  topic: 'TopicTest',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 1,
  sysFlag: 0,
  bornTimestamp: 1_700_000_000_000,
  flag: 0,
  properties,
  reconsumeTimes: 0,
  unitMode: false,
  batch: false,
  brokerName: 'broker-a',
};

describe('send: request header', () => {
  it('decodes a Java SEND_MESSAGE_V2 header', () => {
    expect(decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, javaV2Fields)).toEqual(expected);
  });

  it('decodes a SEND_BATCH_MESSAGE header with m=true', () => {
    const header = decodeSendMessageRequestHeader(RequestCode.SEND_BATCH_MESSAGE, { ...javaV2Fields, m: 'true' });
    expect(header.batch).toBe(true);
  });

  it('decodes a Go SEND_MESSAGE header with full names and bname', () => {
    const goFields = {
      producerGroup: 'pg',
      topic: 'TopicTest',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: '4',
      queueId: '-1',
      sysFlag: '0',
      bornTimestamp: '1700000000000',
      flag: '0',
      properties: 'TAGS\u0001TagA\u0002',
      reconsumeTimes: '2',
      unitMode: 'false',
      maxReconsumeTimes: '16',
      batch: 'false',
      bname: 'broker-a',
    };
    expect(decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE, goFields)).toEqual({
      producerGroup: 'pg',
      topic: 'TopicTest',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: -1,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      flag: 0,
      properties: 'TAGS\u0001TagA\u0002',
      reconsumeTimes: 2,
      unitMode: false,
      maxReconsumeTimes: 16,
      batch: false,
      brokerName: 'broker-a',
    });
  });

  it.each(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])("fails on a missing V2 field %s with Java's text", (key) => {
    const fields: Record<string, string> = { ...javaV2Fields };
    delete fields[key];
    const decode = (): unknown => decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, fields);
    expect(decode).toThrow(HeaderFieldError);
    expect(decode).toThrow(`the custom field <${key}> is null`);
  });

  it('names the full key when a SEND_MESSAGE field is missing', () => {
    expect(() => decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE, { producerGroup: 'pg' })).toThrow(
      'the custom field <topic> is null',
    );
  });

  it('defaults absent optionals: J5 may omit k and m, and i, j, l, n', () => {
    const { a, b, c, d, e, f, g, h } = javaV2Fields;
    const withoutBrokerName: Record<string, unknown> = { ...expected };
    delete withoutBrokerName['brokerName'];
    const header = decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, { a, b, c, d, e, f, g, h });
    expect(header).toStrictEqual({ ...withoutBrokerName, properties: '' });
  });

  it('reads booleans as Java Boolean.parseBoolean', () => {
    const decode = (k: string): boolean =>
      decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, { ...javaV2Fields, k }).unitMode;
    expect(decode('TRUE')).toBe(true);
    expect(decode('true')).toBe(true);
    expect(decode('yes')).toBe(false);
    expect(decode('')).toBe(false);
  });

  it.each([
    ['e', '1.5'],
    ['e', ' 1'],
    ['e', ''],
    ['e', '2147483648'],
    ['e', '0x1'],
    ['e', '+'],
    ['e', '-'],
    ['e', '1 '],
    ['g', '1e12'],
    ['g', '9223372036854775808'],
    ['j', 'x'],
  ])('rejects %s=%j', (key, value) => {
    expect(() =>
      decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, { ...javaV2Fields, [key]: value }),
    ).toThrow(HeaderFieldError);
  });

  it('accepts a sign as Java Integer.parseInt does', () => {
    expect(decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, { ...javaV2Fields, e: '+5' }).queueId).toBe(5);
    expect(decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, { ...javaV2Fields, e: '-1' }).queueId).toBe(-1);
  });

  it('treats an empty optional number as absent', () => {
    expect(decodeSendMessageRequestHeader(RequestCode.SEND_MESSAGE_V2, { ...javaV2Fields, j: '', l: '' })).toEqual(
      expected,
    );
  });

  it('round-trips through both key sets', () => {
    const int32 = fc.integer({ min: -2_147_483_648, max: 2_147_483_647 });
    const header = fc.record(
      {
        producerGroup: fc.string(),
        topic: fc.string(),
        defaultTopic: fc.string(),
        defaultTopicQueueNums: int32,
        queueId: int32,
        sysFlag: int32,
        bornTimestamp: fc.maxSafeInteger(),
        flag: int32,
        properties: fc.string(),
        reconsumeTimes: int32,
        unitMode: fc.boolean(),
        maxReconsumeTimes: int32,
        batch: fc.boolean(),
        brokerName: fc.string({ minLength: 1 }),
      },
      {
        requiredKeys: [
          'producerGroup',
          'topic',
          'defaultTopic',
          'defaultTopicQueueNums',
          'queueId',
          'sysFlag',
          'bornTimestamp',
          'flag',
          'properties',
          'reconsumeTimes',
          'unitMode',
          'batch',
        ],
      },
    );
    fc.assert(
      fc.property(header, fc.constantFrom(RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2), (value, code) => {
        expect(decodeSendMessageRequestHeader(code, encodeSendMessageRequestHeader(code, value))).toEqual(value);
      }),
    );
  });
});
