/**
 * The PromQL syntax tree as Prometheus's parser builds it (promql/parser/ast.go), reduced to
 * what the checks need. Modifiers sit where Prometheus puts them: `offset` and `@` on the
 * selector, range selector or subquery directly before them, never on a whole binary or unary
 * expression. Every node keeps its span in the expression (0-based, end exclusive).
 */

export interface Span {
  from: number;
  to: number;
}

/** An `offset` or `@` modifier as written. */
export interface Modifier extends Span {
  /** Offset in ms (negative for `offset -5m`); `@` time in seconds, or 'start' / 'end'. */
  value: number | 'start' | 'end';
}

export interface Matcher extends Span {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  /** Span of the value's string literal. */
  valueSpan: Span;
}

export interface Label extends Span {
  name: string;
}

export interface Window extends Span {
  /** Milliseconds; undefined when the literal is invalid (already reported). */
  ms?: number;
  text: string;
}

export interface SelectorNode extends Span {
  kind: 'selector';
  /** The metric name written before the braces (or as `{"name"}`). */
  name?: string;
  nameSpan?: Span;
  matchers: Matcher[];
  offset?: Modifier;
  at?: Modifier;
}

export interface MatrixNode extends Span {
  kind: 'matrix';
  /** Normally a selector; anything else is the parse error "ranges only allowed for vector selectors". */
  expr: Expr;
  range: Window;
  offset?: Modifier;
  at?: Modifier;
}

export interface SubqueryNode extends Span {
  kind: 'subquery';
  expr: Expr;
  range: Window;
  step?: Window;
  offset?: Modifier;
  at?: Modifier;
}

export interface NumberNode extends Span {
  kind: 'number';
  value: number;
}

export interface StringNode extends Span {
  kind: 'string';
  value: string;
}

export interface ParenNode extends Span {
  kind: 'paren';
  expr: Expr;
}

export interface UnaryNode extends Span {
  kind: 'unary';
  op: '+' | '-';
  expr: Expr;
}

export interface VectorMatching extends Span {
  on: boolean;
  labels: Label[];
  card: 'one-to-one' | 'many-to-one' | 'one-to-many';
  include: Label[];
}

export interface BinaryNode extends Span {
  kind: 'binary';
  /** Lower case: `+`, `==`, `and`, `atan2`... */
  op: string;
  opSpan: Span;
  bool: boolean;
  matching?: VectorMatching;
  lhs: Expr;
  rhs: Expr;
}

export interface CallNode extends Span {
  kind: 'call';
  name: string;
  nameSpan: Span;
  /** The parenthesised argument list. */
  argsSpan: Span;
  args: Expr[];
}

export interface AggregateNode extends Span {
  kind: 'aggregate';
  /** Lower case. */
  op: string;
  opSpan: Span;
  argsSpan: Span;
  args: Expr[];
  grouping?: { without: boolean; labels: Label[] } & Span;
}

export type Expr =
  | SelectorNode
  | MatrixNode
  | SubqueryNode
  | NumberNode
  | StringNode
  | ParenNode
  | UnaryNode
  | BinaryNode
  | CallNode
  | AggregateNode;
