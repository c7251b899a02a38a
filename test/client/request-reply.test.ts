// Request-reply with the SDK against the broker under test (ours, or Apache RocketMQ 5.5.0 in the Apache
// stage): Producer.request resolves with the reply a replier made with createReplyMessage and sent with
// sendReply, which the broker pushes to the requester; concurrent requests each get their own reply; a
// compressed reply arrives inflated; a request nobody answers times out; a reply without REPLY_TO_CLIENT
// and a reply to a requester that has shut down are refused with Apache's code and remark, and the
// broker keeps serving.

import { describe, expect, it } from 'vitest';
import { ClientError, ClientErrorCode } from '../../ts/client/client-error.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { createReplyMessage } from '../../ts/client/producer/reply-message.js';
import type { SendStatus } from '../../ts/client/producer/send-request.js';
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

async function startProducer(): Promise<Producer> {
  const producer = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  return producer;
}

/** A new topic of one queue, routed by the name server. */
async function newTopic(): Promise<string> {
  const topic = uniqueName('RequestTopic');
  await createTopic(await startAdmin(cluster, cleanup), topic, 1);
  return topic;
}

/** A consumer of `topic` from its first message that hands every message to `onMessage`. */
async function startConsumer(topic: string, onMessage: (message: MessageView) => Promise<void>): Promise<void> {
  const consumer = new PushConsumer({
    ...cluster.clientOptions(),
    consumerGroup: uniqueName('cg'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    subscriptions: new Map([[topic, '*']]),
    messageListener: {
      consume: async (message) => {
        await onMessage(message);
        return ConsumeResult.SUCCESS;
      },
    },
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
}

/** A replier: answers each request with "reply:<body>"; records each send's outcome. */
async function startReplier(topic: string): Promise<Array<ClientError | SendStatus>> {
  const outcomes: Array<ClientError | SendStatus> = [];
  const replyProducer = await startProducer();
  await startConsumer(topic, async (request) => {
    const reply = createReplyMessage(request, `reply:${request.body.toString()}`);
    outcomes.push(
      await replyProducer.sendReply(reply).then(
        (receipt) => receipt.status,
        (error: ClientError) => error,
      ),
    );
  });
  return outcomes;
}

describe('Producer: request-reply', () => {
  it('resolves a request with the reply its replier sent, pushed by the broker', async () => {
    const topic = await newTopic();
    const outcomes = await startReplier(topic);
    const requester = await startProducer();
    const reply = await requester.request({ topic, body: 'ping', tag: 'TagReq' }, 15_000);
    expect(reply.body.toString()).toBe('reply:ping');
    expect(reply.topic).toBe('DefaultCluster_REPLY_TOPIC');
    expect(reply.systemProperties.get('REPLY_TO_CLIENT')).toBe(requester.clientId);
    expect(reply.systemProperties.get('MSG_TYPE')).toBe('reply');
    expect(reply.systemProperties.has('PUSH_REPLY_TIME')).toBe(true);
    expect(reply.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    // The requester may have its reply before the replier has the broker's answer.
    await waitFor('the replier to have its answer', () => outcomes.length === 1);
    expect(outcomes).toEqual(['SEND_OK']);
  }, 60_000);

  it('gives concurrent requests each its own reply', async () => {
    const topic = await newTopic();
    await startReplier(topic);
    const requester = await startProducer();
    const bodies = ['a', 'b', 'c', 'd', 'e'];
    const replies = await Promise.all(bodies.map((body) => requester.request({ topic, body }, 15_000)));
    expect(replies.map((reply) => reply.body.toString())).toEqual(bodies.map((body) => `reply:${body}`));
    expect(new Set(replies.map((reply) => reply.correlationId)).size).toBe(bodies.length);
  }, 60_000);

  it('inflates a reply the replier compressed (a body over 4 KiB)', async () => {
    const topic = await newTopic();
    await startReplier(topic);
    const requester = await startProducer();
    const body = 'x'.repeat(10_000);
    const reply = await requester.request({ topic, body }, 15_000);
    expect(reply.body.toString()).toBe(`reply:${body}`);
  }, 60_000);

  it('times out a request nobody answers, with REQUEST_TIMEOUT_EXCEPTION', async () => {
    const topic = await newTopic();
    const requester = await startProducer();
    const error = await requester.request({ topic, body: 'unanswered' }, 1_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION });
    expect((error as ClientError).remark).toBe(
      `send request message to <${topic}> OK, but wait reply message timeout, 1000 ms.`,
    );
  }, 60_000);

  it('refuses a reply without REPLY_TO_CLIENT with SYSTEM_ERROR and Apache remark; requests still work', async () => {
    const topic = await newTopic();
    const producer = await startProducer();
    await producer.send({ topic, body: 'not a request' });
    const outcomes = await startReplier(topic);
    await waitFor('the reply to the plain message', () => outcomes.length > 0, 30_000);
    expect(outcomes[0]).toBeInstanceOf(ClientError);
    expect(outcomes[0]).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'reply message properties[REPLY_TO_CLIENT] is null',
    });
    const reply = await producer.request({ topic, body: 'after' }, 15_000);
    expect(reply.body.toString()).toBe('reply:after');
  }, 60_000);

  it('refuses a reply to a requester that has shut down with SYSTEM_ERROR and Apache remark', async () => {
    const topic = await newTopic();
    const gone = new Producer({ ...cluster.clientOptions(), producerGroup: uniqueName('pg') });
    await gone.startup();
    cleanup.push(() => gone.shutdown());
    await expect(gone.request({ topic, body: 'orphan' }, 500)).rejects.toMatchObject({
      code: ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION,
    });
    await gone.shutdown();
    const outcomes = await startReplier(topic);
    await waitFor('the reply to the orphaned request', () => outcomes.length > 0, 30_000);
    expect(outcomes[0]).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: `push reply message fail, channel of <${gone.clientId}> not found.`,
    });
  }, 60_000);

  it('refuses to make a reply to a message without CLUSTER', () => {
    const view = { systemProperties: new Map([['CORRELATION_ID', 'c']]) } as unknown as MessageView;
    expect(() => createReplyMessage(view, 'x')).toThrow(
      expect.objectContaining({ code: ClientErrorCode.CREATE_REPLY_MESSAGE_EXCEPTION }),
    );
  });
});
