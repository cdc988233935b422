/**
 * PromQL's parser as promql/parser/generated_parser.y has it, written as precedence climbing:
 * binary operators by their yacc precedence (`or` < `and`/`unless` < comparisons < `+ -` <
 * `* / % atan2` < `^`, right-associative), unary `+`/`-` at the precedence of `*` (so `-a ^ b`
 * is `-(a ^ b)`), and the postfix modifiers `offset`, `@`, `[range]` and `[range:step]` binding
 * tighter than all of them, to the operand right before them (`a - b offset 5m` offsets `b`).
 *
 * What the grammar's actions check while parsing is checked here too, with Prometheus's
 * messages: unknown functions, aggregation argument counts, where a range, `offset` or `@` may
 * go, number and duration values, regex matchers. Type rules (checkAST) are the walk's job
 * (validate/promql-check.ts). A syntax error stops the parse, as Prometheus's does.
 */

import { parseDuration } from '../duration.js';
import type { Severity } from '../finding.js';
import { aggregations, experimentalFns, functions } from '../promql-functions.js';
import { re2Error } from '../re2.js';
import type {
  AggregateNode,
  Expr,
  Label,
  Matcher,
  Modifier,
  SelectorNode,
  Span,
  VectorMatching,
  Window,
} from './ast.js';
import { lex, type Token } from './lexer.js';
import { numberValue, unquote } from './literals.js';

export interface ParseIssue extends Span {
  id: string;
  message: string;
  /** Error unless said otherwise. */
  severity?: Severity;
}

export interface ParseResult {
  /** Undefined after a syntax error. */
  expr?: Expr;
  issues: ParseIssue[];
}

/** Precedence of the binary operators (generated_parser.y %left/%right order). */
const BINARY: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
const UNARY_PREC = 5;

/** Keywords the grammar's `metric_identifier` accepts as a metric name. */
const METRIC_KEYWORDS = new Set([
  'avg',
  'bottomk',
  'by',
  'count',
  'count_values',
  'group',
  'and',
  'or',
  'unless',
  'max',
  'min',
  'offset',
  'quantile',
  'stddev',
  'stdvar',
  'sum',
  'topk',
  'without',
  'start',
  'end',
  'limitk',
  'limit_ratio',
]);

/**
 * Nesting (parentheses, calls, unary signs, right-associative `^`, modifiers, subqueries) beyond
 * which we stop rather than exhaust the stack. Prometheus has no such limit, so reaching it is
 * not an error in the file: a `promql/too-deep` warning says the expression was not checked.
 * A left-associative chain (`a or b or c ...`) is not nesting: the parser loops over it and the
 * walk follows its left spine iteratively, so any length is checked.
 */
const MAX_DEPTH = 1000;

/** float64(math.MaxInt64), the bound Prometheus checks `@` timestamps against. */
const MAX_INT64 = 2 ** 63;

class TooDeep extends Error {
  constructor(readonly span: Span) {
    super('too deep');
  }
}

const EXPERIMENTAL =
  'Prometheus refuses it unless started with --enable-feature=promql-experimental-functions (promtool too)';

class PromQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of input';
    case 'ident':
      return `identifier ${JSON.stringify(t.val)}`;
    case 'metric':
      return `metric identifier ${JSON.stringify(t.val)}`;
    case 'number':
      return `number ${JSON.stringify(t.val)}`;
    case 'duration':
      return `duration ${JSON.stringify(t.val)}`;
    case 'string':
      return `string ${t.val.length > 12 ? `${t.val.slice(0, 10)}...` : t.val}`;
    case 'kw':
      return `<${t.val}>`;
    default:
      return JSON.stringify(t.val);
  }
}

