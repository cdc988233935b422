/** The worker's metrics, from the catalog; pool gauges are read at scrape time. */
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metrics } from '../../config/metrics.js';
import type { Pool } from '../shared/db.js';
import { instrument } from '../shared/metrics.js';

export const RESULTS = ['ok', 'invalid', 'failed'] as const;
export type Result = (typeof RESULTS)[number];
export const DB_OPERATIONS = ['write_batch', 'migrate', 'ping'] as const;
export type DbOperation = (typeof DB_OPERATIONS)[number];

export interface WorkerMetrics {
  dequeued: Counter<'queue'>;
  processed: Counter<'result'>;
  processingDuration: Histogram<never>;
  batchSize: Histogram<never>;
  lastSuccess: Gauge<never>;
  recovered: Counter<'queue'>;
  dbQueryDuration: Histogram<'operation'>;
}

export function workerMetrics(registry: Registry, pool: Pool, poolMax: number, queue: string): WorkerMetrics {
  const m: WorkerMetrics = {
    dequeued: instrument(metrics.queueDequeuedTotal, registry),
    processed: instrument(metrics.workerVotesProcessedTotal, registry),
    processingDuration: instrument(metrics.workerProcessingDurationSeconds, registry),
    batchSize: instrument(metrics.workerBatchSize, registry),
    lastSuccess: instrument(metrics.workerLastSuccessTimestampSeconds, registry),
    recovered: instrument(metrics.workerRecoveredItemsTotal, registry),
    dbQueryDuration: instrument(metrics.workerDbQueryDurationSeconds, registry),
  };
  instrument(metrics.workerDbPoolConnections, registry, {
    collect: function () {
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'active' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  instrument(metrics.workerDbPoolMaxConnections, registry).set(poolMax);
  for (const result of RESULTS) m.processed.inc({ result }, 0);
  m.dequeued.inc({ queue }, 0);
  m.recovered.inc({ queue }, 0);
  return m;
}
