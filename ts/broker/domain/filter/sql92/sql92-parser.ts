// A recursive-descent parser for RocketMQ's SQL92 filter grammar (docs/sql92-filter.md §1), one method
// per rule of Java's SelectorParser: or → and → equality → comparison → unary → primary. Nesting
// (parentheses, NOT, signs) is bounded, so a hostile expression gets an error, not a stack overflow.
// Depends on the lexer, the tree builders and java-values.ts.

import { doubleValue, intValue, longValue, type Sql92Value } from './java-values.js';
import * as build from './sql92-ast.js';
import type { Sql92Node } from './sql92-ast.js';
import { Sql92SyntaxError, tokenizeSql92, type Sql92Token } from './sql92-lexer.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MAX = 2n ** 63n - 1n;
/** Java `Double.MIN_VALUE`, the smallest positive double: Java's filter refuses float literals below it. */
const DOUBLE_MIN_VALUE = 5e-324;
const ORDER_OPERATORS: ReadonlySet<string> = new Set(['>', '>=', '<', '<=']);
const MATCH_KEYWORDS: ReadonlySet<string> = new Set(['CONTAINS', 'STARTSWITH', 'ENDSWITH']);
/** The keywords a NOT may precede inside a comparison (`a NOT IN (...)`). */
const NEGATABLE_KEYWORDS: ReadonlySet<string> = new Set([...MATCH_KEYWORDS, 'BETWEEN', 'IN']);

/** Java `ConstantExpression.createFromDecimal`: an int if it fits, else a long; beyond a long refused. */
export function decimalLiteral(text: string): Sql92Value {
  const digits = text.endsWith('l') || text.endsWith('L') ? text.slice(0, -1) : text;
  const value = BigInt(digits);
  if (value > LONG_MAX) throw new Sql92SyntaxError(`For input string: "${digits}"`);
  const asNumber = Number(value);
  return asNumber >= INT_MIN && asNumber <= INT_MAX ? intValue(asNumber) : longValue(value);
}

/** Java `ConstantExpression.createFloat`: finite and not below Double.MIN_VALUE (so 0.0 is refused too). */
export function floatLiteral(text: string): Sql92Value {
  const value = Number(text);
  if (value === Infinity) throw new Sql92SyntaxError(`${text} is greater than 1.7976931348623157E308`);
  if (value < DOUBLE_MIN_VALUE) throw new Sql92SyntaxError(`${text} is less than 4.9E-324`);
  return doubleValue(value);
}

export class Sql92Parser {
  private readonly tokens: Sql92Token[];
  private index = 0;
  private depth = 0;

  constructor(
    source: string,
    private readonly maxDepth: number,
  ) {
    this.tokens = tokenizeSql92(source);
  }

  /** The whole expression as a boolean condition (Java `JmsSelector`). */
  parse(): Sql92Node {
    const node = build.asBoolean(this.orExpression());
    if (this.peek().kind !== 'end') this.fail();
    return node;
  }

