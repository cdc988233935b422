/**
 * One metric family rebuilt from Redis replies at every collection, registered in the prom-client
 * registry as is (prom-client and exposition.ts read any object with `get()`).
 *
 * Why not prom-client Gauges: redis_exporter's families are ~130, a third of them labelled by
 * command, db or replica, and one is a summary whose quantiles Redis computes; a Gauge hashes
 * every label set and keeps it until reset, a Summary computes its own quantiles. Here a
 * collection hands out a new array of samples per family (the previous one may still be being
 * written to a slow client), and a series Redis stops reporting is gone at the next collection.
 */
import type { Registry } from 'prom-client';
import type { CatalogMetric, MetricType } from 'voting-mixin/config';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly value: number;
  readonly labels: Labels;
  /** `_sum` / `_count` series of a summary. */
  readonly metricName?: string;
}

const NO_LABELS: Labels = Object.freeze({});
const NONE: readonly Sample[] = Object.freeze([]);

export class Family<L extends string = string> {
  readonly name: string;
  readonly help: string;
  /** Exposition type: a catalog `info` entry is a gauge of 1, as redis_exporter writes it. */
  readonly type: string;
  private values: readonly Sample[] = NONE;
  private next: Sample[] = [];

  constructor(
    def: CatalogMetric<string, MetricType, L>,
    registry: Registry,
    private readonly collect: () => Promise<void>,
  ) {
    this.name = def.name;
    this.help = def.help;
    this.type = def.type === 'info' ? 'gauge' : def.type;
    registry.registerMetric(this as never);
  }

  /** An unlabelled family's one value. */
  set(value: number): void {
    this.add(value, NO_LABELS as Record<L, string>);
  }

  add(value: number, labels: Readonly<Record<L, string>>): void {
    this.next.push({ value, labels });
  }

  /** One summary series: quantiles (as Redis reports them), sum and count. */
  addSummary(
    quantiles: ReadonlyArray<readonly [q: string, v: number]>,
    sum: number,
    count: number,
    labels: Labels,
  ): void {
    const out = this.next;
    for (const [quantile, value] of quantiles) out.push({ value, labels: { ...labels, quantile } });
    out.push({ value: sum, labels, metricName: `${this.name}_sum` });
    out.push({ value: count, labels, metricName: `${this.name}_count` });
  }

  /** Makes what was added since the last publish the family's series (none if nothing was). */
  publish(): void {
    this.values = this.next.length > 0 ? this.next : NONE;
    this.next = this.values === NONE ? this.next : [];
  }

  /** No series (Redis did not answer). */
  clear(): void {
    this.values = NONE;
    this.next.length = 0;
  }

  /** Read by the registry at scrape time, after the shared collection. */
  async get(): Promise<{ name: string; help: string; type: string; values: readonly Sample[]; aggregator: 'sum' }> {
    await this.collect();
    return { name: this.name, help: this.help, type: this.type, values: this.values, aggregator: 'sum' };
  }
}
