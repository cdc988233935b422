/**
 * The autoscaling signal, per queue, as recording rules:
 *
 *  - `queue:queue_load_factor:ratio`, the workers' utilisation 0–1:
 *      clamp(B × (1 + Q ÷ (D × drainTargetSeconds)) ÷ N, 0, 1)
 *    B = seconds per second the serving workers spend processing batches (rate of
 *        `worker_processing_duration_seconds_sum`; a worker processes one batch at a time, so each
 *        contributes at most 1), D = items they dequeue per second (B ÷ D is the processing time of one
 *        item), Q = the backlog, N = serving workers up. B alone is the busy share at the current
 *        throughput; the Q term adds the work of draining the backlog within the drain target.
 *    Both come from the workers' own counters, not from comparing the producers' and the consumers'
 *    counters (enqueue ÷ dequeue drifts from 1 on a healthy queue with scrape timing alone).
 *  - `queue:worker_recommended_replicas:count`, the policy of `cfg.scaling` applied to it: above
 *    scaleUpThreshold or below scaleDownThreshold, ceil(N × load ÷ scaleUpThreshold) — the count at
 *    which the load would sit at the threshold; between them N (hysteresis: steady load holds the
 *    count); clamped to [minWorkers, maxWorkers].
 *  - `queue:worker_desired_replicas:count`, max_over_time(recommended[stabilizationWindow]): a
 *    higher recommendation is followed at once, a lower one only after it held for the whole window.
 *
 * "Serving workers" are the worker targets that expose `queue_dequeued_total` for the queue (the
 * consumer helpers of voting-mixin/instrument create it at 0 on start-up), so each queue's workers
 * are counted apart when several queues are configured.
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig, QueueConfig } from '../config/mixin-config.js';
import { by, type Duration, durationSeconds, rate, sel, sumSel } from '../config/promql.js';
import { recordings as r } from '../config/recordings.js';
import { runbookUrl } from './conventions.js';
import { num } from './humanize.js';
import { dequeueRate, queueLength, queueMatch } from './queries.js';
import type { RecordingRule } from './rule-types.js';
import { HPA_DIR, KEDA_DIR } from './scaling-k8s.js';

/** Window of the rates the load factor reads. */
export const SCALING_RATE_WINDOW: Duration = '5m';
const W = SCALING_RATE_WINDOW;

/** Floor of the dequeue rate in B ÷ D: an idle queue (B = D = 0) reads load 0, not NaN. */
const MIN_DEQUEUE_RATE = 0.001;

/** One series per worker target serving the queue, value 1, labels job, instance and queue. */
function serving(cfg: MixinConfig, q: QueueConfig): string {
  return `group${by(m.queueDequeuedTotal, ['job', 'instance', 'queue'])} (${sel(m.queueDequeuedTotal, queueMatch(q), cfg.selectors.worker)})`;
}

/** N: serving workers that are up, by queue. */
export function servingWorkers(cfg: MixinConfig, q: QueueConfig): string {
  return `count by (queue) ((${sel(m.up, {}, cfg.selectors.worker)} == 1) * on (job, instance) group_left (queue) ${serving(cfg, q)})`;
}

/** B: seconds per second the serving workers spend processing batches, by queue. */
export function busySeconds(cfg: MixinConfig, q: QueueConfig): string {
  const processing = rate(sumSel(m.workerProcessingDurationSeconds, {}, cfg.selectors.worker), W);
  return `sum by (queue) (${processing} * on (job, instance) group_left (queue) ${serving(cfg, q)})`;
}

/** The load factor of one queue (see the file comment). */
export function loadFactor(cfg: MixinConfig, q: QueueConfig): string {
  const busy = busySeconds(cfg, q);
  // Without a backlog reading (exporter down) the drain term is 0, not the whole signal missing.
  const backlog = `(${queueLength(cfg, q, ['queue'])} or on (queue) ${busy} * 0)`;
  const drainCapacity = `clamp_min(${dequeueRate(cfg, q, W)}, ${num(MIN_DEQUEUE_RATE)}) * ${num(q.drainTargetSeconds)}`;
  const need = `${busy} * on (queue) (1 + ${backlog} / on (queue) (${drainCapacity}))`;
  return `clamp(${need} / on (queue) ${servingWorkers(cfg, q)}, 0, 1)`;
}

/** The policy's recommendation for one queue, from the recorded load factor. */
export function recommendedReplicas(cfg: MixinConfig, q: QueueConfig): string {
  const p = cfg.scaling;
  const load = sel(r.queueLoadFactorRatio, queueMatch(q));
  const workers = servingWorkers(cfg, q);
  const resized = `ceil(${load} * on (queue) ${workers} / ${num(p.scaleUpThreshold)})`;
  const inBand = `(${load} >= ${num(p.scaleDownThreshold)} <= ${num(p.scaleUpThreshold)})`;
  // No load reading (no worker up, or the rates have no two samples yet): the minimum while the
  // queue is watched, so the signal never disappears under the autoscaler.
  const fallback = `${queueLength(cfg, q, ['queue'])} * 0 + ${num(p.minWorkers)}`;
  return `clamp((${resized} unless on (queue) ${inBand}) or on (queue) ${workers} or on (queue) (${fallback}), ${num(p.minWorkers)}, ${num(p.maxWorkers)})`;
}

export function desiredReplicas(cfg: MixinConfig): string {
  return `max_over_time(${r.queueWorkerRecommendedReplicas.name}[${cfg.scaling.stabilizationWindow}])`;
}

