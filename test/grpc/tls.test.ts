// TLS on the gRPC endpoint (broker.conf `tlsCertPath` / `tlsKeyPath`) with a self-signed certificate made by
// `openssl` for 127.0.0.1: the official Node.js Producer with `sslEnabled` (a child process trusting the
// certificate through grpc-js's GRPC_DEFAULT_SSL_ROOTS_FILE_PATH) sends a message that a Remoting consumer
// reads; a raw grpc-js client trusting the certificate is answered, a plaintext one is not.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { create } from '@bufbuild/protobuf';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messagingServiceDefinition } from '../../ts/broker/grpc/messaging-service.js';
import { Code, type Status } from '../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { QueryRouteRequestSchema } from '../../ts/protocol/grpc/apache/rocketmq/v2/service_pb.js';
import {
  callMetadata,
  createTopic,
  pullAll,
  runCleanup,
  selfSignedCertificate,
  startGrpcCluster,
  unary,
  uniqueName,
  type CleanupStep,
  type GrpcCluster,
  type RawClient,
} from './grpc-fixtures.js';

let cluster: GrpcCluster;
let certDir: string;
let certPath: string;
const root = new URL('../../', import.meta.url).pathname;

/**
 * The child process: the official Node.js Producer with `sslEnabled`, trusting the certificate through grpc-js's
 * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (read when grpc-js loads, hence a process of its own), sends one message to the
 * endpoint and topic given as arguments and prints its receipt as one JSON line.
 */
const TLS_PRODUCER = `
import { Producer } from 'rocketmq-client-nodejs';
const [endpoints, topic] = process.argv.slice(1);
const logger = { info() {}, warn() {}, error() {}, debug() {}, close() {} };
const producer = new Producer({ endpoints, namespace: '', topics: [topic], sslEnabled: true, logger });
try {
  await producer.startup();
  const receipt = await producer.send({ topic, tag: 'tls', body: Buffer.from('over TLS') });
  process.stdout.write(JSON.stringify({ messageId: receipt.messageId }) + '\\n');
} finally {
  await producer.shutdown();
}
`;
const cleanup: CleanupStep[] = [];

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-tls-'));
  const certificate = selfSignedCertificate(certDir);
  certPath = certificate.certPath;
  const { keyPath } = certificate;
  cluster = await startGrpcCluster({ tlsCertPath: certPath, tlsKeyPath: keyPath });
}, 60_000);
afterEach(() => runCleanup(cleanup));
afterAll(async () => {
  await cluster?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

function client(secure: boolean): RawClient {
  const Constructor = makeGenericClientConstructor(messagingServiceDefinition(), 'MessagingService');
  const channel = secure ? credentials.createSsl(readFileSync(certPath)) : credentials.createInsecure();
  const raw = new Constructor(cluster.grpcAddress, channel) as unknown as RawClient;
  cleanup.push(() => raw.close());
  return raw;
}

describe('grpc: TLS from tlsCertPath and tlsKeyPath', () => {
  it('serves the official Node.js Producer over TLS; a Remoting consumer reads its message', async () => {
    const topic = uniqueName('grpc_tls');
    await createTopic(cluster.admin, topic, 4);
    const env = { ...process.env, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: certPath };
    const args = ['--input-type=module', '-e', TLS_PRODUCER, cluster.grpcAddress, topic];
    const { stdout } = await promisify(execFile)(process.execPath, args, { env, cwd: root, timeout: 60_000 });
    const receipt = JSON.parse(stdout.trim()) as { messageId: string };
    const [message] = await pullAll(cluster, topic, 1, cleanup);
    expect(message?.body.toString()).toBe('over TLS');
    expect(message?.messageId).toBe(receipt.messageId);
  }, 90_000);

  it('answers a client that trusts the certificate; a plaintext client gets no answer', async () => {
    const topic = uniqueName('grpc_tls');
    await createTopic(cluster.admin, topic, 4);
    const request = create(QueryRouteRequestSchema, { topic: { name: topic } });
    const route = await unary<{ status?: Status }>(client(true), 'queryRoute', request, callMetadata('tls-1'));
    expect(route.status?.code).toBe(Code.OK);
    const plain = unary(client(false), 'queryRoute', request, callMetadata('plain-1'));
    await expect(plain).rejects.toMatchObject({ code: 14 });
  });
});
