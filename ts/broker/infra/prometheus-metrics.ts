// The Prometheus view of BrokerMetrics (docs/metrics.md): a prom-client Registry with the process and
// Node runtime metrics (prom-client's defaults) and one collector per RocketMQ 5 metric, all reading
// the one snapshot taken per scrape. Request and response codes are labelled with Apache's lowercase
// names. Depends on prom-client, ts/remoting/codes.ts and services/broker-metrics.ts.

import { collectDefaultMetrics, Registry } from 'prom-client';
import { requestCodeName, responseCodeName } from '../../remoting/codes.js';
import type { BrokerMetrics, BrokerMetricsSnapshot, Histogram } from '../services/broker-metrics.js';

type Labels = Record<string, string>;
interface Sample {
  readonly labels: Labels;
  readonly value: number;
  readonly metricName?: string;
}
type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric as prom-client's Registry reads it (`name`, `help`, `type`, `get()`). */
interface SnapshotMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  get(): { name: string; help: string; type: MetricType; values: Sample[]; aggregator: 'sum' };
}

interface MetricDef {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: (snapshot: BrokerMetricsSnapshot) => Sample[];
}

const bool = (value: boolean): string => String(value);
const one = (labels: Labels, value: number): Sample => ({ labels, value });

function codeLabel(name: string | undefined, code: number): string {
  return name === undefined ? String(code) : name.toLowerCase();
}

/** A histogram's `_bucket` (cumulative, `le`), `_sum` and `_count` samples. */
function histogramSamples(name: string, labels: Labels, histogram: Histogram): Sample[] {
  const samples: Sample[] = [];
  let cumulative = 0;
  histogram.counts.forEach((count, i) => {
    cumulative += count;
    const bound = histogram.bounds[i];
    const le = bound === undefined ? '+Inf' : String(bound);
    samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
  });
  samples.push({ metricName: `${name}_sum`, labels, value: histogram.sum });
  samples.push({ metricName: `${name}_count`, labels, value: histogram.count });
  return samples;
}

const lagGauge = (name: string, help: string, pick: (lag: BrokerMetricsSnapshot['consumerLags'][number]) => number) =>
  ({
    name,
    help,
    type: 'gauge',
    samples: (s) =>
      s.consumerLags.map((lag) =>
        one(
          { topic: lag.topic, consumer_group: lag.group, is_retry: bool(lag.topic.startsWith('%RETRY%')) },
          pick(lag),
        ),
      ),
  }) satisfies MetricDef;

const connectionGauge = (name: string, help: string, consumer: boolean): MetricDef => ({
  name,
  help,
  type: 'gauge',
  samples: (s) =>
    (consumer ? s.consumerConnections : s.producerConnections).map((c) =>
      one(
        {
          ...(consumer && { consumer_group: c.group }),
          language: c.language,
          version: c.version,
          protocol_type: 'remoting',
        },
        c.count,
      ),
    ),
});

