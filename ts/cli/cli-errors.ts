// How the command line ends on bad input: one line on stderr and exit code 2 for a bad flag, a bad
// broker.conf key or value, or a missing file; one line and exit code 1 for a failure at run time
// (e.g. a port in use). Never a stack trace. Depends on commander and the broker config's error type.

import { CommanderError } from 'commander';
import { BrokerConfigError } from '../broker/server/broker-config.js';

/** Bad command-line input the user can fix: a flag, a config file, a config key. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** The exit code and the line to print (null: commander has printed it already) for what a command threw. */
export function describeCliError(error: unknown): { exitCode: number; line: string | null } {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0; commander printed its own error line.
    return { exitCode: error.exitCode === 0 ? 0 : EXIT_USAGE, line: null };
  }
  if (error instanceof CliUsageError) return { exitCode: EXIT_USAGE, line: `clean-rocketmq: ${error.message}` };
  if (error instanceof BrokerConfigError) {
    return { exitCode: EXIT_USAGE, line: `clean-rocketmq: broker.conf key ${error.message}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT_FAILURE, line: `clean-rocketmq: ${message.split('\n')[0]}` };
}

/** Prints the one line and exits with its code. */
export function exitOnCliError(error: unknown): never {
  const { exitCode, line } = describeCliError(error);
  if (line !== null) process.stderr.write(`${line}\n`);
  process.exit(exitCode);
}
