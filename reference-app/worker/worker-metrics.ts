/**
 * The worker's metrics, from the catalog through voting-mixin/instrument: the consumer side of the
 * queue (`queueConsumerMetrics`), plus what only this worker has — write attempts that failed and
 * will be retried, PostgreSQL query latency by operation and its connection pool (connections by
 * state read at scrape time, and the pool size).
 */
import type { Histogram, Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { createMetric, type QueueConsumerMetrics, queueConsumerMetrics } from 'voting-mixin/instrument';
import type { Pool } from '../shared/db.js';

export const DB_OPERATIONS = ['write_batch', 'migrate', 'ping'] as const;
export type DbOperation = (typeof DB_OPERATIONS)[number];

export interface WorkerMetrics extends QueueConsumerMetrics {
  dbQueryDuration: Histogram<'operation'>;
  /**
   * `count` votes whose write failed and will be tried again. Not `processed('failed')`: this
   * worker never gives a valid vote up (it retries until PostgreSQL takes it, or hands it back to
   * the queue on stop), so a failed attempt is not a lost vote — during a 24 s outage 8 votes made
   * 96 failed attempts and were all stored.
   */
  retried(count: number): void;
}

export function workerMetrics(registry: Registry, pool: Pool, poolMax: number, queue: string): WorkerMetrics {
  const consumer = queueConsumerMetrics(registry, { queue });
  const dbQueryDuration = createMetric(metrics.workerDbQueryDurationSeconds, registry);
  createMetric(metrics.workerDbPoolConnections, registry, {
    collect: function () {
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'active' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  createMetric(metrics.workerDbPoolMaxConnections, registry).set(poolMax);
  // No labels: prom-client exposes it at 0 from the start, so the retries panel reads 0, not "No data".
  const retries = createMetric(metrics.workerVoteRetriesTotal, registry);
  return { ...consumer, dbQueryDuration, retried: (count) => retries.inc(count) };
}
