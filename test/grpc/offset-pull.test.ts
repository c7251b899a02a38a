// The lite consumers' RPCs at the gRPC endpoint from a raw grpc-js client (no official client calls them yet):
// QueryOffset (BEGINNING, END, TIMESTAMP), GetOffset and UpdateOffset of a group's committed offset, and the
// PullMessage stream (a Status, the messages, the next offset) with a tag filter, long polling, an offset past
// the queue and a queue the topic does not have. Messages come from the official Node.js Producer.

import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Code,
  FilterType,
  QueryOffsetPolicy,
  type Message,
  type Status,
} from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  GetOffsetRequestSchema,
  PullMessageRequestSchema,
  QueryOffsetRequestSchema,
  UpdateOffsetRequestSchema,
  type PullMessageResponse,
} from '../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import {
  callMetadata,
  createTopic,
  rawClient,
  runCleanup,
  startGrpcCluster,
  startNodeProducer,
  unary,
  uniqueName,
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

const CLIENT_ID = 'lite-client-1';

function queue(topic: string, id = 0) {
  return { topic: { name: topic }, id, broker: { name: 'broker-a' } };
}

async function queryOffset(client: RawClient, topic: string, policy: QueryOffsetPolicy, timestampMs?: number) {
  const request = create(QueryOffsetRequestSchema, {
    messageQueue: queue(topic),
    queryOffsetPolicy: policy,
    ...(timestampMs !== undefined && { timestamp: timestampFromMs(timestampMs) }),
  });
  return unary<{ status?: Status; offset: bigint }>(client, 'queryOffset', request, callMetadata(CLIENT_ID));
}

async function getOffset(client: RawClient, topic: string, group: string) {
  const request = create(GetOffsetRequestSchema, { group: { name: group }, messageQueue: queue(topic) });
  return unary<{ status?: Status; offset: bigint }>(client, 'getOffset', request, callMetadata(CLIENT_ID));
}

interface Pulled {
  readonly status?: Status;
  readonly messages: Message[];
  readonly nextOffset?: bigint;
  readonly cases: string[];
}

function pull(
  client: RawClient,
  options: { topic: string; offset: number; queueId?: number; tag?: string; pollSeconds?: number },
) {
  const request = create(PullMessageRequestSchema, {
    group: { name: 'lite_group' },
    messageQueue: queue(options.topic, options.queueId ?? 0),
    offset: BigInt(options.offset),
    batchSize: 32,
    filterExpression: { type: FilterType.TAG, expression: options.tag ?? '*' },
    ...(options.pollSeconds !== undefined && {
      longPollingTimeout: { seconds: BigInt(options.pollSeconds), nanos: 0 },
    }),
  });
  const call = client['pullMessage'] as (request: unknown, metadata: unknown) => unknown;
  const stream = call.call(client, request, callMetadata(CLIENT_ID)) as ClientReadableStream<PullMessageResponse>;
  return new Promise<Pulled>((resolve, reject) => {
    const responses: PullMessageResponse[] = [];
    stream.on('data', (response: PullMessageResponse) => responses.push(response));
    stream.on('error', reject);
    stream.on('end', () => {
      const contents = responses.map((response) => response.content);
      resolve({
        cases: contents.map((content) => String(content.case)),
        messages: contents.flatMap((content) => (content.case === 'message' ? [content.value] : [])),
        ...Object.fromEntries(contents.filter((content) => content.case !== 'message').map((c) => [c.case, c.value])),
      } as Pulled);
    });
  });
}

/** A one-queue topic holding three messages (tags A, B, A) sent by the official Node.js Producer. */
async function topicWithThree(): Promise<{ topic: string; beforeMs: number }> {
  const topic = uniqueName('grpc_lite');
  await createTopic(cluster.admin, topic, 1);
  const producer = await startNodeProducer(cluster, topic, cleanup);
  const beforeMs = Date.now() - 1000;
  for (const [body, tag] of [
    ['m0', 'A'],
    ['m1', 'B'],
    ['m2', 'A'],
  ] as const) {
    await producer.send({ topic, tag, body: Buffer.from(body) });
  }
  return { topic, beforeMs };
}

