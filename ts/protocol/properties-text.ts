// The `key=value` lines of Java `MixAll.properties2String` / `string2Properties`: the bodies of
// GET_BROKER_CONFIG (26) and UPDATE_BROKER_CONFIG (25), shared by the admin client and the broker.
// Depends on nothing.

/** Parses `key=value` lines (blank lines and `#` comments skipped; the first `=` splits). */
export function decodePropertiesText(body: Buffer | null): Record<string, string> {
  const table: Record<string, string> = {};
  for (const line of (body?.toString('utf8') ?? '').split('\n')) {
    const trimmed = line.trim();
    const equals = trimmed.indexOf('=');
    if (trimmed === '' || trimmed.startsWith('#') || equals < 0) continue;
    table[trimmed.slice(0, equals)] = trimmed.slice(equals + 1);
  }
  return table;
}

/** One `key=value` line per entry, in the given order. */
export function encodePropertiesText(table: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(
    Object.entries(table)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
    'utf8',
  );
}
