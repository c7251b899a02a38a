// Fixtures of the gRPC suites: the all-in-one broker with a gRPC endpoint on a free port (halves checked every
// second), the official Node.js Producer with a silent logger, a Remoting PullConsumer reading back what gRPC
// clients stored, and a raw grpc-js client of MessagingService for requests the official client never sends.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGenericClientConstructor, Metadata, credentials, type Client } from '@grpc/grpc-js';
import { Producer, type TransactionChecker } from 'rocketmq-client-nodejs';
import { Admin } from '../../ts/client/admin/admin.js';
import { PullConsumer } from '../../ts/client/consumer/pull-consumer.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import { messagingServiceDefinition } from '../../ts/broker/grpc/messaging-service.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { AllInOne } from '../../ts/server/all-in-one.js';
import { createTopic, runCleanup, uniqueName, waitFor, type CleanupStep } from '../client/client-fixtures.js';
import { freePort } from '../support/free-port.js';

export { createTopic, runCleanup, uniqueName, waitFor, type CleanupStep };

/** The Node client's logger interface, silenced (its default writes under ~/logs). */
export const SILENT_LOGGER = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, close: () => {} };

export interface GrpcCluster {
  readonly server: AllInOne;
  readonly grpcAddress: string;
  readonly admin: Admin;
  stop(): Promise<void>;
}

/** A registry and a broker with a gRPC endpoint; halves are checked every second. */
export async function startGrpcCluster(brokerOverrides: Record<string, unknown> = {}): Promise<GrpcCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-grpc-'));
  const server = new AllInOne(
    {
      dataDir,
      registryPort: 0,
      brokerPort: 0,
      grpcPort: await freePort(),
      host: '127.0.0.1',
      broker: {
        mappedFileSizeCommitLog: 64 * 1024 * 1024,
        maxHashSlotNum: 1024,
        maxIndexNum: 4096,
        transactionCheckInterval: 1000,
        transactionTimeOut: 1000,
        ...brokerOverrides,
      },
    },
    createMemoryLogger(),
  );
  await server.start();
  const admin = new Admin({ namesrvAddr: server.registryAddress, clientIp: '127.0.0.1', logger: createMemoryLogger() });
  await admin.startup();
  return {
    server,
    grpcAddress: server.grpcAddress ?? '',
    admin,
    stop: async () => {
      await admin.shutdown();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A started official Node.js Producer announcing `topic`, shut down by `cleanup`. */
export async function startNodeProducer(
  cluster: GrpcCluster,
  topic: string,
  cleanup: CleanupStep[],
  checker?: TransactionChecker,
): Promise<Producer> {
  const producer = new Producer({
    endpoints: cluster.grpcAddress,
    namespace: '',
    topics: [topic],
    logger: SILENT_LOGGER,
    ...(checker !== undefined && { checker }),
  });
  await producer.startup();
  cleanup.push(() => producer.shutdown());
  return producer;
}

/** Every message of `topic` read over Remoting from offset 0 of each queue, once `count` are there. */
export async function pullAll(cluster: GrpcCluster, topic: string, count: number, cleanup: CleanupStep[]) {
  const consumer = new PullConsumer({
    namesrvAddr: cluster.server.registryAddress,
    clientIp: '127.0.0.1',
    consumerGroup: uniqueName('grpc_check'),
    logger: createMemoryLogger(),
  });
  await consumer.startup();
  cleanup.push(() => consumer.shutdown());
  let found: MessageView[] = [];
  await waitFor(`${count} messages in ${topic}`, async () => {
    found = [];
    for (const queue of await consumer.fetchMessageQueues(topic)) {
      let offset = 0;
      for (;;) {
        const result = await consumer.pull(queue, offset, { maxNums: 32 });
        if (result.messages.length === 0) break;
        found.push(...result.messages);
        offset = result.nextBeginOffset;
      }
    }
    return found.length >= count;
  });
  return found;
}

/** A raw grpc-js client of MessagingService (methods by their localName: queryRoute, sendMessage, …). */
export type RawClient = Client & Record<string, (...args: unknown[]) => unknown>;

export function rawClient(cluster: GrpcCluster, cleanup: CleanupStep[]): RawClient {
  const Constructor = makeGenericClientConstructor(messagingServiceDefinition(), 'MessagingService');
  const client = new Constructor(cluster.grpcAddress, credentials.createInsecure()) as unknown as RawClient;
  cleanup.push(() => client.close());
  return client;
}

/** The metadata of a call; `clientId` null leaves `x-mq-client-id` out. */
export function callMetadata(clientId: string | null): Metadata {
  const metadata = new Metadata();
  metadata.set('x-mq-protocol', 'v2');
  metadata.set('x-mq-language', 'HTTP');
  if (clientId !== null) metadata.set('x-mq-client-id', clientId);
  return metadata;
}

/** A unary call of the raw client as a promise. */
export function unary<T>(client: RawClient, method: string, request: unknown, metadata: Metadata): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const call = client[method] as (
      request: unknown,
      metadata: Metadata,
      callback: (error: Error | null, response: T) => void,
    ) => void;
    call.call(client, request, metadata, (error, response) => (error === null ? resolve(response) : reject(error)));
  });
}

/** A self-signed certificate for 127.0.0.1 and localhost made by `openssl` in `dir`: its PEM file paths. */
export function selfSignedCertificate(dir: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, 'broker.crt');
  const keyPath = join(dir, 'broker.key');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyPath, '-out', certPath],
    ],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath };
}
