// The official RocketMQ 5 Go client (github.com/apache/rocketmq-clients/golang/v5 v5.1.2, test/compat/go-grpc's
// grpc-probe) against our gRPC endpoint: a Producer sends, a SimpleConsumer receives every message with its tag
// and keys and acks it. The Go client always dials TLS, so the broker serves TLS from a self-signed certificate.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTopic,
  selfSignedCertificate,
  startGrpcCluster,
  uniqueName,
  type GrpcCluster,
} from '../grpc/grpc-fixtures.js';
import { type ProbeLine, run } from './compat-fixtures.js';

const root = new URL('../../', import.meta.url).pathname;

let cluster: GrpcCluster;
let certDir: string;

beforeAll(async () => {
  await run('bash', [`${root}scripts/compat-go-grpc.sh`, 'build'], { timeout: 600_000 });
  certDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-go-grpc-'));
  const { certPath, keyPath } = selfSignedCertificate(certDir);
  cluster = await startGrpcCluster({ tlsCertPath: certPath, tlsKeyPath: keyPath });
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

async function roundtrip(topic: string, group: string, count: number): Promise<ProbeLine[]> {
  const binary = `${root}test/compat/go-grpc/bin/grpc-probe`;
  const args = ['roundtrip', cluster.grpcAddress, topic, group, String(count), '60000'];
  const { stdout } = await run(binary, args, { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProbeLine);
}

describe('compat: the official Go v5 client over gRPC', () => {
  it('sends, receives with a SimpleConsumer and acks every message', async () => {
    const topic = uniqueName('go_grpc');
    await createTopic(cluster.admin, topic, 4);
    const lines = await roundtrip(topic, uniqueName('go_grpc_group'), 10);
    const of = (event: string) => lines.filter((line) => line['event'] === event);
    expect(of('error')).toEqual([]);
    const sent = of('sent').map((line) => String(line['messageId']));
    expect(sent).toHaveLength(10);
    const received = of('received');
    expect(received.map((line) => String(line['messageId'])).sort()).toEqual([...sent].sort());
    expect(received.map((line) => String(line['body'])).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `go-${i}`).sort(),
    );
    for (const line of received) {
      expect(line['tag']).toBe('go');
      expect(line['keys']).toEqual([`k-${String(line['body']).slice(3)}`]);
      expect(line['attempt']).toBe(1);
    }
    expect(
      of('acked')
        .map((line) => String(line['messageId']))
        .sort(),
    ).toEqual([...sent].sort());
  }, 120_000);
});
