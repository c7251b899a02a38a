// The admin requests over real TCP against the assembled broker: topic and consume statistics, the
// runtime table, consumer connections and running info relayed to a client, subscription groups,
// and offset resets pushed to online consumers — with Java's codes and remarks for every refusal.

import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from '../server/broker-fixtures.js';
import { bodyOf, fakeConsumer, until } from './admin-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

async function setup(overrides: Partial<BrokerConfig> = {}) {
  const broker = await startTestBroker(cleanup, overrides);
  const remoting = testClient(cleanup);
  const address = `127.0.0.1:${broker.port}`;
  const invoke = (
    code: number,
    extFields: Record<string, string> = {},
    body: Buffer | null = null,
  ): Promise<RemotingCommand> => remoting.invoke(address, createRequest(code, extFields, body));
  return { broker, remoting, address, invoke };
}

/** Sends `count` messages to queue `queueId` of `topic` (auto-created with 4 queues). */
async function send(
  invoke: (code: number, extFields: Record<string, string>, body: Buffer) => Promise<RemotingCommand>,
  topic: string,
  queueId: number,
  count: number,
) {
  for (let i = 0; i < count; i++) {
    const reply = await invoke(
      RequestCode.SEND_MESSAGE_V2,
      {
        a: 'pg',
        b: topic,
        c: 'TBW102',
        d: '4',
        e: String(queueId),
        f: '0',
        g: String(Date.now()),
        h: '0',
        i: '',
        j: '0',
        k: 'false',
        m: 'false',
      },
      Buffer.from(`m${i}`),
    );
    expect(reply.code).toBe(ResponseCode.SUCCESS);
  }
}

const queueKey = (topic: string, queueId: number) => ({ brokerName: 'broker-a', queueId, topic });

describe('broker: admin statistics', () => {
  it('answers GET_TOPIC_STATS_INFO and GET_TOPIC_CONFIG, or TOPIC_NOT_EXIST with Java remarks', async () => {
    const { invoke } = await setup();
    await send(invoke, 'StatsTopic', 1, 3);
    const stats = await invoke(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'StatsTopic' });
    expect(stats.code).toBe(ResponseCode.SUCCESS);
    const body = bodyOf(stats) as {
      offsetTable: Array<[unknown, { minOffset: number; maxOffset: number; lastUpdateTimestamp: number }]>;
      topicPutTps: number;
    };
    expect(body.offsetTable.map(([mq, offsets]) => [mq, offsets.minOffset, offsets.maxOffset])).toEqual([
      [queueKey('StatsTopic', 0), 0, 0],
      [queueKey('StatsTopic', 1), 0, 3],
      [queueKey('StatsTopic', 2), 0, 0],
      [queueKey('StatsTopic', 3), 0, 0],
    ]);
    expect(body.offsetTable[1]?.[1].lastUpdateTimestamp).toBeGreaterThan(Date.now() - 60_000);
    const config = await invoke(RequestCode.GET_TOPIC_CONFIG, { topic: 'StatsTopic' });
    expect(JSON.parse(config.body?.toString() ?? '')).toMatchObject({
      topicName: 'StatsTopic',
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
    });
    expect(await invoke(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'Nope' })).toMatchObject({
      code: 17,
      remark: 'topic[Nope] not exist',
    });
    expect(await invoke(RequestCode.GET_TOPIC_CONFIG, { topic: 'Nope' })).toMatchObject({
      code: 17,
      remark: 'No topic in this broker. topic: Nope',
    });
  });

  it('answers GET_BROKER_RUNTIME_INFO with the store and stats values', async () => {
    const { broker, invoke } = await setup();
    await send(invoke, 'RuntimeTopic', 0, 2);
    const reply = await invoke(RequestCode.GET_BROKER_RUNTIME_INFO);
    const { table } = bodyOf(reply) as { table: Record<string, string> };
    expect(table).toMatchObject({
      brokerVersionDesc: 'V5_5_0',
      commitLogMinOffset: '0',
      commitLogMaxOffset: String(broker.store.getMaxPhysicalOffset()),
      msgPutTotalTodayNow: '2',
      putMessageTimesTotal: '2',
      brokerActive: 'true',
    });
    expect(Number(table['earliestMessageTimeStamp'])).toBeGreaterThan(Date.now() - 60_000);
    expect(table['putTps']).toMatch(/^[\d.E-]+ [\d.E-]+ [\d.E-]+$/);
    expect(table['scheduleMessageOffset_18']).toBe('0,0');
    expect(Number(table['commitLogDiskRatio'])).toBeGreaterThan(0);
  });

  it('answers GET_CONSUME_STATS with the committed offsets and the diff per queue', async () => {
    const { invoke } = await setup();
    await send(invoke, 'ProgressTopic', 2, 4);
    const commit = await invoke(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'pg1',
      topic: 'ProgressTopic',
      queueId: '2',
      commitOffset: '1',
    });
    expect(commit.code).toBe(ResponseCode.SUCCESS);
    const reply = await invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'pg1' });
    const body = bodyOf(reply) as { consumeTps: number; offsetTable: Array<[unknown, Record<string, number>]> };
    expect(body.offsetTable).toHaveLength(4);
    expect(body.offsetTable[2]).toEqual([
      queueKey('ProgressTopic', 2),
      { brokerOffset: 4, consumerOffset: 1, lastTimestamp: expect.any(Number) as number, pullOffset: 1 },
    ]);
    expect(body.offsetTable[2]?.[1]['lastTimestamp']).toBeGreaterThan(0);
    // A group with no offsets and nobody online: an empty table, as Java answers.
    const none = bodyOf(await invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'nobody' }));
    expect(none).toEqual({ consumeTps: 0, offsetTable: {} });
  });
});

