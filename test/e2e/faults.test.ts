// Fault injection end to end, in compressed time, on ONE stack shared by sequential scenarios:
// each fault must reach the webhook as a firing notification through the real Prometheus (the
// generated rules) and Alertmanager (the generated routes and inhibitions), within the configured
// `for` + scrape + evaluation + group_wait budget, and resolve once undone. Then `verify` over the
// same stack must find no empty panel and no unknown metric.
//
// Every wait here is derived from the configured intervals (scripts/dev/stack/faults.ts:
// fireBudgetSeconds, resolveBudgetSeconds, drainBudgetSeconds, scenarioTimeoutMs), never a literal:
// a change of interval, `for` or route timing moves the budgets with it.
import { hasAlert } from '@voting-mixin/reference-app/alert-receiver';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../../config/metrics.js';
import { deepMerge, defaultConfig, type MixinConfig } from '../../config/mixin-config.js';
import { durationSeconds, sel } from '../../config/promql.js';
import {
  alertTiming,
  compressedOverrides,
  drainBudgetSeconds,
  fireBudgetSeconds,
  notificationBudgetSeconds,
  pipelineTiming,
  runScenario,
  type Scenario,
  SLACK_SECONDS,
  scenarios,
  scenarioTimeoutMs,
} from '../../scripts/dev/stack/faults.js';
import { type LoadGenerator, startLoad } from '../../scripts/dev/stack/load.js';
import { STACK_ROUTE_TIMING, Stack } from '../../scripts/dev/stack/stack.js';
import { sleep, waitFor } from '../support/index.js';
import { runVerify } from './verify-run.js';

const INTERVAL = '1s';
/** A process the stack restarts (Redis, a vote instance reconnecting) answers within this; not an interval. */
const RESTART_MS = 30_000;
/** Building dist/ and starting every process (Stack.start's own readiness waits are 15–30 s each, in parallel). */
const STACK_START_MS = 90_000;
/**
 * vitest's own timeouts are fixed when the file is collected, before the stack exists: computed
 * from the same overrides on the defaults, as a backstop. The derived waits inside a test fail
 * first, with what they waited for. Per scenario: quiet + firing + resolved (3 × the step timeout,
 * with the longest `for` of any alert), a drain and a restart.
 */
const planned: MixinConfig = deepMerge(
  defaultConfig,
  deepMerge(compressedOverrides(INTERVAL), {
    prometheus: { scrapeInterval: INTERVAL, evaluationInterval: INTERVAL },
    alertmanager: {
      timing: { critical: STACK_ROUTE_TIMING, warning: STACK_ROUTE_TIMING, info: STACK_ROUTE_TIMING },
    },
  }),
);
const plannedTiming = pipelineTiming(planned);
const longestFor = Math.max(
  ...[
    planned.alerts.defaultFor,
    planned.alerts.downFor,
    planned.alerts.growingFor,
    ...planned.queues.map((q) => q.for),
  ].map(durationSeconds),
);
const stepMs =
  2 *
  1000 *
  Math.max(
    fireBudgetSeconds(plannedTiming, longestFor, 'rate'),
    fireBudgetSeconds(plannedTiming, longestFor, 'stalled'),
  );
const SCENARIO_MS = 3 * stepMs + 2 * 1000 * drainBudgetSeconds(planned) + RESTART_MS;
/** Rate windows full of traffic before the first fault: the window and two scrapes. */
const WARM_UP_MS = 1000 * (plannedTiming.rateWindow + 2 * plannedTiming.scrape);
const scenario = (name: string): Scenario => {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
};

const backlog = `sum(${sel(metrics.redisQueueLength, { queue: 'votes' })})`;
const unacked = `sum(${sel(metrics.redisQueueProcessingLength, { queue: 'votes' })})`;
const VOTES_PER_SECOND = 20;
/**
 * "Drained" while the load still runs: at most one second of votes waiting or in the worker's hands.
 * Exactly 0 needs a scrape to land between two arrivals, and on a busy 2-core machine the in-flight
 * batch is often all a scrape sees (the PostgreSQL-cut drain timed out once on that). The strict
 * check, every accepted vote in PostgreSQL, runs after the load stops.
 */
const drainMs = () => 1000 * drainBudgetSeconds(stack.cfg);
const caughtUp = async (expr: string) => {
  const [q] = await stack.query(expr);
  return q !== undefined && q.value <= VOTES_PER_SECOND;
};

