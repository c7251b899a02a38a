// `clean-rocketmq admin <command>`: mqadmin's commands over the TypeScript Admin SDK (docs/admin-cli.md).
// `adminCommand(io)` is the commander tree the CLI registers; `runAdmin(argv, io)` runs one command
// in-process with captured output (tests) and resolves with its exit code. Depends on commander and
// the command files of this folder.

import { Command, CommanderError } from 'commander';
import type { AdminIo } from './admin-io.js';
import { addClusterCommands } from './cluster-commands.js';
import { addConnectionCommands } from './connection-commands.js';
import { addConsumeMessageCommand } from './consume-message-command.js';
import { addGroupCommands } from './group-commands.js';
import { addMessageCommands } from './message-commands.js';
import { addTopicCommands } from './topic-commands.js';

/** Output to the process's stdout and stderr; the exit code into `process.exitCode`. */
export const processAdminIo: AdminIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** The `admin` command and its subcommands, writing to `io`. */
export function adminCommand(io: AdminIo): Command {
  const admin = new Command('admin')
    .description("administer a cluster (mqadmin's commands; -n or NAMESRV_ADDR names the name server)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(false);
  addTopicCommands(admin, io);
  addClusterCommands(admin, io);
  addGroupCommands(admin, io);
  addConnectionCommands(admin, io);
  addMessageCommands(admin, io);
  addConsumeMessageCommand(admin, io);
  return admin;
}

/**
 * Runs `admin <argv…>` in this process; resolves with the exit code (0, 1 for a failed command, or
 * commander's for bad usage). Never throws for user errors.
 */
export async function runAdmin(argv: readonly string[], io: AdminIo): Promise<number> {
  let exitCode = 0;
  const captured: AdminIo = { ...io, setExitCode: (code) => (exitCode = code) };
  const admin = adminCommand(captured).exitOverride();
  for (const command of admin.commands) command.exitOverride();
  try {
    await admin.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  io.setExitCode(exitCode);
  return exitCode;
}
