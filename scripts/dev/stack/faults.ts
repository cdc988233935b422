/**
 * The failure scenarios, shared by `npm run demo -- --faults` and the end-to-end tests: how to
 * inject each fault into a running Stack, which alerts must reach the webhook, and how to undo
 * it. Also the compressed-time config that makes alerts fire in seconds instead of minutes.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasAlert } from '@voting-mixin/reference-app/alert-receiver';
import { parse } from 'yaml';
import { metrics } from '../../../config/metrics.js';
import type { ConfigOverrides, MixinConfig } from '../../../config/mixin-config.js';
import { durationSeconds } from '../../../config/promql.js';
import { waitFor } from '../../../test/support/index.js';
import type { Stack } from './stack.js';

/** Thresholds low enough for a gentle load, windows ≥ 4 scrape intervals, `for` of seconds. */
export function compressedOverrides(interval: '1s' | '2s'): ConfigOverrides {
  const i = durationSeconds(interval);
  const s = (n: number) => `${n * i}s` as const;
  return {
    alerts: {
      rateWindow: s(10),
      defaultFor: s(3),
      downFor: s(3),
      stalledFor: s(10),
      growingFor: s(15),
      keepFiringFor: '0s',
      forOverrides: {},
    },
    queues: [
      {
        name: 'votes',
        key: 'votes',
        type: 'list',
        processingPattern: 'votes:processing:*',
        warning: 20,
        critical: 40,
        for: s(3),
        averagedCritical: 100000,
        oldestAgeWarningSeconds: 30 * i,
        oldestAgeCriticalSeconds: 60 * i,
        drainTargetSeconds: 30,
      },
    ],
    thresholds: {
      vote: {
        errorRatioWarning: 0.05,
        errorRatioCritical: 0.2,
        latencyP95WarningSeconds: 0.25,
        latencyP95CriticalSeconds: 0.5,
      },
    },
  };
}

export interface ExpectedAlert {
  alert: string;
  /**
   * The alert's expression looks through a window (the rate window, or the stalled window of
   * WorkerStalled) that must fill with the fault first; `none` for a plain gauge comparison.
   */
  window: 'rate' | 'stalled' | 'none';
}

export interface Scenario {
  name: string;
  description: string;
  alerts: ExpectedAlert[];
  inject(stack: Stack): Promise<void>;
  restore(stack: Stack): Promise<void>;
}

export const scenarios: Scenario[] = [
  {
    name: '5xx',
    description: 'both vote instances answer 500 to half the requests',
    alerts: [{ alert: 'VoteHighErrorRatio', window: 'rate' }],
    inject: async (s) => void (await Promise.all(s.urls.vote.map((u) => s.faults(u, { errorRate: 0.5 })))),
    restore: async (s) => void (await Promise.all(s.urls.vote.map((u) => s.faults(u, null)))),
  },
  {
    name: 'latency',
    description: 'every vote request is delayed by 800 ms',
    alerts: [{ alert: 'VoteHighLatency', window: 'rate' }],
    inject: async (s) =>
      void (await Promise.all(s.urls.vote.map((u) => s.faults(u, { latencyMs: 800, latencyRate: 1 })))),
    restore: async (s) => void (await Promise.all(s.urls.vote.map((u) => s.faults(u, null)))),
  },
  {
    name: 'worker-killed',
    description: 'the worker is killed (SIGKILL): nothing drains the queue',
    alerts: [
      { alert: 'WorkerDown', window: 'none' },
      { alert: 'QueueBacklogHigh', window: 'none' },
    ],
    inject: (s) => s.proc('worker').kill(),
    restore: (s) => s.startService('worker'),
  },
  {
    name: 'redis-down',
    description: 'Redis is stopped: votes cannot be queued',
    alerts: [{ alert: 'RedisDown', window: 'none' }],
    inject: (s) => s.proc('redis').stop(),
    restore: (s) => s.startService('redis'),
  },
  {
    name: 'postgres-cut',
    description: "the worker's connection to PostgreSQL is cut: it cannot store votes",
    alerts: [{ alert: 'WorkerStalled', window: 'stalled' }],
    inject: async (s) => s.pgProxy.cut(),
    restore: async (s) => s.pgProxy.restore(),
  },
];

