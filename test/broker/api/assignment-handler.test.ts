// SET_MESSAGE_REQUEST_MODE (401), GET_ALL_MESSAGE_REQUEST_MODE (402) and QUERY_ASSIGNMENT (400) through
// their handler over AssignmentService on the memory store: Apache's codes and remarks, the persisted
// document, and the assignment a Java push consumer with clientRebalance=false gets.

import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { MessageRequestModeManager } from '../../../ts/broker/domain/meta/message-request-mode-manager.js';
import { answer, handlerBroker, testConnection } from './handler-fixtures.js';

const setMode = (body: object | string) =>
  createRequest(
    RequestCode.SET_MESSAGE_REQUEST_MODE,
    {},
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  );
const getAll = () => createRequest(RequestCode.GET_ALL_MESSAGE_REQUEST_MODE, {});
const query = (clientId: string, topic = 'PopTopic') =>
  createRequest(
    RequestCode.QUERY_ASSIGNMENT,
    {},
    Buffer.from(
      JSON.stringify({ topic, consumerGroup: 'pg', clientId, strategyName: 'AVG', messageModel: 'CLUSTERING' }),
    ),
  );

function heartbeat(clientID: string) {
  const subscription = { topic: 'PopTopic', subString: '*', tagsSet: [], codeSet: [], subVersion: 1 };
  const consumer = {
    groupName: 'pg',
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    subscriptionDataSet: [{ ...subscription, expressionType: 'TAG' }],
    unitMode: false,
  };
  const body = { clientID, producerDataSet: [], consumerDataSet: [consumer] };
  return createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)));
}

function brokerWithTopic() {
  const broker = handlerBroker();
  broker.meta.topics.createOrUpdate({
    topicName: 'PopTopic',
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    attributes: {},
  });
  return broker;
}

const assignedQueueIds = (body: Buffer | null): number[] =>
  (
    JSON.parse(body?.toString() ?? '{}') as { messageQueueAssignments: { messageQueue: { queueId: number } }[] }
  ).messageQueueAssignments
    .map((a) => a.messageQueue.queueId)
    .sort();

describe('api: request modes and QUERY_ASSIGNMENT', () => {
  it('sets a POP mode, lists it, and keeps it in messageRequestMode.json', async () => {
    const broker = brokerWithTopic();
    const entry = { topic: 'PopTopic', consumerGroup: 'pg', mode: 'POP', popShareQueueNum: 0 };
    expect((await answer(broker, setMode(entry))).code).toBe(ResponseCode.SUCCESS);
    const listed = await answer(broker, getAll());
    expect(listed.code).toBe(ResponseCode.SUCCESS);
    expect(JSON.parse(listed.body?.toString() ?? '')).toEqual({ messageRequestModeMap: { PopTopic: { pg: entry } } });

    const file = new MemoryMetaConfigStore();
    new MessageRequestModeManager(file).set({ ...entry, mode: 'POP' });
    expect(new MessageRequestModeManager(file).get('PopTopic', 'pg')).toEqual(entry);
  });

  it("refuses a retry topic, an unknown topic, an unknown group (no auto-create) with Apache's codes", async () => {
    const broker = brokerWithTopic();
    const entry = { topic: '%RETRY%pg', consumerGroup: 'pg', mode: 'POP' };
    expect(await answer(broker, setMode(entry))).toMatchObject({
      code: ResponseCode.NO_PERMISSION,
      remark: 'retry topic is not allowed to set mode',
    });
    expect(await answer(broker, setMode({ ...entry, topic: 'Nope' }))).toMatchObject({
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark: 'topic[Nope] not exist',
    });
    const strict = handlerBroker({ autoCreateSubscriptionGroup: false });
    strict.meta.topics.createOrUpdate({ ...broker.meta.topics.get('PopTopic')! });
    expect(await answer(strict, setMode({ ...entry, topic: 'PopTopic', consumerGroup: 'unknown' }))).toMatchObject({
      code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      remark: 'subscription group does not exist',
    });
    expect(() => broker.call(setMode('not json'))).toThrow();
    expect(() => broker.call(setMode({ topic: 'PopTopic', consumerGroup: 'pg', mode: 'PUSH' }))).toThrow();
  });

  it('assigns queues by AVG in PULL mode and every queue as -1 in POP mode', async () => {
    const broker = brokerWithTopic();
    await answer(broker, heartbeat('c1'), testConnection('127.0.0.1:60001'));
    await answer(broker, heartbeat('c2'), testConnection('127.0.0.1:60002'));
    const pulled = await answer(broker, query('c2'));
    expect(pulled.code).toBe(ResponseCode.SUCCESS);
    expect(assignedQueueIds(pulled.body)).toEqual([2, 3]);
    await answer(broker, setMode({ topic: 'PopTopic', consumerGroup: 'pg', mode: 'POP', popShareQueueNum: 0 }));
    const popped = await answer(broker, query('c2'));
    expect(JSON.parse(popped.body?.toString() ?? '')).toEqual({
      messageQueueAssignments: [
        { messageQueue: { brokerName: 'broker-a', queueId: -1, topic: 'PopTopic' }, mode: 'POP' },
      ],
    });
  });

  it('answers an empty body (no valid result) for an unknown topic', async () => {
    const broker = brokerWithTopic();
    await answer(broker, heartbeat('c1'));
    const reply = await answer(broker, query('c1', 'Unknown'));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.body?.toString()).toBe('{}');
  });
});
