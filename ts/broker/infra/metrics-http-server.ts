// MetricsHttpServer: the `/metrics` endpoint Prometheus scrapes (Apache's `metricsExporterType=PROM`
// on `metricsPromExporterHost:metricsPromExporterPort`), as a Lifecycle component. GET /metrics only;
// anything else is 404 or 405. A port already in use is logged and skipped, never fatal.
// Depends on node:http and prometheus-metrics.ts.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import type { PrometheusMetrics } from './prometheus-metrics.js';

export interface MetricsHttpOptions {
  readonly host: string;
  /** 0: an ephemeral port (tests). */
  readonly port: number;
  readonly logger: Logger;
}

export class MetricsHttpServer implements Component {
  readonly name = 'metrics-http';
  private server: Server | null = null;

  constructor(
    private readonly metrics: PrometheusMetrics,
    private readonly options: MetricsHttpOptions,
  ) {}

  /** The listening port (after start). */
  get port(): number {
    const address = this.server?.address();
    return address !== null && typeof address === 'object' ? address.port : 0;
  }

  /** `http://host:port/metrics` once listening; null when not listening. */
  get url(): string | null {
    return this.server === null ? null : `http://${this.options.host}:${this.port}/metrics`;
  }

  /** Listens; a port already taken is logged, not fatal: the broker serves its clients without metrics. */
  async start(): Promise<void> {
    const server = createServer((request, response) => void this.answer(request, response));
    const { host, port, logger } = this.options;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      logger.error('metrics endpoint could not listen; running without it', { host, port, error: String(error) });
      return;
    }
    server.on('error', (error) => logger.error('metrics endpoint failed', { error: String(error) }));
    this.server = server;
    logger.info('metrics endpoint listening', { url: this.url });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') return end(response, 404, 'not found: the metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return end(response, 405, 'GET /metrics\n');
    try {
      const body = await this.metrics.render();
      response.writeHead(200, { 'Content-Type': this.metrics.contentType });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.options.logger.error('metrics could not be rendered', { error: String(error) });
      end(response, 500, 'metrics could not be rendered\n');
    }
  }
}

function end(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
