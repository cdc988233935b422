/**
 * PromQL parsing on the official grammar (@prometheus-io/lezer-promql): syntax errors with
 * offsets, and the vector selectors an expression uses (metric name, matchers, offsets) so checks
 * can compare them with the catalog. Semantic checks (function arity, argument types, result
 * type) build on `parsePromQL`'s tree in their own files.
 */

import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

export interface PromQLSyntaxError {
  /** Offsets into the expression (0-based, end exclusive). */
  from: number;
  to: number;
  message: string;
}

export interface SelectorMatcher {
  label: string;
  op: string;
  value: string;
}

export interface VectorSelectorRef {
  /** Metric name, or undefined for `{__name__=~"..."}`-only selectors. */
  name?: string;
  matchers: SelectorMatcher[];
  from: number;
  to: number;
  /** The range window when the selector sits in a matrix selector (`x[5m]`). */
  range?: string;
}

export interface ParsedPromQL {
  expr: string;
  tree: Tree;
  errors: PromQLSyntaxError[];
  selectors: VectorSelectorRef[];
}

function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  try {
    return JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s) as string;
  } catch {
    return s.slice(1, -1);
  }
}

function describeError(expr: string, node: SyntaxNode): string {
  const at = expr.slice(node.from, Math.max(node.to, node.from + 1));
  if (node.from >= expr.length) return 'unexpected end of expression';
  const parent = node.parent?.name;
  return `unexpected ${JSON.stringify(at)}${parent && parent !== 'PromQL' ? ` in ${parent}` : ''}`;
}

/** Parses one expression; never throws. */
export function parsePromQL(expr: string): ParsedPromQL {
  const tree = parser.parse(expr);
  const errors: PromQLSyntaxError[] = [];
  const selectors: VectorSelectorRef[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push({ from: ref.from, to: Math.max(ref.to, ref.from), message: describeError(expr, ref.node) });
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const sel: VectorSelectorRef = { matchers: [], from: ref.from, to: ref.to };
      const ident = node.getChild('Identifier');
      if (ident) sel.name = expr.slice(ident.from, ident.to);
      const matchers = node.getChild('LabelMatchers');
      for (let m = matchers?.firstChild; m; m = m.nextSibling) {
        const label = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
        const op = m.getChild('MatchOp');
        const values = m.getChildren('StringLiteral');
        const value = values[values.length - 1];
        if (m.name === 'QuotedLabelMatcher' && !label && value) {
          // `{"metric_name"}`: a quoted metric name (Prometheus 3 UTF-8 names).
          sel.name = unquote(expr.slice(value.from, value.to));
          continue;
        }
        if (!label || !op || !value) continue;
        const name =
          label.name === 'QuotedLabelName'
            ? unquote(expr.slice(label.from, label.to))
            : expr.slice(label.from, label.to);
        const v = unquote(expr.slice(value.from, value.to));
        if (name === '__name__' && expr.slice(op.from, op.to) === '=') sel.name = v;
        sel.matchers.push({ label: name, op: expr.slice(op.from, op.to), value: v });
      }
      const parent = node.parent;
      if (parent?.name === 'MatrixSelector') {
        const d = parent.getChild('DurationExpr') ?? parent.lastChild;
        if (d && d.from > ref.to) sel.range = expr.slice(d.from, d.to);
      }
      selectors.push(sel);
    },
  });
  return { expr, tree, errors, selectors };
}

/** Metric names an expression selects (deduplicated, in order of appearance). */
export function metricNames(expr: string): string[] {
  return [...new Set(parsePromQL(expr).selectors.flatMap((s) => (s.name ? [s.name] : [])))];
}
