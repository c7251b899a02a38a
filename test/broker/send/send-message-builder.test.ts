// Specification of the StoreMessages a send appends: UNIQ_KEY kept or generated, CLUSTER added,
// MULTI_TAGS for MULTI_TAG topics, WAIT read as Java does, and batch members carrying the batch
// header's topic/queue/sysFlag with their own properties.

import { describe, expect, it } from 'vitest';
import { parseMessageProperties } from '../../../ts/protocol/message-properties.js';
import { socketAddress } from '../../../ts/common/socket-address.js';
import { decodeBatchMessages } from '../../../ts/protocol/batch-body.js';
import { UniqueIdGenerator } from '../../../ts/protocol/unique-id.js';
import {
  buildBatchMessages,
  buildSingleMessage,
  type SendContext,
} from '../../../ts/broker/domain/send/send-message-builder.js';
import type { SendMessageRequestHeader } from '../../../ts/protocol/send-request-header.js';

const bornHost = socketAddress('127.0.0.1', 50000);
const storeHost = socketAddress('127.0.0.2', 10911);
const ids = new UniqueIdGenerator({
  ip: Uint8Array.of(127, 0, 0, 2),
  pid: 1,
  processHash: 2,
  now: () => new Date(2024, 0, 1).getTime(),
});
const context: SendContext = {
  bornHost,
  storeHost,
  brokerClusterName: 'DefaultCluster',
  topicFilterType: 'SINGLE_TAG',
  nextUniqueId: () => ids.next(),
};

const header: SendMessageRequestHeader = {
  producerGroup: 'pg',
  topic: 'TopicTest',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 1,
  sysFlag: 0,
  bornTimestamp: 1_700_000_000_000,
  flag: 5,
  properties: 'KEYS\u0001K1 K2\u0002TAGS\u0001TagA\u0002',
  reconsumeTimes: 2,
  unitMode: false,
  batch: false,
};

describe('send: building store messages', () => {
  it("adds a generated UNIQ_KEY and CLUSTER after the client's properties", () => {
    const body = Buffer.from('hello');
    const built = buildSingleMessage(header, 1, body, context);
    expect(built.uniqueId).toMatch(/^7F0000020001000000020000000000[0-9A-F]{2}$/);
    expect(built.message).toEqual({
      topic: 'TopicTest',
      queueId: 1,
      body,
      flag: 5,
      properties:
        `KEYS\u0001K1 K2\u0002TAGS\u0001TagA\u0002UNIQ_KEY\u0001${built.uniqueId}` +
        '\u0002CLUSTER\u0001DefaultCluster\u0002',
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      bornHost,
      storeHost,
      reconsumeTimes: 2,
    });
    expect(built.waitStoreMsgOK).toBe(true);
  });

  it("keeps the client's UNIQ_KEY and overrides a client CLUSTER", () => {
    const properties =
      'UNIQ_KEY\u00017F0000010B6A18B4AAC26E5F5B7C0000\u0002CLUSTER\u0001other\u0002WAIT\u0001false\u0002';
    const built = buildSingleMessage({ ...header, properties }, 0, new Uint8Array(0), context);
    expect(built.uniqueId).toBe('7F0000010B6A18B4AAC26E5F5B7C0000');
    expect(built.message.properties).toBe(
      'UNIQ_KEY\u00017F0000010B6A18B4AAC26E5F5B7C0000\u0002CLUSTER\u0001DefaultCluster\u0002WAIT\u0001false\u0002',
    );
    expect(built.waitStoreMsgOK).toBe(false);
  });

  it('generates a UNIQ_KEY for every send without one', () => {
    const first = buildSingleMessage(header, 0, new Uint8Array(0), context).uniqueId;
    const second = buildSingleMessage(header, 0, new Uint8Array(0), context).uniqueId;
    expect(first).not.toBe(second);
  });

  it("sets MULTI_TAGS (0x2) for MULTI_TAG topics and keeps the client's other bits", () => {
    const built = buildSingleMessage({ ...header, sysFlag: 0x1 }, 0, new Uint8Array(0), {
      ...context,
      topicFilterType: 'MULTI_TAG',
    });
    expect(built.message.sysFlag).toBe(0x3);
  });

  it("makes one message per batch member with the batch header's fields and the member's properties", () => {
    const memberProps = (n: number): string => `UNIQ_KEY\u0001ID${n}\u0002`;
    const encoded = Buffer.concat(
      [0, 1].map((n) => {
        const props = Buffer.from(memberProps(n));
        const out = Buffer.alloc(22 + 1 + props.length);
        out.writeInt32BE(out.length, 0);
        out.writeInt32BE(n + 10, 12);
        out.writeInt32BE(1, 16);
        out[20] = 0x61 + n;
        out.writeInt16BE(props.length, 21);
        props.copy(out, 23);
        return out;
      }),
    );
    const batchHeader = { ...header, batch: true, properties: 'UNIQ_KEY\u0001BATCH\u0002WAIT\u0001TRUE\u0002' };
    const built = buildBatchMessages(batchHeader, 3, decodeBatchMessages(encoded), {
      ...context,
      topicFilterType: 'MULTI_TAG',
    });
    expect(built.uniqueId).toBe('BATCH');
    expect(built.waitStoreMsgOK).toBe(true);
    expect(built.messages).toHaveLength(2);
    built.messages.forEach((message, n) => {
      expect([...message.body]).toEqual([0x61 + n]);
      expect({ ...message, body: null }).toEqual({
        topic: 'TopicTest',
        queueId: 3,
        body: null,
        flag: n + 10,
        properties: memberProps(n),
        sysFlag: 0x2,
        bornTimestamp: 1_700_000_000_000,
        bornHost,
        storeHost,
        reconsumeTimes: 2,
      });
      expect(parseMessageProperties(message.properties ?? '').has('CLUSTER')).toBe(false);
    });
  });

  it('leaves the batch transactionId out when the header has no UNIQ_KEY', () => {
    const built = buildBatchMessages({ ...header, properties: '' }, 0, [], context);
    expect('uniqueId' in built).toBe(false);
  });
});
