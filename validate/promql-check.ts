/**
 * PromQL semantic checks over the lezer tree, as Prometheus's parser makes them (checkAST):
 * unknown functions, argument count and types, aggregation parameters, binary operator rules,
 * regex validity, selectors that match everything. The same single walk computes the result
 * type, which labels the result can carry (for `$labels.x` checks), and the rule lints that
 * need the tree (rate on a non-counter, short range windows, histogram_quantile without `le`).
 */

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parseDuration } from './duration.js';
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
import { aggregations, counterFns, functions, typeName, type ValueType } from './promql-functions.js';
import { needsNoRegex, re2Error, re2MatchesEmpty } from './re2.js';

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

export interface PromQLAnalysis {
  type?: ValueType;
  labels: LabelSet;
  issues: PromQLIssue[];
  metrics: MetricRef[];
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

const EXPR = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'SubqueryExpr',
  'OffsetExpr',
  'StepInvariantExpr',
  'ParenExpr',
  'UnaryExpr',
  'VectorSelector',
  'NumberDurationLiteral',
  'StringLiteral',
  'AnchoredExpr',
  'SmoothedExpr',
]);
const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
  'start',
  'end',
]);
const COUNTER_SUFFIX = /(_total|_count|_sum|_bucket)$/;
const VALID_ESCAPES = /\\(?:[abfnrtv\\'"]|x[0-9a-fA-F]{2}|[0-7]{3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g;

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
  const out: PromQLAnalysis = { labels: anyLabels, issues: [], metrics: [], hasComparison: false, usesAbsent: false };
  const tree = parser.parse(expr);
  const syntax = firstSyntaxError(expr, tree.topNode);
  if (syntax) {
    out.issues.push(syntax);
    return out;
  }
  const top = exprChildren(tree.topNode)[0];
  if (!top) {
    out.issues.push({
      id: 'promql/syntax',
      severity: 'error',
      message: 'no expression found in input',
      from: 0,
      to: expr.length,
    });
    return out;
  }
  const scrape = opts.scrapeIntervalMs ?? 15_000;
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const issue = (id: string, n: { from: number; to: number }, message: string, severity: Severity = 'error') =>
    out.issues.push({ id, severity, message, from: n.from, to: Math.max(n.to, n.from + 1) });
  const lint = (id: string, n: { from: number; to: number }, message: string) =>
    opts.lint !== false && issue(id, n, message, 'warning');

  function expectType(n: SyntaxNode, got: Result, want: ValueType, where: string): void {
    if (got.type && got.type !== want)
      issue('promql/arg-type', n, `expected type ${typeName[want]} in ${where}, got ${typeName[got.type]}`);
  }

  function duration(n: SyntaxNode | null | undefined): number | undefined {
    if (!n) return undefined;
    const kids = childList(n);
    if (kids.length !== 1 || kids[0]?.name !== 'NumberDurationLiteralInDurationContext') {
      issue(
        'promql/syntax',
        n,
        `unsupported duration expression ${JSON.stringify(text(n))} (Prometheus 2 accepts only literals such as 5m)`,
      );
      return undefined;
    }
    const ms = parseDuration(text(n));
    if (ms === undefined) issue('promql/syntax', n, `not a valid duration string: ${JSON.stringify(text(n))}`);
    return ms;
  }

  function selector(n: SyntaxNode): Result {
    const ident = n.getChild('Identifier');
    let name = ident ? text(ident) : undefined;
    let nonEmpty = Boolean(name);
    const matchers = n.getChild('LabelMatchers');
    for (let m = matchers?.firstChild; m; m = m.nextSibling) {
      if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
      const label = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
      const op = m.getChild('MatchOp');
      const strs = m.getChildren('StringLiteral');
      const valueNode = strs[strs.length - 1];
      if (!valueNode) continue;
      const value = unquote(text(valueNode));
      checkString(valueNode);
      if (!label || !op) {
        // `{"name"}`: a quoted metric name.
        if (name) issue('promql/syntax', m, 'metric name must not be set twice');
        name = value;
        nonEmpty = true;
        continue;
      }
      const l = label.name === 'QuotedLabelName' ? unquote(text(label)) : text(label);
      const o = text(op);
      if (l === '__name__' && o === '=') {
        if (name)
          issue(
            'promql/syntax',
            m,
            `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(value)}`,
          );
        name = value;
      }
      if (o === '=~' || o === '!~') {
        const err = re2Error(value);
        if (err) issue('promql/regex', valueNode, `invalid regular expression ${JSON.stringify(value)}: ${err}`);
        else if (needsNoRegex(value))
          lint(
            'lint/needless-regex',
            m,
            `${l}${o}${JSON.stringify(value)} needs no regex: use ${l}${o === '=~' ? '=' : '!='}${JSON.stringify(value)}`,
          );
        if (!err && !(o === '=~' ? re2MatchesEmpty(value) : !re2MatchesEmpty(value))) nonEmpty = true;
      } else if (o === '=' ? value !== '' : value === '') nonEmpty = true;
    }
    if (!nonEmpty) issue('promql/empty-selector', n, 'vector selector must contain at least one non-empty matcher');
    if (name) out.metrics.push({ name, from: n.from, to: n.to });
    return { type: 'vector', labels: anyLabels };
  }

  function checkString(n: SyntaxNode): void {
    const t = text(n);
    if (t.startsWith('`')) return;
    const rest = t.slice(1, -1).replace(VALID_ESCAPES, '');
    if (rest.includes('\\')) issue('promql/syntax', n, `invalid escape sequence in string ${t}`);
  }

  function groupingLabels(n: SyntaxNode | null): string[] {
    const labels: string[] = [];
    if (!n) return labels;
    const seen = new Set<string>();
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'LabelName' && c.name !== 'QuotedLabelName') continue;
      const l = c.name === 'QuotedLabelName' ? unquote(text(c)) : text(c);
      if (seen.has(l))
        issue(
          'promql/duplicate-label',
          c,
          `label ${JSON.stringify(l)} is listed twice in ${
            text(n.parent ?? n)
              .split('(')[0]
              ?.trim() || 'grouping'
          }`,
          'warning',
        );
      seen.add(l);
      labels.push(l);
    }
    return labels;
  }

  function aggregate(n: SyntaxNode): Result {
    const opNode = n.getChild('AggregateOp');
    const op = opNode ? text(opNode).toLowerCase() : '';
    const body = n.getChild('FunctionCallBody');
    const args = body ? exprChildren(body) : [];
    const paramType = aggregations.get(op);
    const want = paramType ? 2 : 1;
    if (args.length !== want) {
      issue(
        'promql/arity',
        body ?? n,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
      return { type: 'vector', labels: anyLabels };
    }
    const results = args.map((a) => ev(a));
    if (paramType && args[0] && results[0]) expectType(args[0], results[0], paramType, 'aggregation parameter');
    const inner = results[want - 1] ?? unknown;
    const innerNode = args[want - 1];
    if (innerNode && inner.type && inner.type !== 'vector')
      issue(
        'promql/arg-type',
        innerNode,
        `expected type instant vector in aggregation expression, got ${typeName[inner.type]}`,
      );
    if (op === 'count_values' && args[0]?.name === 'StringLiteral') {
      const l = unquote(text(args[0]));
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l))
        issue('promql/arg-type', args[0], `invalid label name ${JSON.stringify(l)}`);
    }
    const mod = n.getChild('AggregateModifier');
    const isBy = Boolean(mod?.getChild('By'));
    const grouping = groupingLabels(mod?.getChild('GroupingLabels') ?? null);
    let labels: LabelSet;
    if (op === 'topk' || op === 'bottomk' || op === 'limitk' || op === 'limit_ratio') labels = inner.labels;
    else if (!mod) labels = noLabels;
    else if (isBy) labels = keepLabels(inner.labels, grouping);
    else labels = dropLabels(inner.labels, [...grouping, '__name__']);
    if (op === 'count_values' && args[0]?.name === 'StringLiteral')
      labels = addLabels(labels, [unquote(text(args[0]))]);
    return { type: 'vector', labels };
  }

  function call(n: SyntaxNode): Result {
    const ident = n.getChild('FunctionIdentifier');
    const name = ident ? text(ident) : '';
    const body = n.getChild('FunctionCallBody');
    const args = body ? exprChildren(body) : [];
    const sig = functions.get(name);
    const results = args.map((a) => ev(a));
    if (!sig) {
      issue('promql/unknown-function', ident ?? n, `unknown function with name ${JSON.stringify(name)}`);
      return unknown;
    }
    const where = body ?? n;
    if (sig.variadic === 0) {
      if (args.length !== sig.args.length)
        issue(
          'promql/arity',
          where,
          `expected ${sig.args.length} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`,
        );
    } else {
      const min = sig.args.length - 1;
      if (args.length < min)
        issue(
          'promql/arity',
          where,
          `expected at least ${min} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`,
        );
      else if (sig.variadic > 0 && args.length > min + sig.variadic)
        issue(
          'promql/arity',
          where,
          `expected at most ${min + sig.variadic} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`,
        );
    }
    args.forEach((a, i) => {
      const want = sig.args[Math.min(i, sig.args.length - 1)];
      const got = results[i];
      if (want && got) expectType(a, got, want, `call to function ${JSON.stringify(name)}`);
    });
    if (name === 'absent' || name === 'absent_over_time') out.usesAbsent = true;
    if (opts.lint !== false) lintCall(name, args, results);
    const first = results[0]?.labels ?? noLabels;
    let labels: LabelSet = first;
    if (name === 'label_replace' || name === 'label_join') {
      const dst = args[1]?.name === 'StringLiteral' ? unquote(text(args[1])) : undefined;
      if (dst) labels = addLabels(first, [dst]);
    } else if (name === 'vector' || sig.returns === 'scalar') labels = noLabels;
    else if (name === 'absent' || name === 'absent_over_time') labels = absentLabels(args[0]);
    else if (name === 'histogram_quantile' || name === 'histogram_fraction')
      labels = dropLabels(results[results.length - 1]?.labels ?? anyLabels, ['le', '__name__']);
    else if (name === 'info') labels = anyLabels;
    else if (name === 'quantile_over_time' || name === 'clamp' || name === 'round')
      labels = (name === 'quantile_over_time' ? results[1]?.labels : first) ?? anyLabels;
    return { type: sig.returns, labels };
  }

  function absentLabels(arg: SyntaxNode | undefined): LabelSet {
    let sel = arg;
    while (sel && sel.name !== 'VectorSelector')
      sel = sel.name === 'MatrixSelector' || sel.name === 'ParenExpr' ? exprChildren(sel)[0] : undefined;
    const names: string[] = [];
    const matchers = sel?.getChild('LabelMatchers');
    for (let m = matchers?.firstChild; m; m = m.nextSibling) {
      const label = m.getChild('LabelName');
      const op = m.getChild('MatchOp');
      if (label && op && text(op) === '=' && text(label) !== '__name__') names.push(text(label));
    }
    return { open: false, only: new Set(names) };
  }

  function lintCall(name: string, args: SyntaxNode[], results: Result[]): void {
    const arg = args[0];
    if (counterFns.has(name) && arg) {
      if (arg.name === 'MatrixSelector') {
        const sel = arg.getChild('VectorSelector');
        const id = sel?.getChild('Identifier');
        const metric = id ? text(id) : undefined;
        if (metric) {
          const kind = opts.metricKind?.(metric) ?? (COUNTER_SUFFIX.test(metric) ? 'counter' : 'other');
          if (kind !== 'counter')
            lint(
              'lint/rate-non-counter',
              sel ?? arg,
              `${name}() on ${metric}, which is not a counter (${opts.metricKind?.(metric) ? 'per the metric catalog' : 'no _total/_count/_sum/_bucket suffix'})`,
            );
        }
      } else if (arg.name === 'SubqueryExpr') {
        let inner = exprChildren(arg)[0];
        while (inner?.name === 'ParenExpr') inner = exprChildren(inner)[0];
        if (inner?.name === 'AggregateExpr')
          lint(
            'lint/rate-of-sum',
            arg,
            `${name}() over an aggregation: aggregate after ${name}(), e.g. sum(${name}(x[5m])), or counter resets are lost`,
          );
      }
    }
    const factor =
      name === 'irate' || name === 'idelta' ? 2 : ['rate', 'increase', 'delta', 'deriv'].includes(name) ? 4 : 0;
    if (factor && arg?.name === 'MatrixSelector') {
      const d = arg.getChild('DurationExpr');
      const ms = d ? parseDuration(text(d)) : undefined;
      if (d && ms !== undefined && ms < factor * scrape)
        lint(
          'lint/range-window',
          d,
          `range [${text(d)}] is shorter than ${factor}× the scrape interval (${scrape / 1000}s): ${name}() needs at least ${(factor * scrape) / 1000}s to see enough samples`,
        );
    }
    if (name === 'histogram_quantile' && args[1] && results[1] && !hasLabel(results[1].labels, 'le')) {
      const buckets = out.metrics.some(
        (m) => m.from >= args[1]!.from && m.to <= args[1]!.to && m.name.endsWith('_bucket'),
      );
      if (buckets)
        lint(
          'lint/histogram-quantile-le',
          args[1],
          'histogram_quantile() over classic buckets whose aggregation drops the `le` label: add `le` to by (...)',
        );
    }
  }

  function binary(n: SyntaxNode): Result {
    const kids = childList(n);
    const operands = kids.filter((k) => EXPR.has(k.name));
    const opNode = kids.find(
      (k) =>
        !EXPR.has(k.name) &&
        k.name !== 'BoolModifier' &&
        k.name !== 'MatchingModifierClause' &&
        k.name !== 'FillModifier',
    );
    const op = opNode ? text(opNode).toLowerCase() : '';
    const [ln, rn] = operands;
    if (!ln || !rn || !opNode) return unknown;
    const lt = ev(ln);
    const rt = ev(rn);
    const isBool = Boolean(n.getChild('BoolModifier'));
    const matching = n.getChild('MatchingModifierClause');
    const isComparison = COMPARISON.has(op);
    if (isComparison && !isBool) out.hasComparison = true;
    if (isBool && !isComparison)
      issue('promql/binary-op', opNode, 'bool modifier can only be used on comparison operators');
    if (isComparison && !isBool && lt.type === 'scalar' && rt.type === 'scalar')
      issue('promql/binary-op', opNode, 'comparisons between scalars must use BOOL modifier');
    for (const [side, r] of [
      [ln, lt],
      [rn, rt],
    ] as const) {
      if (r.type && r.type !== 'scalar' && r.type !== 'vector')
        issue(
          'promql/arg-type',
          side,
          `binary expression must contain only scalar and instant vector types, got ${typeName[r.type]}`,
        );
    }
    let on = false;
    let matchLabels: string[] = [];
    let include: string[] = [];
    let card: 'one' | 'left' | 'right' = 'one';
    if (matching) {
      on = Boolean(matching.getChild('On'));
      const groups = matching.getChildren('GroupingLabels');
      matchLabels = groupingLabels(groups[0] ?? null);
      if (matching.getChild('GroupLeft')) card = 'left';
      if (matching.getChild('GroupRight')) card = 'right';
      include = groupingLabels(groups[1] ?? null);
      if (on)
        for (const l of include)
          if (matchLabels.includes(l))
            issue(
              'promql/binary-op',
              matching,
              `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`,
            );
    }
    const bothVectors = lt.type === 'vector' && rt.type === 'vector';
    if (matching && !bothVectors && lt.type && rt.type && matchLabels.length)
      issue('promql/binary-op', matching, 'vector matching only allowed between instant vectors');
    if (SET_OPS.has(op)) {
      if (lt.type === 'scalar' || rt.type === 'scalar')
        issue('promql/binary-op', opNode, `set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
      else if (card !== 'one')
        issue('promql/binary-op', matching ?? opNode, `no grouping allowed for ${JSON.stringify(op)} operation`);
    }
    const type: ValueType | undefined =
      lt.type === 'vector' || rt.type === 'vector' ? 'vector' : lt.type && rt.type ? 'scalar' : undefined;
    let labels: LabelSet;
    if (lt.type !== 'vector') labels = rt.labels;
    else if (rt.type !== 'vector') labels = lt.labels;
    else if (op === 'or') labels = unionLabels(lt.labels, rt.labels);
    else if (op === 'and' || op === 'unless') labels = lt.labels;
    else if (card === 'left') labels = addLabels(lt.labels, include);
    else if (card === 'right') labels = addLabels(rt.labels, include);
    else if (matching) labels = on ? keepLabels(lt.labels, matchLabels) : dropLabels(lt.labels, matchLabels);
    else labels = lt.labels;
    return { type, labels };
  }

  function ev(n: SyntaxNode): Result {
    switch (n.name) {
      case 'NumberDurationLiteral':
        if (text(n).includes('_'))
          issue(
            'promql/syntax',
            n,
            `bad number or duration syntax: ${JSON.stringify(text(n))} (digit separators need Prometheus 3)`,
          );
        else if (/^[0-9.]+(ms|s|m|h|d|w|y)/i.test(text(n)))
          issue('promql/syntax', n, `unexpected duration ${JSON.stringify(text(n))} where a number is expected`);
        return { type: 'scalar', labels: noLabels };
      case 'StringLiteral':
        checkString(n);
        return { type: 'string', labels: noLabels };
      case 'VectorSelector':
        return selector(n);
      case 'MatrixSelector': {
        const sel = n.getChild('VectorSelector');
        const r = sel ? selector(sel) : unknown;
        const d = n.getChild('DurationExpr');
        const ms = duration(d);
        if (ms === 0 && d) issue('promql/syntax', d, 'range must be greater than 0');
        return { type: 'matrix', labels: r.labels };
      }
      case 'SubqueryExpr': {
        const inner = exprChildren(n)[0];
        const r = inner ? ev(inner) : unknown;
        if (inner && r.type && r.type !== 'vector')
          issue('promql/arg-type', inner, `subquery is only allowed on instant vector, got ${typeName[r.type]}`);
        for (const d of n.getChildren('DurationExpr')) duration(d);
        return { type: 'matrix', labels: r.labels };
      }
      case 'OffsetExpr': {
        const inner = exprChildren(n)[0];
        const r = inner ? ev(inner) : unknown;
        let base = inner;
        while (base?.name === 'StepInvariantExpr') base = exprChildren(base)[0];
        if (base && !['VectorSelector', 'MatrixSelector', 'SubqueryExpr', 'OffsetExpr'].includes(base.name)) {
          issue(
            'promql/syntax',
            n,
            'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
          );
        }
        if (base?.name === 'OffsetExpr') issue('promql/syntax', n, 'offset may not be set multiple times');
        const d = n.getChild('OffsetDurationExpr');
        const lit = d && lastLiteral(d);
        if (lit && parseDuration(text(lit)) === undefined)
          issue('promql/syntax', lit, `not a valid duration string: ${JSON.stringify(text(lit))}`);
        return r;
      }
      case 'StepInvariantExpr':
      case 'ParenExpr': {
        const inner = exprChildren(n)[0];
        return inner ? ev(inner) : unknown;
      }
      case 'UnaryExpr': {
        const inner = exprChildren(n)[0];
        const r = inner ? ev(inner) : unknown;
        if (inner && r.type && r.type !== 'scalar' && r.type !== 'vector')
          issue(
            'promql/arg-type',
            inner,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(typeName[r.type])}`,
          );
        return r;
      }
      case 'AggregateExpr':
        return aggregate(n);
      case 'FunctionCall':
        return call(n);
      case 'BinaryExpr':
        return binary(n);
      default:
        issue(
          'promql/syntax',
          n,
          `${n.name.replace(/Expr$/, '').toLowerCase()} modifiers are not supported by Prometheus 2`,
        );
        return unknown;
    }
  }

  const r = ev(top);
  out.type = r.type;
  out.labels = r.labels;
  return out;
}

