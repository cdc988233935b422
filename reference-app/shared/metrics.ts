/**
 * Turns catalog entries (config/metrics.ts) into prom-client metrics on an injected Registry, so
 * the names, help, labels and buckets the dashboards query are exactly the ones exposed.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricDef } from '../../config/metrics.js';

type Instrument<T extends string, L extends string> = T extends 'counter'
  ? Counter<L>
  : T extends 'histogram'
    ? Histogram<L>
    : Gauge<L>;

/** Options a caller may add to the catalog entry, e.g. a scrape-time `collect` for gauges. */
export interface InstrumentOptions {
  collect?: (this: Gauge) => void | Promise<void>;
}

/** `instrument(metrics.votesTotal, registry)` → a Counter<'option'> registered on `registry`. */
export function instrument<const T extends MetricDef['type'], const L extends string>(
  def: MetricDef<string, T, L>,
  registry: Registry,
  opts: InstrumentOptions = {},
): Instrument<T, L> {
  const base = { name: def.name, help: def.help, labelNames: [...def.labels] as L[], registers: [registry] };
  switch (def.type) {
    case 'counter':
      return new Counter<L>(base) as Instrument<T, L>;
    case 'histogram':
      if (!def.buckets) throw new Error(`Histogram ${def.name} has no buckets in config/metrics.ts`);
      return new Histogram<L>({ ...base, buckets: [...def.buckets] }) as Instrument<T, L>;
    case 'gauge':
      return new Gauge<L>(opts.collect ? { ...base, collect: opts.collect } : base) as Instrument<T, L>;
    default:
      throw new Error(`Metric ${def.name} has type ${def.type}, which the reference app does not instrument`);
  }
}

/** A fresh registry with prom-client's default process/Node metrics on it (never the global one). */
export function serviceRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client exposes a few gauges named *_total (active handles/requests/resources), which
  // `promtool check metrics` rejects; they duplicate nothing the dashboards use, so drop them.
  for (const m of registry.getMetricsAsArray()) {
    if (m.name.endsWith('_total') && !(m instanceof Counter)) registry.removeSingleMetric(m.name);
  }
  return registry;
}
