// ReplyService on the memory store and a fake clock: a reply goes to the connection of the producer
// client REPLY_TO_CLIENT names (with PUSH_REPLY_TIME) and is stored in the reply topic as sent; a reply
// without REPLY_TO_CLIENT, to a client that is gone, or that the client does not take, is still stored
// and answered with Java's remark; storeReplyMessageEnable=false keeps nothing; the send checks apply.

import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../../ts/broker/domain/broker-error.js';
import { ProducerManager } from '../../../ts/broker/domain/client/producer-manager.js';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { ReplyService, type ReplyDelivery } from '../../../ts/broker/services/reply-service.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { socketAddress } from '../../../ts/common/socket-address.js';
import { encodeMessageProperties, parseMessageProperties } from '../../../ts/protocol/message-properties.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import type { ReplyMessageRequestHeader } from '../../../ts/protocol/reply-message-header.js';
import type { SendMessageRequestHeader } from '../../../ts/protocol/send-request-header.js';
import { MemoryMessageStore } from '../../../ts/store/memory-message-store.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

const REPLY_TOPIC = 'DefaultCluster_REPLY_TOPIC';
const REPLIER = '127.0.0.1:50002';
const REQUESTER_CONNECTION = '127.0.0.1:60001';

function replyHeader(properties: Record<string, string>, overrides: Partial<SendMessageRequestHeader> = {}) {
  const header: SendMessageRequestHeader = {
    producerGroup: 'replier_pg',
    topic: REPLY_TOPIC,
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: 4,
    queueId: 0,
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_123,
    flag: 0,
    properties: encodeMessageProperties(properties),
    reconsumeTimes: 0,
    unitMode: false,
    batch: false,
    ...overrides,
  };
  return header;
}

const REQUEST_PROPERTIES = {
  MSG_TYPE: 'reply',
  CORRELATION_ID: 'corr-1',
  REPLY_TO_CLIENT: 'requester@1',
  TTL: '3000',
  UNIQ_KEY: 'ABC',
};

