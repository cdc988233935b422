/**
 * `verify`: every dashboard query and rule expression run against a live Prometheus.
 *
 * - a query that errors → `verify/query-error`;
 * - a panel target (or recording rule) with no series, neither now nor over the look-back window
 *   → `verify/empty-panel` (`verify/empty-rule`), naming the selectors that match nothing —
 *   unless it is quiet (below); alerting rules may rightly return nothing, so only their errors
 *   count;
 * - a metric a query uses that Prometheus has not seen in the window → `verify/unknown-metric`;
 * - a catalog metric that no target exposes → `verify/unscraped-metric`.
 *
 * Quiet, not a finding (listed in `stats.quiet`): an empty query that has data once its event
 * filters are relaxed (validate/live/quiet.ts: no 5xx yet, nothing down, no alert firing), a
 * recording rule that is quiet for that reason and the queries and metric names that depend on
 * it, a catalog metric that exists only after an event (`absentUntil.wholeMetric`) or only in
 * some set-ups (`onlyWhen`).
 */
import { parse as parseYaml } from 'yaml';
import { allMetrics, type MetricDef, seriesNames } from '../../config/metrics.js';
import { durationSeconds, formatDuration } from '../../config/promql.js';
import type { Finding } from '../finding.js';
import { metricNames } from '../promql.js';
import { type DashboardDoc, dashboardQueries, type LiveQuery, ruleQueries, type Skipped } from './collect.js';
import { type Builtins, expandTemplate, type VariableValues } from './expand.js';
import { type PrometheusApi, PrometheusApiError } from './prometheus-api.js';
import { type AbsenceRules, catalogAbsence, type RelaxedQuery, relaxQuery } from './quiet.js';
import { resolveVariables } from './variables.js';

export interface VerifyInput {
  dashboards: Array<{ file: string; doc: DashboardDoc }>;
  ruleFiles: Array<{ file: string; doc: unknown }>;
}

export interface VerifyOptions {
  /** How far back a query may find data when the instant query is empty (seconds). */
  lookbackSeconds: number;
  /** Overrides the scrape interval read from the running config. */
  scrapeIntervalSeconds?: number;
  /** Check that every catalog metric is exposed by some target. */
  catalog: boolean;
  concurrency?: number;
  progress?: (line: string) => void;
  /** Evaluation time (seconds since epoch); defaults to now. */
  now?: number;
}

export interface VerifyStats {
  queries: number;
  panelTargets: number;
  rules: number;
  skipped: Skipped[];
  emptyPanels: number;
  errors: number;
  unknownMetrics: number;
  /** Empty queries and absent metrics that are not findings, each with why it is quiet. */
  quiet: QuietItem[];
  scrapeIntervalSeconds: number;
  rateInterval: string;
}

export interface QuietItem {
  file?: string;
  context: string;
  reason: string;
}

export interface VerifyResult {
  findings: Finding[];
  stats: VerifyStats;
}

async function scrapeInterval(api: PrometheusApi, fallback = 15): Promise<number> {
  try {
    const cfg = parseYaml(await api.configYaml()) as { global?: { scrape_interval?: string } };
    const s = cfg?.global?.scrape_interval;
    return s ? durationSeconds(s) : fallback;
  } catch {
    return fallback;
  }
}

