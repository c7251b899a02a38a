// Bad input at the gRPC endpoint, from a raw grpc-js client: each is answered with Apache's Code
// (a missing client id, a 5 MiB body, 200 user properties, reserved names, a Telemetry stream that
// opens without Settings), and an official Node.js producer on the same endpoint keeps working.

import { create } from '@bufbuild/protobuf';
import { status as grpcStatus, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientType,
  Code,
  MessageSchema,
  MessageType,
  ResourceSchema,
  SettingsSchema,
  PublishingSchema,
  SystemPropertiesSchema,
  type Status,
} from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  RecallMessageRequestSchema,
  SyncLiteSubscriptionRequestSchema,
  HeartbeatRequestSchema,
  PullMessageRequestSchema,
  type PullMessageResponse,
  QueryRouteRequestSchema,
  SendMessageRequestSchema,
  TelemetryCommandSchema,
  type TelemetryCommand,
} from '../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import {
  callMetadata,
  createTopic,
  pullAll,
  rawClient,
  runCleanup,
  startGrpcCluster,
  startNodeProducer,
  unary,
  uniqueName,
  waitFor,
  type CleanupStep,
  type GrpcCluster,
  type RawClient,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startGrpcCluster();
}, 30_000);
afterEach(() => runCleanup(cleanup));
afterAll(() => cluster.stop());

let counter = 0;
function messageId(): string {
  counter += 1;
  return `01AABBCCDDEEFF0011223344${String(counter).padStart(10, '0')}`;
}

function sendRequest(topic: string, options: { body?: Buffer; userProperties?: Record<string, string>; tag?: string }) {
  return create(SendMessageRequestSchema, {
    messages: [
      create(MessageSchema, {
        topic: create(ResourceSchema, { name: topic }),
        body: options.body ?? Buffer.from('x'),
        userProperties: options.userProperties ?? {},
        systemProperties: create(SystemPropertiesSchema, {
          messageId: messageId(),
          messageType: MessageType.NORMAL,
          ...(options.tag !== undefined && { tag: options.tag }),
        }),
      }),
    ],
  });
}

async function sendStatus(
  client: RawClient,
  request: unknown,
  clientId: string | null = 'bad-client',
): Promise<Status> {
  const response = await unary<{ status?: Status }>(client, 'sendMessage', request, callMetadata(clientId));
  return response.status as Status;
}

async function newTopic(): Promise<string> {
  const topic = uniqueName('grpc_bad');
  await createTopic(cluster.admin, topic, 4);
  return topic;
}

