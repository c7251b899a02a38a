// Turns an SQL92 syntax tree into one closure per node, built once per expression, evaluated per
// message with Java's three-valued logic (docs/sql92-filter.md §3): a missing property is null
// (unknown), an unknown condition does not match, and an evaluation error (a property that does not
// parse as the number it is compared with) does not match either. AND/OR chains are flattened so a long
// chain does not recurse. Depends on the tree and java-values.ts.

import {
  compareValues,
  javaEquals,
  negateValue,
  parseJavaDouble,
  Sql92EvaluationError,
  type Sql92Value,
} from './java-values.js';
import type { OrderOperator, Sql92Node } from './sql92-ast.js';

/** A message's properties as the filter reads them (a record's decoded property map fits). */
export interface PropertySource {
  get(name: string): string | undefined;
}

export type Sql92Evaluate = (properties: PropertySource) => Sql92Value;

const ORDER_TESTS: Readonly<Record<OrderOperator, (answer: number) => boolean>> = {
  '>': (answer) => answer > 0,
  '>=': (answer) => answer >= 0,
  '<': (answer) => answer < 0,
  '<=': (answer) => answer <= 0,
};

/** Whether the compiled condition holds for the message: true only for TRUE (null and errors: false). */
export function matchesCondition(evaluate: Sql92Evaluate, properties: PropertySource): boolean {
  try {
    return evaluate(properties) === true;
  } catch (error) {
    if (error instanceof Sql92EvaluationError) return false;
    throw error;
  }
}

export function compileNode(node: Sql92Node): Sql92Evaluate {
  switch (node.type) {
    case 'constant': {
      const value = node.value;
      return () => value;
    }
    case 'property': {
      const name = node.name;
      return (properties) => properties.get(name) ?? null;
    }
    case 'negate': {
      const operand = compileNode(node.operand);
      return (properties) => negateValue(operand(properties));
    }
    case 'booleanCast': {
      const operand = compileNode(node.operand);
      return (properties) => {
        const value = operand(properties);
        return value === null ? null : value === true;
      };
    }
    case 'not': {
      const operand = compileNode(node.operand);
      return (properties) => {
        const value = operand(properties);
        return value === null ? null : value !== true;
      };
    }
    case 'and':
    case 'or':
      return compileChain(node.type, flattenChain(node.type, node));
    case 'order':
      return compileOrder(node.operator, compileNode(node.left), compileNode(node.right));
    case 'equal':
      return compileEqual(compileNode(node.left), compileNode(node.right));
    case 'in':
      return compileIn(compileNode(node.operand), new Set(node.values), node.not);
    case 'match':
      return compileMatch(node.operator, compileNode(node.operand), node.search, node.not);
  }
}

/** The operands of a left-deep AND (or OR) chain, in source order, without recursion. */
function flattenChain(type: 'and' | 'or', root: Sql92Node): Sql92Node[] {
  const rights: Sql92Node[] = [];
  let node = root;
  while (node.type === type) {
    rights.push(node.right);
    node = node.left;
  }
  return [node, ...rights.reverse()];
}

/**
 * Java's LogicExpression over a chain: AND stops at the first FALSE (OR at the first TRUE); otherwise
 * unknown if any operand was unknown.
 */
function compileChain(type: 'and' | 'or', operands: readonly Sql92Node[]): Sql92Evaluate {
  const evaluators = operands.map(compileNode);
  const decisive = type === 'or';
  return (properties) => {
    let unknown = false;
    for (const evaluate of evaluators) {
      const value = evaluate(properties);
      if (value === null) unknown = true;
      else if (value === decisive) return decisive;
    }
    return unknown ? null : !decisive;
  };
}

/** Java's ordering comparison: null if a side is null; two strings only if both parse as doubles. */
function compileOrder(operator: OrderOperator, left: Sql92Evaluate, right: Sql92Evaluate): Sql92Evaluate {
  const test = ORDER_TESTS[operator];
  return (properties) => {
    const lv = left(properties);
    if (lv === null) return null;
    const rv = right(properties);
    if (rv === null) return null;
    if (typeof lv === 'string' && typeof rv === 'string') return test(compareNumericStrings(lv, rv));
    return test(compareValues(lv, rv));
  };
}

/** Two strings ordered: Java tries both as doubles and throws if either does not parse. */
function compareNumericStrings(left: string, right: string): number {
  return compareValues(parseJavaDouble(left), parseJavaDouble(right));
}

/** Java's equality: null when only the left side is null, FALSE when only the right one is. */
function compileEqual(left: Sql92Evaluate, right: Sql92Evaluate): Sql92Evaluate {
  return (properties) => {
    const lv = left(properties);
    const rv = right(properties);
    if (lv === null || rv === null) return lv === null ? (rv === null ? true : null) : false;
    if (javaEquals(lv, rv)) return true;
    return compareValues(lv, rv) === 0;
  };
}

/** Java's IN: null for a missing (or non-string) value, else membership XOR `not`. */
function compileIn(operand: Sql92Evaluate, values: ReadonlySet<string>, not: boolean): Sql92Evaluate {
  return (properties) => {
    const value = operand(properties);
    if (typeof value !== 'string') return null;
    return values.has(value) !== not;
  };
}

/** CONTAINS / STARTSWITH / ENDSWITH: FALSE for an empty search, a missing or non-string value. */
function compileMatch(operator: string, operand: Sql92Evaluate, search: string, not: boolean): Sql92Evaluate {
  const test =
    operator === 'CONTAINS'
      ? (value: string): boolean => value.includes(search)
      : operator === 'STARTSWITH'
        ? (value: string): boolean => value.startsWith(search)
        : (value: string): boolean => value.endsWith(search);
  return (properties) => {
    if (search === '') return false;
    const value = operand(properties);
    if (typeof value !== 'string') return false;
    return test(value) !== not;
  };
}