describe('broker: consumer administration', () => {
  it('lists a group online or answers CONSUMER_NOT_ONLINE', async () => {
    const { remoting, address, invoke } = await setup();
    expect(await invoke(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'cg' })).toMatchObject({
      code: ResponseCode.CONSUMER_NOT_ONLINE,
      remark: 'the consumer group[cg] not online',
    });
    await fakeConsumer(remoting, address, 'cg', ['T', '%RETRY%cg']);
    const reply = await invoke(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'cg' });
    expect(bodyOf(reply)).toMatchObject({
      connectionSet: [{ clientId: '127.0.0.1@fake', language: 'JAVA', version: 513 }],
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      subscriptionTable: { T: { subString: '*', topic: 'T' } },
    });
    const byWho = await invoke(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic: 'T' });
    expect(bodyOf(byWho)).toEqual({ groupList: ['cg'] });
  });

  it('relays GET_CONSUMER_RUNNING_INFO to the client and its answer back', async () => {
    const { remoting, address, invoke } = await setup();
    expect(
      await invoke(RequestCode.GET_CONSUMER_RUNNING_INFO, {
        consumerGroup: 'cg',
        clientId: '127.0.0.1@fake',
        jstackEnable: 'false',
      }),
    ).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'The Consumer <cg> <127.0.0.1@fake> not online',
    });
    const received = await fakeConsumer(remoting, address, 'cg', ['T']);
    const reply = await invoke(RequestCode.GET_CONSUMER_RUNNING_INFO, {
      consumerGroup: 'cg',
      clientId: '127.0.0.1@fake',
      jstackEnable: 'false',
    });
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.extFields['answeredBy']).toBe('127.0.0.1@fake');
    expect(reply.body?.toString()).toBe('{"properties":{},"mqTable":{}}');
    expect(received[0]?.extFields).toMatchObject({
      consumerGroup: 'cg',
      clientId: '127.0.0.1@fake',
      jstackEnable: 'false',
    });
  });
});

describe('broker: subscription group administration', () => {
  const groupBody = (name: string, extra: Record<string, unknown> = {}) =>
    Buffer.from(JSON.stringify({ groupName: name, retryMaxTimes: 3, ...extra }));

  it('creates, lists (paged, with totalGroupNum) and deletes a group with its offsets', async () => {
    const { broker, invoke } = await setup();
    expect((await invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, groupBody('admin_g'))).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect(broker.groups.get('admin_g')?.retryMaxTimes).toBe(3);
    const all = await invoke(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
    const wrapper = bodyOf(all) as {
      subscriptionGroupTable: Record<string, { retryMaxTimes: number }>;
      dataVersion: unknown;
    };
    expect(wrapper.subscriptionGroupTable['admin_g']?.retryMaxTimes).toBe(3);
    expect(all.extFields['totalGroupNum']).toBe(String(Object.keys(wrapper.subscriptionGroupTable).length));
    const page = await invoke(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, {
      groupSeq: '0',
      maxGroupNum: '2',
      dataVersion: '',
    });
    expect(Object.keys((bodyOf(page) as { subscriptionGroupTable: object }).subscriptionGroupTable)).toHaveLength(2);

    await invoke(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'admin_g',
      topic: 'T',
      queueId: '0',
      commitOffset: '5',
    });
    expect(
      (await invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: 'admin_g', cleanOffset: 'true' })).code,
    ).toBe(ResponseCode.SUCCESS);
    expect(broker.groups.get('admin_g')).toBeUndefined();
    expect(broker.offsets.queryOffset('admin_g', 'T', 0)).toBe(-1);
    // Deleting a group that is not there succeeds, as in Java.
    expect((await invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: 'admin_g' })).code).toBe(
      ResponseCode.SUCCESS,
    );
  });

  it('creates a list of groups, and refuses bad names and attributes', async () => {
    const { broker, invoke } = await setup();
    const list = Buffer.from(JSON.stringify({ groupConfigList: [{ groupName: 'l1' }, { groupName: 'l2' }] }));
    expect((await invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, {}, list)).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect(broker.groups.has('l1') && broker.groups.has('l2')).toBe(true);
    expect(await invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, groupBody('bad group'))).toMatchObject({
      code: ResponseCode.INVALID_PARAMETER,
      remark: 'The specified group: bad group, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$',
    });
    const withAttribute = await invoke(
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      {},
      groupBody('g3', { attributes: { '+foo': 'bar' } }),
    );
    expect(withAttribute.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(withAttribute.remark).toContain('unsupported key: foo');
    expect(broker.groups.has('g3')).toBe(false);
  });
});

