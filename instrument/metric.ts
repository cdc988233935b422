/**
 * Catalog entry → prom-client metric on a registry the caller owns (never prom-client's global
 * one). Name, help, labels and buckets come from config/metrics.ts, so what a service exposes is
 * exactly what the dashboards and alerts query.
 */
import { Counter, Gauge, Histogram, type Registry, Summary } from 'prom-client';
import {
  type CatalogMetric,
  type CatalogMetricName,
  type CatalogMetricNamed,
  type MetricType,
  metrics,
} from '../config/metrics.js';

/** The prom-client class for a catalog type; info metrics are gauges fixed at 1, as redis_exporter's. */
export type PromMetric<T extends MetricType, L extends string> = T extends 'counter'
  ? Counter<L>
  : T extends 'histogram'
    ? Histogram<L>
    : T extends 'summary'
      ? Summary<L>
      : Gauge<L>;

export interface MetricOptions<M> {
  /**
   * Read at scrape time, before the metric's values are serialised (prom-client calls it with
   * the metric as `this`: write it as a `function`). May return a promise to wait on.
   */
  collect?: (this: M) => void | Promise<void>;
}

/** The catalog's entries by identity: a JavaScript caller without types is held to the catalog too. */
const CATALOG: ReadonlySet<unknown> = new Set(Object.values(metrics));

/**
 * Creates the metric for a catalog entry and registers it on `registry`.
 * @example const votes = createMetric(metrics.votesTotal, registry); votes.inc({ option: 'cats' });
 * @throws Error when `def` is not an entry of the catalog (a hand-written definition).
 */
export function createMetric<N extends string, T extends MetricType, L extends string>(
  def: CatalogMetric<N, T, L>,
  registry: Registry,
  opts: MetricOptions<PromMetric<T, L>> = {},
): PromMetric<T, L> {
  if (!CATALOG.has(def)) {
    throw new Error(
      `Metric "${String((def as { name?: unknown })?.name)}" is not an entry of the voting-mixin catalog: pass metrics.<name> from 'voting-mixin/config'`,
    );
  }
  if (def.sources.some((s) => s === 'prometheus' || s === 'recording')) {
    // `up`, `ALERTS`, scrape_* come from Prometheus itself; a service exposing them would lie.
    throw new Error(`Metric "${def.name}" is written by Prometheus, not by a service: it cannot be instrumented`);
  }
  const base = {
    name: def.name,
    help: def.help,
    labelNames: [...def.labels],
    registers: [registry],
    ...(opts.collect ? { collect: opts.collect as never } : {}),
  };
  switch (def.type) {
    case 'counter':
      return new Counter<L>(base) as PromMetric<T, L>;
    case 'histogram':
      if (!def.buckets) throw new Error(`Histogram ${def.name} has no buckets in config/metrics.ts`);
      return new Histogram<L>({ ...base, buckets: [...def.buckets] }) as PromMetric<T, L>;
    case 'summary':
      // Sum and count only, as redis_exporter's: quantiles over a sliding window cannot be aggregated.
      return new Summary<L>({ ...base, percentiles: [] }) as PromMetric<T, L>;
    default:
      return new Gauge<L>(base) as PromMetric<T, L>;
  }
}

/**
 * The metric for `def` on `registry`, created on first use and shared after: the helpers
 * (`queueProducerMetrics`, `httpMetrics`, ...) may then be called once per queue or per app on one
 * registry, where creating it twice would throw.
 */
export function sharedMetric<N extends string, T extends MetricType, L extends string>(
  def: CatalogMetric<N, T, L>,
  registry: Registry,
): PromMetric<T, L> {
  return (registry.getSingleMetric(def.name) as PromMetric<T, L> | undefined) ?? createMetric(def, registry);
}

/**
 * The same by name: `metricByName('votes_total', registry)`. Only catalog names compile.
 * @throws Error when the name is not in the catalog (a JavaScript caller without types).
 */
export function metricByName<N extends CatalogMetricName>(
  name: N,
  registry: Registry,
  opts: MetricOptions<PromMetricOf<CatalogMetricNamed<N>>> = {},
): PromMetricOf<CatalogMetricNamed<N>> {
  const def = Object.values(metrics).find((m) => m.name === name);
  if (!def) throw new Error(`Unknown metric "${name}": it is not in the voting-mixin catalog (config/metrics.ts)`);
  return createMetric(def as CatalogMetric, registry, opts as never) as PromMetricOf<CatalogMetricNamed<N>>;
}

type PromMetricOf<D> = D extends CatalogMetric<string, infer T, infer L> ? PromMetric<T, L> : never;

/** Drops every series of a metric, including the unlabelled 0 prom-client keeps after reset(). */
export function clearMetric(m: Gauge<string> | Counter<string>): void {
  m.reset();
  if ((m as unknown as { labelNames: string[] }).labelNames.length === 0) (m as Gauge<string>).remove();
}

/** Sets a counter to an absolute value read from elsewhere (Redis INFO reports totals, not deltas). */
export function setCounter(c: Counter<string>, value: number): void {
  c.reset();
  if (value > 0) c.inc(value);
}
