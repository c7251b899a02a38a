// fastjson compatibility: RocketMQ's Java side writes JSON with fastjson 1.x, which emits integer map
// keys unquoted (`{0:"127.0.0.1:10911"}`). `parseFastJson` reads that as well as standard JSON;
// `stringifyLegacy` writes it for clients older than 4.9.4. Depends on nothing.

/** Parses standard JSON or fastjson's dialect with unquoted integer object keys. */
export function parseFastJson(text: string): unknown {
  return JSON.parse(quoteIntegerKeys(text));
}

/** Quotes bare integer keys (`{0:` / `,12:`) outside string literals. */
function quoteIntegerKeys(text: string): string {
  let out = '';
  let inString = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === '"') inString = false;
      i += 1;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      i += 1;
      continue;
    }
    if (ch === '{' || ch === ',') {
      out += ch;
      i += 1;
      const match = /^(\s*)(-?\d+)(\s*):/.exec(text.slice(i, i + 32));
      if (match !== null) {
        out += `${match[1]}"${match[2]}"${match[3]}:`;
        i += match[0].length;
      }
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/**
 * Standard compact JSON, except that keys of the objects at `integerKeyPaths` (dot paths, `*` for any
 * array element or map value) are written unquoted, as fastjson writes `Map<Long, String>`.
 */
export function stringifyLegacy(value: unknown, integerKeyPaths: readonly string[]): string {
  return write(value, '', new Set(integerKeyPaths));
}

function write(value: unknown, path: string, paths: ReadonlySet<string>): string {
  if (Array.isArray(value)) return `[${value.map((v) => write(v, join(path, '*'), paths)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const bare = paths.has(path);
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const items = entries.map(([key, v]) => {
      const name = bare && /^-?\d+$/.test(key) ? key : JSON.stringify(key);
      return `${name}:${write(v, join(path, bare ? '*' : key), paths)}`;
    });
    return `{${items.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function join(path: string, part: string): string {
  return path === '' ? part : `${path}.${part}`;
}
