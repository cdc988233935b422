/**
 * LogQL parsing on Grafana's own grammar (@grafana/lezer-logql): syntax errors with offsets into
 * the expression, like validate/promql.ts does for PromQL. Grafana variables must be substituted
 * first (see validate/dashboard/variables.ts); the parser knows nothing of `$job`.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';

export interface LogQLSyntaxError {
  /** Offsets into the expression (0-based, end exclusive). */
  from: number;
  to: number;
  message: string;
}

export interface ParsedLogQL {
  expr: string;
  errors: LogQLSyntaxError[];
  /** Range windows used by metric queries (`[5m]`), with their offsets, for rate-interval checks. */
  ranges: Array<{ text: string; from: number; to: number }>;
}

function describe(expr: string, node: SyntaxNode): string {
  if (node.from >= expr.length) return 'unexpected end of expression';
  const parent = node.parent?.name;
  return `unexpected ${JSON.stringify(expr.slice(node.from, Math.max(node.to, node.from + 1)))}${parent && parent !== 'LogQL' ? ` in ${parent}` : ''}`;
}

/** Parses one LogQL expression; never throws. */
export function parseLogQL(expr: string): ParsedLogQL {
  const errors: LogQLSyntaxError[] = [];
  const ranges: ParsedLogQL['ranges'] = [];
  if (!expr.trim()) return { expr, errors: [{ from: 0, to: 0, message: 'empty expression' }], ranges };
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError)
        errors.push({ from: ref.from, to: Math.max(ref.to, ref.from), message: describe(expr, ref.node) });
      else if (ref.name === 'Range') ranges.push({ text: expr.slice(ref.from, ref.to), from: ref.from, to: ref.to });
    },
  });
  return { expr, errors, ranges };
}