function replies(options: { storeReplyMessageEnable?: boolean } = {}) {
  const clock = new FakeScheduler();
  const store = new MemoryMessageStore({ now: () => clock.now() });
  const producers = new ProducerManager();
  const woken: Array<[string, number]> = [];
  const topic = newTopicConfig(REPLY_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
  const service = new ReplyService(
    {
      sends: { topicFor: () => topic },
      producers,
      append: (messages) => Promise.resolve(store.append(messages)),
      onStored: (name, queueId) => void woken.push([name, queueId]),
      storeHost: () => socketAddress('127.0.0.1', 10911),
      nowMs: () => clock.now(),
      random: () => 0,
      logger: createMemoryLogger(),
    },
    { storeReplyMessageEnable: options.storeReplyMessageEnable ?? true, maxMessageSizeBytes: 1024 },
  );
  const delivered: Array<{ connectionId: string; header: ReplyMessageRequestHeader; body: string }> = [];
  const deliver =
    (answer: boolean | Error = true): ReplyDelivery =>
    (connectionId, header, body) => {
      delivered.push({ connectionId, header, body: body.toString() });
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    };
  const register = (clientId = 'requester@1', group = 'requester_pg', lastUpdateMs = 0) =>
    producers.registerProducer(group, {
      connectionId: REQUESTER_CONNECTION,
      clientId,
      language: 'JAVA',
      version: 479,
      lastUpdateMs,
    });
  const stored = () => decodeStoredRecords(store.getMessages(REPLY_TOPIC, 0, 0, 100).buffer);
  return { clock, service, deliver, delivered, register, stored, woken, producers };
}

describe('services: replies of request-reply', () => {
  it('pushes the reply to the requester with PUSH_REPLY_TIME and stores it as sent', async () => {
    const t = replies();
    t.register();
    const result = await t.service.reply(replyHeader(REQUEST_PROPERTIES), Buffer.from('pong'), REPLIER, t.deliver());
    expect(result).toMatchObject({ delivered: true, failure: '', queueId: 0 });
    expect(result.stored?.queueOffset).toBe(0);
    expect(t.delivered).toHaveLength(1);
    const pushed = t.delivered[0];
    expect(pushed?.connectionId).toBe(REQUESTER_CONNECTION);
    expect(pushed?.body).toBe('pong');
    expect(pushed?.header).toMatchObject({
      topic: REPLY_TOPIC,
      producerGroup: 'replier_pg',
      queueId: 0,
      bornHost: REPLIER,
      storeHost: '127.0.0.1:10911',
      storeTimestamp: t.clock.now(),
      bornTimestamp: 1_700_000_000_123,
    });
    const pushedProperties = parseMessageProperties(pushed?.header.properties ?? '');
    expect(pushedProperties.get('PUSH_REPLY_TIME')).toBe(String(t.clock.now()));
    expect(pushedProperties.get('CORRELATION_ID')).toBe('corr-1');
    const [record] = t.stored();
    expect(record?.body.toString()).toBe('pong');
    expect(record?.properties.get('CORRELATION_ID')).toBe('corr-1');
    expect(record?.properties.has('PUSH_REPLY_TIME')).toBe(false);
    expect(t.woken).toEqual([[REPLY_TOPIC, 0]]);
  });

  it('answers a reply without REPLY_TO_CLIENT with Java remark, pushes nothing and still stores it', async () => {
    const t = replies();
    t.register();
    const properties = Object.fromEntries(
      Object.entries(REQUEST_PROPERTIES).filter(([name]) => name !== 'REPLY_TO_CLIENT'),
    );
    const result = await t.service.reply(replyHeader(properties), Buffer.from('pong'), REPLIER, t.deliver());
    expect(result).toMatchObject({ delivered: false, failure: 'reply message properties[REPLY_TO_CLIENT] is null' });
    expect(t.delivered).toHaveLength(0);
    expect(t.stored()).toHaveLength(1);
  });

  it('answers a reply to a requester that is gone with Java remark and still stores it', async () => {
    const t = replies();
    const result = await t.service.reply(replyHeader(REQUEST_PROPERTIES), Buffer.from('pong'), REPLIER, t.deliver());
    expect(result).toMatchObject({
      delivered: false,
      failure: 'push reply message fail, channel of <requester@1> not found.',
    });
    expect(t.delivered).toHaveLength(0);
    expect(t.stored()).toHaveLength(1);
  });

  it('answers a reply the requester refused or never answered with Java remark', async () => {
    const t = replies();
    t.register();
    const header = replyHeader(REQUEST_PROPERTIES);
    const refused = await t.service.reply(header, Buffer.from('a'), REPLIER, t.deliver(false));
    const failed = await t.service.reply(header, Buffer.from('b'), REPLIER, t.deliver(new Error('closed')));
    for (const result of [refused, failed]) {
      expect(result).toMatchObject({ delivered: false, failure: 'push reply message to requester@1fail.' });
    }
    expect(t.delivered).toHaveLength(2);
    expect(t.stored().map((record) => record.body.toString())).toEqual(['a', 'b']);
  });

  it('keeps nothing with storeReplyMessageEnable=false', async () => {
    const t = replies({ storeReplyMessageEnable: false });
    t.register();
    const result = await t.service.reply(replyHeader(REQUEST_PROPERTIES), Buffer.from('pong'), REPLIER, t.deliver());
    expect(result).toMatchObject({ delivered: true, stored: null });
    expect(t.stored()).toHaveLength(0);
    expect(t.woken).toEqual([]);
  });

  it('refuses an empty body, an oversized body and a queue the topic does not have', async () => {
    const t = replies();
    t.register();
    const header = replyHeader(REQUEST_PROPERTIES);
    const refusals = [
      t.service.reply(header, null, REPLIER, t.deliver()),
      t.service.reply(header, Buffer.alloc(2048), REPLIER, t.deliver()),
      t.service.reply({ ...header, queueId: 5 }, Buffer.from('x'), REPLIER, t.deliver()),
    ];
    const codes = await Promise.all(
      refusals.map((refusal) =>
        refusal.then(
          () => null,
          (error: BrokerError) => error,
        ),
      ),
    );
    expect(codes.map((error) => error?.code)).toEqual(['MESSAGE_ILLEGAL', 'MESSAGE_ILLEGAL', 'INVALID_PARAMETER']);
    expect(codes.every((error) => error instanceof BrokerError)).toBe(true);
    expect(t.delivered).toHaveLength(0);
    expect(t.stored()).toHaveLength(0);
  });

  it('finds the requester in whichever producer group it heartbeated, the freshest channel first', () => {
    const t = replies();
    t.register('requester@1', 'pg-a', 100);
    t.producers.registerProducer('pg-b', {
      connectionId: '127.0.0.1:60009',
      clientId: 'requester@1',
      language: 'GO',
      version: 317,
      lastUpdateMs: 200,
    });
    expect(t.producers.findChannel('requester@1')?.connectionId).toBe('127.0.0.1:60009');
    t.producers.onConnectionClosed('127.0.0.1:60009');
    expect(t.producers.findChannel('requester@1')?.connectionId).toBe(REQUESTER_CONNECTION);
    expect(t.producers.findChannel('someone-else')).toBeUndefined();
  });
});