export function parse(input: string): ParseResult {
  const tokens = lex(input);
  const issues: ParseIssue[] = [];
  let i = 0;
  let depth = 0;
  const peek = (n = 0): Token => tokens[Math.min(i + n, tokens.length - 1)]!;
  const next = (): Token => tokens[Math.min(i++, tokens.length - 1)]!;
  const is = (t: Token, type: Token['type'], val?: string) => t.type === type && (val === undefined || t.val === val);
  const issue = (id: string, span: Span, message: string) =>
    issues.push({ id, message, from: span.from, to: Math.max(span.to, span.from + 1) });

  function unexpected(t: Token, where?: string, expected?: string): never {
    if (t.type === 'error') throw new PromQLSyntaxError(t.val, t);
    if (t.type === 'eof' && !where && !expected) throw new PromQLSyntaxError('unexpected end of input', t);
    throw new PromQLSyntaxError(
      `unexpected ${describe(t)}${where ? ` in ${where}` : ''}${expected ? `, expected ${expected}` : ''}`,
      t,
    );
  }

  function expect(type: Token['type'], val: string, where: string): Token {
    const t = next();
    if (!is(t, type, val)) unexpected(t, where, JSON.stringify(val));
    return t;
  }

  function expr(minPrec: number): Expr {
    if (++depth > MAX_DEPTH) tooDeep();
    const outer = depth;
    let lhs = operand();
    for (;;) {
      const t = peek();
      const op = t.type === 'op' || t.type === 'kw' ? t.val : '';
      const prec = BINARY[op];
      if (prec === undefined || prec < minPrec) {
        depth = outer - 1;
        return lhs;
      }
      depth = outer;
      next();
      let bool = false;
      let matching: VectorMatching | undefined;
      if (is(peek(), 'kw', 'bool')) {
        next();
        bool = true;
      }
      const m = peek();
      if (is(m, 'kw', 'on') || is(m, 'kw', 'ignoring')) {
        next();
        const labels = groupingLabels();
        matching = { on: m.val === 'on', labels, card: 'one-to-one', include: [], from: m.from, to: lastEnd() };
        const g = peek();
        if (is(g, 'kw', 'group_left') || is(g, 'kw', 'group_right')) {
          next();
          matching.card = g.val === 'group_left' ? 'many-to-one' : 'one-to-many';
          if (is(peek(), 'punct', '(')) matching.include = groupingLabels();
          matching.to = lastEnd();
        }
      } else if (is(m, 'kw', 'group_left') || is(m, 'kw', 'group_right')) unexpected(m, 'binary expression');
      const rhs = expr(op === '^' ? prec : prec + 1);
      lhs = {
        kind: 'binary',
        op,
        opSpan: { from: t.from, to: t.to },
        bool,
        ...(matching ? { matching } : {}),
        lhs,
        rhs,
        from: lhs.from,
        to: lastEnd(),
      };
    }
  }

  function tooDeep(): never {
    throw new TooDeep(peek());
  }

  function lastEnd(): number {
    return tokens[i - 1]?.to ?? 0;
  }

  function operand(): Expr {
    const t = peek();
    if (is(t, 'op', '+') || is(t, 'op', '-')) {
      next();
      const inner = expr(UNARY_PREC + 1);
      // Prometheus folds a sign into a number literal (`-1` is a number, not a unary expression).
      if (inner.kind === 'number') return { ...inner, value: t.val === '-' ? -inner.value : inner.value, from: t.from };
      return { kind: 'unary', op: t.val as '+' | '-', expr: inner, from: t.from, to: lastEnd() };
    }
    return postfix(primary());
  }

  function primary(): Expr {
    const t = next();
    switch (t.type) {
      case 'number': {
        const value = numberValue(t.val);
        if (value === undefined)
          issue(
            'promql/syntax',
            t,
            `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(t.val)}: ${/^[\d.]+[eE]/.test(t.val) ? 'value out of range' : 'invalid syntax'}`,
          );
        return { kind: 'number', value: value ?? 0, from: t.from, to: t.to };
      }
      case 'string':
        return { kind: 'string', value: unquote(t.val), from: t.from, to: t.to };
      case 'punct':
        if (t.val === '(') {
          const inner = expr(0);
          const close = expect('punct', ')', 'paren expression');
          return { kind: 'paren', expr: inner, from: t.from, to: close.to };
        }
        if (t.val === '{') return selector(undefined, t);
        return unexpected(t);
      case 'ident':
        if (is(peek(), 'punct', '(')) return call(t);
        return selector(t, undefined);
      case 'metric':
        return selector(t, undefined);
      case 'kw': {
        const n = peek();
        if (aggregations.has(t.val) && (is(n, 'punct', '(') || is(n, 'kw', 'by') || is(n, 'kw', 'without')))
          return aggregate(t);
        if (METRIC_KEYWORDS.has(t.val)) return selector(t, undefined);
        return unexpected(t);
      }
      default:
        return unexpected(t);
    }
  }

  function call(name: Token): Expr {
    if (!functions.has(name.val))
      issue('promql/unknown-function', name, `unknown function with name ${JSON.stringify(name.val)}`);
    else if (experimentalFns.has(name.val))
      issue(
        'promql/experimental-function',
        name,
        `function ${JSON.stringify(name.val)} is experimental: ${EXPERIMENTAL}`,
      );
    const { args, span } = callBody('function call');
    return {
      kind: 'call',
      name: name.val,
      nameSpan: { from: name.from, to: name.to },
      argsSpan: span,
      args,
      from: name.from,
      to: span.to,
    };
  }

  function callBody(where: string): { args: Expr[]; span: Span } {
    const open = expect('punct', '(', where);
    const args: Expr[] = [];
    if (!is(peek(), 'punct', ')')) {
      for (;;) {
        args.push(expr(0));
        const t = next();
        if (is(t, 'punct', ')')) return { args, span: { from: open.from, to: t.to } };
        if (!is(t, 'punct', ',')) unexpected(t, where, '"," or ")"');
        if (is(peek(), 'punct', ')')) {
          issue('promql/syntax', t, 'trailing commas not allowed in function call args');
          break;
        }
      }
    }
    const close = next();
    return { args, span: { from: open.from, to: close.to } };
  }

  function aggregate(op: Token): Expr {
    let grouping: AggregateNode['grouping'];
    const modifier = () => {
      const m = next();
      const labels = groupingLabels();
      grouping = { without: m.val === 'without', labels, from: m.from, to: lastEnd() };
    };
    if (is(peek(), 'kw', 'by') || is(peek(), 'kw', 'without')) modifier();
    const { args, span } = callBody('aggregation');
    if (!grouping && (is(peek(), 'kw', 'by') || is(peek(), 'kw', 'without'))) modifier();
    const node: AggregateNode = {
      kind: 'aggregate',
      op: op.val,
      opSpan: { from: op.from, to: op.to },
      argsSpan: span,
      args,
      ...(grouping ? { grouping } : {}),
      from: op.from,
      to: Math.max(span.to, grouping?.to ?? 0),
    };
    const want = aggregations.get(op.val) ? 2 : 1;
    if (experimentalFns.has(op.val))
      issue('promql/experimental-function', op, `${op.val}() is experimental: ${EXPERIMENTAL}`);
    if (args.length === 0) issue('promql/arity', node, 'no arguments for aggregate expression provided');
    else if (args.length !== want)
      issue(
        'promql/arity',
        node,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    return node;
  }

  function groupingLabels(): Label[] {
    expect('punct', '(', 'grouping opts');
    const labels: Label[] = [];
    for (;;) {
      const t = next();
      if (is(t, 'punct', ')')) return labels;
      if (t.type === 'ident' || t.type === 'kw')
        labels.push({ name: input.slice(t.from, t.to), from: t.from, to: t.to });
      // Prometheus 3: a quoted label name (UTF-8 names).
      else if (t.type === 'string') {
        labels.push({ name: unquote(t.val), from: t.from, to: t.to });
        quotedName(t, 'label');
      } else unexpected(t, 'grouping opts', 'label');
      const sep = next();
      if (is(sep, 'punct', ')')) return labels;
      if (!is(sep, 'punct', ',')) unexpected(sep, 'grouping opts', '"," or ")"');
    }
  }

  function selector(nameTok: Token | undefined, brace: Token | undefined): SelectorNode {
    const node: SelectorNode = {
      kind: 'selector',
      matchers: [],
      from: (nameTok ?? brace)!.from,
      to: (nameTok ?? brace)!.to,
    };
    if (nameTok) {
      node.name = input.slice(nameTok.from, nameTok.to);
      node.nameSpan = { from: nameTok.from, to: nameTok.to };
      if (is(peek(), 'punct', '{')) brace = next();
    }
    if (!brace) return node;
    for (;;) {
      const t = next();
      if (is(t, 'punct', '}')) break;
      if (t.type !== 'ident' && t.type !== 'string') unexpected(t, 'label matching', 'identifier or "}"');
      const op = peek();
      if (t.type === 'string' && (is(op, 'punct', ',') || is(op, 'punct', '}'))) {
        // Prometheus 3: `{"metric.name"}` names the metric.
        const value = unquote(t.val);
        node.matchers.push({ label: '__name__', op: '=', value, valueSpan: t, from: t.from, to: t.to });
        quotedName(t, 'metric');
      } else {
        next();
        if (op.type !== 'op' || !['=', '!=', '=~', '!~'].includes(op.val))
          unexpected(op, 'label matching', 'label matching operator');
        const v = next();
        if (v.type !== 'string') unexpected(v, 'label matching', 'string');
        if (t.type === 'string') quotedName(t, 'label');
        const m: Matcher = {
          label: t.type === 'string' ? unquote(t.val) : t.val,
          op: op.val as Matcher['op'],
          value: unquote(v.val),
          valueSpan: { from: v.from, to: v.to },
          from: t.from,
          to: v.to,
        };
        if (m.op === '=~' || m.op === '!~') {
          const err = re2Error(m.value);
          if (err) issue('promql/regex', m.valueSpan, `invalid regular expression ${JSON.stringify(m.value)}: ${err}`);
        }
        node.matchers.push(m);
      }
      const sep = next();
      if (is(sep, 'punct', '}')) break;
      if (!is(sep, 'punct', ',')) unexpected(sep, 'label matching', '"," or "}"');
    }
    node.to = lastEnd();
    const quoted = node.matchers.find((m) => m.label === '__name__' && m.op === '=');
    if (nameTok) {
      const twice = node.matchers.find((m) => m.label === '__name__');
      if (twice)
        issue(
          'promql/syntax',
          node,
          `metric name must not be set twice: ${JSON.stringify(node.name)} or ${JSON.stringify(twice.value)}`,
        );
    } else if (quoted) {
      node.name = quoted.value;
      node.nameSpan = { from: quoted.from, to: quoted.to };
    }
    return node;
  }

  /** Prometheus 3's quoted names: Prometheus 2 and promtool 2.x refuse the syntax itself. */
  function quotedName(t: Token, what: 'metric' | 'label'): void {
    issues.push({
      id: 'lint/utf8-name',
      severity: 'warning',
      message: `quoted ${what} name ${t.val} is valid only under UTF-8 name validation (Prometheus 3); Prometheus 2 and promtool 2.x refuse the quoted form`,
      from: t.from,
      to: Math.max(t.to, t.from + 1),
    });
  }

  /**
   * A duration literal. Prometheus 3 also takes a number of seconds (`[300]`, `offset 60`);
   * Prometheus 2 does not, and neither do we, so a rule file stays loadable by both.
   */
  function window(where: string): Window {
    const t = next();
    if (t.type === 'number')
      throw new PromQLSyntaxError(
        `unexpected number ${JSON.stringify(t.val)} in ${where}, expected duration (a unit such as ${t.val}s; bare numbers need Prometheus 3)`,
        t,
      );
    if (t.type !== 'duration') unexpected(t, where, 'duration');
    let ms = parseDuration(t.val);
    if (ms === undefined || ms > MAX_INT64 / 1e6) {
      issue('promql/syntax', t, `not a valid duration string: ${JSON.stringify(t.val)}`);
      ms = undefined;
    } else if (ms === 0) {
      issue('promql/syntax', t, 'duration must be greater than 0');
      ms = undefined;
    }
    return { ...(ms !== undefined ? { ms } : {}), text: t.val, from: t.from, to: t.to };
  }

  function postfix(base: Expr): Expr {
    let e = base;
    for (;;) {
      const t = peek();
      if (++depth > MAX_DEPTH) tooDeep();
      if (is(t, 'kw', 'offset')) {
        next();
        const neg = is(peek(), 'op', '-') ? next() : undefined;
        const w = window('offset');
        offset(e, { value: w.ms === undefined ? Number.NaN : neg ? -w.ms : w.ms, from: t.from, to: w.to });
      } else if (is(t, 'op', '@')) {
        next();
        at(e, atValue(t));
      } else if (is(t, 'punct', '[')) {
        next();
        const range = window('subquery or range');
        const sep = next();
        if (is(sep, 'punct', ']')) {
          if (e.kind !== 'selector')
            issue('promql/syntax', { from: t.from, to: sep.to }, 'ranges only allowed for vector selectors');
          else if (e.offset)
            issue('promql/syntax', { from: t.from, to: sep.to }, 'no offset modifiers allowed before range');
          // Like Prometheus, only a numeric `@` (VectorSelector.Timestamp): `x @ start()[5m]` is taken.
          else if (typeof e.at?.value === 'number')
            issue('promql/syntax', { from: t.from, to: sep.to }, 'no @ modifiers allowed before range');
          e = { kind: 'matrix', expr: e, range, from: e.from, to: sep.to };
        } else if (is(sep, 'punct', ':')) {
          const step = is(peek(), 'punct', ']') ? undefined : window('subquery selector');
          const close = expect('punct', ']', 'subquery selector');
          e = { kind: 'subquery', expr: e, range, ...(step ? { step } : {}), from: e.from, to: close.to };
        } else unexpected(sep, 'subquery or range', '":" or "]"');
      } else return e;
    }
  }

  function atValue(atTok: Token): Modifier {
    const t = next();
    if (is(t, 'kw', 'start') || is(t, 'kw', 'end')) {
      expect('punct', '(', '@');
      const close = expect('punct', ')', '@');
      return { value: t.val as 'start' | 'end', from: atTok.from, to: close.to };
    }
    const sign = is(t, 'op', '-') || is(t, 'op', '+') ? t : undefined;
    const n = sign ? next() : t;
    if (n.type !== 'number') unexpected(n, '@', 'timestamp');
    let v = numberValue(n.val);
    if (v === undefined) {
      issue('promql/syntax', n, `error parsing number: ${JSON.stringify(n.val)}`);
      v = 0;
    }
    if (sign?.val === '-') v = -v;
    const mod = { value: v, from: atTok.from, to: n.to };
    if (!Number.isFinite(v) || v >= MAX_INT64 || v <= -MAX_INT64)
      issue('promql/syntax', mod, `timestamp out of bounds for @ modifier: ${v}`);
    return mod;
  }

  function target(e: Expr, what: string, mod: Span): (Expr & { offset?: Modifier; at?: Modifier }) | undefined {
    if (e.kind === 'selector' || e.kind === 'subquery') return e;
    // A range over anything but a selector was reported where the range was parsed.
    if (e.kind === 'matrix') return e.expr.kind === 'selector' ? e : undefined;
    issue(
      'promql/syntax',
      { from: e.from, to: mod.to },
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
    return undefined;
  }

  function offset(e: Expr, mod: Modifier): void {
    const t = target(e, 'offset', mod);
    if (!t) return;
    if (t.offset) issue('promql/syntax', { from: e.from, to: mod.to }, 'offset may not be set multiple times');
    else t.offset = mod;
    // A selector's span stays its name and braces (where metric findings point).
    if (t.kind !== 'selector') t.to = mod.to;
  }

  function at(e: Expr, mod: Modifier): void {
    const t = target(e, '@', mod);
    if (!t) return;
    if (t.at) issue('promql/syntax', { from: e.from, to: mod.to }, '@ <timestamp> may not be set multiple times');
    else t.at = mod;
    if (t.kind !== 'selector') t.to = mod.to;
  }

  try {
    if (is(peek(), 'eof')) {
      issue('promql/syntax', { from: 0, to: input.length }, 'no expression found in input');
      return { issues };
    }
    const e = expr(0);
    const end = next();
    if (end.type !== 'eof') unexpected(end);
    return { expr: e, issues };
  } catch (err) {
    if (err instanceof TooDeep) {
      issues.push({
        id: 'promql/too-deep',
        severity: 'warning',
        message: `expression nests deeper than ${MAX_DEPTH} levels (parentheses, calls, operators): this checker did not check it`,
        from: Math.min(err.span.from, Math.max(0, input.length - 1)),
        to: Math.max(err.span.to, err.span.from + 1),
      });
      return { issues };
    }
    if (!(err instanceof PromQLSyntaxError)) throw err;
    issues.push({
      id: 'promql/syntax',
      message: `parse error: ${err.message}`,
      from: Math.min(err.span.from, Math.max(0, input.length - 1)),
      to: Math.max(err.span.to, err.span.from + 1),
    });
    return { issues };
  }
}
