/**
 * Per-target query checks: PromQL/LogQL syntax, known metrics, counters wrapped in rate(),
 * `$__rate_interval` in rate windows, and `$job`/`$instance` filters. Each finding points at the
 * target's `expr` with the offset inside the string the user wrote (variables included).
 */
import type { SyntaxNode } from '@lezer/common';
import type { Finding } from '../finding.js';
import { parseLogQL } from '../logql.js';
import { parsePromQL } from '../promql.js';
import type { MetricCatalog } from './catalog.js';
import { substituteVariables } from './variables.js';
import type { TargetRef } from './walk.js';

const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);
/** Functions that may take a counter directly. */
const COUNTER_OK = new Set([
  'rate',
  'irate',
  'increase',
  'resets',
  'absent',
  'absent_over_time',
  'present_over_time',
  'count_over_time',
  'timestamp',
]);
const RATE_INTERVAL = /^\$(\{__rate_interval\}|__rate_interval\b)/;

export interface QueryCheckOptions {
  catalog: MetricCatalog;
  /** Checks for `$job`/`$instance` filters only run when the dashboard defines those variables. */
  requireVars: { job: boolean; instance: boolean };
}

function at(ref: TargetRef, id: string, message: string, offset: number): Finding {
  return { id, severity: 'error', message, path: [...ref.path, 'expr'], offset, context: ref.context };
}

function functionName(expr: string, call: SyntaxNode): string | undefined {
  const ident = call.getChild('FunctionIdentifier');
  return ident ? expr.slice(ident.from, ident.to) : undefined;
}

/** Names of the functions enclosing a node, innermost first. */
function enclosingFunctions(expr: string, node: SyntaxNode): string[] {
  const names: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'FunctionCall') {
      const n = functionName(expr, p);
      if (n) names.push(n);
    }
  }
  return names;
}

function filtersBy(original: string, label: string, variable: string): boolean {
  return new RegExp(`\\b${label}\\s*=~?\\s*"[^"]*(\\$\\{?${variable}\\b|\\[\\[${variable}\\b)`).test(original);
}

export function checkPromQLTarget(expr: string, ref: TargetRef, opts: QueryCheckOptions): Finding[] {
  const sub = substituteVariables(expr);
  const parsed = parsePromQL(sub.text);
  const out: Finding[] = [];
  if (parsed.errors.length) {
    const e = parsed.errors[0]!;
    const offset = sub.toOriginal(e.from);
    return [at(ref, 'dashboard/promql-syntax', `PromQL syntax error at column ${offset + 1}: ${e.message}`, offset)];
  }
  parsed.tree.iterate({
    enter(node) {
      if (node.name === 'FunctionCall') {
        const name = functionName(sub.text, node.node);
        if (!name || !RATE_FUNCTIONS.has(name)) return;
        const body = node.node.getChild('FunctionCallBody');
        const arg = body?.getChild('MatrixSelector') ?? body?.getChild('SubqueryExpr');
        const window = arg?.getChild('DurationExpr');
        if (!window) return;
        const offset = sub.toOriginal(window.from);
        if (!RATE_INTERVAL.test(expr.slice(offset))) {
          const used = expr.slice(offset, sub.toOriginal(window.to));
          out.push(
            at(
              ref,
              'dashboard/rate-interval',
              `${name}() over [${used}]: use [$__rate_interval] so the window follows the scrape interval and the zoom level`,
              offset,
            ),
          );
        }
        return;
      }
      if (node.name !== 'VectorSelector') return;
      const ident = node.node.getChild('Identifier');
      const sel = parsed.selectors.find((s) => s.from === node.from);
      const name = sel?.name ?? (ident ? sub.text.slice(ident.from, ident.to) : undefined);
      const from = sub.toOriginal(node.from);
      if (!name) return;
      const known = opts.catalog.lookup(name);
      if (!known) {
        out.push(
          at(
            ref,
            'dashboard/unknown-metric',
            `metric "${name}" is neither in the metric catalog (config/metrics.ts) nor a recording rule the mixin generates (config/recordings.ts)`,
            from,
          ),
        );
      }
      if (opts.catalog.isCounter(name) && !enclosingFunctions(sub.text, node.node).some((f) => COUNTER_OK.has(f))) {
        out.push(
          at(
            ref,
            'dashboard/counter-rate',
            `counter "${name}" is used without rate(), irate() or increase(): its raw value only ever grows and resets on restart`,
            from,
          ),
        );
      }
      const original = expr.slice(from, sub.toOriginal(node.to));
      for (const label of ['job', 'instance'] as const) {
        if (!opts.requireVars[label] || opts.catalog.lacksLabel(name, label)) continue;
        if (!filtersBy(original, label, label)) {
          out.push(
            at(
              ref,
              `dashboard/template-${label}`,
              `selector ${name} does not filter by the $${label} variable (add ${label}=~"$${label}")`,
              from,
            ),
          );
        }
      }
    },
  });
  return out;
}

export function checkLogQLTarget(expr: string, ref: TargetRef): Finding[] {
  const sub = substituteVariables(expr);
  const parsed = parseLogQL(sub.text);
  const out: Finding[] = [];
  if (parsed.errors.length) {
    const e = parsed.errors[0]!;
    const offset = sub.toOriginal(e.from);
    out.push(at(ref, 'dashboard/logql-syntax', `LogQL syntax error at column ${offset + 1}: ${e.message}`, offset));
  }
  return out;
}
