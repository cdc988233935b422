/**
 * The one PromQL analysis for rules, dashboards and the build. validate/promql/parser.ts parses
 * the expression as Prometheus does (modifier binding, numbers, keywords, the grammar actions'
 * checks); this single walk over its tree adds the type rules of Prometheus's checkAST (argument
 * counts and types, binary and unary operands, subqueries, vector matching, selectors that match
 * everything), computes the result type and which labels the result can carry (for `$labels.x`
 * checks), lists the selectors and range windows for the dashboard checks, and runs the rule
 * lints that need the tree (rate on a non-counter, short range windows, histogram_quantile
 * without `le`).
 */

import type { Severity } from './finding.js';
import {
  addLabels,
  anyLabels,
  dropLabels,
  hasLabel,
  keepLabels,
  type LabelSet,
  noLabels,
  unionLabels,
} from './label-set.js';
import type { AggregateNode, BinaryNode, CallNode, Expr, Label, SelectorNode, Span } from './promql/ast.js';
import { parse } from './promql/parser.js';
import { aggregations, counterFns, functions, typeName, type ValueType } from './promql-functions.js';
import { needsNoRegex, re2MatchesEmpty } from './re2.js';

export { unquote } from './promql/literals.js';

export interface PromQLIssue {
  id: string;
  severity: Severity;
  message: string;
  /** Offsets in the expression (0-based, end exclusive). */
  from: number;
  to: number;
}

export interface MetricRef {
  name: string;
  from: number;
  to: number;
}

/** A vector selector as written, for checks that look at names and matchers. */
export interface SelectorRef {
  /** The metric name, or undefined for a selector by labels only. */
  name?: string;
  /** The selector's span (name and braces; modifiers excluded). */
  from: number;
  to: number;
  matchers: Array<{ label: string; op: '=' | '!=' | '=~' | '!~'; value: string }>;
  /** Functions and aggregations around the selector, innermost first (`['rate', 'sum']`). */
  functions: string[];
  /** The window text when the selector is a range selector (`5m` in `x[5m]`). */
  range?: string;
}

/** Functions Prometheus 2 has and Prometheus 3 removed, with what to use instead. */
const REMOVED_IN_3 = new Map([
  [
    'holt_winters',
    'holt_winters() was removed in Prometheus 3: it is double_exponential_smoothing() there (experimental, behind --enable-feature=promql-experimental-functions)',
  ],
]);

/** A function called on a range selector or a subquery, with that window. */
export interface RangeCallRef {
  fn: string;
  /** The window literal's span and text (`5m`). */
  from: number;
  to: number;
  text: string;
  /** The window in ms, when valid. */
  ms?: number;
  subquery: boolean;
}

export interface PromQLAnalysis {
  type?: ValueType;
  labels: LabelSet;
  issues: PromQLIssue[];
  metrics: MetricRef[];
  selectors: SelectorRef[];
  rangeCalls: RangeCallRef[];
  /** A comparison without `bool` somewhere (what makes an alert fire on a condition). */
  hasComparison: boolean;
  usesAbsent: boolean;
}

export interface PromQLCheckOptions {
  lint?: boolean;
  /** Scrape interval in ms for the range-window lint (default 15s). */
  scrapeIntervalMs?: number;
  /** 'counter', 'other' or undefined when unknown; unknown names are judged by their suffix. */
  metricKind?: (name: string) => 'counter' | 'other' | undefined;
}

const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);
const COUNTER_SUFFIX = /(_total|_count|_sum|_bucket)$/;

interface Result {
  type?: ValueType;
  labels: LabelSet;
}

const unknown: Result = { labels: anyLabels };

/**
 * Within a run the same expression is often checked more than once (a rule file and the
 * PrometheusRule CRD built from it, dashboards repeating a query): one parse per distinct
 * expression and option set. Callers treat the analysis as read-only.
 */
const cache = new WeakMap<object, Map<string, PromQLAnalysis>>();
const noMetricKind = {};
const CACHE_MAX = 20_000;

