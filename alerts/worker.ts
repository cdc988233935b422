/** Worker alerts: down, absent, stalled, failure ratio, slow processing, DB pool exhausted. */

import { NOT_STORED_RESULTS } from '../config/matchers.js';
import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, histogramQuantile, increase, type Matcher, rate, re, sel, streamSel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { num, pct, secs } from './humanize.js';
import { counter, gauge, histogramAtQuantile, topBucket, zeroFires } from './probe-series.js';
import { queueLength, queueMatch } from './queries.js';
import type { AlertSeverity } from './rule-types.js';
import { equalityLabels, otherTargetLabels, pick, scopeLabels } from './scope-labels.js';

export function workerAlerts(cfg: MixinConfig): AlertSpec[] {
  const t = cfg.thresholds.worker;
  const s = cfg.selectors.worker;
  const w = cfg.alerts.rateWindow;
  const target = { ...scopeLabels(s, 'selectors.worker'), instance: 'worker-1' };
  const job = pick(target, ['job']);
  const restart = [
    'Check the worker process or pod (crash loop, OOM kill) and restart it.',
    'Check that it reaches Redis and PostgreSQL (its /ready endpoint).',
  ];

  const processed = (result?: Matcher) =>
    agg(
      'sum',
      m.workerVotesProcessedTotal,
      ['job'],
      rate(sel(m.workerVotesProcessedTotal, result ? { result } : {}, s), w),
    );

  const failure = (severity: AlertSeverity, threshold: number): AlertSpec => ({
    alert: 'WorkerHighFailureRatio',
    severity,
    // Votes not stored (given up or malformed) over all done with. Retried writes are no failure:
    // the vote is stored later, and a PostgreSQL outage shows as a growing queue (WorkerStalled).
    expr: `${processed(NOT_STORED_RESULTS)} / ${processed()} > ${num(threshold)}`,
    for: cfg.alerts.defaultFor,
    summary: `Worker failure ratio above ${pct(threshold)}`,
    description: `{{ $value | humanizePercentage }} of the votes {{ $labels.job }} took off the queue over the last ${w} were not stored: given up or malformed (threshold ${pct(threshold)}).`,
    dashboard: { key: 'worker', panel: 'Failure ratio' },
    runbook: {
      meaning:
        'Votes are taken off the queue but not stored: malformed items (result invalid, moved to the dead-letter list) or votes the worker gave up on (failed). Writes retried during a PostgreSQL outage do not count (see the Retries/s panel); they show as a growing queue.',
      confirm: [
        agg(
          'sum',
          m.workerVotesProcessedTotal,
          ['instance', 'result'],
          rate(sel(m.workerVotesProcessedTotal, {}, s), w),
        ),
      ],
      mitigate: [
        `Read the worker logs for the error (${streamSel(s)} |= "malformed").`,
        'Malformed items: inspect the dead-letter list and fix the producer that wrote them.',
        'Check PostgreSQL: disk, locks, connection limits.',
      ],
      followUp: ['Decide whether failed votes must be replayed.'],
    },
    probe: {
      op: '>',
      threshold,
      max: 1,
      labels: job,
      series: (v) => [
        counter(sel(m.workerVotesProcessedTotal, { result: 'failed' }, target), 600 * v),
        counter(sel(m.workerVotesProcessedTotal, { result: 'ok' }, target), 600 * (1 - v)),
      ],
    },
  });

  const p95 = histogramQuantile(0.95, m.workerProcessingDurationSeconds, { scope: s, by: ['job'], window: w });
  const poolBusy = agg(
    'sum',
    m.workerDbPoolConnections,
    ['job', 'instance'],
    sel(m.workerDbPoolConnections, { state: re('active|waiting') }, s),
  );
  const poolMax = agg(
    'sum',
    m.workerDbPoolMaxConnections,
    ['job', 'instance'],
    sel(m.workerDbPoolMaxConnections, {}, s),
  );

  return [
    {
      alert: 'WorkerDown',
      severity: 'critical',
      expr: `${sel(m.up, {}, s)} == 0`,
      for: cfg.alerts.downFor,
      summary: 'Worker down',
      description: 'Prometheus cannot scrape worker {{ $labels.instance }}: votes are not being processed by it.',
      dashboard: { key: 'worker', panel: 'Workers up' },
      runbook: {
        meaning: 'A worker is down; the queue drains slower or not at all.',
        mitigate: restart,
        followUp: ['Read the last log lines before the crash.'],
      },
      probe: zeroFires(target, sel(m.up, {}, target)),
    },
    {
      alert: 'WorkerAbsent',
      severity: 'critical',
      expr: `absent(${sel(m.up, {}, s)})`,
      for: cfg.alerts.downFor,
      summary: 'No worker target',
      description: 'Prometheus has no worker target at all: the worker is not deployed or service discovery lost it.',
      dashboard: { key: 'worker', panel: 'Workers up' },
      runbook: {
        meaning: 'Nothing processes the queue and nothing even reports it.',
        mitigate: ['Check the deployment (replicas: 0?) and the scrape config for the worker job.'],
        followUp: ['Make sure at least one worker always runs.'],
      },
      probe: {
        op: '<',
        threshold: 0.5,
        quiet: 1,
        firing: 0,
        labels: equalityLabels(s),
        // Some other target must exist so the test has input either way.
        series: (v) =>
          v
            ? [gauge(sel(m.up, {}, target), 1)]
            : [gauge(sel(m.up, {}, { ...otherTargetLabels(s, 'selectors.worker'), instance: 'x' }), 1)],
      },
    },
    ...cfg.queues.map(
      (q): AlertSpec => ({
        alert: 'WorkerStalled',
        severity: 'critical',
        labels: { queue: q.name },
        // By queue only: the alert is about the workers of a queue, not the exporter that reads its length.
        expr: `${queueLength(cfg, q, ['queue'])} > 0 and on (queue) ${agg('sum', m.queueDequeuedTotal, ['queue'], increase(sel(m.queueDequeuedTotal, queueMatch(q), s), cfg.alerts.stalledFor))} == 0`,
        for: cfg.alerts.downFor,
        summary: `Workers stalled on queue ${q.name}`,
        description: `Queue {{ $labels.queue }} holds {{ $value | humanize }} items but no worker took one in ${cfg.alerts.stalledFor}: workers are stuck.`,
        dashboard: { key: 'worker', panel: 'Votes processed/s' },
        runbook: {
          meaning: 'Workers are alive but not dequeuing: blocked on PostgreSQL, paused, or deadlocked.',
          confirm: [queueLength(cfg, q, ['queue']), sel(m.workerLastSuccessTimestampSeconds, {}, s)],
          mitigate: [
            'Check PostgreSQL locks and connections (WorkerDbPoolExhausted).',
            'Restart the workers; unacknowledged items are recovered at start-up.',
          ],
          followUp: ['Add a timeout to whatever hung.'],
        },
        probe: {
          op: '<',
          threshold: 0.5,
          quiet: 60,
          firing: 0,
          labels: { queue: q.name },
          value: () => 50,
          series: (v) => [
            gauge(
              sel(
                m.redisQueueLength,
                { queue: q.name, key: q.key, type: 'list' },
                { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' },
              ),
              50,
            ),
            counter(sel(m.queueDequeuedTotal, queueMatch(q), target), v),
          ],
        },
      }),
    ),
    failure('warning', t.failureRatioWarning),
    failure('critical', t.failureRatioCritical),
    {
      alert: 'WorkerSlowProcessing',
      severity: 'warning',
      expr: `${p95} > ${num(t.processingP95WarningSeconds)}`,
      for: cfg.alerts.defaultFor,
      summary: `Worker p95 batch time above ${secs(t.processingP95WarningSeconds)}`,
      description: `p95 batch processing time of {{ $labels.job }} is {{ $value | humanizeDuration }} over the last ${w}.`,
      dashboard: { key: 'worker', panel: 'Processing time p50 / p95 / p99' },
      runbook: {
        meaning: 'Each batch takes long; throughput drops and the backlog may grow.',
        confirm: [histogramQuantile(0.95, m.workerDbQueryDurationSeconds, { scope: s, by: ['operation'], window: w })],
        mitigate: ['Check PostgreSQL query latency and locks.', 'Scale workers out.'],
        followUp: ['Tune batch size (BATCH_SIZE) and indexes.'],
      },
      probe: {
        op: '>',
        threshold: t.processingP95WarningSeconds,
        max: topBucket(m.workerProcessingDurationSeconds),
        labels: job,
        series: (v) => histogramAtQuantile(m.workerProcessingDurationSeconds, target, 0.95, v),
      },
    },
    {
      alert: 'WorkerDbPoolExhausted',
      severity: 'warning',
      expr: `${poolBusy} / ${poolMax} > ${num(t.dbPoolSaturationRatio)}`,
      for: cfg.alerts.defaultFor,
      summary: `Worker DB pool above ${pct(t.dbPoolSaturationRatio)} busy`,
      description:
        'Worker {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its PostgreSQL pool (active plus waiting clients).',
      dashboard: { key: 'worker', panel: 'DB pool connections by state' },
      runbook: {
        meaning: 'Worker queries wait for a free PostgreSQL connection.',
        confirm: [sel(m.workerDbPoolConnections, {}, s), poolMax],
        mitigate: [
          'Check for long-running queries and locks in PostgreSQL (pg_stat_activity).',
          'Raise the pool size if PostgreSQL has headroom.',
        ],
        followUp: ['Check max_connections against all pools.'],
      },
      probe: {
        op: '>',
        threshold: t.dbPoolSaturationRatio,
        labels: pick(target, ['job', 'instance']),
        series: (v) => [
          gauge(sel(m.workerDbPoolConnections, { state: 'active' }, target), 100 * v),
          gauge(sel(m.workerDbPoolConnections, { state: 'idle' }, target), 100 * (1 - v)),
          gauge(sel(m.workerDbPoolMaxConnections, {}, target), 100),
        ],
      },
    },
  ];
}
