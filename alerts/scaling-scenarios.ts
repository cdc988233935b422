/**
 * Generated promtool scenarios for the autoscaling signal (alerts/scaling.ts): steady, rising and
 * falling load on the workers of the first queue. Every minute the test expects exactly what the
 * policy gives — the count a minute-by-minute model of the rules computes from the same input
 * series — so the suite proves that steady (noisy) load holds one count, that rising load is
 * followed at once and that falling load is followed only after the stabilisation window.
 *
 * The model reads rates as promtool 2.x does for samples every minute: over [t − 5m, t] both ends
 * included, (c(t) − c(t − 5m)) ÷ 300 s. Before the first full rate window (t < 5m) the rates are
 * extrapolated from fewer samples and read low; every scenario starts with at least a window plus
 * the stabilisation window of steady load, and nothing is asserted before t = 5m.
 *
 * The same suite holds the healthy-queue stories of QueueGrowing (its margin, growth and floor).
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { type Duration, durationSeconds, sel, sumSel } from '../config/promql.js';
import { recordings as r } from '../config/recordings.js';
import { num } from './humanize.js';
import type { PromqlExprTest, PromtoolSeries, PromtoolTestFile, PromtoolTestGroup } from './promtool-types.js';
import { growingFloor } from './queue.js';
import { recommend, stabilizationSeconds } from './scaling.js';
import { scopeLabels } from './scope-labels.js';
import { minutes } from './tests.js';

/** Minutes of the load factor's rate window (SCALING_RATE_WINDOW). */
const RATE_MINUTES = 5;
/** Items each worker takes per minute: the processing time of one item is busy seconds ÷ this. */
const ITEMS_PER_MINUTE = 600;
/** Workers running in the scenarios: one above the minimum, so a falling load has somewhere to go. */
const workersFor = (cfg: MixinConfig) => Math.min(cfg.scaling.maxWorkers, cfg.scaling.minWorkers + 1);

/** One minute of input: each worker's utilisation over that minute, and the backlog at its end. */
export interface LoadMinute {
  utilisation: number;
  backlog: number;
}

export interface ScalingShape {
  name: string;
  story: string;
  minutes: LoadMinute[];
}

/** Seconds rounded to half seconds: exact in binary, so the model and promtool add the same numbers. */
const halfSeconds = (x: number) => Math.round(x * 2) / 2;

/** The three load shapes, relative to the configured thresholds so they hold for any policy. */
export function scalingShapes(cfg: MixinConfig): ScalingShape[] {
  const { scaleUpThreshold: up, scaleDownThreshold: down } = cfg.scaling;
  const mid = (up + down) / 2;
  const noise = (up - down) / 4;
  const win = Math.ceil(stabilizationSeconds(cfg) / 60);
  const lead = RATE_MINUTES + win + 5;
  const steady = (t: number): LoadMinute => ({ utilisation: t % 2 ? mid + noise : mid - noise, backlog: t % 3 });
  const span = (n: number, f: (t: number) => LoadMinute) => Array.from({ length: n }, (_, t) => f(t));
  return [
    {
      name: 'steady',
      story: `steady load with noise (utilisation ${num(mid)} ± ${num(noise)}): one count all along, no flapping`,
      minutes: span(lead + 25, steady),
    },
    {
      name: 'rising',
      story: `load rises to saturation at ${lead}m (backlog grows): the count goes up as soon as the load factor passes ${num(up)}`,
      minutes: span(lead + RATE_MINUTES + 10, (t) =>
        t < lead ? steady(t) : { utilisation: 1, backlog: 40 * (t - lead + 1) },
      ),
    },
    {
      name: 'falling',
      story: `load falls to ${num(down / 2)} at ${lead}m: the count goes down only once the lower recommendation held for ${cfg.scaling.stabilizationWindow}`,
      minutes: span(lead + RATE_MINUTES + win + 10, (t) =>
        t < lead ? steady(t) : { utilisation: down / 2, backlog: 0 },
      ),
    },
  ];
}

interface Expected {
  load: number;
  recommended: number;
}

