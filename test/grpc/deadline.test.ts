// Calls with a deadline beyond a Node timer's range (the official Java client opens Telemetry with
// `grpc-timeout: 31535999M`) are served as calls without a deadline, not ended at once.

import { connect } from 'node:http2';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { grpcTimeoutMs } from '../../ts/broker/grpc/grpc-deadline-fix.js';
import {
  ClientType,
  Code,
  PublishingSchema,
  ResourceSchema,
  SettingsSchema,
} from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { TelemetryCommandSchema, type TelemetryCommand } from '../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import {
  createTopic,
  runCleanup,
  startGrpcCluster,
  uniqueName,
  type CleanupStep,
  type GrpcCluster,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  cluster = await startGrpcCluster();
}, 30_000);
afterEach(() => runCleanup(cleanup));
afterAll(() => cluster.stop());

describe('grpc: deadlines', () => {
  it('reads grpc-timeout values as grpc-js does', () => {
    expect(grpcTimeoutMs('31535999M')).toBe(31535999 * 60_000);
    expect(grpcTimeoutMs('3000m')).toBe(3000);
    expect(grpcTimeoutMs('9771910u')).toBeCloseTo(9771.91);
    expect(grpcTimeoutMs('soon')).toBeNull();
  });

  it('answers Settings on a Telemetry stream opened with grpc-timeout 31535999M (the Java client)', async () => {
    const topic = uniqueName('grpc_deadline');
    await createTopic(cluster.admin, topic, 1);
    const session = connect(`http://${cluster.grpcAddress}`);
    cleanup.push(() => void session.close());
    const stream = session.request({
      ':method': 'POST',
      ':path': '/apache.rocketmq.v2.MessagingService/Telemetry',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '31535999M',
      'x-mq-client-id': uniqueName('java-like'),
    });
    cleanup.push(() => void stream.close());
    const publishing = create(PublishingSchema, { topics: [create(ResourceSchema, { name: topic })] });
    const settings = create(SettingsSchema, {
      clientType: ClientType.PRODUCER,
      pubSub: { case: 'publishing', value: publishing },
    });
    const command = toBinary(
      TelemetryCommandSchema,
      create(TelemetryCommandSchema, { command: { case: 'settings', value: settings } }),
    );
    const frame = Buffer.alloc(5 + command.length);
    frame.writeUInt32BE(command.length, 1);
    frame.set(command, 5);
    // Unpatched grpc-js would end the call ~1 ms after its headers: write only once that would be past.
    await new Promise((resolve) => setTimeout(resolve, 50));
    stream.write(frame);
    const answer = await new Promise<TelemetryCommand | string>((resolve) => {
      let received = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 5 && received.length >= 5 + received.readUInt32BE(1)) {
          resolve(fromBinary(TelemetryCommandSchema, received.subarray(5, 5 + received.readUInt32BE(1))));
        }
      });
      stream.on('trailers', (trailers: Record<string, unknown>) =>
        resolve(`ended: ${String(trailers['grpc-status'])}`),
      );
    });
    expect(typeof answer === 'string' ? answer : answer.status?.code).toBe(Code.OK);
  });
});
