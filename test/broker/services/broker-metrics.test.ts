// BrokerMetrics and its Prometheus view without a broker: Apache's histogram buckets, dead letters and
// transaction ends counted per group and topic, rpc latency per request and response code with
// Apache's lowercase names, and gauges read from the sources at scrape time.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../../ts/broker/infra/prometheus-metrics.js';
import {
  BrokerMetrics,
  Histogram,
  type MetricsSources,
  RPC_LATENCY_BUCKETS_MS,
} from '../../../ts/broker/services/broker-metrics.js';
import { sampleValue } from '../../support/prometheus-scrape.js';

const NODE = { cluster: 'C', node_type: 'broker', node_id: 'b' } as const;

function sources(lagMessages: () => number): MetricsSources {
  return {
    topicCount: () => 3,
    groupCount: () => 2,
    producerConnections: () => [{ group: 'pg', language: 'java', version: '513', count: 2 }],
    consumerConnections: () => [{ group: 'cg', language: 'java', version: '513', count: 1 }],
    consumerLags: () => [
      {
        topic: 'T',
        group: 'cg',
        lagMessages: lagMessages(),
        lagLatencyMs: 5,
        inflightMessages: 1,
        queueingLatencyMs: 4,
        readyMessages: lagMessages() - 1,
      },
    ],
    storage: () => ({ sizeBytes: 100, flushBehindBytes: 10, dispatchBehindBytes: 0 }),
    halfMessages: () => [{ topic: 'TopicTx', messages: 2 }],
    isSystemTopic: (topic) => topic.startsWith('RMQ_SYS_'),
    isSystemGroup: () => false,
  };
}

describe('metrics: BrokerMetrics', () => {
  it('puts each observation in the first bucket whose bound holds it, the rest in +Inf', () => {
    const histogram = new Histogram(RPC_LATENCY_BUCKETS_MS);
    for (const ms of [0.5, 1, 1.01, 3000, 3001]) histogram.observe(ms);
    expect(histogram.counts).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(histogram.count).toBe(5);
    expect(histogram.sum).toBeCloseTo(6003.51);
  });

  it('counts dead letters per group, and commits and rollbacks per topic', () => {
    const metrics = new BrokerMetrics(NODE);
    metrics.noteDeadLetters('%DLQ%cg', 3);
    metrics.noteDeadLetters('%RETRY%cg', 5);
    metrics.recordTransactionEnd('T', true);
    metrics.recordTransactionEnd('T', true);
    metrics.recordTransactionEnd('T', false);
    const snapshot = metrics.snapshot();
    expect(snapshot.sendToDlq).toEqual([{ group: 'cg', messages: 3 }]);
    expect(snapshot.commits).toEqual([{ topic: 'T', messages: 2 }]);
    expect(snapshot.rollbacks).toEqual([{ topic: 'T', messages: 1 }]);
  });
});

describe('metrics: the Prometheus view', () => {
  it('renders counters, gauges read at scrape time and histograms with their labels', async () => {
    let lag = 7;
    const metrics = new BrokerMetrics(NODE);
    metrics.attachSources(sources(() => lag));
    const counters = metrics.topicIn('T');
    if (counters === null) throw new Error('no counters');
    counters.messages += 2;
    counters.bytes += 300;
    metrics.recordOut('T', 'cg', 2, 300);
    metrics.recordRpc(10, 0, 2);
    metrics.recordRpc(12345, 1, 2);
    const prometheus = new PrometheusMetrics(metrics);
    const first = parsePrometheusTextFormat(await prometheus.render());
    const labels = { cluster: 'C', node_type: 'broker', node_id: 'b' };
    expect(sampleValue(first, 'rocketmq_messages_in_total', { ...labels, topic: 'T', is_system: 'false' })).toBe(2);
    expect(sampleValue(first, 'rocketmq_throughput_in_total', { topic: 'T' })).toBe(300);
    expect(sampleValue(first, 'rocketmq_messages_out_total', { topic: 'T', consumer_group: 'cg' })).toBe(2);
    expect(sampleValue(first, 'rocketmq_consumer_lag_messages', { topic: 'T', consumer_group: 'cg' })).toBe(7);
    expect(sampleValue(first, 'rocketmq_producer_connections', { language: 'java' })).toBe(2);
    expect(sampleValue(first, 'rocketmq_storage_flush_behind_bytes', labels)).toBe(10);
    expect(sampleValue(first, 'rocketmq_half_messages', { ...labels, topic: 'TopicTx' })).toBe(2);
    const text = await prometheus.render();
    expect(text).toMatch(/^rocketmq_rpc_latency_count\{[^}]*request_code="send_message",response_code="success"/m);
    expect(text).toMatch(/^rocketmq_rpc_latency_count\{[^}]*request_code="12345",response_code="system_error"/m);
    lag = 9;
    const second = parsePrometheusTextFormat(await prometheus.render());
    expect(sampleValue(second, 'rocketmq_consumer_lag_messages', { topic: 'T', consumer_group: 'cg' })).toBe(9);
  });
});