function dashboardRangeSeconds(dash: DashboardDoc | undefined): number {
  const m = /^now-(\d+[smhdwy])$/.exec(dash?.time?.from ?? '');
  return m ? durationSeconds(m[1]!) : 3600;
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function verifyLive(api: PrometheusApi, input: VerifyInput, opts: VerifyOptions): Promise<VerifyResult> {
  const progress = opts.progress ?? (() => {});
  const now = opts.now ?? Date.now() / 1000;
  const window = { start: now - opts.lookbackSeconds, end: now };
  const scrape = opts.scrapeIntervalSeconds ?? (await scrapeInterval(api));
  const rateInterval = formatDuration(4 * scrape);
  const builtinsFor = (dash?: DashboardDoc): Builtins => {
    const rangeS = dashboardRangeSeconds(dash);
    return {
      rateInterval,
      interval: formatDuration(scrape),
      intervalMs: scrape * 1000,
      range: formatDuration(rangeS),
      rangeSeconds: rangeS,
    };
  };
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  const queries: Array<LiveQuery & { expanded: string }> = [];

  for (const { file, doc } of input.dashboards) {
    const list = dashboardQueries(file, doc, skipped);
    const builtins = builtinsFor(doc);
    let vars = new Map<string, VariableValues>();
    try {
      const resolved = await resolveVariables(api, doc, builtins, window);
      vars = resolved.values;
      for (const name of resolved.empty) {
        findings.push({
          id: 'verify/empty-variable',
          severity: 'error',
          file,
          context: `dashboard "${doc.title ?? file}" › variable $${name}`,
          message: `template variable $${name} has no values in Prometheus, so every panel using it is empty`,
        });
      }
    } catch (e) {
      if (e instanceof PrometheusApiError && e.errorType === 'network') throw e;
      findings.push({
        id: 'verify/query-error',
        severity: 'error',
        file,
        context: `dashboard "${doc.title ?? file}" › variables`,
        message: `resolving template variables failed: ${(e as Error).message}`,
      });
    }
    for (const q of list) {
      const { expr, unknown } = expandTemplate(q.expr, vars, builtins);
      if (unknown.length) {
        findings.push({
          id: 'verify/unknown-variable',
          severity: 'error',
          file,
          context: q.context,
          path: q.path,
          message: `uses undefined template variable${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `$${u}`).join(', ')}`,
        });
        continue;
      }
      queries.push({ ...q, expanded: expr });
    }
    progress(`verify: ${file}: ${list.length} Prometheus targets`);
  }
  for (const { file, doc } of input.ruleFiles) {
    const list = ruleQueries(file, doc as Parameters<typeof ruleQueries>[1]);
    // Rules have no template variables; $__ built-ins never appear in them.
    for (const q of list) queries.push({ ...q, expanded: q.expr });
    progress(`verify: ${file}: ${list.length} rules`);
  }

  // One look-up of every metric name seen in the window: used for unknown metrics and for
  // explaining why a panel is empty.
  const known = new Set(await api.labelValues('__name__', { start: window.start, end: window.end }));
  const step = Math.max(scrape, Math.ceil(opts.lookbackSeconds / 200));
  const lookback = formatDuration(opts.lookbackSeconds);
  const quiet: QuietItem[] = [];
  let emptyPanels = 0;
  let errors = 0;
  let done = 0;

  /** Whether a query returns series now or at some point in the window. */
  const hasData = async (expr: string) =>
    (await api.instant(expr, now)).series > 0 || (await api.range(expr, window.start, window.end, step)).series > 0;

  const empty: Array<LiveQuery & { expanded: string }> = [];
  await pool(queries, opts.concurrency ?? 4, async (q) => {
    try {
      // Alerting rules are quiet when nothing is wrong: only whether they run counts.
      if (q.kind === 'alert') await api.instant(q.expanded, now);
      else if (!(await hasData(q.expanded))) empty.push(q);
    } catch (e) {
      if (e instanceof PrometheusApiError && e.errorType === 'network') throw e;
      errors++;
      findings.push({
        file: q.file,
        context: q.context,
        path: q.path,
        id: 'verify/query-error',
        severity: 'error',
        message: `Prometheus rejected the query: ${(e as Error).message}: ${q.expanded}`,
      });
    }
    if (++done % 25 === 0) progress(`verify: ${done}/${queries.length} queries run`);
  });

  // Recording rules first, in file order: a quiet recording makes the queries reading it quiet.
  const quietRecordings = new Map<string, string>();
  const absence: AbsenceRules = (name) => {
    const why = quietRecordings.get(name);
    return why ? { labels: [], wholeMetric: true, event: why } : catalogAbsence(name);
  };
  const order = (q: LiveQuery) => (q.kind === 'record' ? 0 : 1);
  empty.sort((a, b) => order(a) - order(b) || queries.indexOf(a) - queries.indexOf(b));
  const classify = async (q: LiveQuery & { expanded: string }) => {
    const verdict = await classifyEmpty(api, q.expanded, absence, { now, lookback, hasData, marked: q.mayBeEmpty });
    if (verdict.quiet) {
      quiet.push({ file: q.file, context: q.context, reason: verdict.reason });
      if (q.record) quietRecordings.set(q.record, `its recording rule has data (quiet now: ${verdict.reason})`);
      return;
    }
    emptyPanels++;
    const missing = metricNames(q.expanded).filter((m) => !known.has(m) && !absence(m)?.wholeMetric);
    const why = missing.length ? `no series at all for ${missing.join(', ')}; ${verdict.why}` : verdict.why;
    findings.push({
      file: q.file,
      context: q.context,
      path: q.path,
      id: q.kind === 'panel' ? 'verify/empty-panel' : 'verify/empty-rule',
      severity: 'error',
      message: `${q.kind === 'panel' ? 'empty panel' : 'recording rule returns nothing'}: no series now or in the last ${lookback} (${why}): ${q.expanded}`,
    });
  };
  const records = empty.filter((q) => q.kind === 'record');
  for (const q of records) await classify(q);
  await pool(
    empty.filter((q) => q.kind !== 'record'),
    opts.concurrency ?? 4,
    classify,
  );

  const firstUse = new Map<string, LiveQuery>();
  for (const q of queries) for (const m of metricNames(q.expanded)) if (!firstUse.has(m)) firstUse.set(m, q);
  let unknownMetrics = 0;
  for (const [m, q] of [...firstUse].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (known.has(m)) continue;
    const rule = absence(m);
    if (rule?.wholeMetric) {
      quiet.push({ context: `metric ${m}`, reason: `exists only once ${rule.event}` });
      continue;
    }
    unknownMetrics++;
    findings.push({
      id: 'verify/unknown-metric',
      severity: 'error',
      file: q.file,
      context: q.context,
      path: q.path,
      message: `metric ${m} is used by queries but Prometheus has no series for it in the last ${lookback}`,
    });
  }
  if (opts.catalog) {
    for (const m of allMetrics) {
      if (m.sources.every((s) => s === 'recording')) continue;
      // A summary's quantile series (its bare name) are optional: redis_exporter's own scrape
      // duration summary has none, only _sum and _count.
      const required = seriesNames(m).filter((s) => m.type !== 'summary' || s !== m.name);
      const absent = required.filter((s) => !known.has(s));
      if (!absent.length) continue;
      const context = `catalog metric ${m.name} (${m.sources.join(', ')})`;
      // Absent by design: only after an event, or only in some set-ups (a list-only deployment has
      // no stream consumer groups). Every other catalog metric is exposed from the start.
      const whole = (m as MetricDef).absentUntil?.wholeMetric ? (m as MetricDef).absentUntil : undefined;
      if (whole || m.onlyWhen) {
        quiet.push({
          context,
          reason: whole ? `exists only once ${whole.event}` : `expected only when ${m.onlyWhen}`,
        });
        continue;
      }
      findings.push({
        id: 'verify/unscraped-metric',
        severity: 'error',
        context,
        message: `no target exposes ${absent.join(', ')} (seen in no scrape in the last ${lookback})`,
      });
    }
  }
  // Queries run concurrently: sort for stable output.
  const key = (a: { file?: string; context?: string }) => `${a.file ?? ''}\0${a.context ?? ''}`;
  findings.sort((a, b) => `${key(a)}\0${a.id}`.localeCompare(`${key(b)}\0${b.id}`));
  quiet.sort((a, b) => key(a).localeCompare(key(b)));
  return {
    findings,
    stats: {
      queries: queries.length,
      panelTargets: queries.filter((q) => q.kind === 'panel').length,
      rules: queries.filter((q) => q.kind !== 'panel').length,
      skipped,
      emptyPanels,
      errors,
      unknownMetrics,
      quiet,
      scrapeIntervalSeconds: scrape,
      rateInterval,
    },
  };
}

type Verdict = { quiet: true; reason: string } | { quiet: false; why: string };

/**
 * Why an empty query is empty. Quiet only when every selector, without its event matchers, has
 * series in the window (or is a metric that exists only after an event) and either the relaxed
 * query has data (the event filters alone emptied it) or the dashboard marks the target
 * `mayBeEmpty` with a reason (the marker never excuses a selector that matches nothing).
 */
export async function classifyEmpty(
  api: PrometheusApi,
  expr: string,
  absence: AbsenceRules,
  ctx: { now: number; lookback: string; hasData: (expr: string) => Promise<boolean>; marked?: string },
): Promise<Verdict> {
  const relaxed = relaxQuery(expr, absence);
  if (!relaxed) return { quiet: false, why: 'it does not parse' };
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const s of relaxed.selectors) {
    // A metric that exists only around events (ALERTS) may be absent or come and go between the
    // evaluation steps: its selectors are no evidence either way.
    if (s.wholeMetric || seen.has(s.text)) continue;
    seen.add(s.text);
    const present = (await api.instant(`count(present_over_time(${s.text}[${ctx.lookback}]))`, ctx.now)).series > 0;
    if (!present) missing.push(s.text);
  }
  if (missing.length) {
    const relaxedNote = relaxed.events.length ? ' (even without its event matchers)' : '';
    const markedNote = ctx.marked ? `; marked mayBeEmpty ("${ctx.marked}"), but that excuses no missing source` : '';
    return { quiet: false, why: `no series match ${missing.join(', ')}${relaxedNote}${markedNote}` };
  }
  if (ctx.marked) return { quiet: true, reason: `${ctx.marked} (marked mayBeEmpty; its selectors match series)` };
  const onlyOnEvents = [
    ...new Set(
      relaxed.selectors.flatMap((s) => (s.wholeMetric ? [`${s.name} exists only once ${s.wholeMetric.event}`] : [])),
    ),
  ];
  let relaxedResult: boolean | Error = false;
  if (relaxed.changed) {
    try {
      relaxedResult = await ctx.hasData(relaxed.expr);
    } catch (e) {
      if (e instanceof PrometheusApiError && e.errorType === 'network') throw e;
      relaxedResult = e as Error;
    }
  }
  if (relaxedResult === true) return { quiet: true, reason: `empty only because ${describeRelaxed(relaxed)}` };
  if (onlyOnEvents.length) return { quiet: true, reason: onlyOnEvents.join('; ') };
  if (!relaxed.changed)
    return {
      quiet: false,
      why: 'its metrics exist and every selector matches series, but the functions, joins or set operators return nothing',
    };
  const outcome =
    relaxedResult instanceof Error
      ? `Prometheus rejects it (${relaxedResult.message})`
      : 'it returns nothing: the functions or joins drop everything';
  return {
    quiet: false,
    why: `its selectors match series, but even without its event filters (${describeRelaxed(relaxed)}) ${outcome}`,
  };
}

function describeRelaxed(r: RelaxedQuery): string {
  const parts: string[] = [];
  const byEvent = new Map<string, string[]>();
  for (const { matcher, event } of r.events) byEvent.set(event, [...(byEvent.get(event) ?? []), matcher]);
  for (const [event, ms] of byEvent) parts.push(`no series match ${[...new Set(ms)].join(', ')} until ${event}`);
  if (r.filters.length)
    parts.push(
      `the filter${r.filters.length > 1 ? 's' : ''} ${r.filters.join(', ')} keep${r.filters.length > 1 ? '' : 's'} nothing`,
    );
  return parts.join(' and ');
}
