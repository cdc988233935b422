/**
 * What the linter knows about metrics: the mixin's catalog and recording rules by default, so an
 * unknown name, a counter used raw, or a recording rule that has no `instance` label can be told apart.
 */
import { allMetrics, type MetricDef, metrics, seriesNames } from '../../config/metrics.js';
import { allRecordings } from '../../config/recordings.js';

export interface MetricCatalog {
  /** The entry a series name belongs to (histogram `_bucket`/`_sum`/`_count` included). */
  lookup(series: string): MetricDef | undefined;
  isCounter(series: string): boolean;
  /** True when the series is known not to carry `label` (recording rules aggregate it away; ALERTS has no target labels of its own). */
  lacksLabel(series: string, label: 'job' | 'instance'): boolean;
}

const COUNTER_SUFFIX = /_(total|bucket|count|sum)$/;
/** Series Prometheus itself writes, without the scraped target's labels. */
const SYNTHETIC_WITHOUT_TARGET = new Set([metrics.alertsFiring.name, `${metrics.alertsFiring.name}_FOR_STATE`]);

/** A catalog over `defs` (default: the mixin's metrics and recording rules) plus extra known names. */
export function metricCatalog(
  defs: readonly MetricDef[] = [...allMetrics, ...allRecordings()],
  extraNames: Iterable<string> = [],
): MetricCatalog {
  const index = new Map<string, MetricDef>();
  for (const d of defs) for (const s of seriesNames(d)) index.set(s, d);
  const extra = new Set(extraNames);
  return {
    lookup: (s) =>
      index.get(s) ??
      (extra.has(s) ? { name: s, type: 'gauge', help: '', labels: [], unit: 'short', sources: [] } : undefined),
    isCounter(s) {
      const d = index.get(s);
      if (d) return d.type === 'counter' || ((d.type === 'histogram' || d.type === 'summary') && s !== d.name);
      return COUNTER_SUFFIX.test(s);
    },
    lacksLabel(s, label) {
      if (SYNTHETIC_WITHOUT_TARGET.has(s)) return true;
      const d = index.get(s);
      return Boolean(d?.sources.includes('recording') && !(d.labels as readonly string[]).includes(label));
    },
  };
}
