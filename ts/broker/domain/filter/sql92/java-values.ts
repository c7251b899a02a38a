// The values an SQL92 filter computes with, typed as RocketMQ's Java filter types them (Integer, Long,
// Double, String, Boolean, null), and the Java rules it compares them by: widening between numbers,
// a message property (always a String) parsed to the other side's type, Double.compare order.
// docs/sql92-filter.md §3 lists the rules. Depends on nothing.

/** A Java number: `int` (Integer), `long` (Long, exact as a bigint) or `double` (Double). */
export type JavaNumber =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'long'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number };

/** What an expression evaluates to: a property is a string, a literal any of these; null is SQL's unknown. */
export type Sql92Value = JavaNumber | string | boolean | null;

/**
 * Thrown while evaluating when Java's filter would throw (a property that does not parse as the number
 * it is compared with, a string ordered with another string that is not numeric). The message then
 * does not match. One shared instance: evaluation errors are expected values, not bugs, and need no stack.
 */
export class Sql92EvaluationError extends Error {
  override readonly name = 'Sql92EvaluationError';
}
export const EVALUATION_FAILED = new Sql92EvaluationError('the expression cannot be evaluated for this message');

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?[0-9]+$/;
const DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$/;

export const intValue = (value: number): JavaNumber => ({ kind: 'int', value });
export const longValue = (value: bigint): JavaNumber => ({ kind: 'long', value });
export const doubleValue = (value: number): JavaNumber => ({ kind: 'double', value });

/** Java `Integer.valueOf(String)`: optional sign and decimal digits within int range, no blanks. */
export function parseJavaInt(text: string): JavaNumber {
  if (!INTEGER_TEXT.test(text)) throw EVALUATION_FAILED;
  const value = Number(text);
  if (value < INT_MIN || value > INT_MAX) throw EVALUATION_FAILED;
  return intValue(value);
}

/** Java `Long.valueOf(String)`: as parseJavaInt within long range. */
export function parseJavaLong(text: string): JavaNumber {
  if (!INTEGER_TEXT.test(text)) throw EVALUATION_FAILED;
  const value = BigInt(text);
  if (value < LONG_MIN || value > LONG_MAX) throw EVALUATION_FAILED;
  return longValue(value);
}

/**
 * Java `Double.valueOf(String)`: surrounding blanks trimmed, a sign, NaN, Infinity, decimal with an
 * optional exponent and f/d suffix. Compat: Java's hexadecimal floating literals (0x1p3) are refused.
 */
export function parseJavaDouble(text: string): JavaNumber {
  const trimmed = javaTrim(text);
  if (!DOUBLE_TEXT.test(trimmed)) throw EVALUATION_FAILED;
  const last = trimmed.charCodeAt(trimmed.length - 1);
  // f F d D: a type suffix (0x66 0x46 0x64 0x44); "Infinity" and "NaN" end in other letters.
  const body = last === 0x66 || last === 0x46 || last === 0x64 || last === 0x44 ? trimmed.slice(0, -1) : trimmed;
  return doubleValue(Number(body));
}

/** Java `String.trim`: drops leading and trailing chars <= U+0020. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Java `Boolean.valueOf(String)`: true only for "true", any case. */
export function parseJavaBoolean(text: string): boolean {
  return text.length === 4 && text.toLowerCase() === 'true';
}

/** Java `Double.compare`: -0.0 < 0.0, NaN above everything and equal to itself. */
export function compareDoubles(left: number, right: number): number {
  if (left < right) return -1;
  if (left > right) return 1;
  if (left === right) {
    if (left !== 0) return 0;
    const leftNegative = Object.is(left, -0);
    const rightNegative = Object.is(right, -0);
    return leftNegative === rightNegative ? 0 : leftNegative ? -1 : 1;
  }
  const leftNaN = Number.isNaN(left);
  const rightNaN = Number.isNaN(right);
  return leftNaN === rightNaN ? 0 : leftNaN ? 1 : -1;
}

function sign(left: number | bigint, right: number | bigint): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Two numbers after Java's widening: int < long < double (a long meeting a double becomes a double). */
function compareNumbers(left: JavaNumber, right: JavaNumber): number {
  if (left.kind === 'double' || right.kind === 'double') {
    return compareDoubles(Number(left.value), Number(right.value));
  }
  if (left.kind === 'int' && right.kind === 'int') return sign(left.value, right.value);
  return sign(BigInt(left.value), BigInt(right.value));
}

/** The property string read as the type of the number it is compared with. */
function parseAs(kind: JavaNumber['kind'], text: string): JavaNumber {
  if (kind === 'int') return parseJavaInt(text);
  if (kind === 'long') return parseJavaLong(text);
  return parseJavaDouble(text);
}

/**
 * Java `ComparisonExpression.__compare` with string conversion on (as the broker compiles every
 * filter): same types compare directly; a number meets a string by parsing the string as that number
 * (failure throws); a string meets a boolean through Boolean.valueOf; a boolean on the left meeting a
 * string throws (a cast error in Java); any other mix answers -1.
 */
export function compareValues(left: Exclude<Sql92Value, null>, right: Exclude<Sql92Value, null>): number {
  if (typeof left === 'string') {
    if (typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
    if (typeof right === 'boolean') return sign(Number(parseJavaBoolean(left)), Number(right));
    return compareNumbers(parseAs(right.kind, left), right);
  }
  if (typeof left === 'boolean') {
    if (typeof right === 'boolean') return sign(Number(left), Number(right));
    if (typeof right === 'string') throw EVALUATION_FAILED;
    return -1;
  }
  if (typeof right === 'string') return compareNumbers(left, parseAs(left.kind, right));
  if (typeof right === 'boolean') return -1;
  return compareNumbers(left, right);
}

/** Java `Object.equals` between two values: same type and same value (Double.equals: by bits). */
export function javaEquals(left: Exclude<Sql92Value, null>, right: Exclude<Sql92Value, null>): boolean {
  if (typeof left !== 'object' || typeof right !== 'object') return left === right;
  if (left.kind !== right.kind) return false;
  if (left.kind === 'double') return compareDoubles(left.value, right.value as number) === 0;
  return left.value === right.value;
}

/** Java unary minus on a number; anything else (a property's string) is null. Integer overflow wraps. */
export function negateValue(value: Sql92Value): Sql92Value {
  if (value === null || typeof value !== 'object') return null;
  if (value.kind === 'int') return intValue(-value.value | 0);
  if (value.kind === 'long') return longValue(BigInt.asIntN(64, -value.value));
  return doubleValue(-value.value);
}

/** Java `toString` of a literal, for error messages: strings quoted with '' doubled. */
export function renderValue(value: Sql92Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return String(value.value);
}
