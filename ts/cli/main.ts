#!/usr/bin/env node
// The `clean-rocketmq` command line: `registry` runs the name server, `broker -c broker.conf` a
// broker; `start` (all-in-one) and admin commands arrive with their issues. Depends on commander,
// package.json and the roles.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { Broker } from '../broker/server/broker.js';
import { defaultBrokerConfig, loadBrokerConf } from '../broker/server/broker-config.js';
import { createJsonLogger } from '../common/logger.js';
import { Registry } from '../registry/server/registry.js';
import { defaultRegistryConfig } from '../registry/server/registry-config.js';

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

async function runRegistry(options: { port: number; host: string }): Promise<void> {
  const logger = createJsonLogger('info', { role: 'registry' });
  const registry = new Registry(defaultRegistryConfig({ listenPort: options.port, listenHost: options.host }), logger);
  registry.stopOnSignals((exitCode) => process.exit(exitCode));
  await registry.start();
  console.log(`registry listening on ${options.host}:${registry.port}`);
}

async function runBroker(options: { config?: string; namesrvAddr?: string }): Promise<void> {
  const logger = createJsonLogger('info', { role: 'broker' });
  const parsed = options.config === undefined ? { config: defaultBrokerConfig(), unknownKeys: [] } : loadBrokerConf(options.config);
  for (const key of parsed.unknownKeys) logger.warn('unknown broker.conf key ignored', { key });
  const config = options.namesrvAddr === undefined ? parsed.config : { ...parsed.config, namesrvAddr: options.namesrvAddr };
  const broker = new Broker(config, logger);
  broker.stopOnSignals((exitCode) => process.exit(exitCode));
  await broker.start();
  console.log(`broker ${config.brokerName} listening on ${broker.brokerAddr}`);
}

function buildProgram(): Command {
  const { version, description } = readPackageJson();
  const program = new Command('clean-rocketmq').description(description).version(version, '-v, --version');
  program
    .command('registry')
    .description('run the registry (name server)')
    .option('-p, --port <port>', 'listen port', parsePort, 9876)
    .option('--host <host>', 'listen address', '0.0.0.0')
    .action(runRegistry);
  program
    .command('broker')
    .description('run a broker (send and pull are not served yet)')
    .option('-c, --config <file>', 'broker.conf (Java .properties with RocketMQ keys)')
    .option('-n, --namesrv-addr <addrs>', 'registries, host:port;host:port (overrides namesrvAddr)')
    .action(runBroker);
  return program;
}

await buildProgram().parseAsync();
