/**
 * One load run: `users` closed-loop users (one keep-alive connection each, spread over the vote
 * instances) POST /vote back to back for `seconds`, through autocannon. Every answer's latency is
 * kept for exact percentiles, and every failure is sorted by kind — HTTP status, timeout,
 * connection error code — because "12 errors" says nothing about whether the service refused
 * votes (503), the network dropped connections (ECONNRESET) or the load generator gave up waiting.
 * No body carries a voter id: the vote service takes it from its signed cookie only, and a
 * cookieless vote is a new voter.
 */
import autocannon from 'autocannon';
import { percentile } from '../bench/lib/stats.js';

export interface LoadOptions {
  urls: readonly string[];
  users: number;
  seconds: number;
  options: readonly string[];
  /** A request unanswered after this many seconds counts as a timeout (its connection is reopened). */
  timeoutSeconds: number;
  /** Called once a second while the load runs. */
  onSecond?: (p: Progress) => void;
}

export interface Progress {
  elapsed: number;
  /** Accepted votes (2xx) in the last second. */
  votesPerSecond: number;
  /** Failures (non-2xx, timeouts, connection errors) so far. */
  errors: number;
}

export interface LoadSummary {
  seconds: number;
  users: number;
  /** Answers of any status, plus requests that got none (timeouts, connection errors). */
  attempts: number;
  /** 2xx answers: votes the service accepted. */
  accepted: number;
  /** Failures by kind: `HTTP 503`, `timeout`, `ECONNREFUSED`… */
  errors: Record<string, number>;
  errorCount: number;
  /** Latency of every answer (any status), ms. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** `[{option: cats}, {option: dogs}]` as one request each: every user cycles through the options. */
const requestsFor = (options: readonly string[]) =>
  options.map((option) => ({
    method: 'POST' as const,
    path: '/vote',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ option }),
  }));

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  let lat = new Float64Array(1 << 16);
  let n = 0;
  let accepted = 0;
  let acceptedAtLastTick = 0;
  let errorCount = 0;
  let unanswered = 0;
  const errors: Record<string, number> = {};
  const count = (kind: string): void => {
    errors[kind] = (errors[kind] ?? 0) + 1;
    errorCount++;
  };
  const started = performance.now();
  await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        // autocannon spreads connections round-robin over an array of URLs (paths come from `requests`).
        url: o.urls as unknown as string,
        connections: o.users,
        duration: o.seconds,
        timeout: o.timeoutSeconds,
        requests: requestsFor(o.options),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_c: unknown, status: number, _bytes: number, ms: number) => {
      if (n === lat.length) {
        const bigger = new Float64Array(lat.length * 2);
        bigger.set(lat);
        lat = bigger;
      }
      lat[n++] = ms;
      if (status >= 200 && status < 300) accepted++;
      else count(`HTTP ${status}`);
    });
    instance.on('reqError', (err: NodeJS.ErrnoException) => {
      unanswered++;
      count(err.message === 'request timed out' ? 'timeout' : (err.code ?? err.message));
    });
    let lastElapsed = 0;
    instance.on('tick', () => {
      const elapsed = Math.round((performance.now() - started) / 1000);
      // autocannon ticks once more when it stops: that partial second is no progress line.
      if (elapsed === lastElapsed || elapsed > o.seconds) return;
      lastElapsed = elapsed;
      o.onSecond?.({
        elapsed,
        votesPerSecond: accepted - acceptedAtLastTick,
        errors: errorCount,
      });
      acceptedAtLastTick = accepted;
    });
  });
  const sorted = lat.subarray(0, n).sort();
  return {
    seconds: o.seconds,
    users: o.users,
    attempts: n + unanswered,
    accepted,
    errors,
    errorCount,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1]! : Number.NaN,
  };
}
