// The JSON header (serialize type 0): decodes what Java (fastjson) and Go send, encodes exactly as
// Java's RemotingCommand does. Depends on codes.ts, front-door-limits.ts, remoting-command.ts,
// remoting-error.ts.

import { languageFromName } from './codes.js';
import { DEFAULT_HEADER_LIMITS, type HeaderLimits } from './front-door-limits.js';
import type { RemotingCommand } from './remoting-command.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';

/** The header part of a command: everything but the body and the serialize type. */
export type RemotingHeader = Omit<RemotingCommand, 'body' | 'serializeType'>;

/**
 * `{"code","extFields","flag","language","opaque","remark","serializeTypeCurrentRPC":"JSON","version"}`,
 * fastjson's alphabetical order. Like Java, a null remark and absent (here: empty) extFields are left
 * out; Java only writes `"extFields":{}` for an empty map it created, which readers treat as absent.
 */
export function encodeJsonHeader(header: RemotingHeader): Buffer {
  return Buffer.from(jsonHeaderText(header), 'utf8');
}

/**
 * The JSON header's text, byte for byte what JSON.stringify gives for the object described above
 * (property order included), written by hand: the reply path encodes one per request, and building
 * the object for JSON.stringify cost several times this.
 */
export function jsonHeaderText(header: RemotingHeader): string {
  let text = `{"code":${jsonNumber(header.code)}`;
  let separator = ',"extFields":{';
  const extFields = header.extFields;
  for (const key of Object.keys(extFields)) {
    const value: unknown = extFields[key];
    // Typed as strings; anything else is written as JSON.stringify would (undefined left out).
    if (typeof value !== 'string' && (value === undefined || typeof value === 'function')) continue;
    text += `${separator}${jsonString(key)}:${typeof value === 'string' ? jsonString(value) : JSON.stringify(value)}`;
    separator = ',';
  }
  if (separator === ',') text += '}';
  text +=
    `,"flag":${jsonNumber(header.flag)},"language":${jsonString(header.language)}` +
    `,"opaque":${jsonNumber(header.opaque)}`;
  if (header.remark !== null) text += `,"remark":${jsonString(header.remark)}`;
  return `${text},"serializeTypeCurrentRPC":"JSON","version":${jsonNumber(header.version)}}`;
}

function jsonString(value: string): string {
  return needsEscape(value) ? JSON.stringify(value) : `"${value}"`;
}

/** What JSON.stringify escapes: quote, backslash, control characters and (lone) surrogates. */
function needsEscape(value: string): boolean {
  for (let at = 0; at < value.length; at++) {
    const char = value.charCodeAt(at);
    if (char < 0x20 || char === 0x22 || char === 0x5c || (char >= 0xd800 && char <= 0xdfff)) return true;
  }
  return false;
}

/** JSON.stringify of a number: NaN and the infinities become null. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

const CODE_KEY = '{"code":';
const EXT_FIELDS_KEY = ',"extFields":{';
const FLAG_KEY = ',"flag":';
const LANGUAGE_KEY = ',"language":"';
const OPAQUE_KEY = '","opaque":';
const REMARK_KEY = ',"remark":"';
const VERSION_KEY = ',"serializeTypeCurrentRPC":"JSON","version":';
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/**
 * Writes the same bytes as `jsonHeaderText` straight into a buffer: `allocate(sizeBytes)` gives the
 * buffer and the header goes at `offset`. Only when every string of the header is printable ASCII
 * without a quote or backslash (so it needs no escaping and one char is one byte), which replies
 * nearly always are; returns null otherwise, and the caller takes the text path.
 */