/** Apache's metric names (BrokerMetricsConstant, RemotingMetricsConstant, DefaultStoreMetricsConstant). */
const METRICS: readonly MetricDef[] = [
  {
    name: 'rocketmq_messages_in_total',
    help: 'Total number of incoming messages',
    type: 'counter',
    samples: (s) => s.messagesIn.map((t) => one({ topic: t.topic, is_system: bool(t.isSystem) }, t.messages)),
  },
  {
    name: 'rocketmq_throughput_in_total',
    help: 'Total traffic of incoming messages, in bytes',
    type: 'counter',
    samples: (s) => s.messagesIn.map((t) => one({ topic: t.topic, is_system: bool(t.isSystem) }, t.bytes)),
  },
  {
    name: 'rocketmq_messages_out_total',
    help: 'Total number of outgoing messages',
    type: 'counter',
    samples: (s) =>
      s.messagesOut.map((o) =>
        one(
          { topic: o.topic, consumer_group: o.group, is_retry: bool(o.isRetry), is_system: bool(o.isSystem) },
          o.messages,
        ),
      ),
  },
  {
    name: 'rocketmq_throughput_out_total',
    help: 'Total traffic of outgoing messages, in bytes',
    type: 'counter',
    samples: (s) =>
      s.messagesOut.map((o) =>
        one(
          { topic: o.topic, consumer_group: o.group, is_retry: bool(o.isRetry), is_system: bool(o.isSystem) },
          o.bytes,
        ),
      ),
  },
  {
    name: 'rocketmq_message_size',
    help: 'Incoming messages size, in bytes',
    type: 'histogram',
    samples: (s) =>
      s.messageSizes.flatMap((t) => histogramSamples('rocketmq_message_size', { topic: t.topic }, t.sizes)),
  },
  {
    name: 'rocketmq_rpc_latency',
    help: 'Rpc latency, in milliseconds',
    type: 'histogram',
    samples: (s) =>
      s.rpcLatency.flatMap((r) =>
        histogramSamples(
          'rocketmq_rpc_latency',
          {
            protocol_type: 'remoting',
            request_code: codeLabel(requestCodeName(r.requestCode), r.requestCode),
            response_code: codeLabel(responseCodeName(r.responseCode), r.responseCode),
          },
          r.latencyMs,
        ),
      ),
  },
  connectionGauge('rocketmq_producer_connections', 'Producer connections', false),
  connectionGauge('rocketmq_consumer_connections', 'Consumer connections', true),
  lagGauge('rocketmq_consumer_lag_messages', 'Consumer lag messages', (l) => l.lagMessages),
  lagGauge('rocketmq_consumer_lag_latency', 'Consumer lag time, in milliseconds', (l) => l.lagLatencyMs),
  lagGauge('rocketmq_consumer_inflight_messages', 'Consumer inflight messages', (l) => l.inflightMessages),
  lagGauge('rocketmq_consumer_queueing_latency', 'Consumer queueing time, in milliseconds', (l) => l.queueingLatencyMs),
  lagGauge('rocketmq_consumer_ready_messages', 'Consumer ready messages', (l) => l.readyMessages),
  {
    name: 'rocketmq_send_to_dlq_messages_total',
    help: 'Consumer send to DLQ messages',
    type: 'counter',
    samples: (s) => s.sendToDlq.map((d) => one({ consumer_group: d.group }, d.messages)),
  },
  {
    name: 'rocketmq_commit_messages_total',
    help: 'Total number of commit messages',
    type: 'counter',
    samples: (s) => s.commits.map((c) => one({ topic: c.topic }, c.messages)),
  },
  {
    name: 'rocketmq_rollback_messages_total',
    help: 'Total number of rollback messages',
    type: 'counter',
    samples: (s) => s.rollbacks.map((c) => one({ topic: c.topic }, c.messages)),
  },
  {
    name: 'rocketmq_half_messages',
    help: 'Half messages of all topics',
    type: 'gauge',
    samples: (s) => s.halfMessages.map((h) => one({ topic: h.topic }, h.messages)),
  },
  {
    name: 'rocketmq_topic_number',
    help: 'Active topic number',
    type: 'gauge',
    samples: (s) => [one({}, s.topicCount)],
  },
  {
    name: 'rocketmq_consumer_group_number',
    help: 'Active subscription group number',
    type: 'gauge',
    samples: (s) => [one({}, s.groupCount)],
  },
  ...storageGauges(),
];

function storageGauges(): MetricDef[] {
  const labels = { storage_type: 'local', storage_medium: 'disk' };
  return [
    ['rocketmq_storage_size', 'Broker storage size, in bytes', 'sizeBytes'] as const,
    ['rocketmq_storage_flush_behind_bytes', 'Broker flush behind bytes', 'flushBehindBytes'] as const,
    ['rocketmq_storage_dispatch_behind_bytes', 'Broker dispatch behind bytes', 'dispatchBehindBytes'] as const,
  ].map(([name, help, key]) => ({ name, help, type: 'gauge', samples: (s) => [one(labels, s.storage[key])] }));
}

/** The names the exporter serves besides prom-client's process and Node runtime metrics. */
export const ROCKETMQ_METRIC_NAMES: readonly string[] = METRICS.map((metric) => metric.name);

/** A Registry over `metrics`; `render()` takes one snapshot and formats every metric from it. */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private current: BrokerMetricsSnapshot | null = null;

  constructor(private readonly metrics: BrokerMetrics) {
    const { cluster, node_type, node_id } = metrics.node;
    this.registry.setDefaultLabels({ cluster, node_type, node_id });
    collectDefaultMetrics({ register: this.registry });
    for (const def of METRICS) this.registry.registerMetric(this.collector(def) as never);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric, from one snapshot. */
  async render(): Promise<string> {
    this.current = this.metrics.snapshot();
    try {
      return await this.registry.metrics();
    } finally {
      this.current = null;
    }
  }

  private collector(def: MetricDef): SnapshotMetric {
    const { name, help, type } = def;
    return {
      name,
      help,
      type,
      get: () => ({
        name,
        help,
        type,
        values: this.current === null ? [] : def.samples(this.current),
        aggregator: 'sum',
      }),
    };
  }
}