describe('grpc: bad input', () => {
  it('answers every call without x-mq-client-id with CLIENT_ID_REQUIRED and stores nothing', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const route = await unary<{ status?: Status }>(
      client,
      'queryRoute',
      create(QueryRouteRequestSchema, { topic: create(ResourceSchema, { name: topic }) }),
      callMetadata(null),
    );
    expect(route.status?.code).toBe(Code.CLIENT_ID_REQUIRED);
    expect(route.status?.message).toBe('client id cannot be empty');
    const sent = await sendStatus(client, sendRequest(topic, {}), null);
    expect(sent.code).toBe(Code.CLIENT_ID_REQUIRED);
    const { store } = cluster.server.brokerServer;
    const maxOffsets = [0, 1, 2, 3].map((queueId) => store.getMaxOffsetInQueue(topic, queueId));
    expect(maxOffsets).toEqual([0, 0, 0, 0]);
  });

  it("refuses a 5 MiB body and 200 user properties with Apache's Codes", async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const large = await sendStatus(client, sendRequest(topic, { body: Buffer.alloc(5 * 1024 * 1024, 1) }));
    expect(large.code).toBe(Code.MESSAGE_BODY_TOO_LARGE);
    expect(large.message).toBe('message body cannot exceed the max 4194304');
    const properties = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, `v${i}`]));
    const many = await sendStatus(client, sendRequest(topic, { userProperties: properties }));
    expect(many.code).toBe(Code.MESSAGE_PROPERTIES_TOO_LARGE);
    expect(many.message).toBe('too many user properties, max is 128');
  });

  it('refuses reserved property names, illegal tags, system and unknown topics with their Codes', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const reserved = await sendStatus(client, sendRequest(topic, { userProperties: { UNIQ_KEY: 'mine' } }));
    expect(reserved).toMatchObject({
      code: Code.ILLEGAL_MESSAGE_PROPERTY_KEY,
      message: 'property is used by system: UNIQ_KEY',
    });
    expect((await sendStatus(client, sendRequest(topic, { tag: 'a|b' }))).code).toBe(Code.ILLEGAL_MESSAGE_TAG);
    expect((await sendStatus(client, sendRequest('TBW102', {}))).code).toBe(Code.ILLEGAL_TOPIC);
    expect((await sendStatus(client, sendRequest('no_such_topic_grpc', {}))).code).toBe(Code.TOPIC_NOT_FOUND);
    const route = await unary<{ status?: Status }>(
      client,
      'queryRoute',
      create(QueryRouteRequestSchema, { topic: create(ResourceSchema, { name: 'no_such_topic_grpc' }) }),
      callMetadata('bad-client'),
    );
    expect(route.status?.code).toBe(Code.TOPIC_NOT_FOUND);
  });

  it('ignores a Telemetry command other than Settings, ends one whose Settings are empty', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const clientId = uniqueName('raw-telemetry');
    const heartbeat = () =>
      unary<{ status?: Status }>(
        client,
        'heartbeat',
        create(HeartbeatRequestSchema, { clientType: ClientType.PRODUCER }),
        callMetadata(clientId),
      );
    const stream = openTelemetry(client, clientId, cleanup);
    stream.call.write(create(TelemetryCommandSchema, {}));
    expect((await heartbeat()).status?.code).toBe(Code.UNRECOGNIZED_CLIENT_TYPE);
    const publishing = create(PublishingSchema, { topics: [create(ResourceSchema, { name: topic })] });
    const settings = create(SettingsSchema, {
      clientType: ClientType.PRODUCER,
      pubSub: { case: 'publishing', value: publishing },
    });
    stream.call.write(create(TelemetryCommandSchema, { command: { case: 'settings', value: settings } }));
    const answer = await stream.next();
    expect(answer.status?.code).toBe(Code.OK);
    expect(answer.command.case).toBe('settings');
    if (answer.command.case === 'settings') {
      expect(answer.command.value.pubSub.case === 'publishing' && answer.command.value.pubSub.value.maxBodySize).toBe(
        4194304,
      );
      expect(answer.command.value.backoffPolicy?.maxAttempts).toBe(3);
    }
    expect((await heartbeat()).status?.code).toBe(Code.OK);
    stream.call.write(
      create(TelemetryCommandSchema, { command: { case: 'settings', value: create(SettingsSchema, {}) } }),
    );
    const ended = await stream.error;
    expect(ended.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(ended.details).toContain('there is no publishing or subscription data in settings');
  });

  it('forgets a producer whose Telemetry stream closes: it leaves the producer table', async () => {
    const topic = await newTopic();
    const client = rawClient(cluster, cleanup);
    const clientId = uniqueName('raw-producer');
    const stream = openTelemetry(client, clientId, cleanup);
    const publishing = create(PublishingSchema, { topics: [create(ResourceSchema, { name: topic })] });
    const settings = create(SettingsSchema, {
      clientType: ClientType.PRODUCER,
      pubSub: { case: 'publishing', value: publishing },
    });
    stream.call.write(create(TelemetryCommandSchema, { command: { case: 'settings', value: settings } }));
    expect((await stream.next()).status?.code).toBe(Code.OK);
    const { producers } = cluster.server.brokerServer;
    expect(producers.channels(topic).map((channel) => channel.clientId)).toEqual([clientId]);
    stream.call.cancel();
    await waitFor('the producer to leave', () => producers.channels(topic).length === 0);
    const heartbeat = create(HeartbeatRequestSchema, { clientType: ClientType.PRODUCER });
    const answer = await unary<{ status?: Status }>(client, 'heartbeat', heartbeat, callMetadata(clientId));
    expect(answer.status?.code).toBe(Code.UNRECOGNIZED_CLIENT_TYPE);
  });

  it('answers a Telemetry command without a client id with CLIENT_ID_REQUIRED on the stream', async () => {
    const client = rawClient(cluster, cleanup);
    const stream = openTelemetry(client, null, cleanup);
    stream.call.write(
      create(TelemetryCommandSchema, { command: { case: 'settings', value: create(SettingsSchema, {}) } }),
    );
    expect((await stream.next()).status?.code).toBe(Code.CLIENT_ID_REQUIRED);
  });

  it('answers SyncLiteSubscription (not built) with NOT_IMPLEMENTED, an empty PullMessage with a status', async () => {
    const client = rawClient(cluster, cleanup);
    const sync = await unary<{ status?: Status }>(
      client,
      'syncLiteSubscription',
      create(SyncLiteSubscriptionRequestSchema, {}),
      callMetadata('c'),
    );
    expect(sync.status?.code).toBe(Code.NOT_IMPLEMENTED);
    const recall = await unary<{ status?: Status }>(
      client,
      'recallMessage',
      create(RecallMessageRequestSchema, {}),
      callMetadata('c'),
    );
    expect(recall.status?.code).toBe(Code.ILLEGAL_TOPIC);
    const pull = client['pullMessage'] as (request: unknown, metadata: unknown) => NodeJS.ReadableStream;
    const stream = pull.call(client, create(PullMessageRequestSchema, {}), callMetadata('c'));
    const responses: PullMessageResponse[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (response: PullMessageResponse) => responses.push(response));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    expect(responses.map((response) => response.content.case)).toEqual(['status']);
    expect(responses[0]?.content.value).toMatchObject({ code: Code.ILLEGAL_CONSUMER_GROUP });
  });

  it('keeps serving an official producer while others send bad input', async () => {
    const topic = await newTopic();
    const producer = await startNodeProducer(cluster, topic, cleanup);
    const client = rawClient(cluster, cleanup);
    const bad = await Promise.all([
      sendStatus(client, sendRequest(topic, { body: Buffer.alloc(5 * 1024 * 1024) })),
      sendStatus(client, sendRequest(topic, {}), null),
      producer.send({ topic, body: Buffer.from('still fine') }),
    ]);
    expect(bad[0].code).toBe(Code.MESSAGE_BODY_TOO_LARGE);
    expect(bad[1].code).toBe(Code.CLIENT_ID_REQUIRED);
    await producer.send({ topic, body: Buffer.from('after') });
    const bodies = (await pullAll(cluster, topic, 2, cleanup)).map((message) => message.body.toString()).sort();
    expect(bodies).toEqual(['after', 'still fine']);
    expect(cluster.server.brokerServer.producers.channels(topic).map((channel) => channel.clientId)).toEqual([
      producer.clientId,
    ]);
  });
});

interface TelemetryHandle {
  readonly call: ClientDuplexStream<TelemetryCommand, TelemetryCommand>;
  /** The next command from the server. */
  next(): Promise<TelemetryCommand>;
  /** Settles with the status the stream ends with on error. */
  readonly error: Promise<ServiceError>;
}

function openTelemetry(client: RawClient, clientId: string | null, cleanup: CleanupStep[]): TelemetryHandle {
  const open = client['telemetry'] as (metadata: unknown) => ClientDuplexStream<TelemetryCommand, TelemetryCommand>;
  const call = open.call(client, callMetadata(clientId));
  const received: TelemetryCommand[] = [];
  const waiters: Array<(command: TelemetryCommand) => void> = [];
  call.on('data', (command: TelemetryCommand) => {
    const waiter = waiters.shift();
    if (waiter === undefined) received.push(command);
    else waiter(command);
  });
  const error = new Promise<ServiceError>((resolve) => call.on('error', resolve));
  cleanup.push(() => call.cancel());
  return {
    call,
    error,
    next: () => {
      const first = received.shift();
      return first === undefined ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(first);
    },
  };
}
