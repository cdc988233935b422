/**
 * A gauge family with one series per Redis key (redis_queue_length, the oldest-item age), for the
 * tens of thousands of series a scrape rewrites from scratch. It stands in for a prom-client Gauge
 * on the registry (same `get()`, `reset()`, `set(labels, value)`, so `registry.metrics()` and the
 * catalog's names are unchanged) but is built for that churn:
 *
 * prom-client's `Gauge.set` validates the labels and hashes them with `Object.keys(labels).sort()`
 * on every call, and keeps the series in a plain object turned dictionary: at 10,000 keys that was
 * ~20 MB of garbage and ~40 ms of CPU per scrape, most of what grew the heap. Here a series is
 * found by its label values joined in the catalog's label order, kept in a Map, and
 * `writeExposition` formats the rows straight from it (`lines`), with no `{labels, value}` copies.
 */
import type { Registry } from 'prom-client';
import type { CatalogMetric } from 'voting-mixin/config';

export interface Row<L extends string> {
  labels: Record<L, string>;
  value: number;
}

export class SeriesTable<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'gauge' as const;
  readonly aggregator = 'sum' as const;
  readonly labelNames: readonly L[];
  private rows = new Map<string, Row<L>>();

  /** `collect` runs at scrape time before the rows are read (it joins the shared collection). */
  constructor(
    def: CatalogMetric<string, 'gauge', L>,
    registry: Registry,
    private readonly collect?: () => Promise<void>,
  ) {
    this.name = def.name;
    this.help = def.help;
    this.labelNames = def.labels;
    registry.registerMetric(this as never);
  }

  /** Sets the series of `labels` (every label of the catalog entry) to `value`. */
  set(labels: Record<L, string>, value: number): void {
    let id = '';
    for (const l of this.labelNames) id += `${labels[l]}\u0000`;
    const row = this.rows.get(id);
    if (row) row.value = value;
    else this.rows.set(id, { labels, value });
  }

  /** Drops every series. */
  reset(): void {
    this.rows = new Map();
  }

  /** Runs the scrape-time collection; then `series()` holds what it wrote. */
  async ready(): Promise<void> {
    await this.collect?.();
  }

  /** As prom-client's metrics: collects, then hands out copies of the series (for registry.metrics(), tests). */
  async get(): Promise<{ name: string; help: string; type: 'gauge'; values: Row<L>[]; aggregator: 'sum' }> {
    await this.ready();
    const values = [...this.rows.values()].map((r) => ({ labels: { ...r.labels }, value: r.value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The series as stored, in the order they were first set (read after `ready()` resolved). */
  series(): IterableIterator<Row<L>> {
    return this.rows.values();
  }
}