let stack: Stack;
let load: LoadGenerator;
const timings: string[] = [];
// This file takes minutes: say where it is, so a CI log shows progress rather than silence.
const progress = (line: string) => console.log(`e2e faults: ${line}`);

beforeAll(async () => {
  progress(
    'starting the stack (Redis, PostgreSQL database, 2 vote, worker, result, queue exporter, postgres_exporter, Prometheus, Alertmanager)',
  );
  stack = await Stack.start({ interval: INTERVAL, overrides: compressedOverrides(INTERVAL) });
  progress(`stack up; ${WARM_UP_MS / 1000} s of load to fill the rate windows`);
  load = startLoad({
    urls: stack.urls.vote,
    resultUrl: stack.urls.result,
    votesPerSecond: VOTES_PER_SECOND,
    options: ['cats', 'dogs'],
  });
  await sleep(WARM_UP_MS);
}, STACK_START_MS + WARM_UP_MS);

afterAll(async () => {
  await load?.stop();
  await stack?.stop();
  if (timings.length) process.stdout.write(`fault → notification (budget):\n  ${timings.join('\n  ')}\n`);
}, 60_000);

/** Runs a scenario and checks each delay against the budget derived from the running rules. */
async function check(
  name: string,
  hooks: Parameters<typeof runScenario>[2] extends infer O ? Omit<O & object, 'timeoutMs'> : never = {},
) {
  const sc = scenario(name);
  progress(`${sc.name}: ${sc.description}; waiting for ${sc.alerts.map((a) => a.alert).join(', ')}`);
  const r = await runScenario(stack, sc, { timeoutMs: scenarioTimeoutMs(stack, sc), ...hooks });
  for (const e of sc.alerts) {
    const budget = notificationBudgetSeconds(stack, e);
    const { forSeconds } = alertTiming(stack, e.alert);
    const delay = r.fired.get(e.alert)! / 1000;
    timings.push(
      `${sc.name}: ${e.alert} ${delay.toFixed(1)} s (for ${forSeconds} s, budget ${budget} s); resolved ${(r.resolved.get(e.alert)! / 1000).toFixed(1)} s after the fix`,
    );
    progress(timings.at(-1)!);
    // Never before its `for` has elapsed, never later than the pipeline allows.
    expect(delay, `${e.alert} delay`).toBeGreaterThanOrEqual(forSeconds);
    expect(delay, `${e.alert} delay`).toBeLessThanOrEqual(budget);
  }
  return r;
}

