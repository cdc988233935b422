/** Worker: throughput, failures, processing time, batches, liveness and its PostgreSQL pool. */
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { re, sel } from '../config/promql.js';
import { type DashboardJson, withDefaults } from './defaults.js';
import { ANY_RATE, higherIsWorse, row, statPanel, steps, timeSeries } from './panels.js';
import { withPostgresRow } from './postgres-row.js';
import { workerQueries } from './queries.js';
import { alsoMatchJobVar, INSTANCE_VAR } from './scope.js';

export function workerDashboard(cfg: MixinConfig): DashboardJson {
  const q = workerQueries(cfg);
  // `$job` offers the postgres_exporter job too (the PostgreSQL server row): `up` keeps the worker
  // selector's own job beside `$job`, so an exporter never counts as a worker.
  const workersUp = `sum (${alsoMatchJobVar(sel(m.up, { instance: re(INSTANCE_VAR) }, cfg.selectors.worker))})`;
  const t = cfg.thresholds.worker;
  const b = new DashboardBuilder('worker')
    .withRow(row('Health'))
    .withPanel(
      statPanel({
        title: 'Workers up',
        description: 'Worker instances Prometheus can scrape (red when none is up: the queue is not being drained).',
        unit: 'short',
        thresholds: steps('red', [1, 'green']),
        queries: [{ expr: workersUp, instant: true }],
        w: 12,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Seconds since last success',
        description: `Time since a worker last committed a batch (or polled an empty queue). Red above ${t.lastSuccessMaxAgeSeconds}s (config thresholds.worker.lastSuccessMaxAgeSeconds).`,
        unit: 's',
        thresholds: steps('green', [t.lastSuccessMaxAgeSeconds, 'red']),
        queries: [{ expr: q.sinceLastSuccess, instant: true }],
        w: 12,
      }),
    )
    .withRow(row('Throughput'))
    .withPanel(
      timeSeries({
        title: 'Votes processed/s',
        description:
          'Votes the worker is done with per second, by result: ok (stored), invalid (malformed, dead-lettered), failed (given up). Retried writes are not here (Retries/s).',
        unit: 'ops',
        min: 0,
        stack: true,
        queries: [{ expr: q.processedByResult, legend: '{{result}}' }],
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Failures/s',
        description:
          'Votes taken off the queue and never stored, per second: given up (failed) or malformed (invalid).',
        unit: 'ops',
        min: 0,
        queries: [{ expr: q.failures, legend: 'not stored' }],
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Failure ratio',
        description: `Votes not stored (failed or invalid) as a share of all votes the worker is done with. Warning at ${t.failureRatioWarning}, critical at ${t.failureRatioCritical} (WorkerHighFailureRatio).`,
        unit: 'percentunit',
        min: 0,
        thresholds: higherIsWorse(t.failureRatioWarning, t.failureRatioCritical),
        queries: [{ expr: q.failureRatio, legend: 'failure ratio' }],
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Retries/s',
        description:
          'Failed attempts to store a vote that the worker will try again, per vote per attempt (PostgreSQL unreachable or erroring). Not lost votes: they count as ok once stored. Above 0 for long: look at the PostgreSQL server row.',
        unit: 'ops',
        min: 0,
        thresholds: steps('green', [ANY_RATE, 'orange']),
        queries: [{ expr: q.retries, legend: 'retried' }],
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Processing time p50 / p95 / p99',
        description: `Time to process one batch, from dequeue to acknowledgement. p95 warning at ${t.processingP95WarningSeconds}s.`,
        unit: 's',
        thresholds: steps('green', [t.processingP95WarningSeconds, 'orange']),
        queries: [
          { expr: q.processing(0.5), legend: 'p50' },
          { expr: q.processing(0.95), legend: 'p95' },
          { expr: q.processing(0.99), legend: 'p99' },
        ],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Batch size',
        description:
          'Votes per batch written to PostgreSQL: average and p95. Batches near the configured maximum mean the worker is behind.',
        unit: 'short',
        min: 0,
        queries: [
          { expr: q.batchSizeAvg, legend: 'average' },
          { expr: q.batchSizeP95, legend: 'p95' },
        ],
      }),
    )
    .withRow(row('PostgreSQL'))
    .withPanel(
      timeSeries({
        title: 'DB write latency p95 / p99',
        description: 'PostgreSQL query latency seen by the worker, by operation.',
        unit: 's',
        min: 0,
        queries: [
          { expr: q.dbLatency(0.95), legend: 'p95 {{operation}}' },
          { expr: q.dbLatency(0.99), legend: 'p99 {{operation}}' },
        ],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'DB pool connections by state',
        description: `Pool connections by state (idle, active, waiting clients) against the pool size. Saturated above ${t.dbPoolSaturationRatio} of the pool.`,
        unit: 'short',
        min: 0,
        queries: [
          { expr: q.poolByState, legend: '{{state}}' },
          { expr: q.poolMax, legend: 'pool size' },
        ],
      }),
    );
  // The server side of the same PostgreSQL, from postgres_exporter (dashboards/postgres-row.ts).
  withPostgresRow(b, cfg);
  return withDefaults(
    cfg,
    {
      key: 'worker',
      components: ['worker', 'postgres'],
      description:
        'Worker: votes processed, retries, failures, processing time, batch size, liveness, its PostgreSQL pool and the PostgreSQL server.',
    },
    b.build(),
  );
}
