/**
 * LogQL parsing on Grafana's own grammar (@grafana/lezer-logql): syntax errors with offsets into
 * the expression, like validate/promql.ts does for PromQL. Grafana variables must be substituted
 * first (see validate/dashboard/variables.ts); the parser knows nothing of `$job`.
 *
 * The grammar is looser than Loki's parser: it accepts any range operation with or without
 * `| unwrap`, a parameter and a `by`/`without` grouping. Loki refuses those combinations when it
 * builds the range aggregation (newRangeAggregationExpr and RangeAggregationExpr.validate() in
 * pkg/logql/syntax/ast.go), so the same rules run here on the tree (kind 'validation').
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';

export interface LogQLSyntaxError {
  /** Offsets into the expression (0-based, end exclusive). */
  from: number;
  to: number;
  message: string;
  /** 'syntax': the grammar refuses it; 'validation': it parses, but Loki refuses the combination. */
  kind: 'syntax' | 'validation';
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

/** Range operations that need `| unwrap`, by RangeOp child name; the rest refuse one except rate/absent. */
const UNWRAP_ALLOWED = new Set([
  'AvgOverTime',
  'SumOverTime',
  'MaxOverTime',
  'MinOverTime',
  'StddevOverTime',
  'StdvarOverTime',
  'QuantileOverTime',
  'Rate',
  'RateCounter',
  'AbsentOverTime',
  'FirstOverTime',
  'LastOverTime',
]);
/** Range operations that work on the log lines themselves, without `| unwrap`. */
const UNWRAP_OPTIONAL_OR_FORBIDDEN = new Set(['BytesOverTime', 'BytesRate', 'CountOverTime', 'Rate', 'AbsentOverTime']);
/** Range operations that take `by (…)`/`without (…)` after the parenthesis. */
const GROUPING_ALLOWED = new Set([
  'AvgOverTime',
  'StddevOverTime',
  'StdvarOverTime',
  'QuantileOverTime',
  'MaxOverTime',
  'MinOverTime',
  'FirstOverTime',
  'LastOverTime',
]);

/** Loki's checks on one RangeAggregationExpr, in Loki's order; the first failing one, if any. */
function validateRangeAggregation(expr: string, node: SyntaxNode): LogQLSyntaxError | undefined {
  const opNode = node.getChild('RangeOp');
  const kindNode = opNode?.firstChild;
  if (!opNode || !kindNode) return undefined;
  const op = expr.slice(opNode.from, opNode.to);
  const fail = (n: SyntaxNode, message: string): LogQLSyntaxError => ({
    from: n.from,
    to: n.to,
    message,
    kind: 'validation',
  });
  const param = node.getChild('Number');
  if (param && kindNode.name !== 'QuantileOverTime')
    return fail(param, `parameter ${expr.slice(param.from, param.to)} not supported for operation ${op}`);
  if (!param && kindNode.name === 'QuantileOverTime')
    return fail(opNode, `parameter required for operation ${op} (quantile_over_time(0.99, …))`);
  const grouping = node.getChild('Grouping');
  if (grouping && !GROUPING_ALLOWED.has(kindNode.name))
    return fail(grouping, `grouping not allowed for ${op} aggregation (group outside instead: sum by (…) (${op}(…)))`);
  const unwrap = node.getChild('LogRangeExpr')?.getChild('UnwrapExpr');
  if (unwrap) {
    if (!UNWRAP_ALLOWED.has(kindNode.name)) return fail(unwrap, `invalid aggregation ${op} with unwrap`);
  } else if (!UNWRAP_OPTIONAL_OR_FORBIDDEN.has(kindNode.name))
    return fail(opNode, `invalid aggregation ${op} without unwrap (add | unwrap <label>)`);
  return undefined;
}

/** Parses one LogQL expression; never throws. */
export function parseLogQL(expr: string): ParsedLogQL {
  const errors: LogQLSyntaxError[] = [];
  const ranges: ParsedLogQL['ranges'] = [];
  if (!expr.trim()) return { expr, errors: [{ from: 0, to: 0, message: 'empty expression', kind: 'syntax' }], ranges };
  const invalid: LogQLSyntaxError[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError)
        errors.push({
          from: ref.from,
          to: Math.max(ref.to, ref.from),
          message: describe(expr, ref.node),
          kind: 'syntax',
        });
      else if (ref.name === 'Range') ranges.push({ text: expr.slice(ref.from, ref.to), from: ref.from, to: ref.to });
      else if (ref.name === 'RangeAggregationExpr') {
        const e = validateRangeAggregation(expr, ref.node);
        if (e) invalid.push(e);
      }
    },
  });
  // On a tree with syntax errors the nodes around them are guesses: report only the syntax errors.
  return { expr, errors: errors.length ? errors : invalid, ranges };
}
