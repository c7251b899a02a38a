// Property tests of the SQL92 filter (fast-check): comparisons of integer properties agree with
// JavaScript arithmetic, BETWEEN is the conjunction of its bounds, NOT inverts every known answer, IN
// is set membership, AND/OR follow three-valued logic, and random text never crashes the compiler
// (it compiles or throws Sql92SyntaxError).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSql92, Sql92SyntaxError } from '../../../ts/broker/domain/filter/sql92/sql92.js';

const matches = (sql: string, properties: Record<string, string>): boolean =>
  compileSql92(sql).matches(new Map(Object.entries(properties)));

const int = fc.integer({ min: -2_147_483_648, max: 2_147_483_647 });
const operators = fc.constantFrom('=', '<>', '>', '>=', '<', '<=');
const expected: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

describe('sql92: properties', () => {
  it('compares an integer property with an integer literal as arithmetic does', () => {
    fc.assert(
      fc.property(int, int, operators, (value, literal, operator) => {
        const sql = `a ${operator} ${literal < 0 ? `-${-literal}` : literal}`;
        expect(matches(sql, { a: String(value) })).toBe(expected[operator]!(value, literal));
      }),
    );
  });

  it('treats BETWEEN as both bounds and NOT BETWEEN as its complement', () => {
    fc.assert(
      fc.property(int, int, int, (value, x, y) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const inside = value >= low && value <= high;
        const bounds = `(${low}) AND (${high})`.replaceAll('(-', '(- ');
        expect(matches(`a BETWEEN ${bounds}`, { a: String(value) })).toBe(inside);
        expect(matches(`a NOT BETWEEN ${bounds}`, { a: String(value) })).toBe(!inside);
      }),
    );
  });

  it('inverts every known answer with NOT and keeps unknown unknown', () => {
    fc.assert(
      fc.property(fc.option(int, { nil: undefined }), int, operators, (value, literal, operator) => {
        const sql = `a ${operator} ${Math.abs(literal)}`;
        const properties: Record<string, string> = value === undefined ? {} : { a: String(value) };
        const plain = matches(sql, properties);
        const negated = matches(`NOT (${sql})`, properties);
        if (value === undefined) expect([plain, negated]).toEqual([false, false]);
        else expect(negated).toBe(!plain);
      }),
    );
  });

  it('tests IN as membership of the listed strings', () => {
    const word = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(word, fc.array(word, { minLength: 1, maxLength: 8 }), (value, list) => {
        const literals = list.map((item) => `'${item.replaceAll("'", "''")}'`).join(', ');
        expect(matches(`a IN (${literals})`, { a: value })).toBe(list.includes(value));
        expect(matches(`a NOT IN (${literals})`, { a: value })).toBe(!list.includes(value));
      }),
    );
  });

  it('combines with AND / OR as three-valued logic', () => {
    // TRUE, FALSE, or unknown (a comparison on a missing property).
    const term = fc.constantFrom('TRUE', 'FALSE', 'missing > 1');
    const value = (t: string): boolean | null => (t === 'TRUE' ? true : t === 'FALSE' ? false : null);
    fc.assert(
      fc.property(term, term, (x, y) => {
        const [a, b] = [value(x), value(y)];
        const and = a === false || b === false ? false : a === null || b === null ? null : true;
        const or = a === true || b === true ? true : a === null || b === null ? null : false;
        expect(matches(`${x} AND ${y}`, {})).toBe(and === true);
        expect(matches(`${x} OR ${y}`, {})).toBe(or === true);
      }),
    );
  });

  it('never crashes on arbitrary text: it compiles or throws Sql92SyntaxError', () => {
    const pieces = fc.constantFrom('a', 'b', '(', ')', ' ', '=', '<>', '>', 'AND', 'OR', 'NOT', "'x'", '1', '2.5', ',');
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(pieces, { maxLength: 30 }).map((p) => p.join(' ')),
    );
    fc.assert(
      fc.property(text, (source) => {
        try {
          const filter = compileSql92(source);
          expect(typeof filter.matches(new Map([['a', '1']]))).toBe('boolean');
        } catch (error) {
          expect(error).toBeInstanceOf(Sql92SyntaxError);
        }
      }),
    );
  });
});
