/**
 * Queue producer and consumer metrics, from the catalog: what the queue dashboard's throughput
 * and worker panels and the QueueGrowing / Worker* alerts query. Every series a helper can write
 * exists at 0 from the first scrape, so `rate()` and absence-based alerts see 0, not nothing.
 */
import type { Registry } from 'prom-client';
import { metrics as catalog } from '../config/metrics.js';
import { sharedMetric } from './metric.js';

/** Why a push failed: a closed set (bounded cardinality) that the enqueue-failure panels break down by. */
export const ENQUEUE_FAILURE_REASONS = ['unavailable', 'timeout', 'error'] as const;
export type EnqueueFailureReason = (typeof ENQUEUE_FAILURE_REASONS)[number];

/** What a consumer finally did with an item it took: stored, dropped as malformed, or given up (failed); a retry is not a result. */
export const PROCESS_RESULTS = ['ok', 'invalid', 'failed'] as const;
export type ProcessResult = (typeof PROCESS_RESULTS)[number];

export interface QueueProducerMetrics {
  /** Items the queue acknowledged (count them after the push succeeded, never before). */
  enqueued(count?: number): void;
  /** A push that failed; the client was told to retry. */
  failed(reason: EnqueueFailureReason): void;
}

/** `queue_enqueued_total{queue}` and `vote_enqueue_failures_total{reason}` for the producer of `queue`. */
export function queueProducerMetrics(registry: Registry, opts: { queue: string }): QueueProducerMetrics {
  const enqueued = sharedMetric(catalog.queueEnqueuedTotal, registry).labels({ queue: opts.queue });
  const failures = sharedMetric(catalog.voteEnqueueFailuresTotal, registry);
  enqueued.inc(0);
  const byReason = new Map(ENQUEUE_FAILURE_REASONS.map((reason) => [reason, failures.labels({ reason })] as const));
  for (const child of byReason.values()) child.inc(0);
  return {
    enqueued: (count = 1) => enqueued.inc(count),
    failed: (reason) => oneOf(byReason, reason, 'an enqueue failure reason').inc(),
  };
}

/** The child for a value of a closed label set; a value outside it is a bug in the caller, not a new series. */
function oneOf<K extends string, C>(children: ReadonlyMap<K, C>, key: K, what: string): C {
  const child = children.get(key);
  if (!child) throw new Error(`"${key}" is not ${what} (one of ${[...children.keys()].join(', ')})`);
  return child;
}

/** Classifies an ioredis (or similar) failure for the `reason` label. */
export function enqueueFailureReason(err: unknown, connectionStatus: string): EnqueueFailureReason {
  const msg = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(msg)) return 'timeout';
  if (connectionStatus !== 'ready' || /writeable|closed|ECONNREFUSED|ECONNRESET/i.test(msg)) return 'unavailable';
  return 'error';
}

export interface QueueConsumerMetrics {
  /** Items taken off the queue and acknowledged (removed from the processing list). */
  dequeued(count: number): void;
  /** Items finished with `result`. */
  processed(result: ProcessResult, count?: number): void;
  /**
   * One batch handled: the items it stored (a batch of only malformed items has no size to
   * record) and the seconds from dequeue to acknowledgement.
   */
  batch(stored: number, seconds: number): void;
  /** The last successful batch finished now (or at `epochMs`). */
  succeeded(epochMs?: number): void;
  /** Items handed back to the queue from a dead consumer's processing list. */
  recovered(count: number): void;
}

/**
 * `queue_dequeued_total`, `worker_votes_processed_total`, `worker_processing_duration_seconds`,
 * `worker_batch_size`, `worker_last_success_timestamp_seconds` and `worker_recovered_items_total`
 * for a consumer of `queue`.
 */
export function queueConsumerMetrics(registry: Registry, opts: { queue: string }): QueueConsumerMetrics {
  const dequeued = sharedMetric(catalog.queueDequeuedTotal, registry).labels({ queue: opts.queue });
  const processed = sharedMetric(catalog.workerVotesProcessedTotal, registry);
  const duration = sharedMetric(catalog.workerProcessingDurationSeconds, registry);
  const size = sharedMetric(catalog.workerBatchSize, registry);
  const lastSuccess = sharedMetric(catalog.workerLastSuccessTimestampSeconds, registry);
  const recovered = sharedMetric(catalog.workerRecoveredItemsTotal, registry).labels({ queue: opts.queue });
  const byResult = new Map(PROCESS_RESULTS.map((result) => [result, processed.labels({ result })] as const));
  for (const child of byResult.values()) child.inc(0);
  dequeued.inc(0);
  recovered.inc(0);
  return {
    dequeued: (count) => dequeued.inc(count),
    processed: (result, count = 1) => oneOf(byResult, result, 'a result').inc(count),
    batch: (stored, seconds) => {
      if (stored > 0) size.observe(stored);
      duration.observe(seconds);
    },
    succeeded: (epochMs = Date.now()) => lastSuccess.set(epochMs / 1000),
    recovered: (count) => recovered.inc(count),
  };
}
