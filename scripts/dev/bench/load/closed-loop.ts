/**
 * Closed-loop load with autocannon: each connection sends the next vote when the previous answer
 * arrives (or, with `overallRate`, autocannon's bursty rate mode; see open-loop.ts for why that is
 * not an open loop). Latency of every response is kept for exact percentiles.
 */
import autocannon from 'autocannon';
import { percentile } from '../lib/stats.js';
import type { LoadResult } from './result.js';

/** No cookie and no voter field: the vote service issues a new voter id with every answer. */
export const VOTE_BODY = JSON.stringify({ option: 'cats' });

export async function closedLoop(opts: {
  urls: readonly string[];
  connections: number;
  seconds: number;
  overallRate?: number;
}): Promise<LoadResult> {
  let lat = new Float64Array(1 << 16);
  let n = 0;
  const config = {
    // autocannon spreads connections over an array of URLs (and ignores `path` when given one).
    url: opts.urls.map((u) => `${u}/vote`) as unknown as string,
    connections: opts.connections,
    duration: opts.seconds,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: VOTE_BODY,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  };
  const onResponse = (_c: unknown, _status: number, _bytes: number, ms: number): void => {
    if (n === lat.length) {
      const bigger = new Float64Array(lat.length * 2);
      bigger.set(lat);
      lat = bigger;
    }
    lat[n++] = ms;
  };
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(config, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', onResponse);
  });
  const sorted = lat.subarray(0, n).sort();
  const accepted = r['2xx'];
  return {
    rps: accepted / opts.seconds,
    accepted,
    // autocannon counts a timeout in `errors` too.
    errors: r.errors + r.non2xx,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    latencies: sorted,
  };
}
