// SendMessageRequestHeader (Java `SendMessageRequestHeader` / `SendMessageRequestHeaderV2`, protocol.md
// §2.1): SEND_MESSAGE (10) with full key names, SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) with
// the one-letter keys a..n, decoded into one typed header the way Java's `parseRequestHeader` does.
// Depends on remoting/codes.ts (request code numbers only).

import { RequestCode } from '../../../remoting/codes.js';

export interface SendMessageRequestHeader {
  readonly producerGroup: string;
  readonly topic: string;
  /** The topic new topics are created from ("TBW102"). */
  readonly defaultTopic: string;
  readonly defaultTopicQueueNums: number;
  /** Negative: the broker picks a queue. */
  readonly queueId: number;
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly flag: number;
  /** The encoded property string; '' when the client sent none. */
  readonly properties: string;
  /** 0 when absent (Java `getReconsumeTimes` returns 0 for null). */
  readonly reconsumeTimes: number;
  /** false when absent (pitfall 6: J5 may omit it). */
  readonly unitMode: boolean;
  /** Absent: the group's retryMaxTimes applies. */
  readonly maxReconsumeTimes?: number;
  /** false when absent (pitfall 6). */
  readonly batch: boolean;
  /** V2 `n`, or the RpcRequestHeader `bname`. */
  readonly brokerName?: string;
}

