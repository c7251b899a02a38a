// The SQL92 filter module as a specification of Apache RocketMQ's filter (docs/sql92-filter.md): the
// grammar and its build-time checks, three-valued evaluation over string properties, Java's number
// and type-mismatch rules, and the bounds that refuse hostile expressions.

import { describe, expect, it } from 'vitest';
import { compileSql92, Sql92SyntaxError } from '../../../ts/broker/domain/filter/sql92/sql92.js';

/** Whether `sql` matches a message with these properties. */
const matches = (sql: string, properties: Record<string, string> = {}): boolean =>
  compileSql92(sql).matches(new Map(Object.entries(properties)));

const refuses = (sql: string): void => {
  expect(() => compileSql92(sql), sql.slice(0, 60)).toThrow(Sql92SyntaxError);
};

describe('sql92: comparisons', () => {
  it('compares numeric properties with = <> > >= < <=', () => {
    const a = { a: '5' };
    expect(matches('a = 5', a)).toBe(true);
    expect(matches('a <> 5', a)).toBe(false);
    expect(matches('a > 4', a)).toBe(true);
    expect(matches('a >= 5', a)).toBe(true);
    expect(matches('a < 5', a)).toBe(false);
    expect(matches('a <= 5', a)).toBe(true);
    expect(matches('5 = a', a)).toBe(true);
    expect(matches('4 < a', a)).toBe(true);
  });

  it('compares strings with = and <>, case-sensitively', () => {
    expect(matches("color = 'red'", { color: 'red' })).toBe(true);
    expect(matches("color = 'Red'", { color: 'red' })).toBe(false);
    expect(matches("color <> 'blue'", { color: 'red' })).toBe(true);
    expect(matches("name = 'it''s'", { name: "it's" })).toBe(true);
  });

  it('widens numbers as Java does: int, long and double literals', () => {
    expect(matches('a > 3000000000', { a: '3000000001' })).toBe(true);
    expect(matches('a > 2.5', { a: '3' })).toBe(true);
    expect(matches('a = 2.5', { a: '2.5' })).toBe(true);
    expect(matches('a > -1', { a: '0' })).toBe(true);
    expect(matches('a = 10L', { a: '10' })).toBe(true);
    expect(matches('a > 1E3', { a: '1001' })).toBe(true);
  });

  it('does not match when the property does not parse as the number it is compared with', () => {
    // Java: Integer.valueOf("abc") throws; the filter answers "no match" for the whole expression.
    expect(matches('a > 5', { a: 'abc' })).toBe(false);
    expect(matches('a = 5', { a: '5.0' })).toBe(false);
    expect(matches('a = 5 OR b = 1', { a: 'x', b: '1' })).toBe(false);
    expect(matches('a > 5', { a: '3000000000' })).toBe(false);
    expect(matches('a > 5.0', { a: ' 6 ' })).toBe(true);
  });

  it('orders two string properties only when both are numeric', () => {
    expect(matches('a > b', { a: '10', b: '9' })).toBe(true);
    expect(matches('a > b', { a: 'y', b: 'x' })).toBe(false);
    expect(matches('a = b', { a: 'x', b: 'x' })).toBe(true);
  });
});

describe('sql92: unknown (missing) properties', () => {
  it('makes comparisons unknown, so neither a condition nor its negation matches', () => {
    expect(matches('a > 1')).toBe(false);
    expect(matches('NOT (a > 1)')).toBe(false);
    expect(matches("a = 'x'")).toBe(false);
    expect(matches("a <> 'x'")).toBe(false);
    expect(matches("a IN ('x')")).toBe(false);
    expect(matches("a NOT IN ('x')")).toBe(false);
    expect(matches('a BETWEEN 1 AND 2')).toBe(false);
    expect(matches('a NOT BETWEEN 1 AND 2')).toBe(false);
  });

  it('uses three-valued AND / OR', () => {
    expect(matches('a > 1 OR TRUE')).toBe(true);
    expect(matches('a > 1 AND FALSE')).toBe(false);
    expect(matches('NOT (a > 1 AND FALSE)')).toBe(true);
    expect(matches('NOT (a > 1 OR FALSE)')).toBe(false);
  });

  it('tests presence with IS NULL / IS NOT NULL', () => {
    expect(matches('a IS NULL')).toBe(true);
    expect(matches('a IS NOT NULL')).toBe(false);
    expect(matches('a IS NOT NULL', { a: '' + 1 })).toBe(true);
  });
});

