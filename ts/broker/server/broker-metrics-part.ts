// The metrics part of the broker (docs/metrics.md): the BrokerMetrics counters (built with the store,
// which counts puts through them), their gauge sources once the services exist, and the Prometheus
// `/metrics` endpoint when `metricsExporterType=PROM`. Depends on the metrics service and infra files.

import { AdminStoreView } from '../infra/admin-store-view.js';
import { MetricsHttpServer } from '../infra/metrics-http-server.js';
import { PrometheusMetrics } from '../infra/prometheus-metrics.js';
import { BrokerMetrics } from '../services/broker-metrics.js';
import { BrokerMetricsSources } from '../services/metrics-sources.js';
import type { TransactionService } from '../services/transaction-service.js';
import type { BrokerConfig } from './broker-config.js';
import type { BrokerContext, ClientParts, MetadataParts, StoreParts } from './broker-parts.js';

/** The counters, labelled as Apache labels every series: cluster, node type and node id (the broker name). */
export function buildMetricsCounters(config: BrokerConfig): BrokerMetrics {
  return new BrokerMetrics({ cluster: config.brokerClusterName, node_type: 'broker', node_id: config.brokerName });
}

export interface MetricsParts {
  /** Built on first use: prom-client's runtime collectors observe the process from then on. */
  readonly prometheus: () => PrometheusMetrics;
  /** The `/metrics` endpoint; null unless `metricsExporterType=PROM`. */
  readonly http: MetricsHttpServer | null;
}

/** Gauges read from the managers and the store; the endpoint on `metricsPromExporterHost:Port` (0: ephemeral). */
export function buildMetrics(
  ctx: BrokerContext,
  parts: { meta: MetadataParts; store: StoreParts; client: ClientParts; transactions?: TransactionService },
): MetricsParts {
  const { config, scheduler, logger } = ctx;
  const { meta, store, client, transactions } = parts;
  const storeView = new AdminStoreView(() => store.storeComponent.store);
  store.metrics.attachSources(
    new BrokerMetricsSources({
      topics: meta.topics,
      groups: meta.groups,
      offsets: meta.offsets,
      consumers: client.consumers,
      producerChannels: () => client.producers.groupChannels(),
      store: storeView,
      nowMs: () => scheduler.now(),
      ...(transactions === undefined ? {} : { openHalves: () => transactions.openHalfCounts() }),
    }),
  );
  let built: PrometheusMetrics | null = null;
  const prometheus = (): PrometheusMetrics => (built ??= new PrometheusMetrics(store.metrics));
  if (config.metricsExporterType !== 'PROM') return { prometheus, http: null };
  const http = new MetricsHttpServer(prometheus(), {
    host: config.metricsPromExporterHost === '' ? '0.0.0.0' : config.metricsPromExporterHost,
    port: config.metricsPromExporterPort,
    logger: logger.child({ component: 'metrics' }),
  });
  return { prometheus, http };
}
