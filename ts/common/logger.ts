// Logger: the small structured-logging interface every component takes in its constructor, backed by
// pino (one JSON object per line on stderr, or pino-pretty for humans; docs/metrics.md §4), and a
// silent one that keeps its lines for tests. Depends on pino and pino-pretty.

import { type DestinationStream, pino, stdTimeFunctions } from 'pino';
import pinoPretty from 'pino-pretty';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** What a process may be configured with: a level, or `silent`. */
export type LogThreshold = LogLevel | 'silent';

export const LOG_THRESHOLDS: readonly LogThreshold[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line (e.g. the component name). */
  child(fields: Record<string, unknown>): Logger;
}

export interface JsonLoggerOptions {
  /** Human-readable lines through pino-pretty instead of JSON. */
  readonly pretty?: boolean;
  /** Where lines go (default: stderr, written synchronously so nothing is lost at exit). */
  readonly destination?: DestinationStream;
}

let stderrDestination: DestinationStream | null = null;
let prettyDestination: DestinationStream | null = null;

function destinationOf(options: JsonLoggerOptions): DestinationStream {
  if (options.destination !== undefined) return options.destination;
  if (options.pretty === true) return (prettyDestination ??= pinoPretty({ destination: 2, sync: true }));
  return (stderrDestination ??= pino.destination({ fd: 2, sync: true }));
}

/**
 * One JSON object per line: `{"level":"info","time":"<ISO 8601>","msg":…,…fields}` (pino's `pid` too).
 * Fields are bound with `child`; a line's own fields come after them.
 */
export function createJsonLogger(
  level: LogThreshold = 'info',
  bound: Record<string, unknown> = {},
  options: JsonLoggerOptions = {},
): Logger {
  const root = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destinationOf(options),
  );
  return wrap(root, bound);
}

/** A child binds the merged fields on the root (pino's own children would repeat a rebound key). */
function wrap(root: pino.Logger, bound: Record<string, unknown>): Logger {
  const target = Object.keys(bound).length === 0 ? root : root.child(bound);
  return {
    debug: (message, fields) => target.debug(fields ?? {}, message),
    info: (message, fields) => target.info(fields ?? {}, message),
    warn: (message, fields) => target.warn(fields ?? {}, message),
    error: (message, fields) => target.error(fields ?? {}, message),
    child: (fields) => wrap(root, { ...bound, ...fields }),
  };
}

/** Drops everything; `lines` keeps what was logged so tests can assert on it. */
export function createMemoryLogger(): Logger & {
  readonly lines: Array<{ level: LogLevel; message: string; fields?: Record<string, unknown> }>;
} {
  const lines: Array<{ level: LogLevel; message: string; fields?: Record<string, unknown> }> = [];
  const make = (bound: Record<string, unknown>): Logger => ({
    debug: (message, fields) => lines.push({ level: 'debug', message, fields: { ...bound, ...fields } }),
    info: (message, fields) => lines.push({ level: 'info', message, fields: { ...bound, ...fields } }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields: { ...bound, ...fields } }),
    error: (message, fields) => lines.push({ level: 'error', message, fields: { ...bound, ...fields } }),
    child: (fields) => make({ ...bound, ...fields }),
  });
  return Object.assign(make({}), { lines });
}
