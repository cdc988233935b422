/**
 * Telling "empty because nothing is wrong" from "empty because the query is wrong".
 *
 * A healthy system has no 5xx, nothing down, no firing alert: a query that selects those is
 * empty, and that is the good news, not a finding. `relaxQuery` rewrites an empty query into the
 * one that would have data if only the event had happened:
 *
 * - matchers on a label the catalog marks `absentUntil` (`status=~"5.."` of http_requests_total)
 *   are dropped, so the selector asks only "is the source scraped?";
 * - comparison filters (`up == 0`, `x > 0`) become `bool` comparisons, which keep every series.
 *
 * `verify` then runs every remaining selector and the relaxed query: if they return series, the
 * empty query was quiet; if a selector still matches nothing (a metric no target exposes, a wrong
 * job) or the relaxed query is empty too (a join on the wrong labels), it is a finding. Nothing
 * else is relaxed, so the rewrite cannot hide a wrong selector. Pure: no I/O.
 */
import { type MetricDef, seriesIndex } from '../../config/metrics.js';
import type { Expr, SelectorNode } from '../promql/ast.js';
import { parse } from '../promql/parser.js';

/** What `verify` may assume about a metric's absence. */
export interface AbsenceRule {
  /** Labels whose values appear only with the event (matchers on them are dropped). */
  labels: readonly string[];
  /** The metric itself has no series before the event (ALERTS before any alert is pending). */
  wholeMetric: boolean;
  /** What has to happen first, for the reason shown to the user ("a 5xx answer"). */
  event: string;
}

export type AbsenceRules = (metric: string) => AbsenceRule | undefined;

/**
 * The catalog's `absentUntil` entries, by series name (histograms: every series of the metric). A
 * metric exposed only in some set-ups (`onlyWhen`: a replica's link to its primary, a stream's
 * consumer groups) may have no series at all on a healthy system, like one that waits for an event.
 */
export const catalogAbsence: AbsenceRules = (name) => {
  const m = seriesIndex.get(name) as MetricDef | undefined;
  const a = m?.absentUntil;
  if (a) return { labels: a.labels, wholeMetric: a.wholeMetric ?? false, event: a.event };
  return m?.onlyWhen ? { labels: [], wholeMetric: true, event: m.onlyWhen } : undefined;
};

export interface RelaxedSelector {
  /** The selector as it remains (name and braces; no range, offset or `@`). */
  text: string;
  name?: string;
  /** Matchers dropped from it, as written (`status=~"5.."`). */
  dropped: string[];
  /** Set when the metric may have no series at all before an event. */
  wholeMetric?: AbsenceRule;
}

export interface RelaxedQuery {
  /** The rewritten expression. */
  expr: string;
  /** Whether anything was relaxed (otherwise `expr` is the input). */
  changed: boolean;
  /** Every vector selector, relaxed, in order of appearance. */
  selectors: RelaxedSelector[];
  /** Comparison filters turned into `bool` (`== 0`). */
  filters: string[];
  /** Event matchers dropped, with the event that creates their series. */
  events: Array<{ matcher: string; event: string }>;
}

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'matrix':
    case 'subquery':
    case 'paren':
    case 'unary':
      return [e.expr];
    case 'binary':
      return [e.lhs, e.rhs];
    case 'call':
    case 'aggregate':
      return e.args;
    default:
      return [];
  }
}

/** Relaxes the event matchers and comparison filters of `expr`; undefined when it does not parse. */
export function relaxQuery(expr: string, absence: AbsenceRules = catalogAbsence): RelaxedQuery | undefined {
  const parsed = parse(expr);
  if (!parsed.expr) return undefined;
  const edits: Array<{ from: number; to: number; text: string }> = [];
  const selectors: RelaxedSelector[] = [];
  const filters: string[] = [];
  const events: RelaxedQuery['events'] = [];

  const selector = (s: SelectorNode) => {
    const rule = s.name ? absence(s.name) : undefined;
    const drop = new Set(rule?.labels ?? []);
    const kept = s.matchers.filter((m) => !drop.has(m.label));
    const dropped = s.matchers.filter((m) => drop.has(m.label)).map((m) => expr.slice(m.from, m.to));
    const start = s.nameSpan?.from ?? s.from;
    const last = s.matchers.at(-1);
    const close = last ? expr.indexOf('}', last.to) : -1;
    const end = close >= 0 ? close + 1 : (s.nameSpan?.to ?? s.to);
    const text = dropped.length
      ? `${s.name ?? ''}{${kept.map((m) => expr.slice(m.from, m.to)).join(', ')}}`
      : expr.slice(start, end);
    if (dropped.length) {
      edits.push({ from: start, to: end, text });
      for (const d of dropped) events.push({ matcher: d, event: rule!.event });
    }
    selectors.push({ text, name: s.name, dropped, ...(rule?.wholeMetric ? { wholeMetric: rule } : {}) });
  };

  const walk = (e: Expr) => {
    if (e.kind === 'selector') return selector(e);
    if (e.kind === 'binary' && COMPARISONS.has(e.op) && !e.bool) {
      edits.push({ from: e.opSpan.to, to: e.opSpan.to, text: ' bool' });
      filters.push(`${e.op} ${expr.slice(e.rhs.from, e.rhs.to)}`);
    }
    for (const c of children(e)) walk(c);
  };
  walk(parsed.expr);

  let out = expr;
  for (const ed of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, ed.from) + ed.text + out.slice(ed.to);
  return { expr: out, changed: edits.length > 0, selectors, filters, events };
}
