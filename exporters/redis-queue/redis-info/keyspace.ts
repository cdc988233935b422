/**
 * INFO keyspace as redis_exporter 1.45 writes it: keys and keys with a TTL per database, 0 for
 * every database up to `databases` that holds none (so a db emptied reads 0, not a gap), and the
 * average TTL only for databases that hold keys.
 */
import type { Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { Family } from './family.js';
import { keyValues, type ParsedInfo } from './parse.js';

/** Redis's default, used when CONFIG GET databases is refused (as redis_exporter does). */
export const DEFAULT_DATABASES = 16;

export class Keyspace {
  private readonly keys: Family<'db'>;
  private readonly expiring: Family<'db'>;
  private readonly avgTtl: Family<'db'>;
  /** `db0`…`db15`, made once. */
  private dbNames: string[] = [];

  constructor(registry: Registry, collect: () => Promise<void>) {
    this.keys = new Family(metrics.redisDbKeys, registry, collect);
    this.expiring = new Family(metrics.redisDbKeysExpiring, registry, collect);
    this.avgTtl = new Family(metrics.redisDbAvgTtlSeconds, registry, collect);
  }

  get families(): readonly Family[] {
    return [this.keys, this.expiring, this.avgTtl];
  }

  apply(info: ParsedInfo, databases: number): void {
    const seen = new Set<string>();
    for (const [db, text] of info.keyspace) {
      if (!db.startsWith('db')) continue;
      const kv = keyValues(text);
      const keys = Number(kv.get('keys'));
      const expires = Number(kv.get('expires'));
      if (!kv.has('keys') || !kv.has('expires') || !Number.isFinite(keys + expires)) continue;
      const labels = { db };
      this.keys.add(keys, labels);
      this.expiring.add(expires, labels);
      const ttl = Number(kv.get('avg_ttl'));
      if (kv.has('avg_ttl') && Number.isFinite(ttl)) this.avgTtl.add(ttl / 1000, labels);
      seen.add(db);
    }
    for (const db of this.names(databases)) {
      if (seen.has(db)) continue;
      const labels = { db };
      this.keys.add(0, labels);
      this.expiring.add(0, labels);
    }
  }

  private names(databases: number): readonly string[] {
    if (this.dbNames.length !== databases) this.dbNames = Array.from({ length: databases }, (_, i) => `db${i}`);
    return this.dbNames;
  }
}