describe('grpc: offsets and PullMessage', () => {
  it('answers QueryOffset BEGINNING, END and TIMESTAMP from the queue', async () => {
    const client = rawClient(cluster, cleanup);
    const { topic, beforeMs } = await topicWithThree();
    expect(await queryOffset(client, topic, QueryOffsetPolicy.BEGINNING)).toMatchObject({
      status: { code: Code.OK },
      offset: 0n,
    });
    expect((await queryOffset(client, topic, QueryOffsetPolicy.END)).offset).toBe(3n);
    expect((await queryOffset(client, topic, QueryOffsetPolicy.TIMESTAMP, beforeMs)).offset).toBe(0n);
    const noTime = await queryOffset(client, topic, QueryOffsetPolicy.TIMESTAMP);
    expect(noTime.status).toMatchObject({ code: Code.BAD_REQUEST, message: 'timestamp is required' });
    const unknown = await queryOffset(client, uniqueName('missing'), QueryOffsetPolicy.END);
    expect(unknown.status?.code).toBe(Code.TOPIC_NOT_FOUND);
  });

  it('keeps a group offset: GetOffset 0 for a new group on a young queue, UpdateOffset then GetOffset', async () => {
    const client = rawClient(cluster, cleanup);
    const { topic } = await topicWithThree();
    const group = uniqueName('lite_group');
    expect(await getOffset(client, topic, group)).toMatchObject({ status: { code: Code.OK }, offset: 0n });
    const update = create(UpdateOffsetRequestSchema, {
      group: { name: group },
      messageQueue: queue(topic),
      offset: 2n,
    });
    const updated = await unary<{ status?: Status }>(client, 'updateOffset', update, callMetadata(CLIENT_ID));
    expect(updated.status?.code).toBe(Code.OK);
    expect((await getOffset(client, topic, group)).offset).toBe(2n);
    const badQueue = create(UpdateOffsetRequestSchema, {
      group: { name: group },
      messageQueue: queue(topic, 7),
      offset: 1n,
    });
    const refused = await unary<{ status?: Status }>(client, 'updateOffset', badQueue, callMetadata(CLIENT_ID));
    expect(refused.status?.code).toBe(Code.BAD_REQUEST);
  });

  it('pulls from an offset: status, messages in order, next offset; a tag filter keeps the matching ones', async () => {
    const client = rawClient(cluster, cleanup);
    const { topic } = await topicWithThree();
    const all = await pull(client, { topic, offset: 0 });
    expect(all.cases).toEqual(['status', 'message', 'message', 'message', 'nextOffset']);
    expect(all.status?.code).toBe(Code.OK);
    expect(all.messages.map((message) => Buffer.from(message.body).toString())).toEqual(['m0', 'm1', 'm2']);
    expect(all.messages.map((message) => message.systemProperties?.queueOffset)).toEqual([0n, 1n, 2n]);
    expect(all.nextOffset).toBe(3n);
    const fromOne = await pull(client, { topic, offset: 1, tag: 'A' });
    expect(fromOne.messages.map((message) => Buffer.from(message.body).toString())).toEqual(['m2']);
    expect(fromOne.nextOffset).toBe(3n);
  });

  it('answers the end of the queue with MESSAGE_NOT_FOUND, or holds the pull until a message arrives', async () => {
    const client = rawClient(cluster, cleanup);
    const { topic } = await topicWithThree();
    const empty = await pull(client, { topic, offset: 3 });
    expect(empty).toMatchObject({
      status: { code: Code.MESSAGE_NOT_FOUND, message: 'no new message' },
      nextOffset: 3n,
    });
    const held = pull(client, { topic, offset: 3, pollSeconds: 15 });
    const producer = await startNodeProducer(cluster, topic, cleanup);
    await producer.send({ topic, body: Buffer.from('m3') });
    const woken = await held;
    expect(woken.status?.code).toBe(Code.OK);
    expect(woken.messages.map((message) => Buffer.from(message.body).toString())).toEqual(['m3']);
    expect(woken.nextOffset).toBe(4n);
  });

  it('refuses an offset past the queue with ILLEGAL_OFFSET and a queue the topic lacks with BAD_REQUEST', async () => {
    const client = rawClient(cluster, cleanup);
    const { topic } = await topicWithThree();
    const past = await pull(client, { topic, offset: 100 });
    expect(past.status?.code).toBe(Code.ILLEGAL_OFFSET);
    expect(past.nextOffset).toBe(3n);
    const noQueue = await pull(client, { topic, offset: 0, queueId: 5 });
    expect(noQueue.cases).toEqual(['status']);
    expect(noQueue.status?.code).toBe(Code.BAD_REQUEST);
  });
});
