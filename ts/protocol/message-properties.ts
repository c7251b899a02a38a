// The message property string as RocketMQ stores and sends it: `name \x01 value \x02`
// per pair, the last pair included. Encoding, parsing (Java `string2messageProperties` rules) and the
// well-known property names (Java `MessageConst`). Depends on nothing.

export const NAME_VALUE_SEPARATOR = '\u0001';
export const PROPERTY_SEPARATOR = '\u0002';
/** Separator between the keys of the KEYS property. */
export const KEY_SEPARATOR = ' ';

/** Well-known property names (Java `MessageConst.PROPERTY_*`). */
export const MessageProperty = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  UNIQ_KEY: 'UNIQ_KEY',
  WAIT: 'WAIT',
  DELAY: 'DELAY',
  RETRY_TOPIC: 'RETRY_TOPIC',
  REAL_TOPIC: 'REAL_TOPIC',
  REAL_QID: 'REAL_QID',
  ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  RECONSUME_TIME: 'RECONSUME_TIME',
  MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  CONSUME_START_TIME: 'CONSUME_START_TIME',
  TRAN_MSG: 'TRAN_MSG',
  PRODUCER_GROUP: 'PGROUP',
  TRANSACTION_ID: '__transactionId__',
  TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  TRANSACTION_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  CLUSTER: 'CLUSTER',
  /** Request-reply: the request's id, copied into its reply. */
  CORRELATION_ID: 'CORRELATION_ID',
  /** Request-reply: the requester's clientId, whose connection the broker pushes the reply to. */
  REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  /** Request-reply: the request's timeout (ms from the Java client, s from the Go client). */
  MESSAGE_TTL: 'TTL',
  /** "reply" marks a reply message (sent with SEND_REPLY_MESSAGE(_V2)). */
  MESSAGE_TYPE: 'MSG_TYPE',
  /** Set by the broker on a reply it pushes. */
  PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  /** Set by the requester on a reply it receives. */
  REPLY_MESSAGE_ARRIVE_TIME: 'ARRIVE_TIME',
  MIN_OFFSET: 'MIN_OFFSET',
  MAX_OFFSET: 'MAX_OFFSET',
  SHARDING_KEY: '__SHARDINGKEY',
  INNER_NUM: 'INNER_NUM',
  INNER_BASE: 'INNER_BASE',
  TIMER_DELIVER_MS: 'TIMER_DELIVER_MS',
  TIMER_DELAY_SEC: 'TIMER_DELAY_SEC',
  TIMER_DELAY_MS: 'TIMER_DELAY_MS',
  TIMER_OUT_MS: 'TIMER_OUT_MS',
  TIMER_ENQUEUE_MS: 'TIMER_ENQUEUE_MS',
  TIMER_DEQUEUE_MS: 'TIMER_DEQUEUE_MS',
  TIMER_ROLL_TIMES: 'TIMER_ROLL_TIMES',
  TIMER_DEL_UNIQKEY: 'TIMER_DEL_UNIQKEY',
  POP_CK: 'POP_CK',
  FIRST_POP_TIME: '1ST_POP_TIME',
  DUP_INFO: 'DUP_INFO',
  CRC32: '__CRC32#',
} as const;

export type MessagePropertyName = (typeof MessageProperty)[keyof typeof MessageProperty];

export type MessagePropertiesInput = ReadonlyMap<string, string> | Readonly<Record<string, string | undefined>>;

/**
 * Encodes properties as `name\x01value\x02...` (Java `messageProperties2String`). Entries whose value
 * is `undefined` are skipped, as Java skips null values. Names must not contain \x01 or \x02 and values
 * must not contain \x02: the caller owns that (a reader would split them differently).
 */
export function encodeMessageProperties(properties: MessagePropertiesInput): string {
  let encoded = '';
  const entries = properties instanceof Map ? properties.entries() : Object.entries(properties);
  for (const [name, value] of entries as Iterable<[string, string | undefined]>) {
    if (value === undefined) continue;
    encoded += name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  }
  return encoded;
}

/**
 * `encoded` without the properties named in `names` (every other entry kept as it is, in order): a
 * message re-stored with a few properties dropped, without decoding and re-encoding the rest.
 */
export function withoutMessageProperties(encoded: string, names: readonly string[]): string {
  let kept = '';
  let index = 0;
  while (index < encoded.length) {
    let end = encoded.indexOf(PROPERTY_SEPARATOR, index);
    end = end < 0 ? encoded.length : end + 1;
    const separator = encoded.indexOf(NAME_VALUE_SEPARATOR, index);
    const name = separator > index && separator < end ? encoded.substring(index, separator) : null;
    if (name === null || !names.includes(name)) kept += encoded.substring(index, end);
    index = end;
  }
  return kept;
}

/**
 * Parses a property string with Java `string2messageProperties` rules: split on \x02; a chunk shorter
 * than 3 chars, or whose first \x01 is at its start or is its last char, is ignored (so empty names and
 * empty values are dropped); a later duplicate name wins. Readers must not depend on order. With
 * `names`, only those properties are kept (a filter reading a few properties of many messages).
 */
export function parseMessageProperties(encoded: string, names?: readonly string[]): Map<string, string> {
  const properties = new Map<string, string>();
  const length = encoded.length;
  let index = 0;
  while (index < length) {
    let end = encoded.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = length;
    if (end - index >= 3) {
      // Java searches from `index` over the whole string, so a chunk without \x01 finds a later one.
      const separator = encoded.indexOf(NAME_VALUE_SEPARATOR, index);
      if (separator > index && separator < end - 1) {
        const name =
          names === undefined ? encoded.substring(index, separator) : named(encoded, index, separator, names);
        if (name !== undefined) properties.set(name, encoded.substring(separator + 1, end));
      }
    }
    index = end + 1;
  }
  return properties;
}

/** The one of `names` that spans `encoded` from `start` to `end`, if any (no substring allocated). */
function named(encoded: string, start: number, end: number, names: readonly string[]): string | undefined {
  for (const name of names) {
    if (end - start === name.length && encoded.startsWith(name, start)) return name;
  }
  return undefined;
}
