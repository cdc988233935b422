/** Queue alerts, one set per configured queue (label `queue`): backlog, growth, age, stuck processing. */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig, QueueConfig } from '../config/mixin-config.js';
import { agg, sel, streamSel } from '../config/promql.js';
import { hasOldestAge } from '../config/queue-kinds.js';
import { recordings } from '../config/recordings.js';
import type { AlertSpec } from './alert-spec.js';
import { humanize, num, pct, secs } from './humanize.js';
import { counter, gauge } from './probe-series.js';
import { dequeueRate, enqueueRate, queueLength, queueMatch } from './queries.js';
import type { AlertSeverity } from './rule-types.js';
import { scalingRunbookUrl } from './scaling.js';
import { scopeLabels } from './scope-labels.js';

/** How much faster than the dequeue rate the enqueue rate must be for QueueGrowing. */
export const GROWING_MARGIN = 0.1;

/** Backlog QueueGrowing ignores: a tenth of the warning threshold, at least one item. */
export const growingFloor = (q: QueueConfig): number => Math.max(1, Math.ceil(q.warning / 10));

export function queueAlerts(cfg: MixinConfig): AlertSpec[] {
  // The queue as a static label too: rules of one name for two queues must differ in labels (promtool lint).
  return cfg.queues.flatMap((q) =>
    queueAlertsFor(cfg, q).map((s) => ({ ...s, labels: { ...s.labels, queue: q.name } })),
  );
}

