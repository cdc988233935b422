/**
 * Hand-written scenario suites: stories a user would tell, checked against the generated rules.
 *  - the worker dies → the queue backlog alerts fire (the original "500 votes for 5 minutes" plan);
 *  - Redis goes down → RedisDown fires;
 *  - a fast burn pages, a slow burn only opens a ticket;
 *  - maxmemory 0 never trips RedisMemoryHigh;
 *  - a failed BGSAVE that the retry mends does not page, a lasting one does; a small Redis's
 *    fragmentation ratio and a single Redis's missing replication series stay quiet;
 *  - the health score recording rule gives the expected numbers (the scaling signal: scaling-scenarios.ts).
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { sel } from '../config/promql.js';
import { recordings as r } from '../config/recordings.js';
import type { AlertSpec } from './alert-spec.js';
import type { PanelIds } from './conventions.js';
import { alertSpecs } from './groups.js';
import type { PromtoolTestFile, PromtoolTestGroup } from './promtool-types.js';
import { scopeLabels } from './scope-labels.js';
import { burnFactor, PAGE_WINDOWS } from './slo.js';
import { expectedAlert, forMinutes, holds, minutes } from './tests.js';

function workerDead(cfg: MixinConfig, specs: AlertSpec[], panels: PanelIds): PromtoolTestGroup {
  const q = cfg.queues[0]!;
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  const worker = { ...scopeLabels(cfg.selectors.worker, 'selectors.worker'), instance: 'worker-1' };
  const dies = 10;
  const growth = Math.ceil(q.critical / 10);
  const backlog = specs.filter((s) => s.alert === 'QueueBacklogHigh' && s.probe.labels.queue === q.name);
  const crit = backlog.find((s) => s.severity === 'critical')!;
  const tCross = (thr: number) => dies + Math.floor(thr / growth) + 1;
  const t = tCross(crit.probe.threshold) + forMinutes(crit) + 1;
  const value = growth * (t - dies);
  const down = specs.find((s) => s.alert === 'WorkerDown')!;
  return {
    name: `worker dies at ${dies}m, ${growth} votes/min pile up: QueueBacklogHigh and WorkerDown fire`,
    interval: '1m',
    input_series: [
      { series: sel(m.up, {}, worker), values: `1x${dies - 1} 0x${t - dies + 5}` },
      {
        series: sel(m.redisQueueLength, { queue: q.name, key: q.key, type: 'list' }, exporter),
        values: `0x${dies - 1} 0+${growth}x${t - dies + 5}`,
      },
    ],
    alert_rule_test: [
      { eval_time: minutes(dies - 1), alertname: 'QueueBacklogHigh', exp_alerts: [] },
      {
        eval_time: minutes(t),
        alertname: 'QueueBacklogHigh',
        exp_alerts: backlog
          .filter((s) => tCross(s.probe.threshold) + forMinutes(s) <= t)
          .map((s) => expectedAlert(cfg, s, value, panels)),
      },
      { eval_time: minutes(t), alertname: 'WorkerDown', exp_alerts: [expectedAlert(cfg, down, 0, panels)] },
    ],
  };
}

function redisDown(cfg: MixinConfig, specs: AlertSpec[], panels: PanelIds): PromtoolTestGroup {
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  const spec = specs.find((s) => s.alert === 'RedisDown')!;
  const dies = 5;
  const t = dies + forMinutes(spec);
  return {
    name: `Redis goes down at ${dies}m: RedisDown fires after ${spec.for}`,
    interval: '1m',
    input_series: [{ series: sel(m.redisUp, {}, exporter), values: `1x${dies - 1} 0x${t - dies + 5}` }],
    alert_rule_test: [
      { eval_time: minutes(dies - 1), alertname: 'RedisDown', exp_alerts: [] },
      ...(forMinutes(spec) > 0 ? [{ eval_time: minutes(t - 1), alertname: 'RedisDown', exp_alerts: [] }] : []),
      { eval_time: minutes(t), alertname: 'RedisDown', exp_alerts: [expectedAlert(cfg, spec, 0, panels)] },
    ],
  };
}

function burn(cfg: MixinConfig, specs: AlertSpec[], speed: 'fast' | 'slow', panels: PanelIds): PromtoolTestGroup {
  const budget = 1 - cfg.slo.availability.target;
  const page = specs.find((s) => s.alert === 'VoteAvailabilityErrorBudgetBurn' && s.severity === 'critical')!;
  const ticket = specs.find((s) => s.alert === 'VoteAvailabilityErrorBudgetBurn' && s.severity === 'warning')!;
  // Fast: 20 % above the steepest page factor; slow: twice the budget — a ticket, never a page.
  const ratio = speed === 'fast' ? 1.2 * Math.max(...PAGE_WINDOWS.map((w) => burnFactor(cfg, w))) * budget : 2 * budget;
  const t = 1 + Math.max(forMinutes(page), forMinutes(ticket)) + 1;
  const fires = [page, ticket].filter((s) => holds(s.probe, ratio)).map((s) => expectedAlert(cfg, s, ratio, panels));
  return {
    name: `a ${speed} burn (${(ratio / budget).toFixed(1)}× the budget) ${speed === 'fast' ? 'pages' : 'opens a ticket but does not page'}`,
    interval: '1m',
    input_series: page.probe
      .series(ratio)
      .map((s) => ({ series: s.series, values: `0+${'perMinute' in s ? s.perMinute : 0}x${t + 2}` })),
    alert_rule_test: [{ eval_time: minutes(t), alertname: page.alert, exp_alerts: fires }],
  };
}

function memoryGuard(cfg: MixinConfig): PromtoolTestGroup {
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  return {
    name: 'RedisMemoryHigh stays quiet when maxmemory is 0 (no limit)',
    interval: '1m',
    input_series: [
      { series: sel(m.redisMemoryUsedBytes, {}, exporter), values: '5000000000+0x20' },
      { series: sel(m.redisMemoryMaxBytes, {}, exporter), values: '0+0x20' },
    ],
    alert_rule_test: [{ eval_time: '20m', alertname: 'RedisMemoryHigh', exp_alerts: [] }],
  };
}

/**
 * Redis's allocator overhead alone reads a fragmentation ratio of 5 or more on a Redis holding a
 * few MB (6.35 with 6 MB of waste on a fresh redis-server 7.0): the ratio must not warn on it.
 */
