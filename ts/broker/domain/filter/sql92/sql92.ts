// Compiles an RocketMQ SQL92 filter expression into a condition on a message's properties (Java
// `SqlFilter.compile`): bounded length and nesting, parsed with Java's checks, turned into closures
// once. A malformed expression throws Sql92SyntaxError, never a match-all filter. Depends on the parser,
// the evaluator and ts/broker/limits.ts.

import { SQL92_MAX_EXPRESSION_LENGTH_CHARS, SQL92_MAX_NESTING_DEPTH } from '../../../limits.js';
import { compileNode, matchesCondition, type PropertySource } from './sql92-evaluator.js';
import { propertyNamesOf, type Sql92Node } from './sql92-ast.js';
import { Sql92SyntaxError } from './sql92-lexer.js';
import { Sql92Parser } from './sql92-parser.js';

export { Sql92SyntaxError } from './sql92-lexer.js';
export type { PropertySource } from './sql92-evaluator.js';

/** Java `ExpressionType.SQL92`. */
export const SQL92 = 'SQL92';

/** A compiled expression: whether a message with these properties matches. */
export interface Sql92Filter {
  readonly expression: string;
  /** The properties the expression reads: the only ones a caller needs to decode. */
  readonly propertyNames: readonly string[];
  matches(properties: PropertySource): boolean;
}

export interface Sql92Limits {
  readonly maxLengthChars: number;
  readonly maxDepth: number;
}

const DEFAULT_LIMITS: Sql92Limits = {
  maxLengthChars: SQL92_MAX_EXPRESSION_LENGTH_CHARS,
  maxDepth: SQL92_MAX_NESTING_DEPTH,
};

/**
 * Parses and compiles `expression`. Throws Sql92SyntaxError (message prefixed as Java's
 * MQFilterException: "Invalid MessageSelector. ") for anything the grammar or its checks refuse.
 */
export function compileSql92(expression: string, limits: Sql92Limits = DEFAULT_LIMITS): Sql92Filter {
  if (expression.length > limits.maxLengthChars) {
    throw invalid(`the expression is ${expression.length} chars, longer than the ${limits.maxLengthChars} allowed`);
  }
  let tree: Sql92Node;
  try {
    tree = new Sql92Parser(expression, limits.maxDepth).parse();
  } catch (error) {
    // Syntax errors, Java's build-time checks, and a bound overflow all refuse the expression.
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  const evaluate = compileNode(tree);
  const propertyNames = propertyNamesOf(tree);
  return { expression, propertyNames, matches: (properties) => matchesCondition(evaluate, properties) };
}

function invalid(detail: string): Sql92SyntaxError {
  return new Sql92SyntaxError(`Invalid MessageSelector. ${detail}`);
}
