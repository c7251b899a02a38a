// SendMessageRequestHeader (Java `SendMessageRequestHeader` / `SendMessageRequestHeaderV2`):
// SEND_MESSAGE (10) with full key names, SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) with the
// one-letter keys a..n. The client encodes it, the broker decodes it into one typed header the way
// Java's `parseRequestHeader` does. Depends on header-fields.ts.

import {
  HeaderFieldError,
  type HeaderFields,
  nonEmptyField,
  parseBoolean,
  parseInt32,
  parseInt64,
} from './header-fields.js';

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
  /** false when absent (Java 5 clients may omit it). */
  readonly unitMode: boolean;
  /** Absent: the group's retryMaxTimes applies. */
  readonly maxReconsumeTimes?: number;
  /** false when absent (Java 5 clients may omit it). */
  readonly batch: boolean;
  /** V2 `n`, or the RpcRequestHeader `bname`. */
  readonly brokerName?: string;
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

/** Java `RequestCode.SEND_MESSAGE_V2` and `SEND_BATCH_MESSAGE`: the codes whose header uses the one-letter keys. */
export const SEND_MESSAGE_V2_CODE = 310;
export const SEND_BATCH_MESSAGE_CODE = 320;
/** Java `RequestCode.SEND_REPLY_MESSAGE_V2`: a reply with the V2 header (SEND_REPLY_MESSAGE, 324, uses V1). */
export const SEND_REPLY_MESSAGE_V2_CODE = 325;

/** True for the codes whose header uses the one-letter V2 keys. */
export function usesShortKeys(code: number): boolean {
  return code === SEND_MESSAGE_V2_CODE || code === SEND_BATCH_MESSAGE_CODE || code === SEND_REPLY_MESSAGE_V2_CODE;
}

/** The wire keys of one header version, flattened: `keys.topic` is "topic" (V1) or "b" (V2). */
type WireKeys = Readonly<Record<FieldName, string>>;

function wireKeys(version: 'v1' | 'v2'): WireKeys {
  const keys = {} as Record<FieldName, string>;
  for (const name of Object.keys(SEND_HEADER_KEYS) as FieldName[]) keys[name] = SEND_HEADER_KEYS[name][version];
  return keys;
}

const WIRE_KEYS = { v1: wireKeys('v1'), v2: wireKeys('v2') } as const;

/** The header-fields rules applied under one version's wire keys. */
class FieldReader {
  private readonly keys: WireKeys;
  private readonly source: { readonly extFields: HeaderFields };

  constructor(fields: HeaderFields, version: 'v1' | 'v2') {
    this.keys = WIRE_KEYS[version];
    this.source = { extFields: fields };
  }

  key(name: FieldName): string {
    return this.keys[name];
  }

  requiredText(name: FieldName): string {
    const key = this.key(name);
    const value = this.source.extFields[key];
    if (value === undefined) throw new HeaderFieldError(key, `the custom field <${key}> is null`);
    return value;
  }

  /** An empty optional value counts as absent (binary headers drop empty values). */
  optionalText(name: FieldName): string | undefined {
    return nonEmptyField(this.source, this.key(name));
  }

  requiredInt(name: FieldName): number {
    return parseInt32(this.key(name), this.requiredText(name));
  }

  requiredLong(name: FieldName): number {
    return parseInt64(this.key(name), this.requiredText(name));
  }

  optionalInt(name: FieldName): number | undefined {
    const text = this.optionalText(name);
    return text === undefined ? undefined : parseInt32(this.key(name), text);
  }

  /** Java `Boolean.parseBoolean`; absence is false. */
  booleanOrFalse(name: FieldName): boolean {
    const text = this.optionalText(name);
    return text !== undefined && parseBoolean(text);
  }
}

/**
 * Decodes the header of a SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) or SEND_BATCH_MESSAGE (320) request.
 * Throws HeaderFieldError naming the wire key when a required field (a..h) is missing or malformed.
 */
export function decodeSendMessageRequestHeader(code: number, extFields: HeaderFields): SendMessageRequestHeader {
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

function optionalBname(extFields: HeaderFields): string | undefined {
  const value = extFields['bname'];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The header as extFields with the keys of `code` (Java `makeCustomHeaderToNet`: absent fields are left
 * out; booleans as "true"/"false"). The client's side of the header.
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
