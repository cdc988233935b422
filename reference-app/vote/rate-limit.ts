/**
 * Per-client token buckets for POST /vote, in memory: `rate` votes per second on average, bursts
 * of `burst`. Keyed by the signed voter id (a voter cannot flood) or, for cookieless votes (each a
 * new voter), by client address (one address cannot mint voters without end). Per instance: N
 * instances behind a balancer allow up to N times the rate, which is what a guard against floods
 * needs, not an exact quota.
 *
 * The map is bounded: at `maxKeys` the oldest-created bucket goes, so memory stays flat under a
 * stream of new keys; an evicted key starts again with a full bucket. No allocation on the path of
 * a key already seen.
 */

interface Bucket {
  tokens: number;
  /** ms of the last refill. */
  at: number;
}

export interface RateLimiter {
  /** Takes one token for `key`: 0 when allowed, else the whole seconds until one is available. */
  take(key: string, nowMs: number): number;
  readonly size: number;
}

export function tokenBuckets(rate: number, burst: number, maxKeys = 50_000): RateLimiter {
  if (!(rate > 0) || !(burst >= 1))
    throw new Error(`tokenBuckets needs rate > 0 and burst >= 1, got ${rate}, ${burst}`);
  const perMs = rate / 1000;
  const buckets = new Map<string, Bucket>();
  return {
    take(key, nowMs) {
      const b = buckets.get(key);
      if (b === undefined) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        buckets.set(key, { tokens: burst - 1, at: nowMs });
        return 0;
      }
      b.tokens = Math.min(burst, b.tokens + (nowMs - b.at) * perMs);
      b.at = nowMs;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / rate));
    },
    get size() {
      return buckets.size;
    },
  };
}
