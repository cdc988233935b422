/**
 * The result service's business metric, from the catalog: `result_votes{option}`, the votes stored
 * in PostgreSQL, read AT SCRAPE TIME (one query per scrape, nothing cached between scrapes).
 *
 * When the query fails the gauge has NO series for that scrape (and the failure is logged), rather
 * than the last value or 0: a stale number would look current and a 0 would look like a real
 * tally, while a missing series is what panels show as "no data" and what `absent()` and the
 * ResultDown family of alerts can tell apart from zero. The scrape itself still succeeds (the
 * HTTP and process metrics are there), so `up` keeps saying whether the PROCESS is up.
 */
import type { Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { createMetric } from 'voting-mixin/instrument';
import type { Logger } from '../shared/logger.js';
import type { Results } from './results.js';

export function resultMetrics(registry: Registry, read: () => Promise<Results>, logger: Logger): void {
  createMetric(metrics.resultVotes, registry, {
    collect: async function () {
      this.reset();
      try {
        const r = await read();
        for (const [option, n] of Object.entries(r.options)) this.set({ option }, n);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'result_votes: PostgreSQL unavailable, series omitted');
      }
    },
  });
}
