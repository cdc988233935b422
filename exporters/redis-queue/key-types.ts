/**
 * Key types remembered between scrapes. A key's type rarely changes, so TYPE runs once per key
 * rather than once per key and scrape; a WRONGTYPE reply (the key was replaced by one of another
 * type) drops the entry (and has the key typed again in the same collection), and keys that are
 * gone are forgotten. Only the types a queue lives in
 * (DATA_TYPES) are trusted between scrapes: a key of any other type (a string, say) gets no read
 * that could answer WRONGTYPE, so it is probed again every scrape and seen when it becomes a queue.
 */
import { DATA_TYPES } from './queue-types.js';

export class KeyTypes {
  private readonly types = new Map<string, string>();
  /** Last type seen for each plain key, so a deleted queue keeps its `type` label at 0. */
  private readonly lastPlain = new Map<string, string>();

  /** `enabled` false (`--no-type-cache`): TYPE runs on every key every scrape. */
  constructor(readonly enabled: boolean) {}

  /** The cached type of a key found by SCAN (never when the cache is off). */
  cached(key: string): string | undefined {
    if (!this.enabled) return undefined;
    const type = this.types.get(key);
    return type !== undefined && DATA_TYPES.has(type) ? type : undefined;
  }

  /** Whether a plain key can skip its TYPE probe. */
  known(key: string): boolean {
    return this.cached(key) !== undefined;
  }

  /** The type of a plain key: this scrape's probe, else the last one, else the last type it was read as. */
  plainType(key: string): string | undefined {
    return this.types.get(key) ?? this.lastPlain.get(key);
  }

  set(key: string, type: string): void {
    this.types.set(key, type);
  }

  /** A plain key was read as `type`. */
  readPlain(key: string, type: string): void {
    this.lastPlain.set(key, type);
  }

  /** The key changed type since we cached it: look again (collector.ts re-types an auto-typed queue key at once). */
  forget(key: string): void {
    this.types.delete(key);
    this.lastPlain.delete(key);
  }

  /** Forget types of keys that are gone, so the cache does not grow with churned key names. */
  prune(seen: ReadonlySet<string>): void {
    if (this.types.size > seen.size) for (const k of this.types.keys()) if (!seen.has(k)) this.types.delete(k);
  }
}
