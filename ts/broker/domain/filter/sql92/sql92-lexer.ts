// The tokens of RocketMQ's SQL92 filter grammar (docs/sql92-filter.md §1): keywords in any case,
// identifiers, decimal and floating literals, quoted strings with '' for a quote, operators; blanks and
// comments skipped. At each position the longest token wins, a keyword beating an identifier of the same
// length, as the JavaCC token manager does. Depends on nothing.

export type Sql92TokenKind = 'keyword' | 'identifier' | 'decimal' | 'float' | 'string' | 'operator' | 'end';

export interface Sql92Token {
  readonly kind: Sql92TokenKind;
  /** The source text; for a keyword its upper-case name; for a string the decoded value. */
  readonly text: string;
  /** 1-based column of the token's first char. */
  readonly column: number;
}

export const SQL92_KEYWORDS: ReadonlySet<string> = new Set([
  'NOT',
  'AND',
  'OR',
  'BETWEEN',
  'IN',
  'TRUE',
  'FALSE',
  'NULL',
  'IS',
  'CONTAINS',
  'STARTSWITH',
  'ENDSWITH',
]);

/** An expression the grammar rejects; the message says where. */
export class Sql92SyntaxError extends Error {
  override readonly name = 'Sql92SyntaxError';
}

const BLANKS = /[ \t\n\r\f]+/y;
const LINE_COMMENT = /--[^\n\r]*(?:\r\n|\n|\r)/y;
const BLOCK_COMMENT = /\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//y;
const FLOAT = /(?:[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)/y;
const DECIMAL = /(?:0|[1-9][0-9]*[lL]?)/y;
const STRING = /'(?:''|[^'])*'/y;
const IDENTIFIER = /[a-zA-Z_$][a-zA-Z0-9_$]*/y;
const OPERATOR = /<>|>=|<=|[=<>(),+-]/y;

/** The match of a sticky pattern at `position`, or ''. */
function matchAt(pattern: RegExp, source: string, position: number): string {
  pattern.lastIndex = position;
  const match = pattern.exec(source);
  return match === null ? '' : match[0];
}

/** Skips blanks and comments from `position`; returns where the next token starts. */
function skipIgnored(source: string, position: number): number {
  for (;;) {
    const skipped =
      matchAt(BLANKS, source, position) ||
      matchAt(LINE_COMMENT, source, position) ||
      matchAt(BLOCK_COMMENT, source, position);
    if (skipped === '') return position;
    position += skipped.length;
  }
}

/** The longest token at `position` (ties: the earlier kind in this list, as JavaCC declares them). */
function tokenAt(source: string, position: number): Sql92Token {
  const column = position + 1;
  const candidates: [Sql92TokenKind, string][] = [
    ['decimal', matchAt(DECIMAL, source, position)],
    ['float', matchAt(FLOAT, source, position)],
    ['string', matchAt(STRING, source, position)],
    ['identifier', matchAt(IDENTIFIER, source, position)],
    ['operator', matchAt(OPERATOR, source, position)],
  ];
  let best: [Sql92TokenKind, string] = ['end', ''];
  for (const candidate of candidates) if (candidate[1].length > best[1].length) best = candidate;
  const [kind, text] = best;
  if (text === '') {
    throw new Sql92SyntaxError(`Lexical error at column ${column}: unexpected "${source.charAt(position)}"`);
  }
  if (kind === 'string') return { kind, text: text.slice(1, -1).replaceAll("''", "'"), column };
  if (kind === 'identifier' && SQL92_KEYWORDS.has(text.toUpperCase())) {
    return { kind: 'keyword', text: text.toUpperCase(), column };
  }
  return { kind, text, column };
}

/** Splits an expression into tokens, ending with one `end` token. Throws Sql92SyntaxError. */
export function tokenizeSql92(source: string): Sql92Token[] {
  const tokens: Sql92Token[] = [];
  let position = skipIgnored(source, 0);
  while (position < source.length) {
    const token = tokenAt(source, position);
    tokens.push(token);
    // A string token's text is decoded; advance by its source length instead.
    const length = token.kind === 'string' ? matchAt(STRING, source, position).length : token.text.length;
    position = skipIgnored(source, position + length);
  }
  tokens.push({ kind: 'end', text: '<EOF>', column: source.length + 1 });
  return tokens;
}