/** The three rules in evaluation order: each reads the one before it in the same evaluation. */
export function scalingRules(cfg: MixinConfig): RecordingRule[] {
  const each = (f: (q: QueueConfig) => string) => cfg.queues.map(f).join(' or ');
  return [
    { record: r.queueLoadFactorRatio.name, expr: each((q) => loadFactor(cfg, q)) },
    { record: r.queueWorkerRecommendedReplicas.name, expr: each((q) => recommendedReplicas(cfg, q)) },
    { record: r.queueWorkerDesiredReplicas.name, expr: desiredReplicas(cfg) },
  ];
}

/** The runbook page of the scaling signal (beside the alerts' runbooks). */
export const SCALING_RUNBOOK = 'scaling';
export const scalingRunbookUrl = (cfg: MixinConfig): string => runbookUrl(cfg, SCALING_RUNBOOK);

/** runbooks/scaling.md: what the signal means, with this config's numbers and queries. */
export function scalingRunbook(cfg: MixinConfig): string {
  const p = cfg.scaling;
  const fence = (q: string) => `\`\`\`promql\n${q}\n\`\`\``;
  return [
    '# Worker autoscaling signal',
    '',
    `Three recording rules per queue tell an autoscaler how many workers to run. The build writes two ways to scale the worker Deployment \`${cfg.kubernetes.workerDeployment}\` on \`${r.queueWorkerDesiredReplicas.name}\`, in folders of its output (dist/ unless \`--out\` says otherwise):`,
    '',
    `- \`${KEDA_DIR}/\`: a KEDA ScaledObject;`,
    `- \`${HPA_DIR}/\`: an \`autoscaling/v2\` HorizontalPodAutoscaler and the prometheus-adapter rule that serves it the signal.`,
    '',
    `Apply one of them, not both: both scale the same Deployment and would fight over its replica count. From the output folder, \`kubectl apply -f ${KEDA_DIR}/\` (or \`${HPA_DIR}/\`); \`kubectl apply -f k8s/\` applies neither.`,
    '',
    '## The load factor',
    '',
    `\`${r.queueLoadFactorRatio.name}\` is the utilisation of the workers serving the queue, from 0 (idle) to 1 (saturated):`,
    '',
    '```',
    'load = clamp(B × (1 + Q ÷ (D × drainTargetSeconds)) ÷ N, 0, 1)',
    '```',
    '',
    `- B: seconds per second the workers spend processing batches, \`rate(${m.workerProcessingDurationSeconds.name}_sum[${W}])\` summed over them. A worker processes one batch at a time, so each contributes at most 1: B ÷ N alone is the share of time the workers are busy.`,
    `- D: items they take off the queue per second, \`rate(${m.queueDequeuedTotal.name}[${W}])\`; B ÷ D is the processing time of one item.`,
    `- Q: the backlog, \`${m.redisQueueLength.name}\`. The Q term adds the work of draining it within the queue's \`drainTargetSeconds\` (${cfg.queues.map((q) => `${q.name}: ${q.drainTargetSeconds}s`).join(', ')}).`,
    `- N: the workers serving the queue that are up (targets exposing \`${m.queueDequeuedTotal.name}\` for it, \`up == 1\`).`,
    '',
    'Workers that keep up wait for items part of the time: the load is below 1. Workers that fall behind never wait: it is 1.',
    '',
    '## The policy',
    '',
    `\`${r.queueWorkerRecommendedReplicas.name}\` applies the config's \`scaling\` policy to the load factor:`,
    '',
    `- load above ${num(p.scaleUpThreshold)} (scaleUpThreshold) or below ${num(p.scaleDownThreshold)} (scaleDownThreshold): ceil(N × load ÷ ${num(p.scaleUpThreshold)}), the count at which the load would sit at the scale-up threshold;`,
    '- between them: N, the current count (hysteresis: steady load never changes the count);',
    `- clamped to [${p.minWorkers}, ${p.maxWorkers}] (minWorkers, maxWorkers); ${p.minWorkers} while there is no reading (no worker up).`,
    '',
    `\`${r.queueWorkerDesiredReplicas.name}\` is the highest recommendation over the last ${p.stabilizationWindow} (stabilizationWindow): a scale-up is followed at once, a scale-down only once the lower count held for the whole window. This is the cooldown; the generated KEDA and HPA objects add no second one.`,
    '',
    '## How to look at it',
    '',
    'One query each in Prometheus (Graph) or Grafana Explore, by queue: the load factor, the recommendation, the signal the autoscaler follows.',
    '',
    [r.queueLoadFactorRatio, r.queueWorkerRecommendedReplicas, r.queueWorkerDesiredReplicas]
      .map((x) => fence(x.name))
      .join('\n\n'),
    '',
    'The generated promtool suite `tests/scenario-scaling.yml` shows the signal on steady, rising and falling load, minute by minute.',
    '',
  ].join('\n');
}

// ---- the same policy in TypeScript, for the generated scenario tests ------------------------

/** What the policy recommends for N workers at a load factor (the rule's arithmetic). */
export function recommend(cfg: MixinConfig, workers: number, load: number): number {
  const p = cfg.scaling;
  const raw =
    load >= p.scaleDownThreshold && load <= p.scaleUpThreshold
      ? workers
      : Math.ceil((workers * load) / p.scaleUpThreshold);
  return Math.min(p.maxWorkers, Math.max(p.minWorkers, raw));
}

export const stabilizationSeconds = (cfg: MixinConfig): number => durationSeconds(cfg.scaling.stabilizationWindow);
