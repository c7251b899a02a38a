#!/usr/bin/env node
// The `clean-rocketmq` command line: `start` runs a registry and a broker in one process,
// `registry` the name server alone, `broker -c broker.conf` a broker alone, `admin` mqadmin's commands
// (ts/admin/). Depends on commander, package.json and the roles.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { adminCommand, processAdminIo } from '../admin/admin-program.js';
import { Broker } from '../broker/server/broker.js';
import {
  defaultBrokerConfig,
  inertConfigWarning,
  loadBrokerConf,
  parseProperties,
} from '../broker/server/broker-config.js';
import { type LogOptions, loggerOf, metricsLine, metricsOverrides, withLogOptions } from './observability-options.js';
import { nodeScheduler } from '../common/node-scheduler.js';
import { Registry } from '../registry/server/registry.js';
import { exitOnCliError } from './cli-errors.js';
import { addStartCommand } from './start-command.js';
import { defaultRegistryConfig, registryConfigFromProperties } from '../registry/server/registry-config.js';
import { addDashboardCommand } from './dashboard-command.js';

interface PackageJson {
  readonly version: string;
  readonly description: string;
}

function readPackageJson(): PackageJson {
  // ts/cli/main.ts and dist/cli/main.js both sit two levels below the package root.
  const url = new URL('../../package.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as PackageJson;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is 0..65535');
  return port;
}

async function runRegistry(options: { port: number; host: string; config?: string } & LogOptions): Promise<void> {
  const logger = loggerOf(options, 'info', { role: 'registry' });
  const fromFile =
    options.config === undefined
      ? { overrides: {}, unknownKeys: [] }
      : registryConfigFromProperties(parseProperties(readFileSync(options.config, 'utf8')));
  for (const key of fromFile.unknownKeys) logger.warn('unknown registry config key ignored', { key });
  const config = defaultRegistryConfig({ ...fromFile.overrides, listenPort: options.port, listenHost: options.host });
  const registry = new Registry(config, logger, nodeScheduler);
  registry.stopOnSignals((exitCode) => process.exit(exitCode));
  await registry.start();
  console.log(`registry listening on ${options.host}:${registry.port}`);
}

/** Apache's proxy default: where RocketMQ 5 clients connect unless `--grpc-port` or broker.conf says otherwise. */
const DEFAULT_GRPC_PORT = 8081;

/** `--grpc-port`, else 8081 unless broker.conf sets `grpcServerPort` (undefined: keep the file's; 0: none). */
function grpcPortOf(flag: number | undefined, confFile: string | undefined): number | undefined {
  if (flag !== undefined) return flag;
  if (confFile !== undefined && parseProperties(readFileSync(confFile, 'utf8')).has('grpcServerPort')) return undefined;
  return DEFAULT_GRPC_PORT;
}

function grpcLine(address: string | null): string {
  return address === null ? '' : `, gRPC ${address}`;
}

async function runBroker(
  options: { config?: string; namesrvAddr?: string; grpcPort?: number; metricsPort?: number } & LogOptions,
): Promise<void> {
  const parsed =
    options.config === undefined
      ? { config: defaultBrokerConfig(), unknownKeys: [], inertKeys: [] }
      : loadBrokerConf(options.config);
  const logger = loggerOf(options, parsed.config.logLevel, { role: 'broker' });
  for (const key of parsed.unknownKeys) logger.warn('unknown broker.conf key ignored', { key });
  const inertWarning = inertConfigWarning(parsed.inertKeys);
  if (inertWarning !== null) logger.warn(inertWarning, { keys: parsed.inertKeys });
  const namesrv = options.namesrvAddr === undefined ? {} : { namesrvAddr: options.namesrvAddr };
  const grpcPort = grpcPortOf(options.grpcPort, options.config);
  const grpc = grpcPort === undefined ? {} : { grpcServerPort: grpcPort };
  const confPath = options.config === undefined ? {} : { brokerConfigPath: resolve(options.config) };
  const config = { ...parsed.config, ...confPath, ...namesrv, ...grpc, ...metricsOverrides(options.metricsPort) };
  const broker = new Broker(config, logger);
  broker.stopOnSignals((exitCode) => process.exit(exitCode));
  await broker.start();
  console.log(`broker ${config.brokerName} listening on ${broker.brokerAddr}${grpcLine(broker.grpcAddress)}`);
  printMetricsLine(broker.metricsUrl);
}

/** After the ready line (never on it: tests and bench/ parse it), where /metrics is served. */
function printMetricsLine(url: string | null): void {
  const line = metricsLine(url);
  if (line !== null) console.log(line);
}

function buildProgram(): Command {
  const { version, description } = readPackageJson();
  const program = new Command('clean-rocketmq').description(description).version(version, '-v, --version');
  program.exitOverride();
  withLogOptions(program.command('registry'))
    .description('run the registry (name server)')
    .option('-p, --port <port>', 'listen port', parsePort, 9876)
    .option('--host <host>', 'listen address', '0.0.0.0')
    .option('-c, --config <file>', 'namesrv.conf (Java .properties: the front-door limit keys of docs/reliability.md)')
    .action(runRegistry);
  addStartCommand(program, parsePort);
  withLogOptions(program.command('broker'))
    .description('run a broker that registers with the registries of -n (or namesrvAddr in broker.conf)')
    .option('-c, --config <file>', 'broker.conf (Java .properties with RocketMQ keys)')
    .option('-n, --namesrv-addr <addrs>', 'registries, host:port;host:port (overrides namesrvAddr)')
    .option(
      '--grpc-port <port>',
      'gRPC port for RocketMQ 5 clients (overrides grpcServerPort; default 8081; 0: none)',
      parsePort,
    )
    .option('--metrics-port <port>', 'Prometheus /metrics port (sets metricsExporterType=PROM; 0: none)', parsePort)
    .action(runBroker);
  program.addCommand(adminCommand(processAdminIo));
  addDashboardCommand(program, parsePort);
  return program;
}

await buildProgram().parseAsync().catch(exitOnCliError);
