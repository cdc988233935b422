/**
 * Per-target query checks. PromQL goes through the one analysis rules get (checkPromQL), so a
 * dashboard query reports the same `promql/*` ids as a rule: syntax, arity, argument types,
 * regexes... Then dashboard advice (warnings): counters outside rate(), `$__rate_interval` in rate
 * windows, `$job`/`$instance` filters, metrics the catalog does not know. Grafana's macros are
 * substituted first; every finding points at the target's `expr` with the offset inside the
 * string the user wrote.
 */
import type { Finding } from '../finding.js';
import { parseLogQL } from '../logql.js';
import { checkPromQL, type MetricRef } from '../promql-check.js';
import type { MetricCatalog } from './catalog.js';
import { substituteVariables } from './variables.js';
import type { TargetRef } from './walk.js';

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
const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);
// `$__range` is the "over the whole time range" idiom (increase(x[$__range]) for a total): not a
// fixed window that ignores the scrape interval.
const RATE_INTERVAL = /^\$(\{__rate_interval\}|__rate_interval\b|\{__range\}|__range\b)/;

export interface QueryCheckOptions {
  catalog: MetricCatalog;
  /** Checks for `$job`/`$instance` filters only run when the dashboard defines those variables. */
  requireVars: { job: boolean; instance: boolean };
}

/** A finding with the length of the span inside `expr` it points at. */
export type QueryFinding = Finding & { length?: number };

export interface QueryResult {
  findings: QueryFinding[];
  /** Metric names the query uses, with offsets into the original `expr` (variables excluded). */
  metrics: MetricRef[];
}

function at(
  ref: TargetRef,
  id: string,
  severity: Finding['severity'],
  message: string,
  offset: number,
  length?: number,
): QueryFinding {
  return {
    id,
    severity,
    message,
    path: [...ref.path, 'expr'],
    offset,
    context: ref.context,
    ...(length ? { length } : {}),
  };
}

function filtersBy(original: string, label: string, variable: string): boolean {
  return new RegExp(`\\b${label}\\s*=~?\\s*"[^"]*(\\$\\{?${variable}\\b|\\[\\[${variable}\\b)`).test(original);
}

export function checkPromQLTarget(expr: string, ref: TargetRef, opts: QueryCheckOptions): QueryResult {
  const sub = substituteVariables(expr);
  const analysis = checkPromQL(sub.text, { lint: false });
  const span = (from: number, to: number) => {
    const a = sub.toOriginal(from);
    return [a, Math.max(1, sub.toOriginal(to) - a)] as const;
  };
  const findings: QueryFinding[] = analysis.issues.map((is) => {
    const [offset, length] = span(is.from, is.to);
    return at(ref, is.id, is.severity, is.message, offset, length);
  });
  const standIns = new Set(sub.variables.map((v) => v.name.replace(/^_+/, '') || 'v'));
  const metrics = analysis.metrics
    .filter((m) => !standIns.has(m.name))
    .map((m) => {
      const [from, length] = span(m.from, m.to);
      return { name: m.name, from, to: from + length };
    });
  if (findings.some((f) => f.severity === 'error')) return { findings, metrics };

  // The same analysis lists the selectors (with their enclosing calls) and the range windows.
  for (const call of analysis.rangeCalls) {
    if (!RATE_FUNCTIONS.has(call.fn)) continue;
    const [offset, length] = span(call.from, call.to);
    if (RATE_INTERVAL.test(expr.slice(offset))) continue;
    findings.push(
      at(
        ref,
        'dashboard/rate-interval',
        'warning',
        `${call.fn}() over [${expr.slice(offset, offset + length)}]: use [$__rate_interval] so the window follows the scrape interval and the zoom level`,
        offset,
        length,
      ),
    );
  }
  for (const s of analysis.selectors) {
    if (!s.name || standIns.has(s.name)) continue;
    const [from, length] = span(s.from, s.to);
    if (!opts.catalog.lookup(s.name))
      findings.push(
        at(
          ref,
          'dashboard/unknown-metric',
          'warning',
          `metric "${s.name}" is neither in the metric catalog (config/metrics.ts) nor a recording rule the mixin generates (config/recordings.ts)`,
          from,
          length,
        ),
      );
    if (opts.catalog.isCounter(s.name) && !s.functions.some((f) => COUNTER_OK.has(f)))
      findings.push(
        at(
          ref,
          'dashboard/counter-rate',
          'warning',
          `counter "${s.name}" is used without rate(), irate() or increase(): its raw value only ever grows and resets on restart`,
          from,
          length,
        ),
      );
    const original = expr.slice(from, from + length);
    for (const label of ['job', 'instance'] as const) {
      if (!opts.requireVars[label] || opts.catalog.lacksLabel(s.name, label)) continue;
      if (!filtersBy(original, label, label))
        findings.push(
          at(
            ref,
            `dashboard/template-${label}`,
            'warning',
            `selector ${s.name} does not filter by the $${label} variable (add ${label}=~"$${label}")`,
            from,
            length,
          ),
        );
    }
  }
  return { findings, metrics };
}

export function checkLogQLTarget(expr: string, ref: TargetRef): QueryResult {
  const sub = substituteVariables(expr);
  const parsed = parseLogQL(sub.text);
  const e = parsed.errors[0];
  if (!e) return { findings: [], metrics: [] };
  const offset = sub.toOriginal(e.from);
  const message =
    e.kind === 'syntax'
      ? `LogQL syntax error at column ${offset + 1}: ${e.message}`
      : `LogQL error at column ${offset + 1}: ${e.message}; Loki refuses the query`;
  const length = Math.max(1, sub.toOriginal(e.to) - offset);
  return {
    findings: [at(ref, 'logql/syntax', 'error', message, offset, e.kind === 'syntax' ? undefined : length)],
    metrics: [],
  };
}