describe('sql92: BETWEEN, IN, TAGS, literals', () => {
  it('bounds inclusively with BETWEEN and excludes with NOT BETWEEN', () => {
    expect(matches('a BETWEEN 1 AND 3', { a: '1' })).toBe(true);
    expect(matches('a BETWEEN 1 AND 3', { a: '3' })).toBe(true);
    expect(matches('a BETWEEN 1 AND 3', { a: '4' })).toBe(false);
    expect(matches('a NOT BETWEEN 1 AND 3', { a: '4' })).toBe(true);
    expect(matches('a NOT BETWEEN 1 AND 3', { a: '2' })).toBe(false);
  });

  it('tests membership with IN / NOT IN on string literals', () => {
    expect(matches("a IN ('1', '2')", { a: '2' })).toBe(true);
    expect(matches("a NOT IN ('1', '2')", { a: '3' })).toBe(true);
    expect(matches("a IN ('1', '2', '3', '4', '5', '6')", { a: '6' })).toBe(true);
  });

  it('reads the tag as the TAGS property', () => {
    expect(matches("TAGS = 'TagA'", { TAGS: 'TagA' })).toBe(true);
    expect(matches("TAGS IN ('TagA', 'TagB') AND a > 1", { TAGS: 'TagB', a: '2' })).toBe(true);
  });

  it('takes TRUE / FALSE, keywords in any case, comments and blanks', () => {
    expect(matches('TRUE')).toBe(true);
    expect(matches('false')).toBe(false);
    expect(matches('a > 1 and /* note */ b < 3 -- tail\n', { a: '2', b: '2' })).toBe(true);
    expect(matches('NULL')).toBe(false);
  });

  it('supports CONTAINS, STARTSWITH, ENDSWITH and their NOT forms', () => {
    expect(matches("s CONTAINS 'ell'", { s: 'hello' })).toBe(true);
    expect(matches("s STARTSWITH 'he'", { s: 'hello' })).toBe(true);
    expect(matches("s ENDSWITH 'lo'", { s: 'hello' })).toBe(true);
    expect(matches("s NOT CONTAINS 'x'", { s: 'hello' })).toBe(true);
    expect(matches("s NOT CONTAINS 'x'")).toBe(false);
  });

  it('casts a bare property to a condition that is never true for a string value', () => {
    expect(matches('flag', { flag: 'true' })).toBe(false);
    expect(matches('flag = TRUE', { flag: 'true' })).toBe(true);
  });
});

describe('sql92: refused expressions', () => {
  it('refuses syntax errors', () => {
    for (const sql of ['', 'a >', '> 1', "a = 'open", 'a = 1 b', 'a ! 1', '(a > 1', 'a > 1)', 'a IN ()', 'a IN (1)']) {
      refuses(sql);
    }
  });

  it("refuses what Java's builders refuse", () => {
    refuses("a > 'x'"); // strings are not ordered
    refuses('a = NULL');
    refuses("TRUE = 'x'");
    refuses('a BETWEEN 5 AND 1');
    refuses('5'); // not a condition
    refuses("'x' IN ('x')"); // IN needs a property
    refuses('0.0'); // Java refuses float literals below Double.MIN_VALUE
    refuses('a > 0.0');
    refuses('a > 9223372036854775808');
    refuses('(a > 1) > 2');
  });

  it('refuses a 10,000-char expression and a 1,000-deep one with a clear message', () => {
    const long = `a = '${'x'.repeat(10_000)}'`;
    expect(() => compileSql92(long)).toThrow(/Invalid MessageSelector\. the expression is 10006 chars/);
    const deep = `${'('.repeat(1000)}a > 1${')'.repeat(1000)}`;
    expect(() => compileSql92(deep)).toThrow(/nests deeper than 100 levels/);
    expect(() => compileSql92(`${'NOT '.repeat(1000)}TRUE`)).toThrow(/nests deeper/);
    expect(() => compileSql92(`${'-'.repeat(1000)}1 > a`)).toThrow(/nests deeper/);
  });

  it('names the properties an expression reads', () => {
    const filter = compileSql92("a > 1 AND (b IS NULL OR TAGS IN ('x')) AND NOT (a < 5)");
    expect([...filter.propertyNames].sort()).toEqual(['TAGS', 'a', 'b']);
  });

  it('evaluates a long OR chain without recursion', () => {
    const chain = Array.from({ length: 600 }, (_, i) => `a = ${i}`).join(' OR ');
    expect(matches(chain, { a: '599' })).toBe(true);
    expect(matches(chain, { a: '600' })).toBe(false);
  });
});
