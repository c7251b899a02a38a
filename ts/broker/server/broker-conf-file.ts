// Writing UPDATE_BROKER_CONFIG's accepted values back into the broker.conf the broker started from:
// each key's line is replaced where it stands (comments, order and other keys kept), new keys are
// appended, and the file is replaced atomically (temporary file + rename). Depends on broker-config.ts.

import { renameSync, readFileSync, writeFileSync } from 'node:fs';
import { parseProperties } from './broker-config.js';

/** Replaces the file at `path` with `updates` merged in. */
export function persistBrokerConf(path: string, updates: ReadonlyMap<string, string>): void {
  const merged = mergeBrokerConf(readFileSync(path, 'utf8'), updates);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, merged, 'utf8');
  renameSync(temporary, path);
}

/** `text` with each updated key's (logical) line replaced by `key=value`; keys not in it appended. */
export function mergeBrokerConf(text: string, updates: ReadonlyMap<string, string>): string {
  const lines = text === '' ? [] : text.split('\n');
  const trailingNewline = lines.length > 1 && lines[lines.length - 1] === '';
  if (trailingNewline) lines.pop();
  const pending = new Map(updates);
  const out: string[] = [];
  let continued = false;
  let dropping = false;
  for (const line of lines) {
    if (continued) {
      continued = endsWithOddBackslashes(line.replace(/\r$/, ''));
      if (!dropping) out.push(line);
      continue;
    }
    const stripped = line.replace(/\r$/, '').replace(/^[ \t\f]+/, '');
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith('!')) {
      out.push(line);
      continue;
    }
    continued = endsWithOddBackslashes(stripped);
    const key = lineKey(stripped);
    dropping = updates.has(key);
    if (!dropping) out.push(line);
    else if (pending.has(key)) out.push(propertyLine(key, pending.get(key) ?? ''));
    pending.delete(key);
  }
  for (const [key, value] of pending) out.push(propertyLine(key, value));
  return out.join('\n') + (trailingNewline || pending.size > 0 ? '\n' : '');
}

function lineKey(line: string): string {
  return [...parseProperties(line).keys()][0] ?? '';
}

function endsWithOddBackslashes(line: string): boolean {
  const trailing = /\\*$/.exec(line)?.[0].length ?? 0;
  return trailing % 2 === 1;
}

/** A `key=value` line Java `Properties.load` reads back as the same value. */
function propertyLine(key: string, value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/^ /, '\\ ');
  return `${key}=${escaped}`;
}
