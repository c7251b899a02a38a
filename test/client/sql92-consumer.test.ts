// SQL92 subscriptions of the client SDK (MessageSelector.bySql) against the all-in-one broker, and
// with CLIENT_TEST_TARGET=apache against Apache RocketMQ 5.5.0 (both with enablePropertyFilter=true):
// a PushConsumer receives exactly the matching messages, a PullConsumer's pull returns only them and
// moves past the rest, and a malformed expression fails startup with SUBSCRIPTION_PARSE_FAILED (23).

import { describe, expect, it } from 'vitest';
import { ClientError } from '../../ts/client/client-error.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { MessageSelector } from '../../ts/client/consumer/filter-expression.js';
import { PullConsumer } from '../../ts/client/consumer/pull-consumer.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import type { MessageQueue } from '../../ts/client/message-queue.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
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

/** A one-queue topic with `count` messages: body s<i>, properties a=i and color red|blue, tag TagA|TagB. */
async function numberedTopic(count: number): Promise<string> {
  const topic = uniqueName('SqlTopic');
  await createTopic(await startAdmin(cluster, cleanup), topic, 1);
  const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  for (let i = 0; i < count; i++) {
    const color = i % 2 === 0 ? 'red' : 'blue';
    await producer.send({
      topic,
      body: `s${i}`,
      tag: i % 2 === 0 ? 'TagA' : 'TagB',
      properties: { a: String(i), color },
    });
  }
  return topic;
}

function pushConsumer(topic: string, sql: string, received: MessageView[]): PushConsumer {
  const consumer = new PushConsumer({
    ...cluster.clientOptions(),
    consumerGroup: uniqueName('cg'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    subscriptions: { [topic]: MessageSelector.bySql(sql) },
    messageListener: {
      consume: (message) => {
        received.push(message);
        return ConsumeResult.SUCCESS;
      },
    },
  });
  cleanup.push(() => consumer.shutdown());
  return consumer;
}

describe('SQL92 subscriptions', () => {
  it('delivers exactly the matching messages to a PushConsumer', async () => {
    const topic = await numberedTopic(10);
    const received: MessageView[] = [];
    await pushConsumer(topic, "a >= 4 AND color = 'red' OR TAGS = 'TagB' AND a < 2", received).startup();
    await waitFor('the matching messages', () => received.length >= 4, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.map((m) => m.body.toString()).sort()).toEqual(['s1', 's4', 's6', 's8']);
  });

  it("returns only the matching messages to a PullConsumer's pull and moves past the others", async () => {
    const topic = await numberedTopic(6);
    const consumer = new PullConsumer({ ...cluster.clientOptions(), consumerGroup: uniqueName('cg') });
    await consumer.startup();
    cleanup.push(() => consumer.shutdown());
    const queue = (await consumer.fetchMessageQueues(topic))[0] as MessageQueue;
    const found = await consumer.pull(queue, 0, { expression: MessageSelector.bySql("color = 'blue' AND a > 1") });
    expect(found.status).toBe('FOUND');
    expect(found.messages.map((m) => m.body.toString())).toEqual(['s3', 's5']);
    expect(found.nextBeginOffset).toBe(6);
    const none = await consumer.pull(queue, 0, { expression: MessageSelector.bySql('a > 100') });
    expect(none.messages).toEqual([]);
    expect(none.nextBeginOffset).toBe(6);
  });

  it('fails PushConsumer startup for a malformed expression with SUBSCRIPTION_PARSE_FAILED', async () => {
    const topic = await numberedTopic(1);
    const error: unknown = await pushConsumer(topic, 'a > AND', [])
      .startup()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  });
});
