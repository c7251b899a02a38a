#!/usr/bin/env node
// The `clean-rocketmq` command line: `registry` runs the name server; more roles (broker, start,
// admin) arrive with the issues that implement them. Depends on commander, package.json and the roles.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
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

function buildProgram(): Command {
  const { version, description } = readPackageJson();
  const program = new Command('clean-rocketmq').description(description).version(version, '-v, --version');
  program
    .command('registry')
    .description('run the registry (name server)')
    .option('-p, --port <port>', 'listen port', parsePort, 9876)
    .option('--host <host>', 'listen address', '0.0.0.0')
    .action(runRegistry);
  return program;
}

await buildProgram().parseAsync();
