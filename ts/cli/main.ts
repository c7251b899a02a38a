#!/usr/bin/env node
// The `clean-rocketmq` command line. For now only --version and --help; commands arrive with the
// roles that implement them (namesrv, broker, admin). Depends on commander and package.json.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';

interface PackageJson {
  readonly version: string;
  readonly description: string;
}

function readPackageJson(): PackageJson {
  // ts/cli/main.ts and dist/cli/main.js both sit two levels below the package root.
  const url = new URL('../../package.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as PackageJson;
}

function buildProgram(): Command {
  const { version, description } = readPackageJson();
  const program = new Command('clean-rocketmq').description(description).version(version, '-v, --version');
  // No command yet: a bare invocation shows the help; any argument is an error.
  program.action(() => program.help());
  return program;
}

buildProgram().parse();
