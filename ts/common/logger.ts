// Logger: the small structured-logging interface every component takes in its constructor, with a
// JSON-lines implementation on stderr and a silent one for tests. Depends on nothing.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line (e.g. the component name). */
  child(fields: Record<string, unknown>): Logger;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line on stderr: `{"time","level","msg",...fields}`. */
export function createJsonLogger(level: LogLevel = 'info', bound: Record<string, unknown> = {}): Logger {
  const threshold = LEVEL_ORDER[level];
  const write = (lineLevel: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[lineLevel] < threshold) return;
    const line = { time: new Date().toISOString(), level: lineLevel, msg: message, ...bound, ...fields };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createJsonLogger(level, { ...bound, ...fields }),
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