/** The rules' arithmetic, minute by minute, from t = RATE_MINUTES on (undefined before). */
export function modelShape(cfg: MixinConfig, shape: ScalingShape): Array<Expected | undefined> {
  const q = cfg.queues[0]!;
  const workers = workersFor(cfg);
  const busy = [0];
  const items = [0];
  shape.minutes.forEach((x, t) => {
    if (t === 0) return;
    busy.push(busy[t - 1]! + halfSeconds(60 * x.utilisation));
    items.push(items[t - 1]! + ITEMS_PER_MINUTE);
  });
  return shape.minutes.map((x, t) => {
    if (t < RATE_MINUTES) return undefined;
    const window = RATE_MINUTES * 60;
    const b = (workers * (busy[t]! - busy[t - RATE_MINUTES]!)) / window;
    const d = (workers * (items[t]! - items[t - RATE_MINUTES]!)) / window;
    const need = b * (1 + x.backlog / (Math.max(d, 0.001) * q.drainTargetSeconds));
    const load = Math.min(1, Math.max(0, need / workers));
    return { load, recommended: recommend(cfg, workers, load) };
  });
}

/** Too close to a threshold or a whole count for float rounding to be sure which side promtool lands on. */
function ambiguous(cfg: MixinConfig, e: Expected): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  const scaled = (workersFor(cfg) * e.load) / cfg.scaling.scaleUpThreshold;
  return (
    near(e.load, cfg.scaling.scaleUpThreshold) ||
    near(e.load, cfg.scaling.scaleDownThreshold) ||
    near(scaled, Math.round(scaled))
  );
}

/** Desired count at minute t: the highest recommendation in [t − window, t] (undefined if not known). */
function desiredAt(cfg: MixinConfig, model: Array<Expected | undefined>, t: number): number | undefined {
  const win = stabilizationSeconds(cfg) / 60;
  // Prometheus 2 includes a sample exactly at t − window, Prometheus 3 does not: assert only where both agree.
  const pick = (from: number) =>
    model
      .slice(Math.max(0, from), t + 1)
      .filter((e): e is Expected => e !== undefined)
      .map((e) => e.recommended);
  const inclusive = pick(Math.ceil(t - win));
  const exclusive = pick(Math.floor(t - win) + 1);
  if (!inclusive.length || !exclusive.length) return undefined;
  const a = Math.max(...inclusive);
  return a === Math.max(...exclusive) ? a : undefined;
}

function seriesOf(cfg: MixinConfig, shape: ScalingShape): PromtoolSeries[] {
  const q = cfg.queues[0]!;
  const scope = scopeLabels(cfg.selectors.worker, 'selectors.worker');
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  const n = shape.minutes.length;
  let busy = 0;
  const busyValues = shape.minutes.map((x, t) => {
    if (t > 0) busy += halfSeconds(60 * x.utilisation);
    return num(busy);
  });
  const workers = Array.from({ length: workersFor(cfg) }, (_, i) => ({ ...scope, instance: `worker-${i + 1}` }));
  return [
    ...workers.flatMap((w) => [
      { series: sel(m.up, {}, w), values: `1+0x${n}` },
      { series: sumSel(m.workerProcessingDurationSeconds, {}, w), values: busyValues.join(' ') },
      { series: sel(m.queueDequeuedTotal, { queue: q.name }, w), values: `0+${ITEMS_PER_MINUTE}x${n}` },
    ]),
    {
      series: sel(m.redisQueueLength, { queue: q.name, key: q.key, type: 'list' }, exporter),
      values: shape.minutes.map((x) => num(x.backlog)).join(' '),
    },
  ];
}