function fragmentationGuard(cfg: MixinConfig): PromtoolTestGroup {
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  const waste = Math.floor(cfg.thresholds.redis.fragmentationMinBytes / 2);
  return {
    name: `RedisMemoryFragmentationHigh stays quiet on a small Redis (ratio 6.35, ${waste} bytes wasted)`,
    interval: '1m',
    input_series: [
      { series: sel(m.redisMemFragmentationRatio, {}, exporter), values: '6.35+0x40' },
      { series: sel(m.redisMemFragmentationBytes, {}, exporter), values: `${waste}+0x40` },
    ],
    alert_rule_test: [{ eval_time: '40m', alertname: 'RedisMemoryFragmentationHigh', exp_alerts: [] }],
  };
}

/**
 * Redis retries a failed BGSAVE after a few seconds: one failed snapshot the retry mends (status 0
 * for one scrape) does not page; one that stays failed does, after `for`.
 */
function bgsaveFails(cfg: MixinConfig, specs: AlertSpec[], panels: PanelIds): PromtoolTestGroup[] {
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  const spec = specs.find((s) => s.alert === 'RedisRdbBgsaveFailed')!;
  const fails = 5;
  const t = fails + forMinutes(spec);
  const status = sel(m.redisRdbLastBgsaveStatus, {}, exporter);
  return [
    {
      name: `one BGSAVE fails at ${fails}m and the retry succeeds: RedisRdbBgsaveFailed stays quiet`,
      interval: '1m',
      input_series: [{ series: status, values: `1x${fails - 1} 0 1x${t - fails + 5}` }],
      alert_rule_test: [
        { eval_time: minutes(fails), alertname: 'RedisRdbBgsaveFailed', exp_alerts: [] },
        { eval_time: minutes(t + 1), alertname: 'RedisRdbBgsaveFailed', exp_alerts: [] },
      ],
    },
    {
      name: `BGSAVE fails from ${fails}m on (disk full): RedisRdbBgsaveFailed fires after ${spec.for}`,
      interval: '1m',
      input_series: [{ series: status, values: `1x${fails - 1} 0x${t - fails + 5}` }],
      alert_rule_test: [
        { eval_time: minutes(fails - 1), alertname: 'RedisRdbBgsaveFailed', exp_alerts: [] },
        { eval_time: minutes(t), alertname: 'RedisRdbBgsaveFailed', exp_alerts: [expectedAlert(cfg, spec, 0, panels)] },
      ],
    },
  ];
}

