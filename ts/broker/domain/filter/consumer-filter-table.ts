// The compiled SQL92 filters of the consumer groups (Java `ConsumerFilterManager`, without its bloom
// filter bit maps): an expression is compiled once and shared by every (group, topic) subscribed with
// it, and each shared filter remembers its recent results by CommitLog offset, so a message is
// evaluated once per distinct expression, not once per group or consumer. Bounded (ts/broker/limits.ts).
// Depends on the sql92 module.

import { SQL92_MAX_COMPILED_FILTERS, SQL92_MAX_REMEMBERED_RESULTS } from '../../limits.js';
import { compileSql92, type PropertySource, type Sql92Filter } from './sql92/sql92.js';

/** A compiled expression shared by its subscribers, matching stored records. */
export class SharedSql92Filter {
  /** physical offset → matched; insertion order is age (the oldest is dropped first). */
  private readonly results = new Map<number, boolean>();

  constructor(
    readonly filter: Sql92Filter,
    private readonly maxRemembered: number,
  ) {}

  get expression(): string {
    return this.filter.expression;
  }

  get propertyNames(): readonly string[] {
    return this.filter.propertyNames;
  }

  /** Whether the record at `physicalOffset` matches; `properties` is read only on a first evaluation. */
  matchesRecord(physicalOffset: number, properties: () => PropertySource): boolean {
    const remembered = this.results.get(physicalOffset);
    if (remembered !== undefined) return remembered;
    const matched = this.filter.matches(properties());
    if (this.results.size >= this.maxRemembered) {
      this.results.delete(this.results.keys().next().value as number);
    }
    this.results.set(physicalOffset, matched);
    return matched;
  }
}

interface GroupFilter {
  readonly expression: string;
  readonly filter: SharedSql92Filter | null;
}

export class ConsumerFilterTable {
  private readonly compiled = new Map<string, SharedSql92Filter>();
  /** `group@topic` → the expression last seen for it and its filter (null: it did not compile). */
  private readonly byGroupTopic = new Map<string, GroupFilter>();

  constructor(
    private readonly maxCompiled = SQL92_MAX_COMPILED_FILTERS,
    private readonly maxRemembered = SQL92_MAX_REMEMBERED_RESULTS,
  ) {}

  /** The shared filter of `expression`, compiled on first use. Throws Sql92SyntaxError. */
  compile(expression: string): SharedSql92Filter {
    const cached = this.compiled.get(expression);
    if (cached !== undefined) return cached;
    const shared = new SharedSql92Filter(compileSql92(expression), this.maxRemembered);
    if (this.compiled.size >= this.maxCompiled) this.compiled.delete(this.compiled.keys().next().value as string);
    this.compiled.set(expression, shared);
    return shared;
  }

  /**
   * The filter of a group's subscription to a topic, compiled when the expression is new for that
   * (group, topic); null when it does not compile (Java keeps no filter data then).
   */
  forSubscription(group: string, topic: string, expression: string): SharedSql92Filter | null {
    const key = `${group}@${topic}`;
    const known = this.byGroupTopic.get(key);
    if (known !== undefined && known.expression === expression) return known.filter;
    let filter: SharedSql92Filter | null;
    try {
      filter = this.compile(expression);
    } catch {
      // Not swallowed: the caller answers FILTER_DATA_NOT_EXIST for a null filter.
      filter = null;
    }
    if (known === undefined && this.byGroupTopic.size >= this.maxCompiled) {
      this.byGroupTopic.delete(this.byGroupTopic.keys().next().value as string);
    }
    this.byGroupTopic.set(key, { expression, filter });
    return filter;
  }
}
