#!/usr/bin/env node
// The `clean-rocketmq` command line: `start` runs a registry and a broker in one process,
// `registry` the name server alone, `broker -c broker.conf` a broker alone; admin commands arrive
// with their issue. Depends on commander, package.json and the roles.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { Broker } from '../broker/server/broker.js';
import {
  defaultBrokerConfig,
  inertConfigWarning,
  loadBrokerConf,
  parseProperties,
} from '../broker/server/broker-config.js';
import { createJsonLogger } from '../common/logger.js';
import { nodeScheduler } from '../common/node-scheduler.js';
import { Registry } from '../registry/server/registry.js';
import { AllInOne } from '../server/all-in-one.js';
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

async function runRegistry(options: { port: number; host: string; config?: string }): Promise<void> {
  const logger = createJsonLogger('info', { role: 'registry' });
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

async function runBroker(options: { config?: string; namesrvAddr?: string; grpcPort?: number }): Promise<void> {
  const logger = createJsonLogger('info', { role: 'broker' });
  const parsed =
    options.config === undefined
      ? { config: defaultBrokerConfig(), unknownKeys: [], inertKeys: [] }
      : loadBrokerConf(options.config);
  for (const key of parsed.unknownKeys) logger.warn('unknown broker.conf key ignored', { key });
  const inertWarning = inertConfigWarning(parsed.inertKeys);
  if (inertWarning !== null) logger.warn(inertWarning, { keys: parsed.inertKeys });
  const namesrv = options.namesrvAddr === undefined ? {} : { namesrvAddr: options.namesrvAddr };
  const grpcPort = grpcPortOf(options.grpcPort, options.config);
  const grpc = grpcPort === undefined ? {} : { grpcServerPort: grpcPort };
  const config = { ...parsed.config, ...namesrv, ...grpc };
  const broker = new Broker(config, logger);
  broker.stopOnSignals((exitCode) => process.exit(exitCode));
  await broker.start();
  console.log(`broker ${config.brokerName} listening on ${broker.brokerAddr}${grpcLine(broker.grpcAddress)}`);
}

async function runAllInOne(options: {
  dataDir?: string;
  registryPort: number;
  brokerPort: number;
  grpcPort?: number;
  dashboardPort: number;
}): Promise<void> {
  const logger = createJsonLogger('warn', { role: 'all-in-one' });
  const broker = { dashboardPort: options.dashboardPort };
  const server = new AllInOne({ ...options, grpcPort: options.grpcPort ?? DEFAULT_GRPC_PORT, broker }, logger);
  await server.start();
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
  const ready = `clean-rocketmq ready: registry ${server.registryAddress}, broker ${server.brokerAddress}`;
  console.log(`${ready}${grpcLine(server.grpcAddress)}`);
  const dashboardPort = server.brokerServer.dashboardPort;
  // A line of its own: scripts read the addresses from the first.
  if (dashboardPort !== null) console.log(`dashboard http://127.0.0.1:${dashboardPort}/`);
}

function buildProgram(): Command {
  const { version, description } = readPackageJson();
  const program = new Command('clean-rocketmq').description(description).version(version, '-v, --version');
  program
    .command('registry')
    .description('run the registry (name server)')
    .option('-p, --port <port>', 'listen port', parsePort, 9876)
    .option('--host <host>', 'listen address', '0.0.0.0')
    .option('-c, --config <file>', 'namesrv.conf (Java .properties: the front-door limit keys of docs/reliability.md)')
    .action(runRegistry);
  program
    .command('start')
    .description('run a registry and a broker in one process (all-in-one)')
    .option('--data-dir <dir>', 'where the broker stores its data (default ~/clean-rocketmq)')
    .option('--registry-port <port>', 'registry port', parsePort, 9876)
    .option('--broker-port <port>', 'broker port', parsePort, 10911)
    .option('--grpc-port <port>', 'gRPC port for RocketMQ 5 clients (default 8081; 0: none)', parsePort)
    .option('--dashboard-port <port>', 'the dashboard on 127.0.0.1 (0: none)', parsePort, 8080)
    .action(runAllInOne);
  program
    .command('broker')
    .description('run a broker (send and pull are not served yet)')
    .option('-c, --config <file>', 'broker.conf (Java .properties with RocketMQ keys)')
    .option('-n, --namesrv-addr <addrs>', 'registries, host:port;host:port (overrides namesrvAddr)')
    .option(
      '--grpc-port <port>',
      'gRPC port for RocketMQ 5 clients (overrides grpcServerPort; default 8081; 0: none)',
      parsePort,
    )
    .action(runBroker);
  addDashboardCommand(program, parsePort);
  return program;
}

await buildProgram().parseAsync();