describe('broker: offset reset', () => {
  const reset = (fields: Record<string, string>) => ({
    topic: 'ResetTopic',
    group: 'rg',
    timestamp: '0',
    isForce: 'true',
    offset: '-1',
    ...fields,
  });

  it('(server side, the default) commits the offsets at the timestamp and pushes them to online clients', async () => {
    const { broker, remoting, address, invoke } = await setup();
    await send(invoke, 'ResetTopic', 0, 3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send(invoke, 'ResetTopic', 0, 2);
    expect(await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({}))).toMatchObject({
      code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      remark: 'Group rg does not exist',
    });
    expect(await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({ topic: 'Nope' }))).toMatchObject({
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark: 'Topic Nope does not exist',
    });
    const received = await fakeConsumer(remoting, address, 'rg', ['ResetTopic']);
    const reply = await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({ timestamp: String(before) }));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(bodyOf(reply)).toEqual({
      offsetTable: [0, 1, 2, 3].map((q) => [queueKey('ResetTopic', q), q === 0 ? 3 : 0]),
    });
    expect(broker.offsets.queryOffset('rg', 'ResetTopic', 0)).toBe(3);
    await until(() => received.length > 0);
    expect(received[0]?.code).toBe(RequestCode.RESET_CONSUMER_CLIENT_OFFSET);
    expect(received[0]?.extFields).toMatchObject({
      topic: 'ResetTopic',
      group: 'rg',
      timestamp: String(before),
      isForce: 'false',
    });
    expect(bodyOf(received[0]!)).toEqual(bodyOf(reply));
    // One queue to an offset, in range…
    const one = await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({ queueId: '0', offset: '1' }));
    expect(bodyOf(one)).toEqual({ offsetTable: [[queueKey('ResetTopic', 0), 1]] });
    expect(broker.offsets.queryOffset('rg', 'ResetTopic', 0)).toBe(1);
    // …or refused.
    expect(await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({ queueId: '0', offset: '9' }))).toMatchObject(
      {
        code: ResponseCode.SYSTEM_ERROR,
        remark: 'Target offset 9 not in consume queue range [0-5]',
      },
    );
  });

  it('(client side, useServerSideResetOffset=false) needs the group online, pushes; the group commits', async () => {
    const { broker, remoting, address, invoke } = await setup({ useServerSideResetOffset: false });
    await send(invoke, 'ResetTopic', 1, 2);
    for (const queueId of [0, 1, 2, 3]) {
      await invoke(RequestCode.UPDATE_CONSUMER_OFFSET, {
        consumerGroup: 'rg',
        topic: 'ResetTopic',
        queueId: String(queueId),
        commitOffset: queueId === 1 ? '2' : '0',
      });
    }
    expect(await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({}))).toMatchObject({
      code: ResponseCode.CONSUMER_NOT_ONLINE,
      remark: 'Consumer not online, so can not reset offset, Group: rg Topic: ResetTopic Timestamp: 0',
    });
    const received = await fakeConsumer(remoting, address, 'rg', ['ResetTopic']);
    const reply = await invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, reset({}));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(bodyOf(reply)).toEqual({ offsetTable: [0, 1, 2, 3].map((q) => [queueKey('ResetTopic', q), 0]) });
    await until(() => received.length > 0);
    expect(bodyOf(received[0]!)).toEqual(bodyOf(reply));
    expect(broker.offsets.queryOffset('rg', 'ResetTopic', 1)).toBe(2);
  });
});
