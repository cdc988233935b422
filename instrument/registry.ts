/** The registry a service exposes on /metrics: its own, with Node's process metrics on it. */
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export interface ServiceRegistryOptions {
  /** prom-client's process and Node.js metrics (CPU, memory, event loop lag): on by default. */
  defaultMetrics?: boolean;
}

/** A fresh registry (never the global one), with the default process/Node metrics unless turned off. */
export function serviceRegistry(opts: ServiceRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (opts.defaultMetrics === false) return registry;
  collectDefaultMetrics({ register: registry });
  // prom-client exposes a few gauges named *_total (active handles/requests/resources), which
  // `promtool check metrics` rejects; they duplicate nothing the dashboards use, so drop them.
  for (const m of registry.getMetricsAsArray()) {
    if (m.name.endsWith('_total') && !(m instanceof Counter)) registry.removeSingleMetric(m.name);
  }
  return registry;
}
