// The broker assembled and over real TCP with a registry: it registers (its topics get routes),
// takes heartbeats (consumer lists, NOTIFY_CONSUMER_IDS_CHANGED to the group when a member
// leaves), stores consumer offsets, and unregisters when it stops.

import { afterEach, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { startTestRegistry } from '../../registry/registry-fixtures.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

const startBroker = (namesrvAddr: string) => startTestBroker(cleanup, { namesrvAddr });
const client = () => testClient(cleanup);

function heartbeat(clientId: string, group: string): RemotingCommand {
  const body = {
    clientID: clientId,
    producerDataSet: [],
    consumerDataSet: [
      {
        groupName: group,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
        subscriptionDataSet: [
          {
            topic: 'TopicA',
            subString: '*',
            tagsSet: [],
            codeSet: [],
            subVersion: 1,
            expressionType: 'TAG',
            classFilterMode: false,
          },
        ],
        unitMode: false,
      },
    ],
  };
  return createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)));
}

describe('broker over TCP', () => {
  it('registers with the registry and unregisters when it stops', async () => {
    const { registry, address } = await startTestRegistry();
    cleanup.push(() => registry.stop());
    const broker = await startBroker(address);
    const probe = client();
    const route = await probe.invoke(address, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TBW102' }));
    expect(route.code).toBe(ResponseCode.SUCCESS);
    const data = JSON.parse(route.body?.toString() ?? '') as {
      brokerDatas: Array<{ brokerAddrs: Record<string, string> }>;
    };
    expect(data.brokerDatas[0]?.brokerAddrs).toEqual({ 0: broker.brokerAddr });
    await broker.stop();
    const after = await probe.invoke(address, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TBW102' }));
    expect(after.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('tracks consumer groups from heartbeats and tells the group when a member leaves', async () => {
    const broker = await startBroker('');
    const address = `127.0.0.1:${broker.port}`;
    const [first, second] = [client(), client()];
    const notified: string[] = [];
    first.registerProcessor([RequestCode.NOTIFY_CONSUMER_IDS_CHANGED], (request) => {
      notified.push(request.extFields['consumerGroup'] ?? '');
      return null;
    });
    expect((await first.invoke(address, heartbeat('c1', 'cg'))).code).toBe(ResponseCode.SUCCESS);
    expect((await second.invoke(address, heartbeat('c2', 'cg'))).code).toBe(ResponseCode.SUCCESS);
    const list = await first.invoke(
      address,
      createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'cg' }),
    );
    expect(JSON.parse(list.body?.toString() ?? '')).toEqual({ consumerIdList: ['c1', 'c2'] });
    expect(broker.topics.get('%RETRY%cg')?.writeQueueNums).toBe(1);
    await second.close();
    const deadline = Date.now() + 5000;
    while (!notified.includes('cg') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(notified).toContain('cg');
    const after = await first.invoke(
      address,
      createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'cg' }),
    );
    expect(JSON.parse(after.body?.toString() ?? '')).toEqual({ consumerIdList: ['c1'] });
    const empty = await first.invoke(
      address,
      createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'none' }),
    );
    expect(empty.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('stores consumer offsets and answers queue offsets', async () => {
    const broker = await startBroker('');
    const address = `127.0.0.1:${broker.port}`;
    const remoting = client();
    const key = { consumerGroup: 'cg', topic: 'TopicA', queueId: '1' };
    const fresh = await remoting.invoke(address, createRequest(RequestCode.QUERY_CONSUMER_OFFSET, key));
    expect(fresh.extFields['offset']).toBe('0');
    const strict = await remoting.invoke(
      address,
      createRequest(RequestCode.QUERY_CONSUMER_OFFSET, { ...key, setZeroIfNotFound: 'false' }),
    );
    expect(strict.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    await remoting.invoke(address, createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { ...key, commitOffset: '42' }));
    const committed = await remoting.invoke(address, createRequest(RequestCode.QUERY_CONSUMER_OFFSET, key));
    expect(committed.extFields['offset']).toBe('42');
    const max = await remoting.invoke(
      address,
      createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'TopicA', queueId: '1' }),
    );
    expect(max).toMatchObject({ code: ResponseCode.SUCCESS, extFields: { offset: '0' } });
  });
});

describe('broker over TCP: topic administration and queue locks', () => {
  it('creates, lists and deletes a topic, and the registry follows', async () => {
    const { registry, address: registryAddress } = await startTestRegistry();
    cleanup.push(() => registry.stop());
    const broker = await startBroker(registryAddress);
    const address = `127.0.0.1:${broker.port}`;
    const remoting = client();
    const create = createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: 'OrderTopic',
      defaultTopic: 'TBW102',
      readQueueNums: '2',
      writeQueueNums: '2',
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: '0',
      order: 'false',
    });
    expect((await remoting.invoke(address, create)).code).toBe(ResponseCode.SUCCESS);
    const all = await remoting.invoke(address, createRequest(RequestCode.GET_ALL_TOPIC_CONFIG));
    const table = (
      JSON.parse(all.body?.toString() ?? '') as { topicConfigTable: Record<string, { writeQueueNums: number }> }
    ).topicConfigTable;
    expect(table['OrderTopic']?.writeQueueNums).toBe(2);
    const routeCode = async () =>
      (
        await remoting.invoke(
          registryAddress,
          createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'OrderTopic' }),
        )
      ).code;
    const deadline = Date.now() + 5000;
    while ((await routeCode()) !== ResponseCode.SUCCESS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await routeCode()).toBe(ResponseCode.SUCCESS);

    const illegal = await remoting.invoke(address, {
      ...create,
      extFields: { ...create.extFields, topic: 'bad topic!' },
    });
    expect(illegal.code).toBe(ResponseCode.INVALID_PARAMETER);

    // As in RocketMQ, deleting a topic is two calls (mqadmin deleteTopic): the broker forgets it,
    // the registry keeps the route until DELETE_TOPIC_IN_NAMESRV.
    await remoting.invoke(address, createRequest(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'OrderTopic' }));
    expect(broker.topics.get('OrderTopic')).toBeUndefined();
    await remoting.invoke(registryAddress, createRequest(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'OrderTopic' }));
    expect(await routeCode()).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('locks each queue for one client of a group', async () => {
    const broker = await startBroker('');
    const address = `127.0.0.1:${broker.port}`;
    const remoting = client();
    const mq = (queueId: number) => ({ topic: 'TopicA', brokerName: 'broker-a', queueId });
    const lock = (clientId: string, queues: number[]) =>
      createRequest(
        RequestCode.LOCK_BATCH_MQ,
        {},
        Buffer.from(JSON.stringify({ consumerGroup: 'cg', clientId, onlyThisBroker: false, mqSet: queues.map(mq) })),
      );
    const locked = (reply: RemotingCommand) =>
      (JSON.parse(reply.body?.toString() ?? '') as { lockOKMQSet: unknown[] }).lockOKMQSet;
    expect(locked(await remoting.invoke(address, lock('c1', [0, 1])))).toEqual([mq(0), mq(1)]);
    expect(locked(await remoting.invoke(address, lock('c2', [1, 2])))).toEqual([mq(2)]);
    const unlock = createRequest(
      RequestCode.UNLOCK_BATCH_MQ,
      {},
      Buffer.from(JSON.stringify({ consumerGroup: 'cg', clientId: 'c1', mqSet: [mq(1)] })),
    );
    expect((await remoting.invoke(address, unlock)).code).toBe(ResponseCode.SUCCESS);
    expect(locked(await remoting.invoke(address, lock('c2', [1])))).toEqual([mq(1)]);
  });
});