export function writePlainJsonHeader(
  header: RemotingHeader,
  allocate: (sizeBytes: number) => Buffer,
  offset: number,
): Buffer | null {
  const extFields = header.extFields;
  const keys = Object.keys(extFields);
  if (
    !Number.isFinite(header.code) ||
    !Number.isFinite(header.flag) ||
    !Number.isFinite(header.opaque) ||
    !Number.isFinite(header.version)
  )
    return null;
  const code = String(header.code);
  const flag = String(header.flag);
  const opaque = String(header.opaque);
  const version = String(header.version);
  const extFieldsBytes = plainExtFieldsSize(extFields, keys);
  if (extFieldsBytes < 0) return null;
  let sizeBytes = CODE_KEY.length + code.length + extFieldsBytes;
  if (!isPlain(header.language)) return null;
  sizeBytes +=
    FLAG_KEY.length + flag.length + LANGUAGE_KEY.length + header.language.length + OPAQUE_KEY.length + opaque.length;
  if (header.remark !== null) {
    if (!isPlain(header.remark)) return null;
    sizeBytes += REMARK_KEY.length + header.remark.length + 1;
  }
  sizeBytes += VERSION_KEY.length + version.length + 1;

  const out = allocate(sizeBytes);
  let at = put(out, offset, CODE_KEY);
  at = put(out, at, code);
  if (keys.length > 0) at = putExtFields(out, at, extFields, keys);
  at = put(out, at, FLAG_KEY);
  at = put(out, at, flag);
  at = put(out, at, LANGUAGE_KEY);
  at = put(out, at, header.language);
  at = put(out, at, OPAQUE_KEY);
  at = put(out, at, opaque);
  if (header.remark !== null) {
    at = put(out, at, REMARK_KEY);
    at = put(out, at, header.remark);
    out[at++] = QUOTE;
  }
  at = put(out, at, VERSION_KEY);
  at = put(out, at, version);
  out[at++] = CLOSE_BRACE;
  if (at !== offset + sizeBytes) throw new Error(`JSON header writer: wrote ${at - offset} bytes, sized ${sizeBytes}`);
  return out;
}

/**
 * The bytes of `,"extFields":{"key":"value",...}`: 0 for no fields, -1 when a value is not a string or
 * a key or value is not plain (the caller then takes the text path).
 */
function plainExtFieldsSize(extFields: Readonly<Record<string, string>>, keys: readonly string[]): number {
  if (keys.length === 0) return 0;
  let sizeBytes = EXT_FIELDS_KEY.length + keys.length - 1 + 1; // separators and the closing brace
  for (const key of keys) {
    const value: unknown = extFields[key];
    if (typeof value !== 'string' || !isPlain(key) || !isPlain(value)) return -1;
    sizeBytes += key.length + value.length + 5; // "key":"value"
  }
  return sizeBytes;
}

/** Writes `,"extFields":{...}` of plain string fields (one or more) at `at`; returns the position after it. */
function putExtFields(
  out: Buffer,
  at: number,
  extFields: Readonly<Record<string, string>>,
  keys: readonly string[],
): number {
  at = put(out, at, EXT_FIELDS_KEY);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (index > 0) out[at++] = COMMA;
    out[at++] = QUOTE;
    at = put(out, at, key);
    out[at++] = QUOTE;
    out[at++] = COLON;
    out[at++] = QUOTE;
    at = put(out, at, extFields[key] as string);
    out[at++] = QUOTE;
  }
  out[at++] = CLOSE_BRACE;
  return at;
}

/** Printable ASCII other than quote and backslash: written as is, one byte per char. */
function isPlain(text: string): boolean {
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char < 0x20 || char > 0x7e || char === 0x22 || char === 0x5c) return false;
  }
  return true;
}

/** Copies the one-byte chars of `text` to `out` at `at`; returns the position after them. */
function put(out: Buffer, at: number, text: string): number {
  for (let index = 0; index < text.length; index++) out[at++] = text.charCodeAt(index);
  return at;
}

/**
 * Decodes a JSON header as Java and Go write it. Tolerant where real clients differ: Go omits
 * `serializeTypeCurrentRPC` and sends `"remark":""`; numbers and booleans in extFields become
 * strings; unknown languages become OTHER; unknown keys are ignored. Strict where a wrong value would
 * be acted on: code, opaque, flag and version must be integers in Java's int range (a JSON number or a
 * decimal string), and a missing code fails. A large header's shape (nesting, member count) is checked
 * on its bytes before JSON.parse builds anything; extFields are checked against `limits` as read.
 */
