/**
 * redis_exporter 1.45 families (exposed by default, against a single Redis) that our exporter may
 * leave out, each with the reason. Nothing belongs here because it is work: only what means
 * nothing for a single Redis watched by our exporter. The README's compatibility table lists them.
 */
export const ALLOWED_MISSING: ReadonlyMap<string, string> = new Map([
  // INFO's cluster_connections counts Redis Cluster bus links: always 0 on a single Redis, and
  // meaningful only on a cluster node, which this exporter does not watch (the issue lets
  // Cluster-only families go).
  ['redis_cluster_connections', 'Redis Cluster bus links; always 0 on a single Redis'],
  // Duration of redis_exporter's -check-key-groups Lua scan (a non-default flag; 0 without it).
  // Our exporter has no key-group feature, so the family would be a constant 0 that describes
  // nothing it does.
  [
    'redis_last_key_groups_scrape_duration_milliseconds',
    "redis_exporter's -check-key-groups feature (non-default flag, 0 without it); ours has no key groups",
  ],
]);

/**
 * Families about the exporter process rather than Redis (its version, its own scrapes and
 * errors): their name, type and labels must match, their values and label values cannot.
 */
export function describesTheExporter(family: string): boolean {
  return family.startsWith('redis_exporter_') || family === 'redis_target_scrape_request_errors_total';
}
