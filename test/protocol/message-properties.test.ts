// Specification of the property string codec and the tags hash code (Java `String.hashCode`):
// Java's encoder and `string2messageProperties` rules, with fast-check round trips.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeMessageProperties,
  MessageProperty,
  parseMessageProperties,
  withoutMessageProperties,
} from '../../ts/protocol/message-properties.js';
import { javaStringHashCode, tagsCode } from '../../ts/protocol/tag-code.js';

/** One char of a property string: separators, spaces and any Unicode grapheme. */
const char = fc.oneof(
  { arbitrary: fc.constantFrom('\x01', '\x02', ' ', '='), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 5 },
);
const name = fc
  .string({ unit: char, minLength: 1, maxLength: 16 })
  .filter((s) => !s.includes('\x01') && !s.includes('\x02'));
const value = fc.string({ unit: char, minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\x02'));

describe('message properties: encoding', () => {
  it('writes name \\x01 value \\x02 for every pair, the last one included', () => {
    const encoded = encodeMessageProperties(
      new Map([
        [MessageProperty.KEYS, 'K1 K2'],
        [MessageProperty.UNIQ_KEY, '7F000001000100000000000000000000'],
        [MessageProperty.TAGS, 'TagA'],
      ]),
    );
    expect(encoded).toBe('KEYS\x01K1 K2\x02UNIQ_KEY\x017F000001000100000000000000000000\x02TAGS\x01TagA\x02');
  });

  it('skips undefined values, as Java skips nulls', () => {
    expect(encodeMessageProperties({ TAGS: 'a', KEYS: undefined })).toBe('TAGS\x01a\x02');
    expect(encodeMessageProperties({})).toBe('');
  });
});

describe('message properties: dropping some without re-encoding the rest', () => {
  it('gives what encoding the map without those names gives', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 8 }),
        fc.array(fc.nat(10), { maxLength: 4 }),
        fc.array(name, { maxLength: 2 }),
        (pairs, picks, others) => {
          const properties = new Map(pairs);
          const dropped = [...picks.flatMap((i) => (pairs[i] === undefined ? [] : [pairs[i][0]])), ...others];
          const expected = new Map([...properties].filter(([n]) => !dropped.includes(n)));
          const kept = withoutMessageProperties(encodeMessageProperties(properties), dropped);
          expect(kept).toBe(encodeMessageProperties(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops the half-only properties of a transaction and keeps the rest in order', () => {
    const half = 'TRAN_MSG\x01true\x02PGROUP\x01g\x02REAL_TOPIC\x01T\x02UNIQ_KEY\x01U\x02REAL_QID\x011\x02';
    expect(withoutMessageProperties(half, ['REAL_TOPIC', 'REAL_QID', 'TRAN_MSG'])).toBe(
      'PGROUP\x01g\x02UNIQ_KEY\x01U\x02',
    );
    expect(withoutMessageProperties('', ['TAGS'])).toBe('');
  });
});

describe('message properties: parsing with string2messageProperties rules', () => {
  it('drops empty names, empty values, and chunks shorter than 3 chars', () => {
    const parsed = parseMessageProperties('KEYS\x01K1 K2\x02\x01x\x02EMPTY\x01\x02ab\x02TAGS\x01TagA\x02');
    expect([...parsed]).toEqual([
      ['KEYS', 'K1 K2'],
      ['TAGS', 'TagA'],
    ]);
  });

  it('accepts a missing final \\x02, keeps \\x01 inside values, and lets a later duplicate win', () => {
    expect([...parseMessageProperties('A\x01x\x01y\x02A\x01z\x02B\x01w')]).toEqual([
      ['A', 'z'],
      ['B', 'w'],
    ]);
  });

  it('keeps only the named properties when given names, with the same rules (property)', () => {
    const chunk = fc.tuple(fc.constantFrom('a', 'b', 'ab', 'TAGS', ''), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 6 }), (chunks) => {
        const encoded = chunks.map(([name, value]) => `${name}\x01${value}\x02`).join('');
        const all = parseMessageProperties(encoded);
        const only = parseMessageProperties(encoded, ['a', 'TAGS']);
        expect([...only].sort()).toEqual([...all].filter(([name]) => name === 'a' || name === 'TAGS').sort());
      }),
    );
  });

  it('skips a chunk without \\x01 even when a later chunk has one', () => {
    expect([...parseMessageProperties('abc\x02K\x01v\x02')]).toEqual([['K', 'v']]);
  });

  it('round-trips any map of non-empty names and values', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 10 }), (record) => {
        const map = new Map(Object.entries(record));
        expect(parseMessageProperties(encodeMessageProperties(map))).toEqual(map);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary input and only returns non-empty names and values', () => {
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 80 }), (text) => {
        for (const [k, v] of parseMessageProperties(text)) {
          expect(k.length).toBeGreaterThan(0);
          expect(v.length).toBeGreaterThan(0);
          expect(k.includes('\x01') || k.includes('\x02') || v.includes('\x02')).toBe(false);
        }
      }),
    );
  });
});

describe('tags hash code', () => {
  it("is Java's String.hashCode over UTF-16 units, as a signed int32", () => {
    expect(javaStringHashCode('TagA')).toBe(0x0027a807);
    expect(javaStringHashCode('é')).toBe(0xe9);
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
    expect(javaStringHashCode('TagA TagB TagC TagD')).toBe(766_419_170);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
  });

  it('is 0 without tags', () => {
    expect(tagsCode(undefined)).toBe(0);
    expect(tagsCode('')).toBe(0);
    expect(tagsCode('TagA')).toBe(0x0027a807);
  });
});
