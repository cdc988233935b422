/** The vote service's business metrics, created from the catalog and pre-initialised at zero. */
import type { Counter, Registry } from 'prom-client';
import { metrics } from '../../config/metrics.js';
import { instrument } from '../shared/metrics.js';

export const ENQUEUE_FAILURE_REASONS = ['unavailable', 'timeout', 'error'] as const;
export type EnqueueFailureReason = (typeof ENQUEUE_FAILURE_REASONS)[number];

export interface VoteMetrics {
  votes: Counter<'option'>;
  enqueueFailures: Counter<'reason'>;
  enqueued: Counter<'queue'>;
}

export function voteMetrics(registry: Registry, options: readonly string[], queue: string): VoteMetrics {
  const m: VoteMetrics = {
    votes: instrument(metrics.votesTotal, registry),
    enqueueFailures: instrument(metrics.voteEnqueueFailuresTotal, registry),
    enqueued: instrument(metrics.queueEnqueuedTotal, registry),
  };
  // Series exist from the first scrape, so rate() and absent-based alerts see 0, not nothing.
  for (const option of options) m.votes.inc({ option }, 0);
  for (const reason of ENQUEUE_FAILURE_REASONS) m.enqueueFailures.inc({ reason }, 0);
  m.enqueued.inc({ queue }, 0);
  return m;
}

/** Classifies an ioredis failure for the `reason` label (a closed set: bounded cardinality). */
export function failureReason(err: unknown, redisStatus: string): EnqueueFailureReason {
  const msg = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(msg)) return 'timeout';
  if (redisStatus !== 'ready' || /writeable|closed|ECONNREFUSED|ECONNRESET/i.test(msg)) return 'unavailable';
  return 'error';
}