/** The test group of one shape: recommended and desired at every minute the model is sure of. */
export function scalingCase(cfg: MixinConfig, shape: ScalingShape): PromtoolTestGroup {
  const q = cfg.queues[0]!;
  const model = modelShape(cfg, shape);
  const tests: PromqlExprTest[] = [];
  const sample = (name: string, value: number) => ({ labels: `${name}{queue="${q.name}"}`, value });
  model.forEach((e, t) => {
    if (!e || ambiguous(cfg, e)) return;
    tests.push({
      expr: r.queueWorkerRecommendedReplicas.name,
      eval_time: minutes(t),
      exp_samples: [sample(r.queueWorkerRecommendedReplicas.name, e.recommended)],
    });
    const desired = desiredAt(cfg, model, t);
    if (desired !== undefined)
      tests.push({
        expr: r.queueWorkerDesiredReplicas.name,
        eval_time: minutes(t),
        exp_samples: [sample(r.queueWorkerDesiredReplicas.name, desired)],
      });
    // The load factor itself at each full minute, to the percent (exact float equality would be luck).
    const pct = e.load * 100;
    if (Math.abs(pct - Math.floor(pct) - 0.5) > 1e-6)
      tests.push({
        expr: `round(${r.queueLoadFactorRatio.name}, 0.01)`,
        eval_time: minutes(t),
        exp_samples: [{ labels: `{queue="${q.name}"}`, value: Math.floor(pct + 0.5) / 100 }],
      });
  });
  return {
    name: `scaling, ${shape.name}: ${shape.story}`,
    interval: '1m',
    input_series: seriesOf(cfg, shape),
    promql_expr_test: tests,
  };
}

/** Healthy queues QueueGrowing must not even pend on, and the condition that keeps each quiet. */
const HEALTHY = {
  noise: 'enqueue 600/min ± 10 % against 600/min dequeued, a standing backlog above the floor going up and down',
  flat: 'the enqueue counter 24 % ahead of dequeue, the backlog above the floor but flat',
  small: 'the enqueue counter 24 % ahead of dequeue, the backlog rising and falling under the floor',
} as const;

/**
 * A healthy queue never even pends QueueGrowing. The enqueue counter reading well ahead of the
 * dequeue counter happens on healthy stacks (two counters scraped at different moments, batches
 * acknowledged in bursts: the demo showed enqueue ÷ dequeue = 1.24); each story leaves only one of
 * the three conditions false. ALERTS is checked empty every minute, so pending is covered too.
 */
export function healthyQueueCase(cfg: MixinConfig, variant: keyof typeof HEALTHY): PromtoolTestGroup {
  const q = cfg.queues[0]!;
  const n = RATE_MINUTES + durationMinutes(cfg.alerts.growingFor) + 15;
  const vote = { ...scopeLabels(cfg.selectors.vote, 'selectors.vote'), instance: 'vote-1' };
  const worker = { ...scopeLabels(cfg.selectors.worker, 'selectors.worker'), instance: 'worker-1' };
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  let enqueued = 0;
  const enq = Array.from({ length: n }, (_, t) => {
    if (t > 0) enqueued += variant === 'noise' ? (t % 2 ? 660 : 540) : 744;
    return num(enqueued);
  });
  const floor = growingFloor(q);
  const backlog = Array.from({ length: n }, (_, t) =>
    num(variant === 'noise' ? floor + 5 + (t % 4) : variant === 'flat' ? floor + 10 : Math.max(0, floor - 3 + (t % 4))),
  );
  return {
    name: `QueueGrowing stays quiet (never pending) on a healthy queue: ${HEALTHY[variant]}`,
    interval: '1m',
    input_series: [
      { series: sel(m.queueEnqueuedTotal, { queue: q.name }, vote), values: enq.join(' ') },
      { series: sel(m.queueDequeuedTotal, { queue: q.name }, worker), values: `0+600x${n}` },
      {
        series: sel(m.redisQueueLength, { queue: q.name, key: q.key, type: 'list' }, exporter),
        values: backlog.join(' '),
      },
    ],
    promql_expr_test: Array.from({ length: n - 1 }, (_, i) => ({
      expr: sel(m.alertsFiring, { alertname: 'QueueGrowing' }),
      eval_time: minutes(i + 1),
      exp_samples: [],
    })),
  };
}

const durationMinutes = (d: Duration) => Math.ceil(durationSeconds(d) / 60);

export function scalingSuite(cfg: MixinConfig, ruleFiles: string[], groupOrder: string[]): PromtoolTestFile {
  return {
    rule_files: ruleFiles,
    evaluation_interval: '1m',
    group_eval_order: groupOrder,
    tests: [
      ...scalingShapes(cfg).map((s) => scalingCase(cfg, s)),
      ...(Object.keys(HEALTHY) as Array<keyof typeof HEALTHY>).map((v) => healthyQueueCase(cfg, v)),
    ],
  };
}
