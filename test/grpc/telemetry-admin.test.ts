// The admin's questions to a gRPC client over its Telemetry stream: GET_CONSUMER_RUNNING_INFO with jstackEnable,
// sent over Remoting to the broker for an official Node.js SimpleConsumer, becomes a PrintThreadStackTraceCommand;
// the client's ThreadStackTrace comes back as the ConsumerRunningInfo's jstack (the Node.js client answers
// "mock stack"). Without jstackEnable the answer is an empty ConsumerRunningInfo. CONSUME_MESSAGE_DIRECTLY becomes a
// VerifyMessageCommand with the stored message; the client's answer is the ConsumeMessageDirectlyResult.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimpleConsumer } from 'rocketmq-client-nodejs';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import {
  createTopic,
  pullAll,
  runCleanup,
  SILENT_LOGGER,
  startNodeProducer,
  startGrpcCluster,
  uniqueName,
  type CleanupStep,
  type GrpcCluster,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
let remoting: RemotingClient;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startGrpcCluster();
  remoting = new RemotingClient({ logger: createMemoryLogger() });
}, 30_000);
afterEach(() => runCleanup(cleanup));
afterAll(async () => {
  await remoting.close();
  await cluster.stop();
});

async function consumer(): Promise<{ group: string; clientId: string; topic: string }> {
  const topic = uniqueName('grpc_admin');
  await createTopic(cluster.admin, topic, 2);
  const group = uniqueName('grpc_admin_group');
  const simple = new SimpleConsumer({
    endpoints: cluster.grpcAddress,
    namespace: '',
    consumerGroup: group,
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: 5_000,
    logger: SILENT_LOGGER,
  });
  await simple.startup();
  cleanup.push(() => simple.shutdown());
  return { group, clientId: simple.clientId, topic };
}

function runningInfo(group: string, clientId: string, jstackEnable: boolean) {
  const fields = { consumerGroup: group, clientId, jstackEnable: String(jstackEnable) };
  return remoting.invoke(cluster.server.brokerAddress, createRequest(RequestCode.GET_CONSUMER_RUNNING_INFO, fields));
}

describe('grpc: admin requests relayed over Telemetry', () => {
  it('asks a gRPC consumer for its thread stacks and answers them as the ConsumerRunningInfo jstack', async () => {
    const { group, clientId } = await consumer();
    const reply = await runningInfo(group, clientId, true);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    const info = JSON.parse(reply.body?.toString() ?? '{}') as { jstack?: string; mqTable?: object };
    expect(info.jstack).toBe('mock stack');
    expect(info.mqTable).toEqual({});
  });

  it('answers an empty ConsumerRunningInfo without jstackEnable, SYSTEM_ERROR for a client not online', async () => {
    const { group, clientId } = await consumer();
    const reply = await runningInfo(group, clientId, false);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(JSON.parse(reply.body?.toString() ?? '{}')).not.toHaveProperty('jstack');
    const offline = await runningInfo(group, 'no-such-client', true);
    expect(offline).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: `The Consumer <${group}> <no-such-client> not online`,
    });
  });

  it('relays CONSUME_MESSAGE_DIRECTLY as a VerifyMessageCommand carrying the message the msgId names', async () => {
    const { group, clientId, topic } = await consumer();
    const producer = await startNodeProducer(cluster, topic, cleanup);
    await producer.send({ topic, body: Buffer.from('verify me') });
    const [stored] = await pullAll(cluster, topic, 1, cleanup);
    const fields = { consumerGroup: group, clientId, msgId: stored?.offsetMsgId ?? '', topic };
    const request = createRequest(RequestCode.CONSUME_MESSAGE_DIRECTLY, fields);
    const reply = await remoting.invoke(cluster.server.brokerAddress, request);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    // The Node.js client 1.0.8 echoes the command with NOT_IMPLEMENTED (it cannot verify): CR_THROW_EXCEPTION.
    expect(JSON.parse(reply.body?.toString() ?? '{}')).toMatchObject({
      consumeResult: 'CR_THROW_EXCEPTION',
      remark: 'from gRPC client',
    });
  });
});
