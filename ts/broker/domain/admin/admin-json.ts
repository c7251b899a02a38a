// The JSON of admin response bodies as RocketMQ's Java side writes them with fastjson 1.x: maps keyed
// by an object (`Map<MessageQueue, …>` in TopicStatsTable, ConsumeStats, ResetOffsetBody) are
// written with the key object itself before the colon (apache/rocketmq#3389), which standard JSON
// cannot express; everything else is compact standard JSON. Also Java's `Double.toString`.
// Depends on nothing.

/** Java `MessageQueue`, fields in fastjson's (alphabetical) order. */
export interface MessageQueueKey {
  readonly brokerName: string;
  readonly queueId: number;
  readonly topic: string;
}

export function messageQueueKey(topic: string, brokerName: string, queueId: number): MessageQueueKey {
  return { brokerName, queueId, topic };
}

/** A map whose keys are objects: written `{{…}:value,…}` as fastjson writes a non-String-keyed map. */
export class ObjectKeyedMap<K extends object, V> {
  constructor(readonly entries: ReadonlyArray<readonly [K, V]>) {}
}

/**
 * Compact JSON in fastjson's dialect: plain values as JSON.stringify writes them (object keys in
 * insertion order, undefined fields dropped), ObjectKeyedMap as object-keyed maps.
 */
export function writeFastJson(value: unknown): string {
  if (value instanceof ObjectKeyedMap) {
    const items = value.entries.map(([key, entry]) => `${writeFastJson(key)}:${writeFastJson(entry)}`);
    return `{${items.join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => writeFastJson(item ?? null)).join(',')}]`;
  if (value instanceof Set) return writeFastJson([...value]);
  if (value !== null && typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .map(([key, entry]) => `${JSON.stringify(key)}:${writeFastJson(entry)}`);
    return `{${items.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The body bytes of `value` in fastjson's dialect. */
export function fastJsonBody(value: unknown): Buffer {
  return Buffer.from(writeFastJson(value), 'utf8');
}

/**
 * Java `Double.toString(d)`: integral values keep a ".0", magnitudes below 1e-3 or from 1e7 on use
 * the computerized scientific notation ("1.0E7"), NaN and infinities by name.
 */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${Number(exponent)}`;
}
