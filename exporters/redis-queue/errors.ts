/**
 * Why a collection failed, as the `reason` label of `redis_queue_exporter_scrape_errors_total`:
 * a closed set (bounded cardinality) that the exporter dashboard and alert break down by.
 */

/** `wrong_type`: a queue key holds a type other than its configured one (or, auto-typed, no queue type). */
export type ScrapeErrorReason = 'timeout' | 'connection' | 'auth' | 'command' | 'wrong_type';
export const SCRAPE_ERROR_REASONS: readonly ScrapeErrorReason[] = [
  'timeout',
  'connection',
  'auth',
  'command',
  'wrong_type',
];

/** Redis is down or (re)connecting and did not become ready within the wait a scrape allows. */
export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

/** The deadline passed before the collection finished (keys unread, or Redis still silent). */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(timeoutMs: number) {
    super(`collection exceeded its ${timeoutMs} ms deadline`);
  }
}

/** What a key of another type reads as; the list-heads script reports it as a length of -1. */
export const WRONGTYPE = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');

/** The key changed type since its type was cached. */
export function isWrongType(err: Error): boolean {
  return err.message.startsWith('WRONGTYPE');
}

/** Classifies a failed collection. */
export function scrapeErrorReason(err: Error): ScrapeErrorReason {
  if (err instanceof DeadlineError) return 'timeout';
  const m = err.message;
  if (/\b(NOAUTH|WRONGPASS|NOPERM)\b/.test(m)) return 'auth';
  if (err instanceof NotConnectedError) return 'connection';
  if (
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|max retries/i.test(m)
  ) {
    return 'connection';
  }
  return 'command';
}
