/**
 * The vote service's business metrics, from the catalog through voting-mixin/instrument:
 * `votes_total{option}` (one series per configured option) and the producer side of the queue
 * (`queue_enqueued_total{queue}`, `vote_enqueue_failures_total{reason}`) and the votes refused by the
 * rate limit (`vote_rate_limited_total`), every series at 0 from
 * the first scrape so rate() and absence-based alerts see 0, not nothing.
 */
import type { Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { createMetric, type EnqueueFailureReason, queueProducerMetrics } from 'voting-mixin/instrument';

export interface VoteMetrics {
  /** A vote for `option` was acknowledged by Redis (count after the push, never before). */
  accepted(option: string): void;
  /** A push failed; the client got a 503. */
  failed(reason: EnqueueFailureReason): void;
  /** A vote refused with 429: its client (voter or address) was over its rate. */
  rateLimited(): void;
}

export function voteMetrics(registry: Registry, options: readonly string[], queue: string): VoteMetrics {
  const votes = createMetric(metrics.votesTotal, registry);
  const producer = queueProducerMetrics(registry, { queue });
  const limited = createMetric(metrics.voteRateLimitedTotal, registry);
  // Label children made once: the hot path then neither builds nor hashes a label object.
  const byOption = new Map(options.map((option) => [option, votes.labels({ option })] as const));
  for (const child of byOption.values()) child.inc(0);
  return {
    accepted(option) {
      byOption.get(option)?.inc();
      producer.enqueued();
    },
    failed: producer.failed,
    rateLimited: () => limited.inc(),
  };
}
