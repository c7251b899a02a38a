// The binary header (serialize type 1, "ROCKETMQ"), as Java's RocketMQSerializable writes it.
// Depends on codes.ts, front-door-limits.ts, json-header-codec.ts (the RemotingHeader type), remoting-error.ts.
//
// | size   | field      | notes                                                  |
// |--------|------------|--------------------------------------------------------|
// | 2      | code       | int16: POP codes (200050…) do not fit (§1.4)          |
// | 1      | language   | u8 LanguageCode; unknown → OTHER                       |
// | 2      | version    | int16                                                  |
// | 4      | opaque     | int32                                                  |
// | 4      | flag       | int32                                                  |
// | 4 + n  | remark     | int32 length + UTF-8; length 0 = null                  |
// | 4 + n  | extFields  | int32 length + { keyLen:i16 key valLen:i32 val }*      |
// Fixed part: 21 bytes. Empty keys and values are dropped on decode (Java 5.x reads them as null).

import { LanguageCode, languageFromCode } from './codes.js';
import { DEFAULT_HEADER_LIMITS, type HeaderLimits } from './front-door-limits.js';
import type { RemotingHeader } from './json-header-codec.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';

export const BINARY_HEADER_FIXED_SIZE_BYTES = 2 + 1 + 2 + 4 + 4 + 4 + 4;

const INT16_MIN = -0x8000;
const INT16_MAX = 0x7fff;

export function encodeBinaryHeader(header: RemotingHeader): Buffer {
  checkInt16(header.code, 'code');
  checkInt16(header.version, 'version');
  const remark = header.remark === null || header.remark === '' ? null : Buffer.from(header.remark, 'utf8');
  const entries = Object.entries(header.extFields).map(([key, value]) => {
    const keyBytes = Buffer.from(key, 'utf8');
    if (keyBytes.length > INT16_MAX) {
      throw new RemotingError(
        RemotingErrorCode.FIELD_OUT_OF_RANGE,
        `extFields key of ${keyBytes.length} bytes does not fit an int16 length`,
      );
    }
    return [keyBytes, Buffer.from(value, 'utf8')] as const;
  });
  const extSizeBytes = entries.reduce((sum, [key, value]) => sum + 2 + key.length + 4 + value.length, 0);
  const out = Buffer.allocUnsafe(BINARY_HEADER_FIXED_SIZE_BYTES + (remark?.length ?? 0) + extSizeBytes);
  let at = out.writeInt16BE(header.code, 0);
  at = out.writeUInt8(LanguageCode[header.language], at);
  at = out.writeInt16BE(header.version, at);
  at = out.writeInt32BE(header.opaque | 0, at);
  at = out.writeInt32BE(header.flag | 0, at);
  at = out.writeInt32BE(remark?.length ?? 0, at);
  if (remark !== null) at += remark.copy(out, at);
  at = out.writeInt32BE(extSizeBytes, at);
  for (const [key, value] of entries) {
    at = out.writeInt16BE(key.length, at);
    at += key.copy(out, at);
    at = out.writeInt32BE(value.length, at);
    at += value.copy(out, at);
  }
  return out;
}

export function decodeBinaryHeader(bytes: Buffer, limits: HeaderLimits = DEFAULT_HEADER_LIMITS): RemotingHeader {
  if (bytes.length < BINARY_HEADER_FIXED_SIZE_BYTES) {
    throw badHeader(
      `binary header of ${bytes.length} bytes is shorter than the fixed ${BINARY_HEADER_FIXED_SIZE_BYTES}`,
    );
  }
  const code = bytes.readInt16BE(0);
  const language = languageFromCode(bytes.readUInt8(2));
  const version = bytes.readInt16BE(3);
  const opaque = bytes.readInt32BE(5);
  const flag = bytes.readInt32BE(9);
  const remarkSizeBytes = bytes.readInt32BE(13);
  let at = 17;
  checkSpan(bytes, at, remarkSizeBytes, 'remark');
  const remark = remarkSizeBytes === 0 ? null : bytes.toString('utf8', at, at + remarkSizeBytes);
  at += remarkSizeBytes;
  checkSpan(bytes, at, 4, 'extFields length');
  const extSizeBytes = bytes.readInt32BE(at);
  at += 4;
  checkSpan(bytes, at, extSizeBytes, 'extFields');
  const extFields = decodeExtFields(bytes, at, at + extSizeBytes, limits);
  return { code, language, version, opaque, flag, remark, extFields };
}

