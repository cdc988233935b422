/**
 * A small view of the one PromQL analysis (validate/promql-check.ts) for callers that only need
 * whether an expression is valid and which selectors it uses: the build's own checks, the live
 * `verify` command, tests. There is no second parser behind it.
 */

import { checkPromQL } from './promql-check.js';

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
  /** Every error Prometheus would refuse the expression for (parse and type errors). */
  errors: PromQLSyntaxError[];
  selectors: VectorSelectorRef[];
}

/** Parses and checks one expression; never throws. */
export function parsePromQL(expr: string): ParsedPromQL {
  const a = checkPromQL(expr, { lint: false });
  return {
    expr,
    errors: a.issues.filter((i) => i.severity === 'error').map(({ from, to, message }) => ({ from, to, message })),
    selectors: a.selectors,
  };
}

/** Metric names an expression selects (deduplicated, in order of appearance). */
export function metricNames(expr: string): string[] {
  return [...new Set(checkPromQL(expr, { lint: false }).metrics.map((m) => m.name))];
}
