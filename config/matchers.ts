/**
 * Label matchers that dashboards and alerts must agree on, so a panel linked from an alert shows
 * the number the alert fired on.
 */
import { nre, re } from './promql.js';

/** Routes that are not user traffic: scrapes and probes must not count as load or errors. */
export const NON_USER_ROUTES = nre('/metrics|/health|/ready');
/** HTTP statuses that count as the service's own failure. */
export const SERVER_ERROR = re('5..');
/**
 * Worker results of votes taken off the queue and never stored: given up (failed) or malformed
 * (invalid, dead-lettered). A write retried until it succeeds is neither (worker_vote_retries_total).
 */
export const NOT_STORED_RESULTS = re('failed|invalid');
/**
 * PostgreSQL databases that hold nobody's data: the templates, and the shared-objects row
 * postgres_exporter 0.11 reports as `datname=""` in pg_stat_database.
 */
export const NON_USER_DATABASES = nre('|template0|template1');
