// The CLI's logging and metrics options, shared by its commands: `--log-level`, `--log-pretty` and
// `--metrics-port` (docs/metrics.md §1), and how they combine with broker.conf. Depends on commander,
// the logger and broker-config.ts.

import { type Command, InvalidArgumentError } from 'commander';
import type { BrokerConfig } from '../broker/server/broker-config.js';
import { createJsonLogger, LOG_THRESHOLDS, type Logger, type LogThreshold } from '../common/logger.js';

export interface LogOptions {
  readonly logLevel?: LogThreshold;
  readonly logPretty?: boolean;
}

/** What `clean-rocketmq start` serves /metrics on unless told otherwise (Apache's metricsPromExporterPort). */
export const DEFAULT_METRICS_PORT = 5557;

function parseLogLevel(value: string): LogThreshold {
  const level = value.toLowerCase() as LogThreshold;
  if (!LOG_THRESHOLDS.includes(level)) throw new InvalidArgumentError(`one of ${LOG_THRESHOLDS.join(', ')}`);
  return level;
}

/** Adds `--log-level` and `--log-pretty` to `command`. */
export function withLogOptions(command: Command): Command {
  return command
    .option('--log-level <level>', `log level: ${LOG_THRESHOLDS.join(', ')}`, parseLogLevel)
    .option('--log-pretty', 'human-readable log lines (pino-pretty) instead of JSON');
}

/** The process logger: `--log-level`, else `fallback` (broker.conf's logLevel or the command's default). */
export function loggerOf(options: LogOptions, fallback: LogThreshold, bound: Record<string, unknown>): Logger {
  return createJsonLogger(options.logLevel ?? fallback, bound, { pretty: options.logPretty === true });
}

/** `--metrics-port`: 0 turns /metrics off, another port turns it on there (PROM); absent keeps `base`. */
export function metricsOverrides(port: number | undefined): Partial<BrokerConfig> {
  if (port === undefined) return {};
  if (port === 0) return { metricsExporterType: 'DISABLE' };
  return { metricsExporterType: 'PROM', metricsPromExporterPort: port };
}

/** The line printed after the ready line when /metrics is served. */
export function metricsLine(url: string | null): string | null {
  return url === null ? null : `metrics ${url}`;
}