/** The `for` (seconds) and rate window of an alert, read from the rule files the stack runs. */
export function alertTiming(stack: Stack, alert: string): { forSeconds: number } {
  const dir = join(stack.dist, 'prometheus/rules');
  let forSeconds = -1;
  for (const f of readdirSync(dir)) {
    const doc = parse(readFileSync(join(dir, f), 'utf8')) as {
      groups?: Array<{ rules?: Array<{ alert?: string; for?: string }> }>;
    };
    for (const g of doc.groups ?? [])
      for (const r of g.rules ?? [])
        if (r.alert === alert) forSeconds = Math.max(forSeconds, r.for ? durationSeconds(r.for) : 0);
  }
  if (forSeconds < 0) throw new Error(`no alerting rule ${alert} in ${dir}`);
  return { forSeconds };
}

/** Slack for a busy machine (2 cores shared by several test runs): late scrapes, slow evaluations. */
export const SLACK_SECONDS = 5;

/** The intervals the alert pipeline waits on, in seconds, read from the config the stack runs. */
export interface PipelineTiming {
  scrape: number;
  evaluation: number;
  /** The longest group_wait / group_interval of any severity's route. */
  groupWait: number;
  groupInterval: number;
  rateWindow: number;
  stalledFor: number;
}

export function pipelineTiming(cfg: MixinConfig): PipelineTiming {
  const routes = Object.values(cfg.alertmanager.timing);
  return {
    scrape: durationSeconds(cfg.prometheus.scrapeInterval),
    evaluation: durationSeconds(cfg.prometheus.evaluationInterval),
    groupWait: Math.max(...routes.map((r) => durationSeconds(r.groupWait))),
    groupInterval: Math.max(...routes.map((r) => durationSeconds(r.groupInterval))),
    rateWindow: durationSeconds(cfg.alerts.rateWindow),
    stalledFor: durationSeconds(cfg.alerts.stalledFor),
  };
}

const windowSeconds = (t: PipelineTiming, w: ExpectedAlert['window']) =>
  w === 'rate' ? t.rateWindow : w === 'stalled' ? t.stalledFor : 0;

/**
 * Upper bound (s) of fault → firing notification, step by step:
 *   window          the expression's look-back must fill with the fault (rate window, or the whole
 *                   stalled window of WorkerStalled; 0 for a plain gauge comparison)
 *   + 2 × scrape    the next scrape sees the fault, and a second one (rate() needs two samples;
 *                   `up` turns 0 only once a scrape fails)
 *   + for + 3 × eval  the next evaluation makes it pending, it fires at the first evaluation after
 *                   `for`, and Prometheus sends it after that evaluation (one more for a late one)
 *   + group_wait + group_interval  a new group waits group_wait; a group that already exists (an
 *                   alert of the same group resolved moments ago) waits for its next group_interval
 *   + slack         a busy machine
 */
export function fireBudgetSeconds(t: PipelineTiming, forSeconds: number, window: ExpectedAlert['window']): number {
  return (
    windowSeconds(t, window) +
    2 * t.scrape +
    forSeconds +
    3 * t.evaluation +
    t.groupWait +
    t.groupInterval +
    SLACK_SECONDS
  );
}

/**
 * Upper bound (s) of fix → resolved notification: the look-back empties of the fault (window),
 * 2 scrapes, 2 evaluations (it goes inactive, Prometheus sends the resolution), the group's next
 * group_interval, slack. What a restart or a drain adds before the fix shows is the caller's.
 */
export function resolveBudgetSeconds(t: PipelineTiming, window: ExpectedAlert['window']): number {
  return windowSeconds(t, window) + 2 * t.scrape + 2 * t.evaluation + t.groupInterval + SLACK_SECONDS;
}