/** A primary exposes no master link and a single Redis no replica lag: neither replication alert fires. */
function singleRedis(cfg: MixinConfig): PromtoolTestGroup {
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  return {
    name: 'a single Redis (a primary without replicas): no replication alert fires',
    interval: '1m',
    input_series: [
      { series: sel(m.redisConnectedSlaves, {}, exporter), values: '0+0x20' },
      { series: sel(m.redisUp, {}, exporter), values: '1+0x20' },
    ],
    alert_rule_test: [
      { eval_time: '20m', alertname: 'RedisReplicationBroken', exp_alerts: [] },
      { eval_time: '20m', alertname: 'RedisReplicaLagHigh', exp_alerts: [] },
    ],
  };
}

function recordingScenario(cfg: MixinConfig, redisUp: boolean): PromtoolTestGroup {
  const q = cfg.queues[0]!;
  const vote = { ...scopeLabels(cfg.selectors.vote, 'selectors.vote'), instance: 'vote-1' };
  const worker = { ...scopeLabels(cfg.selectors.worker, 'selectors.worker'), instance: 'worker-1' };
  const exporter = { ...scopeLabels(cfg.selectors.exporter, 'selectors.exporter'), instance: 'exporter-1' };
  const queueSeries = [
    {
      series: sel(m.redisQueueLength, { queue: q.name, key: q.key, type: 'list' }, exporter),
      values: `${q.warning}+0x20`,
    },
  ];
  return {
    name: redisUp
      ? 'healthy system: health score 100'
      : 'Redis down: the health score loses the Redis share (10 points)',
    interval: '1m',
    input_series: [
      { series: sel(m.up, {}, vote), values: '1+0x20' },
      { series: sel(m.up, {}, worker), values: '1+0x20' },
      { series: sel(m.redisUp, {}, exporter), values: `${redisUp ? 1 : 0}+0x20` },
      { series: sel(m.httpRequestsTotal, { method: 'POST', route: '/vote', status: '200' }, vote), values: '0+600x20' },
      { series: sel(m.queueEnqueuedTotal, { queue: q.name }, vote), values: '0+600x20' },
      { series: sel(m.queueDequeuedTotal, { queue: q.name }, worker), values: '0+600x20' },
      ...queueSeries,
    ],
    promql_expr_test: [
      {
        expr: r.systemVotingHealthScore.name,
        eval_time: '10m',
        exp_samples: [{ labels: r.systemVotingHealthScore.name, value: redisUp ? 100 : 90 }],
      },
    ],
  };
}

export function scenarioSuites(
  cfg: MixinConfig,
  ruleFiles: string[],
  groupOrder: string[],
  panels: PanelIds = {},
): Map<string, PromtoolTestFile> {
  const specs = alertSpecs(cfg);
  const file = (tests: PromtoolTestGroup[]): PromtoolTestFile => ({
    rule_files: ruleFiles,
    evaluation_interval: '1m',
    group_eval_order: groupOrder,
    tests,
  });
  return new Map([
    ['scenario-worker-dead', file([workerDead(cfg, specs, panels)])],
    ['scenario-redis-down', file([redisDown(cfg, specs, panels), memoryGuard(cfg)])],
    ['scenario-redis-server', file([...bgsaveFails(cfg, specs, panels), fragmentationGuard(cfg), singleRedis(cfg)])],
    ['scenario-slo-burn', file([burn(cfg, specs, 'fast', panels), burn(cfg, specs, 'slow', panels)])],
    ['scenario-recording-rules', file([recordingScenario(cfg, true), recordingScenario(cfg, false)])],
  ]);
}
