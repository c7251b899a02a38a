// The consumer groups' compiled SQL92 filters: one compilation per distinct expression shared by every
// (group, topic) using it, one evaluation per message per expression (remembered by CommitLog offset,
// bounded), a recompile when a group changes its expression, and null for one that does not compile.

import { describe, expect, it } from 'vitest';
import { ConsumerFilterTable } from '../../../ts/broker/domain/filter/consumer-filter-table.js';
import { Sql92SyntaxError } from '../../../ts/broker/domain/filter/sql92/sql92.js';

/** Properties that count how often the filter reads them. */
function countingProperties(values: Record<string, string>) {
  const counter = { reads: 0 };
  const source = () => {
    counter.reads++;
    return new Map(Object.entries(values));
  };
  return { counter, source };
}

describe('filter: consumer filter table', () => {
  it('shares one compiled filter between groups with the same expression and evaluates a message once', () => {
    const table = new ConsumerFilterTable();
    const first = table.forSubscription('g1', 'T', 'a > 1');
    const second = table.forSubscription('g2', 'T', 'a > 1');
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    const { counter, source } = countingProperties({ a: '2' });
    expect(first?.matchesRecord(100, source)).toBe(true);
    expect(second?.matchesRecord(100, source)).toBe(true);
    expect(counter.reads).toBe(1);
  });

  it('compiles again when a group changes its expression', () => {
    const table = new ConsumerFilterTable();
    const before = table.forSubscription('g', 'T', 'a > 1');
    const after = table.forSubscription('g', 'T', 'a < 1');
    expect(after?.expression).toBe('a < 1');
    expect(after).not.toBe(before);
    expect(table.forSubscription('g', 'T', 'a < 1')).toBe(after);
  });

  it('answers null for an expression that does not compile, and compile() throws', () => {
    const table = new ConsumerFilterTable();
    expect(table.forSubscription('g', 'T', 'a >')).toBeNull();
    expect(() => table.compile('a >')).toThrow(Sql92SyntaxError);
  });

  it('bounds the compiled filters and the remembered results', () => {
    const table = new ConsumerFilterTable(2, 2);
    const kept = table.compile('a > 1');
    table.compile('a > 2');
    table.compile('a > 3');
    expect(table.compile('a > 1')).not.toBe(kept);
    const { counter, source } = countingProperties({ a: '5' });
    for (const offset of [1, 2, 3, 1]) kept.matchesRecord(offset, source);
    // Offset 1 was forgotten when 3 came in, so it is evaluated again.
    expect(counter.reads).toBe(4);
  });
});
