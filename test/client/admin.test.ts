// Admin against the all-in-one registry and broker: cluster info, topic creation with its queue
// counts and permission visible in the route and the topic list, deletion from broker and name
// server, and a consumer group's progress (GET_CONSUME_STATS) with its lag.

import { describe, expect, it } from 'vitest';
import { isClientError } from '../../ts/client/client-error.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { ResponseCode } from '../../ts/remoting/codes.js';
import {
  type CleanupStep,
  createTopic,
  startAdmin,
  type TestCluster,
  uniqueName,
  useTestCluster,
  waitFor,
} from './client-fixtures.js';

let cluster: TestCluster;
const cleanup: CleanupStep[] = [];
useTestCluster(cleanup, (started) => (cluster = started));

describe('Admin', () => {
  it('reads the cluster: broker-a of DefaultCluster at the broker address', async () => {
    const admin = await startAdmin(cluster, cleanup);
    const info = await admin.clusterInfo();
    expect(info.clusterAddrTable['DefaultCluster']).toEqual(['broker-a']);
    expect(info.brokerAddrTable['broker-a']?.brokerAddrs['0']).toBe(cluster.brokerAddr);
    expect(info.brokerAddrTable['broker-a']?.cluster).toBe('DefaultCluster');
  });

  it('creates a topic on the cluster masters, routes and lists it, and deletes it', async () => {
    const admin = await startAdmin(cluster, cleanup);
    const topic = uniqueName('AdminTopic');
    const written = await admin.createTopic(topic, {
      readQueueNums: 3,
      writeQueueNums: 2,
      perm: 6,
      clusterName: 'DefaultCluster',
    });
    expect(written).toEqual([cluster.brokerAddr]);
    await waitFor('the route', async () => (await admin.topicList()).includes(topic));
    const route = await admin.topicRoute(topic);
    expect(route.queueDatas).toEqual([
      { brokerName: 'broker-a', readQueueNums: 3, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
    ]);
    expect(route.brokerDatas.map((b) => b.brokerAddrs['0'])).toEqual([cluster.brokerAddr]);

    await admin.deleteTopic(topic);
    expect(await admin.topicList()).not.toContain(topic);
    const error: unknown = await admin.topicRoute(topic).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isClientError(error, ResponseCode.TOPIC_NOT_EXIST)).toBe(true);
  });

  it('refuses an illegal topic name on the broker with its code and remark', async () => {
    const admin = await startAdmin(cluster, cleanup);
    const error: unknown = await admin.createTopic('TBW102', { brokerAddr: cluster.brokerAddr }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isClientError(error)).toBe(true);
    expect((error as { remark: string | null }).remark).not.toBeNull();
  });

  it("reports a group's progress per queue: broker offset, committed offset and lag", async () => {
    const admin = await startAdmin(cluster, cleanup);
    const topic = uniqueName('StatsTopic');
    await createTopic(admin, topic, 2);
    const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
    await producer.startup();
    cleanup.push(() => producer.shutdown());
    const group = uniqueName('cg');
    let consumed = 0;
    const consumer = new PushConsumer({
      ...cluster.clientOptions(),
      consumerGroup: group,
      subscriptions: { [topic]: '*' },
      messageListener: {
        consume: () => {
          consumed += 1;
          return ConsumeResult.SUCCESS;
        },
      },
    });
    await consumer.startup();
    for (let i = 0; i < 4; i++)
      await producer.send({ topic, body: `s${i}` }, { messageQueue: { topic, brokerName: 'broker-a', queueId: 0 } });
    await waitFor('consumption', () => consumed === 4);
    await consumer.shutdown();
    for (let i = 0; i < 3; i++)
      await producer.send({ topic, body: `late${i}` }, { messageQueue: { topic, brokerName: 'broker-a', queueId: 1 } });

    const stats = await admin.consumeStats(group, topic);
    expect(stats.queues.map((q) => [q.messageQueue.queueId, q.brokerOffset, q.consumerOffset, q.lag])).toEqual([
      [0, 4, 4, 0],
      [1, 3, 0, 3],
    ]);
    expect(stats.totalLag).toBe(3);
  });
});
