/**
 * `verify`: every dashboard query and rule expression run against a live Prometheus.
 *
 * - a query that errors → `verify/query-error`;
 * - a panel target (or recording rule) with no series, neither now nor over the look-back window
 *   → `verify/empty-panel` (`verify/empty-rule`), naming the metrics that have no series at all;
 *   alerting rules may rightly return nothing (they are quiet), so only their errors count;
 * - a metric a query uses that Prometheus has not seen in the window → `verify/unknown-metric`;
 * - a catalog metric that no target exposes → `verify/unscraped-metric`.
 */
import { parse as parseYaml } from 'yaml';
import { allMetrics, seriesNames } from '../../config/metrics.js';
import { durationSeconds, formatDuration } from '../../config/promql.js';
import type { Finding } from '../finding.js';
import { metricNames } from '../promql.js';
import { type DashboardDoc, dashboardQueries, type LiveQuery, ruleQueries, type Skipped } from './collect.js';
import { type Builtins, expandTemplate, type VariableValues } from './expand.js';
import { type PrometheusApi, PrometheusApiError } from './prometheus-api.js';
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
  scrapeIntervalSeconds: number;
  rateInterval: string;
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
  let emptyPanels = 0;
  let errors = 0;
  let done = 0;

  await pool(queries, opts.concurrency ?? 4, async (q) => {
    const at = { file: q.file, context: q.context, path: q.path };
    try {
      let r = await api.instant(q.expanded, now);
      if (r.series === 0 && q.kind !== 'alert') r = await api.range(q.expanded, window.start, window.end, step);
      if (r.series === 0 && q.kind !== 'alert') {
        emptyPanels++;
        const missing = metricNames(q.expanded).filter((m) => !known.has(m));
        const why = missing.length
          ? ` (no series at all for ${missing.join(', ')})`
          : ' (its metrics exist, but no series match the selectors and functions)';
        findings.push({
          ...at,
          id: q.kind === 'panel' ? 'verify/empty-panel' : 'verify/empty-rule',
          severity: 'error',
          message: `${q.kind === 'panel' ? 'empty panel' : 'recording rule returns nothing'}: no series now or in the last ${formatDuration(opts.lookbackSeconds)}${why}: ${q.expanded}`,
        });
      }
    } catch (e) {
      if (e instanceof PrometheusApiError && e.errorType === 'network') throw e;
      errors++;
      findings.push({
        ...at,
        id: 'verify/query-error',
        severity: 'error',
        message: `Prometheus rejected the query: ${(e as Error).message}: ${q.expanded}`,
      });
    }
    if (++done % 25 === 0) progress(`verify: ${done}/${queries.length} queries run`);
  });

  const firstUse = new Map<string, LiveQuery>();
  for (const q of queries) for (const m of metricNames(q.expanded)) if (!firstUse.has(m)) firstUse.set(m, q);
  let unknownMetrics = 0;
  for (const [m, q] of [...firstUse].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (known.has(m)) continue;
    unknownMetrics++;
    findings.push({
      id: 'verify/unknown-metric',
      severity: 'error',
      file: q.file,
      context: q.context,
      path: q.path,
      message: `metric ${m} is used by queries but Prometheus has no series for it in the last ${formatDuration(opts.lookbackSeconds)}`,
    });
  }
  if (opts.catalog) {
    for (const m of allMetrics) {
      if (m.sources.every((s) => s === 'recording')) continue;
      const absent = seriesNames(m).filter((s) => !known.has(s));
      if (absent.length) {
        findings.push({
          id: 'verify/unscraped-metric',
          // A metric only some set-ups expose is worth knowing about, not a failure.
          severity: m.onlyWhen ? 'info' : 'error',
          context: `catalog metric ${m.name} (${m.sources.join(', ')})`,
          message: `no target exposes ${absent.join(', ')} (seen in no scrape in the last ${formatDuration(opts.lookbackSeconds)})${m.onlyWhen ? `; expected only when ${m.onlyWhen}` : ''}`,
        });
      }
    }
  }
  // Queries run concurrently: sort for stable output.
  findings.sort((a, b) =>
    `${a.file ?? ''}\0${a.context ?? ''}\0${a.id}`.localeCompare(`${b.file ?? ''}\0${b.context ?? ''}\0${b.id}`),
  );
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
      scrapeIntervalSeconds: scrape,
      rateInterval,
    },
  };
}
