/**
 * What a metric catalog entry is (types and `def`), apart from the entries themselves so that the
 * catalog can span files (config/metrics.ts, config/metrics-redis.ts) without an import cycle.
 * config/metrics.ts re-exports all of it: import from there or from 'voting-mixin/config'.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'info';

/** Grafana unit ids (the panel `unit` field) — a closed set so dashboards cannot invent one. */
export type Unit =
  | 'short'
  | 'none'
  | 's'
  | 'ms'
  | 'bytes'
  | 'percentunit'
  | 'reqps'
  | 'ops'
  | 'dateTimeAsIso'
  | 'bool'
  | 'µs'
  // Bytes per second: the rate of a bytes counter (network traffic).
  | 'Bps';

/** Which process exposes the metric — used by `verify` and by the dashboards' job variables. */
export type MetricSource =
  | 'vote'
  | 'result'
  | 'worker'
  | 'exporter'
  // postgres_exporter (prometheus-community), scraped as the `postgres` component.
  | 'postgres'
  // cAdvisor: container metrics under Docker Compose only (its series exist only where it runs).
  | 'cadvisor'
  | 'process'
  | 'prometheus'
  | 'recording';

export interface MetricDef<N extends string = string, T extends MetricType = MetricType, L extends string = string> {
  readonly name: N;
  readonly type: T;
  readonly help: string;
  /** Labels the instrumentation sets. `job` and `instance` are added by Prometheus and always allowed. */
  readonly labels: readonly L[];
  readonly unit: Unit;
  /** Histogram buckets in the metric's base unit. */
  readonly buckets?: readonly number[];
  /** Processes that expose it (`process` metrics are exposed by every Node service). */
  readonly sources: readonly MetricSource[];
  /**
   * Set when only some set-ups expose the metric, saying which: `verify` then reports its absence
   * as info rather than an error (a list-only deployment has no stream consumer groups).
   */
  readonly onlyWhen?: string;
  /**
   * Series that exist only once something has happened, so a healthy system lacks them: `labels`
   * are the labels whose values appear with the event (a 5xx `status` before the first 5xx: the
   * instrumentation cannot pre-create a status it has not seen); `wholeMetric`: the metric has no
   * series at all before it (ALERTS before any alert is pending). `verify` reads it to call an
   * empty query quiet rather than a finding, and only when the query, without these matchers,
   * has data. Every other label value is pre-created by `voting-mixin/instrument`, so its absence
   * stays a finding.
   */
  readonly absentUntil?: { readonly event: string; readonly labels: readonly L[]; readonly wholeMetric?: boolean };
}

declare const catalogEntry: unique symbol;

/**
 * A metric definition that comes from this catalog. Only `def()` makes one, so instrumentation
 * (`voting-mixin/instrument`) accepts catalog entries and rejects a hand-written definition at
 * compile time: a service cannot expose a name or label the dashboards do not know.
 */
export type CatalogMetric<
  N extends string = string,
  T extends MetricType = MetricType,
  L extends string = string,
> = MetricDef<N, T, L> & { readonly [catalogEntry]: true };

/** Keeps the literal types of a catalog entry (name, type and labels) for the query helpers. */
export function def<const N extends string, const T extends MetricType, const L extends string = never>(
  d: MetricDef<N, T, L>,
): CatalogMetric<N, T, L> {
  // Frozen, arrays too: a JavaScript caller cannot rename an entry or add a label to it.
  return Object.freeze({
    ...d,
    labels: Object.freeze([...d.labels]),
    sources: Object.freeze([...d.sources]),
    ...(d.buckets ? { buckets: Object.freeze([...d.buckets]) } : {}),
  }) as CatalogMetric<N, T, L>;
}
