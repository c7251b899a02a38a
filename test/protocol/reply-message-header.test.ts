// The PUSH_REPLY_MESSAGE_TO_CLIENT header: every field under Java's names, decoded back as sent; a
// missing required field or a malformed number named as Java names it; and SEND_REPLY_MESSAGE_V2 (325)
// using the one-letter send header keys while SEND_REPLY_MESSAGE (324) uses the long ones.

import { describe, expect, it } from 'vitest';
import {
  decodeReplyMessageRequestHeader,
  encodeReplyMessageRequestHeader,
  type ReplyMessageRequestHeader,
} from '../../ts/protocol/reply-message-header.js';
import {
  decodeSendMessageRequestHeader,
  encodeSendMessageRequestHeader,
  SEND_REPLY_MESSAGE_V2_CODE,
  usesShortKeys,
} from '../../ts/protocol/send-request-header.js';
import { RequestCode } from '../../ts/remoting/codes.js';
import { replyTopicOf } from '../../ts/protocol/topics.js';

const HEADER: ReplyMessageRequestHeader = {
  producerGroup: 'replier_pg',
  topic: 'DefaultCluster_REPLY_TOPIC',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 0,
  sysFlag: 1,
  bornTimestamp: 1_700_000_000_123,
  flag: 7,
  properties: 'CORRELATION_ID\x01c-1\x02',
  reconsumeTimes: 2,
  unitMode: false,
  bornHost: '127.0.0.1:50002',
  storeHost: '127.0.0.1:10911',
  storeTimestamp: 1_700_000_000_456,
};

function without(fields: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !names.includes(name)));
}

describe('protocol: reply message header', () => {
  it('encodes every field under Java names and decodes it back', () => {
    const fields = encodeReplyMessageRequestHeader(HEADER);
    expect(fields).toMatchObject({ producerGroup: 'replier_pg', storeTimestamp: '1700000000456', unitMode: 'false' });
    expect(Object.keys(fields)).toHaveLength(14);
    expect(decodeReplyMessageRequestHeader({ extFields: fields })).toEqual(HEADER);
  });

  it('names a missing or malformed field', () => {
    const rest = without(encodeReplyMessageRequestHeader(HEADER), 'storeHost');
    expect(() => decodeReplyMessageRequestHeader({ extFields: rest })).toThrow('the custom field <storeHost> is null');
    const malformed = { ...encodeReplyMessageRequestHeader(HEADER), queueId: '0x1' };
    expect(() => decodeReplyMessageRequestHeader({ extFields: malformed })).toThrow(/queueId/);
  });

  it('defaults the optional properties, reconsumeTimes and unitMode', () => {
    const required = without(encodeReplyMessageRequestHeader(HEADER), 'properties', 'reconsumeTimes', 'unitMode');
    expect(decodeReplyMessageRequestHeader({ extFields: required })).toMatchObject({
      properties: '',
      reconsumeTimes: 0,
      unitMode: false,
    });
  });

  it('sends SEND_REPLY_MESSAGE_V2 with the one-letter keys and SEND_REPLY_MESSAGE with the long ones', () => {
    expect(SEND_REPLY_MESSAGE_V2_CODE).toBe(RequestCode.SEND_REPLY_MESSAGE_V2);
    expect(usesShortKeys(RequestCode.SEND_REPLY_MESSAGE_V2)).toBe(true);
    expect(usesShortKeys(RequestCode.SEND_REPLY_MESSAGE)).toBe(false);
    const header = decodeSendMessageRequestHeader(325, {
      a: 'pg',
      b: replyTopicOf('DefaultCluster'),
      c: 'TBW102',
      d: '4',
      e: '0',
      f: '0',
      g: '1',
      h: '0',
    });
    expect(header.topic).toBe('DefaultCluster_REPLY_TOPIC');
    expect(encodeSendMessageRequestHeader(324, header)).toMatchObject({ topic: 'DefaultCluster_REPLY_TOPIC' });
  });
});
