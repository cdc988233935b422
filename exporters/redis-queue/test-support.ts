/**
 * What the exporter's collector tests share: one scrape read back as series by metric name, a
 * queue config, a queue item with its enqueue time, and the collector options the tests start
 * from. Tests only: tsconfig.json leaves it out of the build.
 */
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { type CollectorOptions, QueueCollector } from './collector.js';

export type Series = { labels: Record<string, string | number>; value: number };
export type Scrape = Map<string, Series[]>;

/** One scrape (one collection): every series by metric name. */
export async function scrape(registry: Registry): Promise<Scrape> {
  const out: Scrape = new Map();
  for (const m of await registry.getMetricsAsJSON())
    out.set(
      m.name,
      (m.values as Series[]).map((v) => ({ labels: v.labels, value: v.value })),
    );
  return out;
}

/** The value of the first series of `name` carrying `labels`. */
export function one(s: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  return s.get(name)?.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

/** The queues that have any series of `name`, sorted. */
export function queuesOf(s: Scrape, name: string): string[] {
  return [...new Set((s.get(name) ?? []).map((v) => String(v.labels.queue)))].sort();
}

export const queue = (name: string, key: string, extra: Partial<QueueConfig> = {}): QueueConfig => ({
  ...queueDefaults,
  name,
  key,
  ...extra,
});

/** A queue item as producers write it: JSON with its enqueue time `ts` (ms). */
export const queueItem = (ts: number): string => JSON.stringify({ id: String(ts), ts });

/** Collector options of the tests: small pipelines, a 5 s deadline, the type cache on. */
export const testOptions = (queues: QueueConfig[], extra: Partial<CollectorOptions> = {}): CollectorOptions => ({
  queues,
  pipelineSize: 100,
  scanCount: 100,
  timeoutMs: 5000,
  typeCache: true,
  secrets: [],
  ...extra,
});

/**
 * A collector on `client` over a registry of its own, its warnings recorded as [fields, message]
 * (what the exporter would log), with the test options and `extra`.
 */
export function startCollector(
  client: Redis,
  queues: QueueConfig[],
  extra: Partial<CollectorOptions> = {},
): { registry: Registry; warnings: Array<[object, string]> } {
  const registry = new Registry();
  const warnings: Array<[object, string]> = [];
  const logger = { warn: (o: object, m: string) => warnings.push([o, m]), debug: () => undefined };
  new QueueCollector(client, registry, testOptions(queues, { logger, ...extra }));
  return { registry, warnings };
}
