// The broker's /metrics (docs/metrics.md) against the all-in-one broker over real TCP and HTTP, scraped
// and parsed by parse-prometheus-text-format: messages in and out counted per topic and group after
// 1,000 sends and 1,000 consumes, a stopped consumer's lag, Apache's labels, the runtime metrics, and
// the endpoint off unless metricsExporterType=PROM.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumeResult } from '../../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../../ts/client/consumer/push-consumer.js';
import { Admin } from '../../../ts/client/admin/admin.js';
import { Producer } from '../../../ts/client/producer/producer.js';
import { type TransactionResolution, TransactionProducer } from '../../../ts/client/producer/transaction-producer.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import type { BrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { AllInOne } from '../../../ts/server/all-in-one.js';
import { createTopic, waitFor } from '../../client/client-fixtures.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { sampleValue, scrape } from '../../support/prometheus-scrape.js';

const TOPIC = 'MetricsTopic';
const GROUP = 'metrics_cg';
const SENT = 1000;
const SENT_AFTER_STOP = 250;
const HALF_TOPIC = 'MetricsHalfTopic';

async function startServer(broker: Partial<BrokerConfig>): Promise<{ server: AllInOne; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-metrics-'));
  const server = new AllInOne(
    {
      dataDir,
      registryPort: 0,
      brokerPort: 0,
      host: '127.0.0.1',
      broker: { mappedFileSizeCommitLog: 4 * 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 10_000, ...broker },
    },
    createMemoryLogger(),
  );
  await server.start();
  return { server, dataDir };
}

describe('broker: /metrics with RocketMQ 5 names', () => {
  let server: AllInOne;
  let dataDir: string;
  let url: string;
  const clientOptions = () => ({
    namesrvAddr: server.registryAddress,
    clientIp: '127.0.0.1',
    logger: createMemoryLogger(),
  });

  beforeAll(async () => {
    ({ server, dataDir } = await startServer({
      brokerClusterName: 'MetricsCluster',
      metricsExporterType: 'PROM',
      metricsPromExporterHost: '127.0.0.1',
      metricsPromExporterPort: 0,
    }));
    url = server.brokerServer.metricsUrl ?? '';
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts 1,000 sends in and 1,000 consumes out; a stopped consumer lags by what it has not consumed', async () => {
    const admin = new Admin(clientOptions());
    await admin.startup();
    const producer = new Producer({ ...clientOptions(), producerGroup: 'metrics_pg' });
    await producer.startup();
    try {
      await createTopic(admin, TOPIC, 4);
      for (let i = 0; i < SENT; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => producer.send({ topic: TOPIC, body: `m${i + j}` })));
      }
      const received = new Set<string>();
      const consumer = new PushConsumer({
        ...clientOptions(),
        consumerGroup: GROUP,
        subscriptions: { [TOPIC]: '*' },
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        messageListener: {
          consume: (message) => {
            received.add(message.body.toString());
            return ConsumeResult.SUCCESS;
          },
        },
      });
      await consumer.startup();
      await waitFor('1,000 messages consumed', () => received.size === SENT, 60_000);
      await consumer.shutdown();

      const afterConsume = await scrape(url);
      expect(sampleValue(afterConsume, 'rocketmq_messages_in_total', { topic: TOPIC })).toBe(SENT);
      expect(sampleValue(afterConsume, 'rocketmq_messages_out_total', { topic: TOPIC, consumer_group: GROUP })).toBe(
        SENT,
      );
      expect(sampleValue(afterConsume, 'rocketmq_consumer_lag_messages', { topic: TOPIC, consumer_group: GROUP })).toBe(
        0,
      );

      await Promise.all(
        Array.from({ length: SENT_AFTER_STOP }, (_, i) => producer.send({ topic: TOPIC, body: `late${i}` })),
      );
      const afterStop = await scrape(url);
      expect(sampleValue(afterStop, 'rocketmq_messages_in_total', { topic: TOPIC })).toBe(SENT + SENT_AFTER_STOP);
      expect(sampleValue(afterStop, 'rocketmq_consumer_lag_messages', { topic: TOPIC, consumer_group: GROUP })).toBe(
        SENT_AFTER_STOP,
      );
      const lagLatencyMs = sampleValue(afterStop, 'rocketmq_consumer_lag_latency', {
        topic: TOPIC,
        consumer_group: GROUP,
      });
      expect(lagLatencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      await producer.shutdown();
      await admin.shutdown();
    }
  }, 120_000);

  it("labels every series with Apache's cluster, node_type and node_id, and serves the runtime metrics", async () => {
    const text = await (await fetch(url)).text();
    const families = parsePrometheusTextFormat(text);
    const labels = { cluster: 'MetricsCluster', node_type: 'broker', node_id: 'broker-a' };
    expect(sampleValue(families, 'rocketmq_topic_number', labels)).toBeGreaterThan(0);
    expect(sampleValue(families, 'rocketmq_consumer_group_number', labels)).toBeGreaterThan(0);
    expect(sampleValue(families, 'rocketmq_storage_size', labels)).toBeGreaterThan(0);
    // The parser folds a histogram's label sets into one sample: its series are read from the text.
    const sendSeries = 'protocol_type="remoting",request_code="send_message_v2",response_code="success"';
    const sendCount = new RegExp(`^rocketmq_rpc_latency_count\\{${sendSeries},.*\\} (\\d+)$`, 'm').exec(text);
    expect(Number(sendCount?.[1])).toBeGreaterThanOrEqual(SENT);
    const sizes = families.find((f) => f.name === 'rocketmq_message_size');
    expect(sizes?.type).toBe('HISTOGRAM');
    expect(Object.keys(sizes?.metrics[0]?.buckets ?? {})).toEqual([
      '1024',
      '4096',
      '524288',
      '1048576',
      '2097152',
      '4194304',
      '+Inf',
    ]);
    const names = families.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']));
  });

  it('gauges the half messages not yet committed or rolled back, per topic', async () => {
    const admin = new Admin(clientOptions());
    await admin.startup();
    const checker = (): TransactionResolution => 'UNKNOWN';
    const producer = new TransactionProducer({ ...clientOptions(), producerGroup: 'metrics_tx_pg', checker });
    await producer.startup();
    try {
      await createTopic(admin, HALF_TOPIC, 1);
      for (const resolution of ['UNKNOWN', 'COMMIT', 'UNKNOWN', 'ROLLBACK'] as const)
        await producer.sendMessageInTransaction({ topic: HALF_TOPIC, body: resolution }, () => resolution);
      const labels = { node_id: 'broker-a', topic: HALF_TOPIC };
      const halfMessages = async () =>
        sampleValue(parsePrometheusTextFormat(await (await fetch(url)).text()), 'rocketmq_half_messages', labels);
      // END_TRANSACTION is one-way: the commit and the rollback are settled shortly after the sends.
      await waitFor('2 half messages gauged', async () => (await halfMessages()) === 2, 30_000);
    } finally {
      await producer.shutdown();
      await admin.shutdown();
    }
  }, 60_000);

  it('answers 404 off /metrics', async () => {
    const response = await fetch(url.replace('/metrics', '/other'));
    expect(response.status).toBe(404);
  });

  it('serves nothing unless metricsExporterType=PROM', async () => {
    const off = await startServer({});
    try {
      expect(off.server.brokerServer.metricsUrl).toBeNull();
    } finally {
      await off.server.stop();
      rmSync(off.dataDir, { recursive: true, force: true });
    }
  });
});