export function checkPromQL(expr: string, opts: PromQLCheckOptions = {}): PromQLAnalysis {
  let byOpts = cache.get(opts.metricKind ?? noMetricKind);
  if (!byOpts) {
    byOpts = new Map();
    cache.set(opts.metricKind ?? noMetricKind, byOpts);
  }
  const key = `${opts.lint === false ? 0 : 1}${opts.scrapeIntervalMs ?? 15_000}\u0000${expr}`;
  const hit = byOpts.get(key);
  if (hit) return hit;
  const result = analyse(expr, opts);
  if (byOpts.size >= CACHE_MAX) byOpts.clear();
  byOpts.set(key, result);
  return result;
}

function analyse(expr: string, opts: PromQLCheckOptions): PromQLAnalysis {
  const out: PromQLAnalysis = {
    labels: anyLabels,
    issues: [],
    metrics: [],
    selectors: [],
    rangeCalls: [],
    hasComparison: false,
    usesAbsent: false,
  };
  const parsed = parse(expr);
  for (const p of parsed.issues) out.issues.push({ ...p, severity: p.severity ?? 'error' });
  const top = parsed.expr;
  if (!top) return out;
  const scrape = opts.scrapeIntervalMs ?? 15_000;
  /** Enclosing calls and aggregations, outermost first; its innermost-first copy made once per change. */
  const enclosing: string[] = [];
  let snapshot: string[] | undefined;
  const enclosingNow = () => {
    snapshot ??= [...enclosing].reverse();
    return snapshot;
  };
  const enter = (name: string) => {
    enclosing.push(name);
    snapshot = undefined;
  };
  const leave = () => {
    enclosing.pop();
    snapshot = undefined;
  };
  const issue = (id: string, n: Span, message: string, severity: Severity = 'error') =>
    out.issues.push({ id, severity, message, from: n.from, to: Math.max(n.to, n.from + 1) });
  const lint = (id: string, n: Span, message: string) => opts.lint !== false && issue(id, n, message, 'warning');

  function expectType(n: Expr, got: Result, want: ValueType, where: string): void {
    if (got.type && got.type !== want)
      issue('promql/arg-type', n, `expected type ${typeName[want]} in ${where}, got ${typeName[got.type]}`);
  }

  function selector(n: SelectorNode, range?: string): Result {
    if (!n.name) {
      // checkAST: without a metric name, some matcher must not match the empty string.
      const nonEmpty = n.matchers.some((m) =>
        m.op === '='
          ? m.value !== ''
          : m.op === '!='
            ? m.value === ''
            : m.op === '=~'
              ? !re2MatchesEmpty(m.value)
              : re2MatchesEmpty(m.value),
      );
      if (!nonEmpty) issue('promql/empty-selector', n, 'vector selector must contain at least one non-empty matcher');
    }
    if (opts.lint !== false)
      for (const m of n.matchers)
        if ((m.op === '=~' || m.op === '!~') && needsNoRegex(m.value))
          lint(
            'lint/needless-regex',
            m,
            `${m.label}${m.op}${JSON.stringify(m.value)} needs no regex: use ${m.label}${m.op === '=~' ? '=' : '!='}${JSON.stringify(m.value)}`,
          );
    const to = n.matchers.length || !n.nameSpan ? n.to : n.nameSpan.to;
    if (n.name) out.metrics.push({ name: n.name, from: n.from, to });
    // Plain object literals (no spreads): this runs for every selector of every rule.
    const ref: SelectorRef = { from: n.from, to, matchers: n.matchers, functions: enclosingNow() };
    if (n.name) ref.name = n.name;
    if (range) ref.range = range;
    out.selectors.push(ref);
    return { type: 'vector', labels: anyLabels };
  }

  function groupingLabels(labels: Label[], where: string): string[] {
    const seen = new Set<string>();
    for (const l of labels) {
      if (seen.has(l.name))
        issue('promql/duplicate-label', l, `label ${JSON.stringify(l.name)} is listed twice in ${where}`, 'warning');
      seen.add(l.name);
    }
    return labels.map((l) => l.name);
  }

  function aggregate(n: AggregateNode): Result {
    const paramType = aggregations.get(n.op);
    const want = paramType ? 2 : 1;
    enter(n.op);
    const results = n.args.map((a) => ev(a));
    leave();
    // Wrong argument counts were reported by the parser.
    if (n.args.length !== want) return { type: 'vector', labels: anyLabels };
    const param = n.args[0];
    if (paramType && param && results[0]) expectType(param, results[0], paramType, 'aggregation parameter');
    const inner = results[want - 1] ?? unknown;
    const innerNode = n.args[want - 1];
    if (innerNode) expectType(innerNode, inner, 'vector', 'aggregation expression');
    const countLabel = n.op === 'count_values' && param?.kind === 'string' ? param.value : undefined;
    const grouping = n.grouping ? groupingLabels(n.grouping.labels, n.grouping.without ? 'without' : 'by') : [];
    let labels: LabelSet;
    if (n.op === 'topk' || n.op === 'bottomk' || n.op === 'limitk' || n.op === 'limit_ratio') labels = inner.labels;
    else if (!n.grouping) labels = noLabels;
    else if (!n.grouping.without) labels = keepLabels(inner.labels, grouping);
    else labels = dropLabels(inner.labels, [...grouping, '__name__']);
    if (countLabel) labels = addLabels(labels, [countLabel]);
    return { type: 'vector', labels };
  }

  function call(n: CallNode): Result {
    const sig = functions.get(n.name);
    enter(n.name);
    const results = n.args.map((a) => ev(a));
    leave();
    for (const a of n.args) {
      let inner = a;
      while (inner.kind === 'paren') inner = inner.expr;
      if (inner.kind === 'matrix' || inner.kind === 'subquery')
        out.rangeCalls.push({
          fn: n.name,
          from: inner.range.from,
          to: inner.range.to,
          text: inner.range.text,
          ...(inner.range.ms !== undefined ? { ms: inner.range.ms } : {}),
          subquery: inner.kind === 'subquery',
        });
    }
    // Unknown functions were reported by the parser.
    if (!sig) return unknown;
    const where = { from: n.from, to: n.to };
    const nargs = sig.args.length;
    if (sig.variadic === 0) {
      if (n.args.length !== nargs)
        issue(
          'promql/arity',
          where,
          `expected ${nargs} argument(s) in call to ${JSON.stringify(n.name)}, got ${n.args.length}`,
        );
    } else if (n.args.length < nargs - 1)
      issue(
        'promql/arity',
        where,
        `expected at least ${nargs - 1} argument(s) in call to ${JSON.stringify(n.name)}, got ${n.args.length}`,
      );
    else if (sig.variadic > 0 && n.args.length > nargs - 1 + sig.variadic)
      issue(
        'promql/arity',
        where,
        `expected at most ${nargs - 1 + sig.variadic} argument(s) in call to ${JSON.stringify(n.name)}, got ${n.args.length}`,
      );
    n.args.forEach((a, i) => {
      if (i >= nargs && sig.variadic === 0) return;
      const want = sig.args[Math.min(i, nargs - 1)];
      const got = results[i];
      if (want && got) expectType(a, got, want, `call to function ${JSON.stringify(n.name)}`);
    });
    if (n.name === 'absent' || n.name === 'absent_over_time') out.usesAbsent = true;
    // Loads on Prometheus 2 (and promtool 2.42), gone from Prometheus 3: the rule breaks on upgrade.
    const removed = REMOVED_IN_3.get(n.name);
    if (removed) issue('promql/removed-function', n, removed, 'warning');
    if (opts.lint !== false) lintCall(n, results);
    const first = results[0]?.labels ?? noLabels;
    let labels: LabelSet = first;
    if (n.name === 'label_replace' || n.name === 'label_join') {
      const dst = n.args[1]?.kind === 'string' ? n.args[1].value : undefined;
      if (dst) labels = addLabels(first, [dst]);
    } else if (n.name === 'vector' || sig.returns === 'scalar') labels = noLabels;
    else if (n.name === 'absent' || n.name === 'absent_over_time') labels = absentLabels(n.args[0]);
    else if (n.name === 'histogram_quantile' || n.name === 'histogram_fraction')
      labels = dropLabels(results[results.length - 1]?.labels ?? anyLabels, ['le', '__name__']);
    else if (n.name === 'info') labels = anyLabels;
    else if (n.name === 'quantile_over_time') labels = results[1]?.labels ?? anyLabels;
    return { type: sig.returns, labels };
  }

  function absentLabels(arg: Expr | undefined): LabelSet {
    let sel = arg;
    while (sel && sel.kind !== 'selector')
      sel = sel.kind === 'matrix' || sel.kind === 'paren' || sel.kind === 'subquery' ? sel.expr : undefined;
    const names = (sel?.matchers ?? []).filter((m) => m.op === '=' && m.label !== '__name__').map((m) => m.label);
    return { open: false, only: new Set(names) };
  }

  function lintCall(n: CallNode, results: Result[]): void {
    const arg = n.args[0];
    const name = n.name;
    if (counterFns.has(name) && arg) {
      if (arg.kind === 'matrix' && arg.expr.kind === 'selector' && arg.expr.name) {
        const sel = arg.expr;
        const metric = sel.name!;
        const known = opts.metricKind?.(metric);
        const kind = known ?? (COUNTER_SUFFIX.test(metric) ? 'counter' : 'other');
        if (kind !== 'counter')
          lint(
            'lint/rate-non-counter',
            sel,
            `${name}() on ${metric}, which is not a counter (${known ? 'per the metric catalog' : 'no _total/_count/_sum/_bucket suffix'})`,
          );
      } else if (arg.kind === 'subquery') {
        let inner = arg.expr;
        while (inner.kind === 'paren') inner = inner.expr;
        if (inner.kind === 'aggregate')
          lint(
            'lint/rate-of-sum',
            arg,
            `${name}() over an aggregation: aggregate after ${name}(), e.g. sum(${name}(x[5m])), or counter resets are lost`,
          );
      }
    }
    const factor =
      name === 'irate' || name === 'idelta' ? 2 : ['rate', 'increase', 'delta', 'deriv'].includes(name) ? 4 : 0;
    if (factor && arg?.kind === 'matrix') {
      const ms = arg.range.ms;
      if (ms !== undefined && ms < factor * scrape)
        lint(
          'lint/range-window',
          arg.range,
          `range [${arg.range.text}] is shorter than ${factor}× the scrape interval (${scrape / 1000}s): ${name}() needs at least ${(factor * scrape) / 1000}s to see enough samples`,
        );
    }
    const buckets = n.args[1];
    if (name === 'histogram_quantile' && buckets && results[1] && !hasLabel(results[1].labels, 'le')) {
      if (out.metrics.some((m) => m.from >= buckets.from && m.to <= buckets.to && m.name.endsWith('_bucket')))
        lint(
          'lint/histogram-quantile-le',
          buckets,
          'histogram_quantile() over classic buckets whose aggregation drops the `le` label: add `le` to by (...)',
        );
    }
  }

  /**
   * A chain of left-associative operators (`a or b or c ...`, as long as a generated alert
   * makes it) is a left-deep tree: follow its left spine in a loop, not by recursion.
   */
  function binary(top: BinaryNode): Result {
    const spine: BinaryNode[] = [];
    let e: Expr = top;
    while (e.kind === 'binary') {
      spine.push(e);
      e = e.lhs;
    }
    let lt = ev(e);
    for (let k = spine.length - 1; k >= 0; k--) {
      const n = spine[k]!;
      lt = binaryStep(n, lt, ev(n.rhs));
    }
    return lt;
  }

  function binaryStep(n: BinaryNode, lt: Result, rt: Result): Result {
    const op = n.op;
    const isComparison = COMPARISON.has(op);
    const isSet = SET_OPS.has(op);
    if (isComparison && !n.bool) out.hasComparison = true;
    if (n.bool && !isComparison)
      issue('promql/binary-op', n.opSpan, 'bool modifier can only be used on comparison operators');
    if (isComparison && !n.bool && lt.type === 'scalar' && rt.type === 'scalar')
      issue('promql/binary-op', n.opSpan, 'comparisons between scalars must use BOOL modifier');
    const m = n.matching;
    const matchLabels = m ? groupingLabels(m.labels, m.on ? 'on' : 'ignoring') : [];
    const include = m ? groupingLabels(m.include, m.card === 'many-to-one' ? 'group_left' : 'group_right') : [];
    if (m?.on)
      for (const l of include)
        if (matchLabels.includes(l))
          issue('promql/binary-op', m, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
    for (const [side, r] of [
      [n.lhs, lt],
      [n.rhs, rt],
    ] as const)
      if (r.type && r.type !== 'scalar' && r.type !== 'vector')
        issue(
          'promql/arg-type',
          side,
          `binary expression must contain only scalar and instant vector types, got ${typeName[r.type]}`,
        );
    const bothVectors = lt.type === 'vector' && rt.type === 'vector';
    const known = lt.type !== undefined && rt.type !== undefined;
    if (known && !bothVectors && matchLabels.length)
      issue('promql/binary-op', m ?? n.opSpan, 'vector matching only allowed between instant vectors');
    else if (known && bothVectors && isSet && m && m.card !== 'one-to-one')
      issue('promql/binary-op', m, `no grouping allowed for ${JSON.stringify(op)} operation`);
    if (isSet && (lt.type === 'scalar' || rt.type === 'scalar'))
      issue('promql/binary-op', n.opSpan, `set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
    const type: ValueType | undefined = !known
      ? undefined
      : lt.type === 'scalar' && rt.type === 'scalar'
        ? 'scalar'
        : 'vector';
    let labels: LabelSet;
    if (lt.type !== 'vector') labels = rt.labels;
    else if (rt.type !== 'vector') labels = lt.labels;
    else if (op === 'or') labels = unionLabels(lt.labels, rt.labels);
    else if (isSet) labels = lt.labels;
    else if (m?.card === 'many-to-one') labels = addLabels(lt.labels, include);
    else if (m?.card === 'one-to-many') labels = addLabels(rt.labels, include);
    else if (m) labels = m.on ? keepLabels(lt.labels, matchLabels) : dropLabels(lt.labels, matchLabels);
    else labels = lt.labels;
    return { type, labels };
  }

  function ev(n: Expr): Result {
    switch (n.kind) {
      case 'number':
        return { type: 'scalar', labels: noLabels };
      case 'string':
        return { type: 'string', labels: noLabels };
      case 'selector':
        return selector(n);
      case 'matrix': {
        const r = n.expr.kind === 'selector' ? selector(n.expr, n.range.text) : ev(n.expr);
        return { type: 'matrix', labels: r.labels };
      }
      case 'subquery': {
        const r = ev(n.expr);
        if (r.type && r.type !== 'vector')
          issue('promql/arg-type', n.expr, `subquery is only allowed on instant vector, got ${typeName[r.type]}`);
        return { type: 'matrix', labels: r.labels };
      }
      case 'paren':
        return ev(n.expr);
      case 'unary': {
        const r = ev(n.expr);
        if (r.type && r.type !== 'scalar' && r.type !== 'vector')
          issue(
            'promql/arg-type',
            n,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(typeName[r.type])}`,
          );
        return r;
      }
      case 'aggregate':
        return aggregate(n);
      case 'call':
        return call(n);
      case 'binary':
        return binary(n);
    }
  }

  const r = ev(top);
  out.type = r.type;
  out.labels = r.labels;
  return out;
}