function queueAlertsFor(cfg: MixinConfig, q: QueueConfig): AlertSpec[] {
  const s = cfg.selectors.exporter;
  const w = cfg.alerts.rateWindow;
  const exporter = { ...scopeLabels(s, 'selectors.exporter'), instance: 'exporter-1' };
  const lengthSeries = (v: number) => [
    gauge(sel(m.redisQueueLength, { queue: q.name, key: q.key, type: 'list' }, exporter), v),
  ];
  // About the queue, not the exporter that reads it: aggregated by queue, so no exporter job label.
  const queueOnly = { queue: q.name };
  const length = queueLength(cfg, q, ['queue']);
  const growth = agg('sum', m.redisQueueLength, ['queue'], `deriv(${sel(m.redisQueueLength, queueMatch(q), s)}[${w}])`);
  const floor = growingFloor(q);
  const mitigateBacklog = [
    `Check the workers: WorkerDown, WorkerStalled, worker logs (${streamSel(cfg.selectors.worker)}).`,
    `Scale workers to ${recordings.queueWorkerDesiredReplicas.name} (what the KEDA or HPA objects the build writes to k8s/autoscaling/ do by themselves).`,
    'If the database is slow, check WorkerDbPoolExhausted and PostgreSQL.',
  ];

  const backlog = (severity: AlertSeverity, threshold: number): AlertSpec => ({
    alert: 'QueueBacklogHigh',
    severity,
    expr: `${length} > ${num(threshold)}`,
    for: q.for,
    summary: `Queue ${q.name} backlog above ${humanize(threshold)}`,
    description: `{{ $value | humanize }} items wait in queue {{ $labels.queue }} (threshold ${humanize(threshold)} for ${q.for}): the worker is dead, stuck or too slow.`,
    dashboard: { key: 'redis-queue', panel: `${q.name}: length` },
    runbook: {
      meaning: 'Votes are accepted but not processed: results lag behind and Redis memory grows.',
      confirm: [length, enqueueRate(cfg, q, w), dequeueRate(cfg, q, w)],
      mitigate: mitigateBacklog,
      followUp: [
        `Check that autoscaling follows ${recordings.queueWorkerDesiredReplicas.name} (${scalingRunbookUrl(cfg)}).`,
      ],
    },
    probe: { op: '>', threshold, labels: queueOnly, series: lengthSeries },
  });

  const specs: AlertSpec[] = [
    backlog('warning', q.warning),
    backlog('critical', q.critical),
    {
      alert: 'QueueBacklogHighAveraged',
      severity: 'critical',
      expr: `${agg('sum', m.redisQueueLength, ['queue'], `avg_over_time(${sel(m.redisQueueLength, queueMatch(q), s)}[${w}])`)} > ${num(q.averagedCritical)}`,
      for: q.for,
      summary: `Queue ${q.name} backlog averaged above ${humanize(q.averagedCritical)}`,
      description: `Queue {{ $labels.queue }} averaged {{ $value | humanize }} waiting items over ${w} (threshold ${humanize(q.averagedCritical)}).`,
      dashboard: { key: 'redis-queue', panel: `${q.name}: length` },
      runbook: {
        meaning: 'A sustained, large backlog that spikes cannot explain.',
        confirm: [length],
        mitigate: mitigateBacklog,
        followUp: ['Review worker capacity for peak traffic.'],
      },
      probe: { op: '>', threshold: q.averagedCritical, labels: queueOnly, series: lengthSeries, warmupMinutes: 0 },
    },
    {
      alert: 'QueueGrowing',
      severity: 'warning',
      // Three conditions a steady, healthy queue cannot meet together: producers ahead of consumers by
      // more than the margin (two counters scraped at different moments disagree by a few percent),
      // the backlog actually rising, and more than a few items waiting.
      // A dead worker has no dequeue series at all: compare with 0 then, instead of nothing.
      expr: `${enqueueRate(cfg, q, w)} > on (queue) ((${dequeueRate(cfg, q, w)} or ${enqueueRate(cfg, q, w)} * 0) * ${num(1 + GROWING_MARGIN)}) and on (queue) ${growth} > 0 and on (queue) ${length} > ${num(floor)}`,
      for: cfg.alerts.growingFor,
      summary: `Queue ${q.name} grows`,
      description: `Votes are enqueued onto {{ $labels.queue }} more than ${pct(GROWING_MARGIN)} faster than the workers take them and the backlog (over ${humanize(floor)} items) keeps rising, for ${cfg.alerts.growingFor}.`,
      dashboard: { key: 'redis-queue', panel: `${q.name}: enqueue vs dequeue rate` },
      runbook: {
        meaning: `Producers outpace consumers by more than ${pct(GROWING_MARGIN)} and the backlog grows; it will keep growing until the backlog alerts trip.`,
        confirm: [
          enqueueRate(cfg, q, w),
          dequeueRate(cfg, q, w),
          growth,
          sel(recordings.queueLoadFactorRatio, queueOnly),
        ],
        mitigate: mitigateBacklog,
        followUp: [
          `Check that autoscaling follows ${recordings.queueWorkerDesiredReplicas.name}; the load factor and the policy are explained in ${scalingRunbookUrl(cfg)}.`,
        ],
      },
      probe: {
        // The measured quantity is the enqueue rate per minute against 600 dequeued: the quiet value
        // sits above 600 but inside the margin, with the backlog rising, so only the margin keeps it quiet.
        op: '>',
        threshold: 600 * (1 + GROWING_MARGIN),
        quiet: 600 * (1 + GROWING_MARGIN / 2),
        firing: 600 * (1 + 2 * GROWING_MARGIN),
        labels: queueOnly,
        value: null,
        series: (v) => [
          counter(
            sel(m.queueEnqueuedTotal, queueMatch(q), {
              ...scopeLabels(cfg.selectors.vote, 'selectors.vote'),
              instance: 'vote-1',
            }),
            v,
          ),
          counter(
            sel(m.queueDequeuedTotal, queueMatch(q), {
              ...scopeLabels(cfg.selectors.worker, 'selectors.worker'),
              instance: 'worker-1',
            }),
            600,
          ),
          // A backlog rising past the floor within the first minute (a ramp, written like a counter).
          counter(sel(m.redisQueueLength, { queue: q.name, key: q.key, type: 'list' }, exporter), floor + 1),
        ],
      },
    },
    // A set or hash has no oldest item (the exporter reports its length only): no age alert that could never fire.
    ...(hasOldestAge(q) ? (['warning', 'critical'] as const) : []).map((severity): AlertSpec => {
      const threshold = severity === 'warning' ? q.oldestAgeWarningSeconds : q.oldestAgeCriticalSeconds;
      const age = agg(
        'max',
        m.redisQueueOldestItemAgeSeconds,
        ['queue'],
        sel(m.redisQueueOldestItemAgeSeconds, queueMatch(q), s),
      );
      return {
        alert: 'QueueOldestItemTooOld',
        severity,
        expr: `${age} > ${num(threshold)}`,
        for: cfg.alerts.downFor,
        summary: `Oldest item in queue ${q.name} older than ${secs(threshold)}`,
        description: `The oldest vote in {{ $labels.queue }} has waited {{ $value | humanizeDuration }} (threshold ${secs(threshold)}).`,
        dashboard: { key: 'redis-queue', panel: `${q.name}: oldest item age` },
        runbook: {
          meaning: 'Votes wait too long before they count: results are stale.',
          confirm: [age, length],
          mitigate: mitigateBacklog,
          followUp: ['Set the drain target (drainTargetSeconds) to match what voters accept.'],
        },
        probe: {
          op: '>',
          threshold,
          labels: queueOnly,
          series: (v) => [gauge(sel(m.redisQueueOldestItemAgeSeconds, { queue: q.name, key: q.key }, exporter), v)],
        },
      };
    }),
  ];
  if (q.processingPattern) {
    const age = agg(
      'max',
      m.redisQueueProcessingOldestItemAgeSeconds,
      ['queue'],
      sel(m.redisQueueProcessingOldestItemAgeSeconds, queueMatch(q), s),
    );
    specs.push({
      alert: 'QueueProcessingStuck',
      severity: 'warning',
      expr: `${age} > ${num(q.oldestAgeCriticalSeconds)}`,
      for: cfg.alerts.downFor,
      summary: `Items stuck in the processing lists of ${q.name}`,
      description: `An item taken from {{ $labels.queue }} has been unacknowledged for {{ $value | humanizeDuration }}: a worker died mid-batch or hangs.`,
      dashboard: { key: 'redis-queue', panel: `${q.name}: processing` },
      runbook: {
        meaning: `Items moved to ${q.processingPattern} were never acknowledged.`,
        confirm: [
          age,
          sel(m.redisQueueProcessingLength, queueMatch(q), s),
          sel(m.redisQueueProcessingLists, queueMatch(q), s),
        ],
        mitigate: [
          `Restart the worker that owns the list: on start-up it moves orphaned items back (${m.workerRecoveredItemsTotal.name}).`,
          `If the worker is gone for good, move the items back by hand: LMOVE <processing list> ${q.key} RIGHT LEFT.`,
        ],
        followUp: ['Find why the worker hung (logs, DB locks).'],
      },
      probe: {
        op: '>',
        threshold: q.oldestAgeCriticalSeconds,
        labels: queueOnly,
        series: (v) => [gauge(sel(m.redisQueueProcessingOldestItemAgeSeconds, { queue: q.name }, exporter), v)],
      },
    });
  }
  return specs;
}
