/**
 * Turns a catalog entry into a prom-client metric on an injected Registry, so the exporter never
 * writes a metric name or help text of its own (config/ stays free of prom-client).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricDef, MetricType } from '../../config/metrics.js';

/** Info metrics are gauges fixed at 1 in the exposition format (as redis_exporter does). */
export type PromMetricFor<T extends MetricType, L extends string> = T extends 'counter' ? Counter<L> : Gauge<L>;

/** Called at scrape time before the metric's values are read; may return a promise to wait on. */
export type Collect = () => void | Promise<void>;

/**
 * Creates and registers the prom-client metric for `d`.
 * @example const up = metricFrom(metrics.redisUp, registry, () => collector.join());
 */
export function metricFrom<N extends string, T extends Exclude<MetricType, 'histogram'>, L extends string>(
  d: MetricDef<N, T, L>,
  registry: Registry,
  collect?: Collect,
): PromMetricFor<T, L> {
  const config = {
    name: d.name,
    help: d.help,
    labelNames: d.labels,
    registers: [registry],
    // prom-client calls collect with the metric as `this`; ours only awaits the shared collection.
    ...(collect
      ? {
          collect: function collectShared() {
            return collect();
          },
        }
      : {}),
  };
  return (d.type === 'counter' ? new Counter<L>(config) : new Gauge<L>(config)) as PromMetricFor<T, L>;
}

/** Drops every series of a metric, including the unlabelled 0 prom-client keeps after reset(). */
export function clearMetric(m: Gauge<string> | Counter<string>): void {
  m.reset();
  if ((m as unknown as { labelNames: string[] }).labelNames.length === 0) (m as Gauge<string>).remove();
}

/** Sets a counter to an absolute value read from Redis (INFO reports totals, not deltas). */
export function setCounter(c: Counter<string>, value: number): void {
  c.reset();
  if (value > 0) c.inc(value);
}