  private peek(offset = 0): Sql92Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Sql92Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'keyword' && token.text === word;
  }

  private isOperator(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.text === symbol;
  }

  /** Consumes the keyword or operator `text`, or fails. */
  private expect(text: string): void {
    const token = this.peek();
    if ((token.kind === 'keyword' || token.kind === 'operator') && token.text === text) this.index++;
    else this.fail();
  }

  private fail(): never {
    const token = this.peek();
    throw new Sql92SyntaxError(`Encountered "${token.text}" at column ${token.column}`);
  }

  private orExpression(): Sql92Node {
    let left = this.andExpression();
    while (this.isKeyword('OR')) {
      this.next();
      left = { type: 'or', left: build.asBoolean(left), right: build.asBoolean(this.andExpression()) };
    }
    return left;
  }

  private andExpression(): Sql92Node {
    let left = this.equalityExpression();
    while (this.isKeyword('AND')) {
      this.next();
      left = { type: 'and', left: build.asBoolean(left), right: build.asBoolean(this.equalityExpression()) };
    }
    return left;
  }

  private equalityExpression(): Sql92Node {
    let left = this.comparisonExpression();
    for (;;) {
      if (this.isOperator('=')) {
        this.next();
        left = build.equal(left, this.comparisonExpression());
      } else if (this.isOperator('<>')) {
        this.next();
        left = build.notEqual(left, this.comparisonExpression());
      } else if (this.isKeyword('IS')) {
        this.next();
        const not = this.isKeyword('NOT');
        if (not) this.next();
        this.expect('NULL');
        left = not ? build.isNotNull(left) : build.isNull(left);
      } else {
        return left;
      }
    }
  }

  private comparisonExpression(): Sql92Node {
    let left = this.unaryExpression();
    for (;;) {
      const token = this.peek();
      if (token.kind === 'operator' && ORDER_OPERATORS.has(token.text)) {
        this.next();
        left = build.order(token.text as build.OrderOperator, left, this.unaryExpression());
        continue;
      }
      // NOT introduces a negated form only when one of these keywords follows (Java's LOOKAHEAD(2)).
      const following = this.peek(1);
      const not = this.isKeyword('NOT') && following.kind === 'keyword' && NEGATABLE_KEYWORDS.has(following.text);
      const word = this.peek(not ? 1 : 0);
      if (word.kind !== 'keyword') return left;
      if (word.text === 'BETWEEN') left = this.betweenTail(left, not);
      else if (word.text === 'IN') left = this.inTail(left, not);
      else if (MATCH_KEYWORDS.has(word.text)) left = this.matchTail(left, not);
      else return left;
    }
  }

  private betweenTail(value: Sql92Node, not: boolean): Sql92Node {
    if (not) this.next();
    this.expect('BETWEEN');
    const low = this.unaryExpression();
    this.expect('AND');
    const high = this.unaryExpression();
    return not ? build.notBetween(value, low, high) : build.between(value, low, high);
  }

  private inTail(operand: Sql92Node, not: boolean): Sql92Node {
    if (not) this.next();
    this.expect('IN');
    this.expect('(');
    const values = [this.stringLiteral()];
    while (this.isOperator(',')) {
      this.next();
      values.push(this.stringLiteral());
    }
    this.expect(')');
    return build.inList(operand, values, not);
  }

  private matchTail(operand: Sql92Node, not: boolean): Sql92Node {
    if (not) this.next();
    const operator = this.next().text as build.MatchOperator;
    return { type: 'match', operator, operand, search: this.stringLiteral(), not };
  }

  private stringLiteral(): string {
    const token = this.peek();
    if (token.kind !== 'string') this.fail();
    this.index++;
    return token.text;
  }

  /** Signs and NOT nest: each level counts towards the depth bound. */
  private unaryExpression(): Sql92Node {
    this.enter();
    let node: Sql92Node;
    if (this.isOperator('+')) {
      this.next();
      node = this.unaryExpression();
    } else if (this.isOperator('-')) {
      this.next();
      node = { type: 'negate', operand: this.unaryExpression() };
    } else if (this.isKeyword('NOT')) {
      this.next();
      node = { type: 'not', operand: build.asBoolean(this.unaryExpression()) };
    } else {
      node = this.primaryExpression();
    }
    this.depth--;
    return node;
  }

  private primaryExpression(): Sql92Node {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { type: 'constant', value: token.text, boolean: false };
      case 'decimal':
        return { type: 'constant', value: decimalLiteral(token.text), boolean: false };
      case 'float':
        return { type: 'constant', value: floatLiteral(token.text), boolean: false };
      case 'identifier':
        return { type: 'property', name: token.text };
      case 'keyword':
        return this.keywordLiteral(token);
      case 'operator':
        return this.parenthesized(token);
      case 'end':
        return this.fail();
    }
  }

  private keywordLiteral(token: Sql92Token): Sql92Node {
    if (token.text === 'TRUE') return { type: 'constant', value: true, boolean: true };
    if (token.text === 'FALSE') return { type: 'constant', value: false, boolean: true };
    if (token.text === 'NULL') return build.NULL_CONSTANT;
    this.index--;
    return this.fail();
  }

  private parenthesized(token: Sql92Token): Sql92Node {
    if (token.text !== '(') {
      this.index--;
      return this.fail();
    }
    this.enter();
    const node = this.orExpression();
    this.expect(')');
    this.depth--;
    return node;
  }

  private enter(): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw new Sql92SyntaxError(`the expression nests deeper than ${this.maxDepth} levels`);
    }
  }
}
