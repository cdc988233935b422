/**
 * A gentle load generator for the demo and the end-to-end tests: a steady rate of votes spread
 * over the vote instances, plus page views, result reads (from the result service too, when
 * given: its request panels are empty without readers) and a few invalid votes (so the 4xx
 * panels have data). It remembers the id of every vote that was accepted (202), so a test can
 * check that none was lost.
 */
export interface LoadStats {
  sent: number;
  accepted: number;
  client4xx: number;
  server5xx: number;
  failed: number;
}

export interface LoadGenerator {
  stats: LoadStats;
  /** ids of accepted votes (the queue item id the vote service returned). */
  acceptedIds: Set<string>;
  stop(): Promise<void>;
}

export function startLoad(opts: {
  urls: string[];
  votesPerSecond: number;
  options: string[];
  /** The result service: GET /results every 4th vote (≥ 1/s at the tests' 5 votes/s), its page every 40th. */
  resultUrl?: string;
}): LoadGenerator {
  const stats: LoadStats = { sent: 0, accepted: 0, client4xx: 0, server5xx: 0, failed: 0 };
  const acceptedIds = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  const tally = (status: number) => {
    if (status >= 500) stats.server5xx++;
    else if (status >= 400) stats.client4xx++;
  };
  const request = async (url: string, init?: RequestInit) => {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      tally(res.status);
      return { status: res.status, body };
    } catch {
      stats.failed++;
      return undefined;
    }
  };
  const tick = () => {
    const i = n++;
    const base = opts.urls[i % opts.urls.length]!;
    const p = (async () => {
      if (i % 10 === 3) await request(`${base}/`);
      if (i % 25 === 7) await request(`${base}/results`);
      if (opts.resultUrl !== undefined) {
        if (i % 4 === 1) await request(`${opts.resultUrl}/results`);
        if (i % 40 === 9) await request(`${opts.resultUrl}/`);
      }
      // An unknown option: a 400 the error-ratio panels must count as 4xx, never as 5xx.
      const option = i % 40 === 11 ? 'not-an-option' : opts.options[i % opts.options.length]!;
      stats.sent++;
      // No cookie: the vote service issues a new voter id per vote (it takes none from the body).
      const r = await request(`${base}/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ option }),
      });
      if (r?.status === 202) {
        stats.accepted++;
        try {
          acceptedIds.add((JSON.parse(r.body) as { id: string }).id);
        } catch {
          /* counted, id unknown */
        }
      }
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const timer = setInterval(tick, Math.max(1, Math.round(1000 / opts.votesPerSecond)));
  return {
    stats,
    acceptedIds,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
