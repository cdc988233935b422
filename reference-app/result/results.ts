/**
 * The result service's one read: the stored votes per configured option, their total and shares,
 * from PostgreSQL (`votes` holds each voter's current vote, see shared/db.ts). The page, GET
 * /results, the live stream and the `result_votes` gauge all go through it.
 */
import { type Pool, tallies } from '../shared/db.js';

export interface Results {
  /** Every configured option, in the configured order, at 0 when nobody chose it. */
  options: Record<string, number>;
  total: number;
  /** Each option's fraction of `total` (0 to 1); all 0 while there is no vote. */
  shares: Record<string, number>;
}

/** A read slower than this fails: a scrape or a page must not wait on a hung connection (query_timeout is 10 s). */
export const READ_TIMEOUT_MS = 2_500;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Counts for the configured options only: a row of an option no longer configured (an older
 * --options) is left out of the counts, the total and the metric's label values alike, so the
 * shares add up to 1 and the series stay the configured ones.
 */
export function toResults(options: readonly string[], counts: Readonly<Record<string, number>>): Results {
  const byOption = Object.fromEntries(options.map((o) => [o, counts[o] ?? 0]));
  const total = options.reduce((sum, o) => sum + (byOption[o] ?? 0), 0);
  const shares = Object.fromEntries(options.map((o) => [o, total === 0 ? 0 : (byOption[o] ?? 0) / total]));
  return { options: byOption, total, shares };
}

/** One query. @throws when PostgreSQL fails or does not answer within READ_TIMEOUT_MS. */
export async function readResults(pool: Pool, options: readonly string[]): Promise<Results> {
  return toResults(options, await withTimeout(tallies(pool, options), READ_TIMEOUT_MS, 'results query'));
}