/** One-character strings for the ASCII bytes: V2 headers use one-letter keys (a..n). */
const ASCII_CHARS: readonly string[] = Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code));
/** Up to this size an ASCII value is built char by char; longer ones cost less through Buffer#toString. */
const SHORT_VALUE_MAX_BYTES = 4;

/**
 * The extFields as a plain object filled in wire order (one hidden-class transition chain per header
 * shape, shared by every request of that shape: far cheaper than an entries array and
 * Object.fromEntries).
 */
function decodeExtFields(bytes: Buffer, start: number, end: number, limits: HeaderLimits): Record<string, string> {
  const fields: Record<string, string> = {};
  let at = start;
  let count = 0;
  while (at < end) {
    if (++count > limits.maxHeaderFields) throw overLimit(`more than ${limits.maxHeaderFields} extFields`);
    if (end - at < 2) throw badHeader('truncated extFields key length');
    const keySizeBytes = bytes.readInt16BE(at);
    at += 2;
    checkSpan(bytes, at, keySizeBytes, 'extFields key', end);
    if (keySizeBytes > limits.maxHeaderKeyBytes) throw overLimit(`an extFields key of ${keySizeBytes} bytes`);
    const key = decodeText(bytes, at, at + keySizeBytes);
    at += keySizeBytes;
    if (end - at < 4) throw badHeader('truncated extFields value length');
    const valueSizeBytes = bytes.readInt32BE(at);
    at += 4;
    checkSpan(bytes, at, valueSizeBytes, 'extFields value', end);
    if (valueSizeBytes > limits.maxHeaderValueBytes) throw overLimit(`an extFields value of ${valueSizeBytes} bytes`);
    const value = decodeText(bytes, at, at + valueSizeBytes);
    at += valueSizeBytes;
    if (key === '' || value === '') continue;
    // Plain assignment of "__proto__" would set the prototype; define it as an own key instead.
    if (key === '__proto__')
      Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
    else fields[key] = value;
  }
  return fields;
}

/** UTF-8 text of bytes [start, end): short ASCII spans without a call into C++. */
function decodeText(bytes: Buffer, start: number, end: number): string {
  if (end - start > SHORT_VALUE_MAX_BYTES) return bytes.toString('utf8', start, end);
  let text = '';
  for (let at = start; at < end; at++) {
    const byte = bytes[at] as number;
    if (byte >= 0x80) return bytes.toString('utf8', start, end);
    text += ASCII_CHARS[byte] as string;
  }
  return text;
}

function checkSpan(bytes: Buffer, at: number, sizeBytes: number, field: string, end = bytes.length): void {
  if (sizeBytes < 0 || sizeBytes > end - at) {
    throw badHeader(`binary header ${field} of ${sizeBytes} bytes at ${at} overruns its ${end - at} remaining bytes`);
  }
}

function checkInt16(value: number, field: string): void {
  if (!Number.isInteger(value) || value < INT16_MIN || value > INT16_MAX) {
    throw new RemotingError(
      RemotingErrorCode.FIELD_OUT_OF_RANGE,
      `${field} ${value} does not fit the binary header's int16; use a JSON header`,
    );
  }
}

function overLimit(what: string): RemotingError {
  return new RemotingError(RemotingErrorCode.OVER_LIMIT, `binary header over its limits: ${what}`);
}

function badHeader(message: string): RemotingError {
  return new RemotingError(RemotingErrorCode.BAD_HEADER, message);
}
