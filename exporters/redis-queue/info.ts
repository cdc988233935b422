/**
 * Redis health from one INFO reply, under the names oliver006/redis_exporter uses, so dashboards
 * written for it keep working.
 */
import type { Counter, Gauge, Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { clearMetric, createMetric, setCounter } from 'voting-mixin/instrument';

/** `field:value` lines of an INFO reply (section headers and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  // RESP3 sends INFO as a verbatim string; some clients keep its "txt:" format prefix.
  const body = text.startsWith('txt:') ? text.slice(4) : text;
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1).trimEnd());
  }
  return out;
}

const GAUGE_FIELDS = [
  ['uptime_in_seconds', metrics.redisUptimeInSeconds],
  ['used_memory', metrics.redisMemoryUsedBytes],
  ['maxmemory', metrics.redisMemoryMaxBytes],
  ['used_memory_rss', metrics.redisMemoryUsedRssBytes],
  ['mem_fragmentation_ratio', metrics.redisMemFragmentationRatio],
  ['connected_clients', metrics.redisConnectedClients],
  ['blocked_clients', metrics.redisBlockedClients],
  ['maxclients', metrics.redisConfigMaxclients],
  ['connected_slaves', metrics.redisConnectedSlaves],
] as const;

const COUNTER_FIELDS = [
  ['total_commands_processed', metrics.redisCommandsProcessedTotal],
  ['keyspace_hits', metrics.redisKeyspaceHitsTotal],
  ['keyspace_misses', metrics.redisKeyspaceMissesTotal],
  ['evicted_keys', metrics.redisEvictedKeysTotal],
  ['expired_keys', metrics.redisExpiredKeysTotal],
  ['rejected_connections', metrics.redisRejectedConnectionsTotal],
] as const;

/** The INFO-derived metrics of one Redis target. */
export class InfoMetrics {
  private readonly gauges: Array<[string, Gauge<string>]>;
  private readonly counters: Array<[string, Counter<string>]>;
  private readonly instance: Gauge<'redis_version' | 'role' | 'redis_mode'>;

  /** `collect` runs at scrape time before the metrics are read (it joins the shared collection). */
  constructor(registry: Registry, collect: () => Promise<void>) {
    const opts = { collect };
    this.gauges = GAUGE_FIELDS.map(([f, d]) => [f, createMetric(d, registry, opts)]);
    this.counters = COUNTER_FIELDS.map(([f, d]) => [f, createMetric(d, registry, opts)]);
    this.instance = createMetric(metrics.redisInstanceInfo, registry, opts);
  }

  /** Writes the values of one INFO reply; a field Redis does not report leaves no series. */
  apply(info: Map<string, string>): void {
    for (const [field, g] of this.gauges) {
      const v = Number(info.get(field));
      if (info.has(field) && Number.isFinite(v)) g.set(v);
      else clearMetric(g);
    }
    for (const [field, c] of this.counters) {
      const v = Number(info.get(field));
      if (info.has(field) && Number.isFinite(v)) setCounter(c, v);
      else clearMetric(c);
    }
    this.instance.reset();
    this.instance.set(
      {
        redis_version: info.get('redis_version') ?? '',
        role: info.get('role') ?? '',
        redis_mode: info.get('redis_mode') ?? '',
      },
      1,
    );
  }

  /** Redis unreachable: no stale health figures, only redis_up 0 (as redis_exporter does). */
  clear(): void {
    for (const [, g] of this.gauges) clearMetric(g);
    for (const [, c] of this.counters) clearMetric(c);
    this.instance.reset();
  }
}
