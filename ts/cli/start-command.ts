// `clean-rocketmq start [-c broker.conf]`: a registry and a broker in one process (the all-in-one).
// broker.conf's keys apply to the broker; the ports come from the flags when given, else from the file
// (`listenPort`, `grpcServerPort`), else the defaults. Depends on commander, the broker config reader
// and ts/server/all-in-one.ts.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type BrokerConfig,
  inertConfigWarning,
  parseBrokerConf,
  parseProperties,
} from '../broker/server/broker-config.js';
import type { Logger } from '../common/logger.js';
import { AllInOne } from '../server/all-in-one.js';
import { CliUsageError } from './cli-errors.js';
import {
  DEFAULT_METRICS_PORT,
  type LogOptions,
  loggerOf,
  metricsLine,
  metricsOverrides,
  withLogOptions,
} from './observability-options.js';

const DEFAULT_REGISTRY_PORT = 9876;
const DEFAULT_BROKER_PORT = 10911;
/** Apache's proxy default: where RocketMQ 5 clients connect. */
const DEFAULT_GRPC_PORT = 8081;
/** Where `start` serves its dashboard unless told otherwise (as Apache's rocketmq-dashboard). */
const DEFAULT_DASHBOARD_PORT = 8080;

const UNREADABLE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a broker.conf file',
};

interface StartOptions extends LogOptions {
  readonly config?: string;
  readonly metricsPort?: number;
  readonly dashboardPort?: number;
  readonly dataDir?: string;
  readonly registryPort?: number;
  readonly brokerPort?: number;
  readonly grpcPort?: number;
  readonly store: 'disk' | 'memory';
}

/** The keys the file sets, with their values checked and converted (BrokerConfigError names a bad one). */
export function brokerOverridesFromFile(path: string, logger: Logger): Partial<BrokerConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new CliUsageError(`-c ${path}: ${UNREADABLE_REASONS[code] ?? `cannot be read (${code})`}`);
  }
  const parsed = parseBrokerConf(text);
  for (const key of parsed.unknownKeys) logger.warn('unknown broker.conf key ignored', { key });
  const inertWarning = inertConfigWarning(parsed.inertKeys);
  if (inertWarning !== null) logger.warn(inertWarning, { keys: parsed.inertKeys });
  const given = [...parseProperties(text).keys()].filter((key) => Object.hasOwn(parsed.config, key));
  const overrides = Object.fromEntries(given.map((key) => [key, parsed.config[key as keyof BrokerConfig]]));
  return { ...overrides, brokerConfigPath: resolve(path) };
}

function checkedPort(key: string, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`${key}: ${port} is not 0..65535`);
  return port;
}

async function runStart(options: StartOptions): Promise<void> {
  const fileLogger = loggerOf(options, 'warn', { role: 'all-in-one' });
  const fromFile = options.config === undefined ? {} : brokerOverridesFromFile(options.config, fileLogger);
  const logger = loggerOf(options, fromFile.logLevel ?? 'warn', { role: 'all-in-one' });
  const brokerPort = checkedPort('listenPort', options.brokerPort ?? fromFile.listenPort ?? DEFAULT_BROKER_PORT);
  const grpcPort = checkedPort('grpcServerPort', options.grpcPort ?? fromFile.grpcServerPort ?? DEFAULT_GRPC_PORT);
  const dashboardPort = checkedPort(
    'dashboardPort',
    options.dashboardPort ?? fromFile.dashboardPort ?? DEFAULT_DASHBOARD_PORT,
  );
  const server = new AllInOne(
    {
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      registryPort: options.registryPort ?? DEFAULT_REGISTRY_PORT,
      brokerPort,
      grpcPort,
      store: options.store,
      broker: { ...fromFile, ...metricsOf(options, fromFile), grpcServerPort: grpcPort, dashboardPort },
    },
    logger,
  );
  await server.start();
  stopOnSignals(server);
  const grpc = server.grpcAddress === null ? '' : `, gRPC ${server.grpcAddress}`;
  console.log(`clean-rocketmq ready: registry ${server.registryAddress}, broker ${server.brokerAddress}${grpc}`);
  // Lines of their own after the ready line: scripts read the addresses from the first.
  const metrics = metricsLine(server.brokerServer.metricsUrl);
  if (metrics !== null) console.log(metrics);
  const dashboard = server.brokerServer.dashboardPort;
  if (dashboard !== null) console.log(`dashboard http://127.0.0.1:${dashboard}/`);
}

/** /metrics: `--metrics-port` wins; else broker.conf's metrics keys; else on, at 127.0.0.1:5557. */
function metricsOf(options: StartOptions, fromFile: Partial<BrokerConfig>): Partial<BrokerConfig> {
  if (options.metricsPort !== undefined)
    return { metricsPromExporterHost: '127.0.0.1', ...metricsOverrides(options.metricsPort) };
  if (fromFile.metricsExporterType !== undefined) return {};
  return { metricsPromExporterHost: '127.0.0.1', ...metricsOverrides(DEFAULT_METRICS_PORT) };
}

function stopOnSignals(server: AllInOne): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Adds `start` to the program; `parsePort` is the CLI's port reader (0..65535). */
export function addStartCommand(program: Command, parsePort: (value: string) => number): void {
  withLogOptions(program.command('start'))
    .description('run a registry (name server) and a broker in one process, and print their addresses')
    .option('-c, --config <file>', "broker.conf (Java .properties, RocketMQ's keys) applied to the broker")
    .option('--data-dir <dir>', 'where the broker stores its data (default ~/clean-rocketmq)')
    .option('--registry-port <port>', `registry port (default ${DEFAULT_REGISTRY_PORT}; 0: any free port)`, parsePort)
    .option(
      '--broker-port <port>',
      `broker port (default: listenPort of -c, else ${DEFAULT_BROKER_PORT}; 0: any free port)`,
      parsePort,
    )
    .option(
      '--grpc-port <port>',
      `gRPC port for RocketMQ 5 clients (default: grpcServerPort of -c, else ${DEFAULT_GRPC_PORT}; 0: none)`,
      parsePort,
    )
    .option(
      '--dashboard-port <port>',
      `the dashboard on 127.0.0.1 (default: dashboardPort of -c, else ${DEFAULT_DASHBOARD_PORT}; 0: none)`,
      parsePort,
    )
    .option('--metrics-port <port>', `Prometheus /metrics port (default ${DEFAULT_METRICS_PORT}; 0: none)`, parsePort)
    .addOption(
      new Option('--store <kind>', 'disk: the Rust store; memory: no files, gone at exit')
        .choices(['disk', 'memory'])
        .default('disk'),
    )
    .action(runStart);
}
