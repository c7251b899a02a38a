// What every `clean-rocketmq admin` command shares: where output goes (`AdminIo`, so tests capture it),
// the name server from `-n` or NAMESRV_ADDR, an Admin client started and shut down around the command,
// failures as one line and exit code 1, `--json`, and mqadmin's column padding and time formats.
// Depends on commander, ts/client/admin/admin.ts, ts/common/logger.ts.

import type { Command } from 'commander';
import { Admin } from '../client/admin/admin.js';
import type { ClientOptions } from '../client/client-options.js';
import { createMemoryLogger } from '../common/logger.js';

/** Where a command writes, and how it reports its exit code. */
export interface AdminIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly setExitCode: (code: number) => void;
}

/** The options every command takes. */
export interface CommonOptions {
  readonly namesrvAddr?: string;
  readonly json?: boolean;
}

/** A command-line mistake the user can fix: printed as is. */
export class AdminUsageError extends Error {
  override readonly name = 'AdminUsageError';
}

/** Adds `-n` and `--json` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('-n, --namesrvAddr <addr>', 'name server address list, eg: 192.168.0.1:9876;192.168.0.2:9876')
    .option('--json', 'print the result as JSON');
}

/** `-n`, else NAMESRV_ADDR (as mqadmin), else a usage error. */
export function namesrvAddrOf(options: CommonOptions, io: AdminIo): string {
  const addr = options.namesrvAddr?.trim() || io.env['NAMESRV_ADDR']?.trim();
  if (addr === undefined || addr === '') {
    throw new AdminUsageError('no name server address: give -n <host:port> or set NAMESRV_ADDR');
  }
  return addr;
}

/** The client options of an admin command: quiet (failures are reported by the command), loopback-safe. */
export function adminClientOptions(options: CommonOptions, io: AdminIo): ClientOptions {
  return {
    namesrvAddr: namesrvAddrOf(options, io),
    logger: createMemoryLogger(),
  };
}

/** Runs `body` with a started Admin, shut down afterwards. */
export async function withAdmin<T>(
  options: CommonOptions,
  io: AdminIo,
  body: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = new Admin(adminClientOptions(options, io));
  await admin.startup();
  try {
    return await body(admin);
  } finally {
    await admin.shutdown();
  }
}

/** The one line a failure prints: the error's own message, on one line. */
export function failureLine(commandName: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${commandName} command failed: ${message.replace(/\s*\n\s*/g, ' ')}`;
}

/**
 * A commander action that never throws: a failure prints one line on stderr and sets exit code 1
 * (mqadmin prints a stack trace and exits 0; scripts want the code).
 */
export function guardedAction<O extends CommonOptions>(
  commandName: string,
  io: AdminIo,
  run: (options: O) => Promise<void>,
): (options: O) => Promise<void> {
  return async (options: O) => {
    try {
      await run(options);
    } catch (error) {
      io.err(`${failureLine(commandName, error)}\n`);
      io.setExitCode(1);
    }
  };
}

/** Prints `data` as JSON when `--json`, else calls `text`. */
export function printResult(options: CommonOptions, io: AdminIo, data: unknown, text: () => void): void {
  if (options.json === true) io.out(`${JSON.stringify(data, jsonReplacer, 2)}\n`);
  else text();
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Date) return value.getTime();
  return value;
}

/** Java `%-Ns`: left-aligned, padded to `width`. */
export function left(value: string | number, width: number): string {
  return String(value).padEnd(width);
}

/** Java `%Ns`: right-aligned. */
export function right(value: string | number, width: number): string {
  return String(value).padStart(width);
}

/** Java `UtilAll.frontStringAtLeast`: at most `size` characters. */
export function front(value: string, size: number): string {
  return value.length > size ? value.slice(0, size) : value;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `yyyy-MM-dd HH:mm:ss` in local time (Java `UtilAll.YYYY_MM_DD_HH_MM_SS`). */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `yyyy-MM-dd HH:mm:ss,SSS` in local time (Java `UtilAll.timeMillisToHumanString2`). */
export function formatHumanTime(ms: number): string {
  return `${formatDateTime(ms)},${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;
}

/** An integer flag (Java `Integer.parseInt`); a usage error otherwise. */
export function parseIntFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const trimmed = value.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new AdminUsageError(`${name} must be an integer, not "${value}"`);
  return Number(trimmed);
}

/** A boolean flag (Java `Boolean.parseBoolean`: "true" in any case is true). */
export function parseBoolFlag(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value.trim().toLowerCase() === 'true';
}

/** `-b` or `-c`, exactly one (mqadmin's required option group). */
export function brokerOrCluster(options: { brokerAddr?: string; clusterName?: string }): {
  brokerAddr?: string;
  clusterName?: string;
} {
  if (options.brokerAddr !== undefined) return { brokerAddr: options.brokerAddr.trim() };
  if (options.clusterName !== undefined) return { clusterName: options.clusterName.trim() };
  throw new AdminUsageError('give the broker (-b <host:port>) or the cluster (-c <name>)');
}