describe('fault injection through Prometheus and Alertmanager to the webhook', () => {
  it(
    '5xx injected → VoteHighErrorRatio fires, then resolves',
    async () => {
      await check('5xx');
      const n = stack.webhook.notifications.find((x) => hasAlert(x, 'VoteHighErrorRatio', 'firing'))!;
      const a = n.alerts.find((x) => x.labels.alertname === 'VoteHighErrorRatio')!;
      expect(['warning', 'critical']).toContain(a.labels.severity);
      expect(a.annotations.runbook_url).toMatch(/VoteHighErrorRatio\.md$/);
    },
    SCENARIO_MS,
  );

  it(
    'latency injected → VoteHighLatency fires, then resolves',
    async () => {
      await check('latency');
    },
    SCENARIO_MS,
  );

  it(
    'worker killed → WorkerDown and QueueBacklogHigh fire, and resolve after a restart',
    async () => {
      await check('worker-killed', {
        whileFaulty: async () => {
          const [len] = await stack.query(backlog);
          expect(len!.value).toBeGreaterThan(stack.cfg.queues[0]!.critical);
        },
        // The backlog alert resolves once the restarted worker drained the queue.
        afterRestore: () =>
          waitFor('the queue to drain', () => caughtUp(backlog), RESTART_MS + drainMs(), 500).then(() => {}),
      });
    },
    SCENARIO_MS,
  );

  it(
    'Redis stopped → RedisDown fires, queue alerts are inhibited, vote answers 503, and all recovers',
    async () => {
      await check('redis-down', {
        whileFaulty: async () => {
          const res = await fetch(`${stack.urls.vote[0]}/vote`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ option: 'cats' }),
          });
          expect(res.status).toBe(503);
          // A queue alert arriving while Redis is down must be silenced by the generated inhibition:
          // post one straight to Alertmanager and ask it what it did with it.
          const am = stack.urls.alertmanager;
          const labels = {
            alertname: 'QueueBacklogHigh',
            severity: 'critical',
            queue: 'votes',
            job: 'redis-queue-exporter',
          };
          const post = await fetch(`${am}/api/v2/alerts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([{ labels, annotations: { summary: 'e2e probe' } }]),
          });
          expect(post.ok).toBe(true);
          const t = pipelineTiming(stack.cfg);
          const probe = await waitFor(
            'Alertmanager to process the probe alert',
            async () => {
              const list = (await (
                await fetch(`${am}/api/v2/alerts?filter=alertname%3D%22QueueBacklogHigh%22`)
              ).json()) as Array<{ status: { state: string; inhibitedBy: string[] } }>;
              return list[0];
            },
            2 * SLACK_SECONDS * 1000,
            200,
          );
          expect(probe.status.state).toBe('suppressed');
          expect(probe.status.inhibitedBy.length).toBeGreaterThan(0);
          // A notification would have gone out by now: group_wait + group_interval, one evaluation.
          await sleep(1000 * (t.groupWait + t.groupInterval + t.evaluation));
          expect(
            stack.webhook.notifications.some((n) => n.alerts.some((a) => a.annotations.summary === 'e2e probe')),
          ).toBe(false);
        },
        afterRestore: async () => {
          await waitFor(
            'vote to accept votes again',
            async () => {
              const res = await fetch(`${stack.urls.vote[0]}/vote`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ option: 'dogs' }),
              });
              return res.status === 202;
            },
            RESTART_MS,
            500,
          );
        },
      });
    },
    SCENARIO_MS,
  );

  it(
    'PostgreSQL cut → WorkerStalled fires; after the fix the queue drains and no accepted vote is lost',
    async () => {
      await check('postgres-cut', {
        afterRestore: () =>
          waitFor(
            'the queue and processing list to drain',
            () => caughtUp(`${backlog} + ${unacked}`),
            drainMs(),
            500,
          ).then(() => {}),
      });
      await load.stop();
      // Votes accepted before the queue item could be written: give the worker the last ones.
      await waitFor(
        'the last votes to be stored',
        async () => (await stack.query(backlog))[0]?.value === 0,
        drainMs(),
        500,
      );
      const ids = [...load.acceptedIds];
      expect(ids.length).toBeGreaterThan(500);
      const c = new pg.Client({ connectionString: stack.db.url });
      await c.connect();
      try {
        const lost = await waitFor(
          'every accepted vote in PostgreSQL',
          async () => {
            const { rows } = await c.query<{ n: string }>(
              'SELECT count(*) AS n FROM vote_events WHERE id = ANY($1::text[])',
              [ids],
            );
            return Number(rows[0]!.n) === ids.length ? 0 : undefined;
          },
          drainMs(),
          1000,
        ).catch(async () => {
          const { rows } = await c.query<{ n: string }>(
            'SELECT count(*) AS n FROM vote_events WHERE id = ANY($1::text[])',
            [ids],
          );
          return ids.length - Number(rows[0]!.n);
        });
        expect(lost, `accepted votes missing from PostgreSQL (of ${ids.length})`).toBe(0);
      } finally {
        await c.end();
      }
    },
    SCENARIO_MS,
  );

  it('verify over the stack after all that traffic: zero empty panels, zero unknown metrics', async () => {
    const { code, report, stderr, show } = await runVerify(stack, '--lookback', '15m');
    expect(report.stats.panelTargets, stderr).toBeGreaterThan(30);
    expect(report.stats.rules).toBeGreaterThan(20);
    expect(report.stats.errors, show).toBe(0);
    expect(report.stats.emptyPanels, show).toBe(0);
    expect(report.stats.unknownMetrics, show).toBe(0);
    // The catalog check: every metric the catalog declares is scraped from some target. Only the
    // metrics the catalog marks `onlyWhen` (stream consumer groups; this stack's queue is a list)
    // may be absent, and they are quiet (with the reason), not findings.
    const quietCatalog = report.stats.quiet.filter((q) => q.context.startsWith('catalog metric '));
    expect(quietCatalog.map((q) => q.context)).toEqual(
      expect.arrayContaining([
        `catalog metric ${metrics.redisQueueStreamGroupLag.name} (exporter)`,
        `catalog metric ${metrics.redisQueueStreamGroupPending.name} (exporter)`,
      ]),
    );
    expect(report.findings, show).toEqual([]);
    expect(code, show).toBe(0);
  }, 120_000);
});
