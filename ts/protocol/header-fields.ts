// Reading a request's custom header (its string extFields) as Java's `decodeCommandCustomHeader`
// does, for every request both sides decode: a missing required field fails with Java's text ("the
// custom field <name> is null"), integers follow `Integer.parseInt` / `Long.parseLong` (an optional
// sign and decimal digits only, in range: "1e3", "0x10", " 5" and "" are refused), booleans follow
// `Boolean.parseBoolean`. Longs take Java's whole signed 64-bit range: the value is the nearest JS
// number, exact up to 2^53 (offsets and timestamps of real use; 9e18 is exact too), and
// `parseInt64Exact` gives a BigInt where every digit matters. The broker answers a HeaderFieldError as
// SYSTEM_ERROR. Depends on nothing.

/** A request's custom header: the string extFields. */
export type HeaderFields = Readonly<Record<string, string | undefined>>;

/** Anything that carries a custom header (a Remoting command, or a bare `{ extFields }`). */
export interface HeaderSource {
  readonly extFields: HeaderFields;
}

/** A header field that is missing or malformed; `field` is the key as it appears on the wire. */
export class HeaderFieldError extends Error {
  override readonly name = 'HeaderFieldError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

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

/** Java `Integer.parseInt` of the field `field`. */
export function parseInt32(field: string, text: string): number {
  const value = Number(text);
  if (!isDecimal(text) || value < INT32_MIN || value > INT32_MAX) {
    throw new HeaderFieldError(field, `the custom field <${field}> is not an int: ${JSON.stringify(text)}`);
  }
  return value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Java `Long.parseLong` of the field `field`: any value in [-2^63, 2^63-1], as the nearest JS number
 * (exact below 2^53 in magnitude; beyond it use parseInt64Exact).
 */
export function parseInt64(field: string, text: string): number {
  const value = Number(text);
  if (!isDecimal(text)) throw notALong(field, text);
  if (Number.isSafeInteger(value)) return value;
  return Number(parseInt64Exact(field, text));
}

/** Java `Long.parseLong` of the field `field`, every digit kept. */
export function parseInt64Exact(field: string, text: string): bigint {
  if (!isDecimal(text)) throw notALong(field, text);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw notALong(field, text);
  return value;
}

function notALong(field: string, text: string): HeaderFieldError {
  return new HeaderFieldError(field, `the custom field <${field}> is not a long: ${JSON.stringify(text.slice(0, 64))}`);
}

/** Java `Boolean.parseBoolean`: "true" in any case is true, anything else false. */
export function parseBoolean(text: string): boolean {
  return text.toLowerCase() === 'true';
}

/** A required field, as a string ('' is a value). */
export function requiredField(source: HeaderSource, name: string): string {
  const value = source.extFields[name];
  if (value === undefined) throw new HeaderFieldError(name, `the custom field <${name}> is null`);
  return value;
}

/** An optional field as sent ('' included). */
export function optionalField(source: HeaderSource, name: string): string | undefined {
  return source.extFields[name];
}

/** An optional field where '' counts as absent: binary-encoded headers drop empty values. */
export function nonEmptyField(source: HeaderSource, name: string): string | undefined {
  const value = source.extFields[name];
  return value === undefined || value === '' ? undefined : value;
}

export function requiredInt(source: HeaderSource, name: string): number {
  return parseInt32(name, requiredField(source, name));
}

export function requiredLong(source: HeaderSource, name: string): number {
  return parseInt64(name, requiredField(source, name));
}

/** Absent or '': undefined; otherwise it must be an int. */
export function optionalInt(source: HeaderSource, name: string): number | undefined {
  const text = nonEmptyField(source, name);
  return text === undefined ? undefined : parseInt32(name, text);
}

/** Absent or '': undefined; otherwise it must be a long. */
export function optionalLong(source: HeaderSource, name: string): number | undefined {
  const text = nonEmptyField(source, name);
  return text === undefined ? undefined : parseInt64(name, text);
}

/** Absent: undefined; otherwise Java `Boolean.parseBoolean`. */
export function optionalBoolean(source: HeaderSource, name: string): boolean | undefined {
  const text = source.extFields[name];
  return text === undefined ? undefined : parseBoolean(text);
}
