// The syntax tree of an SQL92 filter and its builders, which make the checks RocketMQ's filter makes
// while parsing (docs/sql92-filter.md §2): what may be compared with what, BETWEEN bounds, IN on a
// property only, which expressions give a boolean. Depends on java-values.ts and the lexer's error.

import { compareValues, renderValue, type Sql92Value } from './java-values.js';
import { Sql92SyntaxError } from './sql92-lexer.js';

export type OrderOperator = '>' | '>=' | '<' | '<=';
export type MatchOperator = 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH';

export type Sql92Node =
  /** A literal; `boolean` marks TRUE, FALSE and NULL (Java's BooleanConstantExpression). */
  | { readonly type: 'constant'; readonly value: Sql92Value; readonly boolean: boolean }
  | { readonly type: 'property'; readonly name: string }
  | { readonly type: 'negate'; readonly operand: Sql92Node }
  /** A property used as a condition: true only if its value is a Boolean (never, for a String property). */
  | { readonly type: 'booleanCast'; readonly operand: Sql92Node }
  | { readonly type: 'not'; readonly operand: Sql92Node }
  | { readonly type: 'and' | 'or'; readonly left: Sql92Node; readonly right: Sql92Node }
  | { readonly type: 'order'; readonly operator: OrderOperator; readonly left: Sql92Node; readonly right: Sql92Node }
  | { readonly type: 'equal'; readonly left: Sql92Node; readonly right: Sql92Node }
  | { readonly type: 'in'; readonly operand: Sql92Node; readonly values: readonly string[]; readonly not: boolean }
  | {
      readonly type: 'match';
      readonly operator: MatchOperator;
      readonly operand: Sql92Node;
      readonly search: string;
      readonly not: boolean;
    };

export const NULL_CONSTANT: Sql92Node = { type: 'constant', value: null, boolean: true };

/** Whether the node is one of Java's BooleanExpressions. */
export function isBooleanNode(node: Sql92Node): boolean {
  if (node.type === 'constant') return node.boolean;
  return node.type !== 'property' && node.type !== 'negate';
}

/** Java `toString` of a node, for error messages. */
export function renderNode(node: Sql92Node): string {
  switch (node.type) {
    case 'constant':
      return renderValue(node.value);
    case 'property':
      return node.name;
    case 'negate':
      return `(- ${renderNode(node.operand)})`;
    case 'booleanCast':
      return renderNode(node.operand);
    case 'not':
      return `(NOT ${renderNode(node.operand)})`;
    case 'and':
    case 'or':
      return `(${renderNode(node.left)} ${node.type === 'and' ? '&&' : '||'} ${renderNode(node.right)})`;
    case 'order':
      return `(${renderNode(node.left)} ${node.operator} ${renderNode(node.right)})`;
    case 'equal':
      return `(${renderNode(node.left)} == ${renderNode(node.right)})`;
    case 'in':
      return `${renderNode(node.operand)} ${node.not ? 'NOT IN' : 'IN'} ( ${node.values.join(', ')} )`;
    case 'match':
      return `(${node.not ? 'NOT ' : ''}${node.operator} ${renderNode(node.operand)})`;
  }
}

/** Java `asBooleanExpression`: a boolean expression as is, a property cast, anything else refused. */
export function asBoolean(node: Sql92Node): Sql92Node {
  if (isBooleanNode(node)) return node;
  if (node.type === 'property') return { type: 'booleanCast', operand: node };
  throw new Sql92SyntaxError(`Expression will not result in a boolean value: ${renderNode(node)}`);
}

/** Java `checkLessThanOperand`: only numbers, properties and numeric expressions are ordered. */
function checkOrderOperand(node: Sql92Node): void {
  const numericConstant = node.type === 'constant' && node.value !== null && typeof node.value === 'object';
  if (numericConstant) return;
  if (node.type === 'constant' || isBooleanNode(node)) {
    throw new Sql92SyntaxError(`Value '${renderNode(node)}' cannot be compared.`);
  }
}

export function order(operator: OrderOperator, left: Sql92Node, right: Sql92Node): Sql92Node {
  checkOrderOperand(left);
  checkOrderOperand(right);
  return { type: 'order', operator, left, right };
}

/** Java `createEqual`: no NULL literal on either side; a TRUE/FALSE literal only against another one. */
export function equal(left: Sql92Node, right: Sql92Node): Sql92Node {
  for (const operand of [left, right]) {
    if (operand.type === 'constant' && operand.value === null) {
      throw new Sql92SyntaxError(`'${renderNode(operand)}' cannot be compared.`);
    }
  }
  if (left.type === 'constant' && right.type === 'constant' && left.boolean && !right.boolean) {
    throw new Sql92SyntaxError(`'${renderNode(left)}' cannot be compared with '${renderNode(right)}'`);
  }
  return { type: 'equal', left, right };
}

export const notEqual = (left: Sql92Node, right: Sql92Node): Sql92Node => ({
  type: 'not',
  operand: equal(left, right),
});
export const isNull = (operand: Sql92Node): Sql92Node => ({ type: 'equal', left: operand, right: NULL_CONSTANT });
export const isNotNull = (operand: Sql92Node): Sql92Node => ({ type: 'not', operand: isNull(operand) });

/** Java `createBetween`: `v >= low AND v <= high`; literal bounds must be non-null and in order. */
export function between(value: Sql92Node, low: Sql92Node, high: Sql92Node): Sql92Node {
  if (low.type === 'constant' && high.type === 'constant') {
    if (low.value === null || high.value === null) {
      throw new Sql92SyntaxError('Illegal values of between, values can not be null!');
    }
    if (compareValues(high.value, low.value) < 0) {
      const shown = (v: Sql92Value): string => (typeof v === 'object' && v !== null ? String(v.value) : String(v));
      throw new Sql92SyntaxError(
        `Illegal values of between, left value(${shown(low.value)}) must less than or equal to right ` +
          `value(${shown(high.value)})`,
      );
    }
  }
  return { type: 'and', left: order('>=', value, low), right: order('<=', value, high) };
}

/** Java `createNotBetween`: `v < low OR v > high`. */
export function notBetween(value: Sql92Node, low: Sql92Node, high: Sql92Node): Sql92Node {
  return { type: 'or', left: order('<', value, low), right: order('>', value, high) };
}

/** Java `createInFilter`: the left side must be a property. */
export function inList(operand: Sql92Node, values: readonly string[], not: boolean): Sql92Node {
  if (operand.type !== 'property') {
    throw new Sql92SyntaxError(`Expected a property for In expression, got: ${renderNode(operand)}`);
  }
  return { type: 'in', operand, values, not };
}

/** The property names the expression reads, each once, without recursion. */
export function propertyNamesOf(root: Sql92Node): string[] {
  const names = new Set<string>();
  const pending: Sql92Node[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.type === 'property') names.add(node.name);
    else if ('operand' in node) pending.push(node.operand);
    else if ('left' in node) pending.push(node.right, node.left);
  }
  return [...names];
}
