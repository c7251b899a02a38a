// SEND_REPLY_MESSAGE (324, V1 header) and SEND_REPLY_MESSAGE_V2 (325) through the broker's handler table
// on the memory store: Java's answers for a reply without REPLY_TO_CLIENT, to a client the broker does not
// know, and to a producer whose connection is gone (each reply still stored in the reply topic, which the
// broker created at start); the send checks; and the broker serving the next send as usual.

import { describe, expect, it } from 'vitest';
import { encodeMessageProperties } from '../../../ts/protocol/message-properties.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { answer, handlerBroker, recordsIn, sendV2, testConnection } from './handler-fixtures.js';

const REPLY_TOPIC = 'DefaultCluster_REPLY_TOPIC';

function replyProperties(replyTo?: string): string {
  return encodeMessageProperties({
    MSG_TYPE: 'reply',
    CORRELATION_ID: 'corr-1',
    TTL: '3000',
    REPLY_TO_CLIENT: replyTo,
  });
}

/** A SEND_REPLY_MESSAGE_V2 as the Java replier sends it (one-letter keys). */
function replyV2(body: string, replyTo?: string, queueId = 0) {
  const fields = {
    a: 'replier_pg',
    b: REPLY_TOPIC,
    c: 'TBW102',
    d: '4',
    e: String(queueId),
    f: '0',
    g: '1700000000000',
  };
  const rest = { h: '0', i: replyProperties(replyTo), j: '0', k: 'false' };
  return createRequest(RequestCode.SEND_REPLY_MESSAGE_V2, { ...fields, ...rest }, Buffer.from(body));
}

/** A SEND_REPLY_MESSAGE as the Go replier sends it (V1 keys). */
function replyV1(body: string, replyTo?: string) {
  return createRequest(
    RequestCode.SEND_REPLY_MESSAGE,
    {
      producerGroup: 'replier_pg',
      topic: REPLY_TOPIC,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: '4',
      queueId: '0',
      sysFlag: '0',
      bornTimestamp: '1700000000000',
      flag: '0',
      properties: replyProperties(replyTo),
    },
    Buffer.from(body),
  );
}

function producerHeartbeat(clientID: string, group: string) {
  const body = { clientID, producerDataSet: [{ groupName: group }], consumerDataSet: [] };
  return createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)));
}

describe('api: reply handler on the memory store', () => {
  it('has created the reply topic of its cluster (one queue)', () => {
    const broker = handlerBroker();
    expect(broker.meta.topics.get(REPLY_TOPIC)).toMatchObject({ readQueueNums: 1, writeQueueNums: 1 });
  });

  it('answers a reply without REPLY_TO_CLIENT with SYSTEM_ERROR and Java remark, stores it, serves on', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, replyV2('no-address'));
    expect(reply).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'reply message properties[REPLY_TO_CLIENT] is null',
    });
    expect(reply.extFields).toMatchObject({ queueId: '0', queueOffset: '0' });
    expect(recordsIn(broker, REPLY_TOPIC, 0).map((record) => record.body.toString())).toEqual(['no-address']);
    const next = await answer(broker, sendV2('PlainTopic', 0, 'still-served'));
    expect(next.code).toBe(ResponseCode.SUCCESS);
    expect(recordsIn(broker, 'PlainTopic', 0).map((record) => record.body.toString())).toEqual(['still-served']);
  });

  it('answers a reply (V1 header) to a client it does not know with Java remark', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, replyV1('to-nobody', 'requester@gone'));
    expect(reply).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'push reply message fail, channel of <requester@gone> not found.',
    });
    expect(recordsIn(broker, REPLY_TOPIC, 0)).toHaveLength(1);
  });

  it('answers a reply to a producer whose connection is closed with Java remark', async () => {
    const broker = handlerBroker();
    const requester = testConnection('127.0.0.1:60001');
    expect((await answer(broker, producerHeartbeat('requester@1', 'requester_pg'), requester)).code).toBe(
      ResponseCode.SUCCESS,
    );
    const reply = await answer(broker, replyV2('to-closed', 'requester@1'));
    expect(reply).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'push reply message to requester@1fail.' });
    expect(recordsIn(broker, REPLY_TOPIC, 0)).toHaveLength(1);
  });

  it('refuses a queue the reply topic does not have, storing nothing', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, replyV2('bad-queue', 'requester@1', 3));
    expect(reply.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(reply.remark).toContain('request queueId[3] is illegal');
    expect(recordsIn(broker, REPLY_TOPIC, 0)).toHaveLength(0);
  });

  it('answers a reply with a missing header field as SYSTEM_ERROR naming it', async () => {
    const broker = handlerBroker();
    const request = replyV2('x');
    const fields = Object.fromEntries(Object.entries(request.extFields).filter(([name]) => name !== 'b'));
    // The Remoting dispatcher answers a handler's throw with SYSTEM_ERROR and its message.
    await expect(Promise.resolve(broker.call({ ...request, extFields: fields }))).rejects.toThrow(
      'the custom field <b> is null',
    );
  });
});
