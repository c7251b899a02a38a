// Heartbeats, consumer lists, consumer offsets and orderly queue locks through their handlers over
// ClientService and OffsetService on the memory store and the fake clock. No TCP, no sleeps.

import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { answer, handlerBroker, sendV2, testConnection } from './handler-fixtures.js';

function heartbeat(clientID: string, group: string) {
  const body = {
    clientID,
    producerDataSet: [],
    consumerDataSet: [
      {
        groupName: group,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
        subscriptionDataSet: [
          { topic: 'T', subString: '*', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG' },
        ],
        unitMode: false,
      },
    ],
  };
  return createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)));
}

const consumerList = (group: string) => createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group });

describe('api: client handlers on the memory store', () => {
  it('registers heartbeats, lists the group, tells the others when one leaves', async () => {
    const broker = handlerBroker();
    const first = testConnection('127.0.0.1:60001');
    const second = testConnection('127.0.0.1:60002');
    expect((await answer(broker, heartbeat('c1', 'cg'), first)).code).toBe(ResponseCode.SUCCESS);
    expect((await answer(broker, heartbeat('c2', 'cg'), second)).code).toBe(ResponseCode.SUCCESS);
    const listed = await answer(broker, consumerList('cg'));
    expect(JSON.parse(listed.body?.toString() ?? '{}')).toEqual({ consumerIdList: ['c1', 'c2'] });
    expect(broker.meta.topics.get('%RETRY%cg')).toBeDefined();
    const unregister = createRequest(RequestCode.UNREGISTER_CLIENT, { clientID: 'c2', consumerGroup: 'cg' });
    expect((await answer(broker, unregister, second)).code).toBe(ResponseCode.SUCCESS);
    expect(first.oneway.map((request) => [request.code, request.extFields['consumerGroup']])).toContainEqual([
      RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
      'cg',
    ]);
    expect(await answer(broker, consumerList('nobody'))).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'no consumer for this group, nobody',
    });
  });

  it('commits and queries consumer offsets; a missing one is 0 on a young queue or QUERY_NOT_FOUND', async () => {
    const broker = handlerBroker();
    await answer(broker, sendV2('OffsetTopic', 0, 'x'));
    const fields = { consumerGroup: 'cg', topic: 'OffsetTopic', queueId: '0' };
    const query = (extra: Record<string, string> = {}) =>
      createRequest(RequestCode.QUERY_CONSUMER_OFFSET, { ...fields, ...extra });
    expect((await answer(broker, query())).extFields['offset']).toBe('0');
    expect(await answer(broker, query({ setZeroIfNotFound: 'false' }))).toMatchObject({
      code: ResponseCode.QUERY_NOT_FOUND,
      remark: 'Not found, do not set to zero, maybe this group boot first',
    });
    const update = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { ...fields, commitOffset: '1' });
    expect((await answer(broker, update)).code).toBe(ResponseCode.SUCCESS);
    expect((await answer(broker, query())).extFields['offset']).toBe('1');
    const maxOffset = createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'OffsetTopic', queueId: '0' });
    expect((await answer(broker, maxOffset)).extFields['offset']).toBe('1');
  });

  it('locks queues for one client until it unlocks them or the lock expires', async () => {
    const broker = handlerBroker();
    const mq = { topic: 'T', brokerName: 'broker-a', queueId: 0 };
    const body = (clientId: string) => Buffer.from(JSON.stringify({ consumerGroup: 'cg', clientId, mqSet: [mq] }));
    const locked = async (clientId: string): Promise<unknown> => {
      const reply = await answer(broker, createRequest(RequestCode.LOCK_BATCH_MQ, {}, body(clientId)));
      return JSON.parse(reply.body?.toString() ?? '{}');
    };
    expect(await locked('c1')).toEqual({ lockOKMQSet: [mq] });
    expect(await locked('c2')).toEqual({ lockOKMQSet: [] });
    const unlock = createRequest(RequestCode.UNLOCK_BATCH_MQ, {}, body('c1'));
    expect((await answer(broker, unlock)).code).toBe(ResponseCode.SUCCESS);
    expect(await locked('c2')).toEqual({ lockOKMQSet: [mq] });
    broker.clock.advance(60_001);
    expect(await locked('c1')).toEqual({ lockOKMQSet: [mq] });
  });
});