export function decodeJsonHeader(bytes: Buffer, limits: HeaderLimits = DEFAULT_HEADER_LIMITS): RemotingHeader {
  if (bytes.length > SHAPE_CHECK_MIN_BYTES) checkJsonShape(bytes, limits);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new RemotingError(RemotingErrorCode.BAD_HEADER, `JSON header does not parse: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RemotingError(RemotingErrorCode.BAD_HEADER, 'JSON header is not an object');
  }
  const json = parsed as Record<string, unknown>;
  const code = readInt32(json.code, 'code');
  if (code === undefined) throw new RemotingError(RemotingErrorCode.BAD_HEADER, 'JSON header has no code');
  return {
    code,
    language: languageFromName(json.language),
    version: readInt32(json.version, 'version') ?? 0,
    opaque: readInt32(json.opaque, 'opaque') ?? 0,
    flag: readInt32(json.flag, 'flag') ?? 0,
    remark: readRemark(json.remark),
    extFields: readExtFields(json.extFields, limits),
  };
}

/**
 * Headers up to this size are parsed without a shape check: JSON.parse of a few KiB takes microseconds
 * whatever it holds, and every request of the hot path is below it.
 */
const SHAPE_CHECK_MIN_BYTES = 4096;
/** Members a header has besides its extFields (code, language, version, …), with room to spare. */
const HEADER_OWN_MEMBERS = 16;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;

/**
 * One pass over the header's bytes: nesting depth and the number of members (colons outside strings),
 * refused over the limits before JSON.parse would spend time and memory building them.
 */
function checkJsonShape(bytes: Buffer, limits: HeaderLimits): void {
  const maxMembers = limits.maxHeaderFields + HEADER_OWN_MEMBERS;
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at] as number;
    if (inString) {
      if (byte === BACKSLASH) at++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limits.maxHeaderDepth) throw overLimit(`JSON header nests deeper than ${limits.maxHeaderDepth}`);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    } else if (byte === COLON && ++members > maxMembers) {
      throw overLimit(`JSON header has more than ${limits.maxHeaderFields} extFields`);
    }
  }
}

function overLimit(message: string): RemotingError {
  return new RemotingError(RemotingErrorCode.OVER_LIMIT, message);
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const DECIMAL = /^[+-]?\d{1,10}$/;

/** A Java `int` field: an integral JSON number or decimal string within int32; anything else is refused. */
function readInt32(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < INT32_MIN || number > INT32_MAX) {
    throw new RemotingError(
      RemotingErrorCode.BAD_HEADER,
      `JSON header field ${field} is not a Java int: ${String(JSON.stringify(value)).slice(0, 64)}`,
    );
  }
  return number;
}

function readRemark(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `Map<String,String>`: values coerced to strings (§1.4), nulls dropped (Java's map holds no value);
 * the number of entries and the length of each key and value are held to `limits`.
 */
function readExtFields(value: unknown, limits: HeaderLimits): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new RemotingError(RemotingErrorCode.BAD_HEADER, 'JSON header field extFields is not an object');
  }
  const source = value as Record<string, unknown>;
  const fields: Record<string, string> = {};
  let count = 0;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const field = source[key];
    if (field === null || field === undefined) continue;
    const text = typeof field === 'string' ? field : stringify(field);
    if (++count > limits.maxHeaderFields) throw overLimit(`more than ${limits.maxHeaderFields} extFields`);
    checkFieldLengths(key, text, limits);
    // Plain assignment of "__proto__" would set the prototype; define it as an own key instead.
    if (key === '__proto__')
      Object.defineProperty(fields, key, { value: text, enumerable: true, writable: true, configurable: true });
    else fields[key] = text;
  }
  return fields;
}

function checkFieldLengths(key: string, text: string, limits: HeaderLimits): void {
  if (key.length > limits.maxHeaderKeyBytes) {
    throw overLimit(`an extFields key of ${key.length} chars exceeds maxHeaderKeyBytes ${limits.maxHeaderKeyBytes}`);
  }
  if (text.length > limits.maxHeaderValueBytes) {
    const limit = limits.maxHeaderValueBytes;
    throw overLimit(`extFields value ${key.slice(0, 64)} of ${text.length} chars exceeds maxHeaderValueBytes ${limit}`);
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