/** Upper bound of fault → notification for one alert of the running stack (its `for` from the rule files). */
export function notificationBudgetSeconds(stack: Stack, e: ExpectedAlert): number {
  return fireBudgetSeconds(pipelineTiming(stack.cfg), alertTiming(stack, e.alert).forSeconds, e.window);
}

/**
 * Upper bound (s) for a queue to drain after its consumer is back: the queue's drain target (what
 * its alerts call a healthy drain), a restart's readiness, 2 scrapes to see it and slack.
 */
export function drainBudgetSeconds(cfg: MixinConfig): number {
  const t = pipelineTiming(cfg);
  const target = Math.max(...cfg.queues.map((q) => q.drainTargetSeconds), 0);
  return target + 2 * t.scrape + 2 * t.evaluation + 2 * SLACK_SECONDS;
}

/**
 * How long runScenario waits for each step (quiet before, firing, resolved): twice the largest
 * fire/resolve budget of the scenario's alerts. The fire delay is then checked against its budget
 * proper, so a slow notification fails with its measured delay rather than a timeout.
 */
export function scenarioTimeoutMs(stack: Stack, sc: Scenario): number {
  const t = pipelineTiming(stack.cfg);
  const worst = Math.max(
    ...sc.alerts.map((e) => Math.max(notificationBudgetSeconds(stack, e), resolveBudgetSeconds(t, e.window))),
  );
  return 2 * worst * 1000;
}

export interface ScenarioResult {
  /** ms from injection to the firing notification, by alert. */
  fired: Map<string, number>;
  /** ms from restoring to the resolved notification, by alert. */
  resolved: Map<string, number>;
}

/** Injects, waits for every expected firing notification, restores, waits for every resolution. */
/**
 * Waits until none of the scenario's alerts is pending or firing, for two evaluations in a row.
 * The previous fault can leave one pending (after Redis comes back the worker needs a moment
 * before it dequeues again, which WorkerStalled sees); timing a fault from that state would
 * measure the wrong thing.
 */
async function waitQuiet(stack: Stack, sc: Scenario, timeoutMs: number): Promise<void> {
  const names = sc.alerts.map((a) => a.alert).join('|');
  const evalMs = durationSeconds(stack.cfg.prometheus.evaluationInterval) * 1000;
  let quietSince: number | undefined;
  await waitFor(
    `no ${names} pending or firing before ${sc.name}`,
    async () => {
      const active = await stack.query(`${metrics.alertsFiring.name}{alertname=~"${names}"}`);
      if (active.length) quietSince = undefined;
      else quietSince ??= Date.now();
      return quietSince !== undefined && Date.now() - quietSince >= 2 * evalMs;
    },
    timeoutMs,
    Math.min(500, evalMs),
  );
}

export async function runScenario(
  stack: Stack,
  sc: Scenario,
  opts: { timeoutMs: number; whileFaulty?: () => Promise<void>; afterRestore?: () => Promise<void> },
): Promise<ScenarioResult> {
  const fired = new Map<string, number>();
  const resolved = new Map<string, number>();
  await waitQuiet(stack, sc, opts.timeoutMs);
  const since = Date.now();
  await sc.inject(stack);
  await Promise.all(
    sc.alerts.map(async (e) => {
      const n = await stack.webhook.waitFor(
        (n) => n.receivedAt >= since && hasAlert(n, e.alert, 'firing'),
        opts.timeoutMs,
        `${e.alert} firing after ${sc.name}`,
      );
      fired.set(e.alert, n.receivedAt - since);
    }),
  );
  await opts.whileFaulty?.();
  const restoredAt = Date.now();
  await sc.restore(stack);
  await opts.afterRestore?.();
  await Promise.all(
    sc.alerts.map(async (e) => {
      const n = await stack.webhook.waitFor(
        (n) => n.receivedAt >= restoredAt && hasAlert(n, e.alert, 'resolved'),
        opts.timeoutMs,
        `${e.alert} resolved after restoring ${sc.name}`,
      );
      resolved.set(e.alert, n.receivedAt - restoredAt);
    }),
  );
  return { fired, resolved };
}
