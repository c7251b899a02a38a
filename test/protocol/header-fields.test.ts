// Specification of the one header-field reader: Java's decodeCommandCustomHeader rules for missing
// fields, Integer.parseInt / Long.parseLong for numbers, Boolean.parseBoolean for booleans.

import { describe, expect, it } from 'vitest';
import {
  HeaderFieldError,
  nonEmptyField,
  optionalBoolean,
  optionalField,
  optionalInt,
  optionalLong,
  parseInt64Exact,
  requiredField,
  requiredInt,
  requiredLong,
} from '../../ts/protocol/header-fields.js';
import { SEND_BATCH_MESSAGE_CODE, SEND_MESSAGE_V2_CODE } from '../../ts/protocol/send-request-header.js';
import { RequestCode } from '../../ts/remoting/codes.js';

const request = (extFields: Record<string, string>): { extFields: Record<string, string> } => ({ extFields });

describe('protocol: header fields', () => {
  it("fails a missing required field with Java's text and the field name", () => {
    expect(() => requiredField(request({}), 'topic')).toThrow('the custom field <topic> is null');
    expect(() => requiredInt(request({}), 'queueId')).toThrow(HeaderFieldError);
    try {
      requiredLong(request({}), 'offset');
    } catch (error) {
      expect((error as HeaderFieldError).field).toBe('offset');
    }
    expect(requiredField(request({ topic: '' }), 'topic')).toBe('');
  });

  it.each(['1e3', '0x10', ' 5', '5 ', '', '+', '-', '1.0', '١'])('refuses %j as an int and as a long', (text) => {
    expect(() => requiredInt(request({ n: text }), 'n')).toThrow(HeaderFieldError);
    expect(() => requiredLong(request({ n: text }), 'n')).toThrow(HeaderFieldError);
  });

  it('accepts an optional sign and decimal digits within range', () => {
    expect(requiredInt(request({ n: '+5' }), 'n')).toBe(5);
    expect(requiredInt(request({ n: '-2147483648' }), 'n')).toBe(-2_147_483_648);
    expect(requiredInt(request({ n: '007' }), 'n')).toBe(7);
    expect(() => requiredInt(request({ n: '2147483648' }), 'n')).toThrow(
      'the custom field <n> is not an int: "2147483648"',
    );
    expect(requiredLong(request({ n: '1700000000000' }), 'n')).toBe(1_700_000_000_000);
    expect(requiredLong(request({ n: '-9007199254740991' }), 'n')).toBe(-9_007_199_254_740_991);
    expect(requiredLong(request({ n: String(2 ** 53) }), 'n')).toBe(2 ** 53);
    expect(requiredLong(request({ n: '9000000000000000000' }), 'n')).toBe(9e18);
    expect(requiredLong(request({ n: '-9223372036854775808' }), 'n')).toBe(-(2 ** 63));
    expect(() => requiredLong(request({ n: '9223372036854775808' }), 'n')).toThrow('is not a long');
    expect(() => requiredLong(request({ n: '-9223372036854775809' }), 'n')).toThrow('is not a long');
  });

  it('reads every digit of a long with parseInt64Exact', () => {
    expect(parseInt64Exact('n', '9007199254740993')).toBe(9007199254740993n);
    expect(parseInt64Exact('n', '9223372036854775807')).toBe(2n ** 63n - 1n);
    expect(() => parseInt64Exact('n', '9223372036854775808')).toThrow(HeaderFieldError);
    expect(() => parseInt64Exact('n', '1e3')).toThrow(HeaderFieldError);
  });

  it('treats an empty optional number as absent and refuses a malformed one', () => {
    expect(optionalInt(request({}), 'n')).toBeUndefined();
    expect(optionalInt(request({ n: '' }), 'n')).toBeUndefined();
    expect(optionalLong(request({ n: '12' }), 'n')).toBe(12);
    expect(() => optionalInt(request({ n: '1e3' }), 'n')).toThrow(HeaderFieldError);
  });

  it('keeps an empty optional text as sent, or as absent when asked', () => {
    expect(optionalField(request({ s: '' }), 's')).toBe('');
    expect(nonEmptyField(request({ s: '' }), 's')).toBeUndefined();
    expect(nonEmptyField(request({ s: 'x' }), 's')).toBe('x');
  });

  it('reads booleans as Java Boolean.parseBoolean', () => {
    expect(['true', 'TRUE', 'True', 'false', 'yes', ''].map((b) => optionalBoolean(request({ b }), 'b'))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(optionalBoolean(request({}), 'b')).toBeUndefined();
  });

  it('names the send codes with one-letter keys as the request code table does', () => {
    expect(SEND_MESSAGE_V2_CODE).toBe(RequestCode.SEND_MESSAGE_V2);
    expect(SEND_BATCH_MESSAGE_CODE).toBe(RequestCode.SEND_BATCH_MESSAGE);
  });
});