function lastLiteral(n: SyntaxNode): SyntaxNode | undefined {
  let c: SyntaxNode | null = n;
  while (c && c.name !== 'NumberDurationLiteralInDurationContext') c = c.lastChild;
  return c ?? undefined;
}

function childList(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function exprChildren(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (EXPR.has(c.name)) out.push(c);
  return out;
}

function firstSyntaxError(expr: string, top: SyntaxNode): PromQLIssue | undefined {
  let found: { from: number; to: number } | undefined;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) {
      found = { from: cursor.from, to: cursor.to };
      break;
    }
  } while (cursor.next());
  if (!found) return undefined;
  // An identifier followed by `(` that is no function: Prometheus says "unknown function".
  const call = /([a-zA-Z_][a-zA-Z0-9_:]*)\s*\(/g;
  for (let m = call.exec(expr); m; m = call.exec(expr)) {
    const name = m[1] ?? '';
    if (m.index > 0 && /[a-zA-Z0-9_:"'`.]/.test(expr[m.index - 1] ?? '')) continue;
    const lower = name.toLowerCase();
    if (functions.has(name) || aggregations.has(lower) || KEYWORDS.has(lower)) continue;
    if (insideString(expr, m.index)) continue;
    return {
      id: 'promql/unknown-function',
      severity: 'error',
      message: `unknown function with name ${JSON.stringify(name)}`,
      from: m.index,
      to: m.index + name.length,
    };
  }
  if (!expr.trim())
    return { id: 'promql/syntax', severity: 'error', message: 'no expression found in input', from: 0, to: 0 };
  const at =
    found.from >= expr.length
      ? 'unexpected end of input'
      : `unexpected ${JSON.stringify(expr.slice(found.from, Math.max(found.to, found.from + 1)))}`;
  return {
    id: 'promql/syntax',
    severity: 'error',
    message: `parse error: ${at}`,
    from: Math.min(found.from, Math.max(0, expr.length - 1)),
    to: Math.max(found.to, found.from + 1),
  };
}

function insideString(expr: string, at: number): boolean {
  let q: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = expr[i];
    if (q) {
      if (c === '\\' && q !== '`') i++;
      else if (c === q) q = undefined;
    } else if (c === '"' || c === "'" || c === '`') q = c;
    else if (c === '#') {
      const nl = expr.indexOf('\n', i);
      if (nl < 0 || nl > at) return true;
      i = nl;
    }
  }
  return q !== undefined;
}

export function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  const body = s.slice(1, -1);
  if (!body.includes('\\')) return body;
  try {
    return JSON.parse(
      `"${(s.startsWith("'") ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body).replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')}"`,
    ) as string;
  } catch {
    return body;
  }
}