/** A send header the broker cannot decode; answered as SYSTEM_ERROR at the api edge (Java: RemotingCommandException). */
export class SendHeaderError extends Error {
  override readonly name = 'SendHeaderError';
  constructor(
    /** The key as it appears on the wire (`b` for a V2 topic). */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The wire key of each header field: V1 (code 10) and V2 (codes 310, 320). */
export const SEND_HEADER_KEYS = {
  producerGroup: { v1: 'producerGroup', v2: 'a' },
  topic: { v1: 'topic', v2: 'b' },
  defaultTopic: { v1: 'defaultTopic', v2: 'c' },
  defaultTopicQueueNums: { v1: 'defaultTopicQueueNums', v2: 'd' },
  queueId: { v1: 'queueId', v2: 'e' },
  sysFlag: { v1: 'sysFlag', v2: 'f' },
  bornTimestamp: { v1: 'bornTimestamp', v2: 'g' },
  flag: { v1: 'flag', v2: 'h' },
  properties: { v1: 'properties', v2: 'i' },
  reconsumeTimes: { v1: 'reconsumeTimes', v2: 'j' },
  unitMode: { v1: 'unitMode', v2: 'k' },
  maxReconsumeTimes: { v1: 'maxReconsumeTimes', v2: 'l' },
  batch: { v1: 'batch', v2: 'm' },
  brokerName: { v1: 'bname', v2: 'n' },
} as const satisfies Record<keyof SendMessageRequestHeader, { v1: string; v2: string }>;

type FieldName = keyof typeof SEND_HEADER_KEYS;
type ExtFields = Readonly<Record<string, string | undefined>>;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** True for the codes whose header uses the one-letter V2 keys. */
export function usesShortKeys(code: number): boolean {
  return code === RequestCode.SEND_MESSAGE_V2 || code === RequestCode.SEND_BATCH_MESSAGE;
}

/** The wire keys of one header version, flattened: `keys.topic` is "topic" (V1) or "b" (V2). */
type WireKeys = Readonly<Record<FieldName, string>>;

function wireKeys(version: 'v1' | 'v2'): WireKeys {
  const keys = {} as Record<FieldName, string>;
  for (const name of Object.keys(SEND_HEADER_KEYS) as FieldName[]) keys[name] = SEND_HEADER_KEYS[name][version];
  return keys;
}

const WIRE_KEYS = { v1: wireKeys('v1'), v2: wireKeys('v2') } as const;

class FieldReader {
  private readonly keys: WireKeys;

  constructor(
    private readonly fields: ExtFields,
    version: 'v1' | 'v2',
  ) {
    this.keys = WIRE_KEYS[version];
  }

  key(name: FieldName): string {
    return this.keys[name];
  }

  requiredText(name: FieldName): string {
    const key = this.key(name);
    const value = this.fields[key];
    if (value === undefined) throw new SendHeaderError(key, `the custom field <${key}> is null`);
    return value;
  }

  /** An empty optional value counts as absent (binary headers drop empty values, pitfall 5). */
  optionalText(name: FieldName): string | undefined {
    const value = this.fields[this.key(name)];
    return value === undefined || value === '' ? undefined : value;
  }

  requiredInt(name: FieldName): number {
    return parseInt32(this.key(name), this.requiredText(name));
  }

  requiredLong(name: FieldName): number {
    return parseLong(this.key(name), this.requiredText(name));
  }

  optionalInt(name: FieldName): number | undefined {
    const text = this.optionalText(name);
    return text === undefined ? undefined : parseInt32(this.key(name), text);
  }

  /** Java `Boolean.parseBoolean`: "true" in any case is true, anything else (and absence) false. */
  booleanOrFalse(name: FieldName): boolean {
    return this.optionalText(name)?.toLowerCase() === 'true';
  }
}

/** `[+-]?\d+`, checked by hand: a send header holds six of these and a RegExp test cost more than the rest. */
function isDecimal(text: string): boolean {
  const length = text.length;
  let at = length > 1 && (text.charCodeAt(0) === 0x2b || text.charCodeAt(0) === 0x2d) ? 1 : 0;
  if (at === length) return false;
  for (; at < length; at++) {
    const char = text.charCodeAt(at);
    if (char < 0x30 || char > 0x39) return false;
  }
  return true;
}

/** Java `Integer.parseInt`. */
function parseInt32(key: string, text: string): number {
  const value = Number(text);
  if (!isDecimal(text) || value < INT32_MIN || value > INT32_MAX) {
    throw new SendHeaderError(key, `the custom field <${key}> is not an int: ${JSON.stringify(text)}`);
  }
  return value;
}

/** Java `Long.parseLong`, kept within the doubles that are exact. */
function parseLong(key: string, text: string): number {
  const value = Number(text);
  if (!isDecimal(text) || !Number.isSafeInteger(value)) {
    throw new SendHeaderError(key, `the custom field <${key}> is not a long: ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Decodes the header of a SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) or SEND_BATCH_MESSAGE (320) request.
 * Throws SendHeaderError naming the wire key when a required field (a..h) is missing or malformed.
 */
export function decodeSendMessageRequestHeader(code: number, extFields: ExtFields): SendMessageRequestHeader {
  const reader = new FieldReader(extFields, usesShortKeys(code) ? 'v2' : 'v1');
  const header: { -readonly [K in keyof SendMessageRequestHeader]: SendMessageRequestHeader[K] } = {
    producerGroup: reader.requiredText('producerGroup'),
    topic: reader.requiredText('topic'),
    defaultTopic: reader.requiredText('defaultTopic'),
    defaultTopicQueueNums: reader.requiredInt('defaultTopicQueueNums'),
    queueId: reader.requiredInt('queueId'),
    sysFlag: reader.requiredInt('sysFlag'),
    bornTimestamp: reader.requiredLong('bornTimestamp'),
    flag: reader.requiredInt('flag'),
    properties: extFields[reader.key('properties')] ?? '',
    reconsumeTimes: reader.optionalInt('reconsumeTimes') ?? 0,
    unitMode: reader.booleanOrFalse('unitMode'),
    batch: reader.booleanOrFalse('batch'),
  };
  // Assigned rather than spread into a copy: this runs once per send.
  const maxReconsumeTimes = reader.optionalInt('maxReconsumeTimes');
  if (maxReconsumeTimes !== undefined) header.maxReconsumeTimes = maxReconsumeTimes;
  // V2 decodes only a..n; a J5 client may still add the RpcRequestHeader `bname`.
  const brokerName = reader.optionalText('brokerName') ?? optionalBname(extFields);
  if (brokerName !== undefined) header.brokerName = brokerName;
  return header;
}

function optionalBname(extFields: ExtFields): string | undefined {
  const value = extFields['bname'];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The header as extFields with the keys of `code` (Java `makeCustomHeaderToNet`: absent fields are left
 * out; booleans as "true"/"false"). For clients and tests.
 */
export function encodeSendMessageRequestHeader(code: number, header: SendMessageRequestHeader): Record<string, string> {
  const version = usesShortKeys(code) ? 'v2' : 'v1';
  const fields: Record<string, string> = {};
  for (const name of Object.keys(SEND_HEADER_KEYS) as FieldName[]) {
    const value = header[name];
    if (value === undefined) continue;
    fields[SEND_HEADER_KEYS[name][version]] = String(value);
  }
  return fields;
}
