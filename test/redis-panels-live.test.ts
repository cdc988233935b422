// Our own Redis & queue dashboard against the real thing (issue 13): the compatibility stack's
// private Redis primary (AOF on, traffic with failing commands) and its replica, each watched by
// our exporter and by redis_exporter 1.45, one Prometheus per exporter. Every target of the Redis
// rows (and of the queue exporter's own row) runs as Grafana would send it, for each `$instance` choice:
//   - with our exporter it has data unless it is marked mayBeEmpty, and a marked one has data
//     exactly where its series exist (master link on the replica, replica lag on the primary);
//   - whatever has data with redis_exporter has data with ours: the dashboard works with either.
// Needs the compiled exporter (`npm run compile`; `npm test` does it first).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { MAY_BE_EMPTY } from '../dashboards/panels.js';
import { redisQueueDashboard } from '../dashboards/redis-queue.js';
import { checkDashboard, formatRuns, type TargetRun } from './compat/dashboard-check.js';
import {
  type CompatStack,
  closeAndCheck,
  JOB,
  OUR_MAIN,
  SCRAPE_MS,
  startCompatStack,
  waitForSamples,
} from './compat/stack.js';

const log = (line: string) => console.log(`redis panels: ${line}`);
/** Samples of every target before the panels run: $__rate_interval (4 scrapes) twice over. */
const MIN_SAMPLES = 8;

// The compat stack scrapes both exporters under one job: the dashboard's exporter selector is it.
const cfg = defineConfig({ selectors: { exporter: { job: JOB } } });
const dashboard = redisQueueDashboard(cfg) as unknown as Record<string, unknown>;

type Json = Record<string, any>;
const rows = (dashboard.panels as Json[]).filter((p) => p.type === 'row').map((p) => p.title as string);
/** Titles of the panels under the Redis and exporter rows (the queue rows need the vote service and worker). */
const redisPanels = new Set<string>();
let current = '';
for (const p of dashboard.panels as Json[]) {
  if (p.type === 'row') current = p.title;
  else if (current.startsWith('Redis') || current === 'Queue exporter') redisPanels.add(p.title);
}
/** `title › refId` → why the target may be empty (its mayBeEmpty marker). */
const marked = new Map<string, string>();
for (const p of dashboard.panels as Json[])
  for (const t of (p.targets ?? []) as Json[])
    if (t[MAY_BE_EMPTY]) marked.set(`${p.title} › ${t.refId}`, t[MAY_BE_EMPTY]);
const key = (r: TargetRun) => `${r.target.panelTitle} › ${r.target.where.split(' › ').at(-1)}`;

let stack: CompatStack;
let pids: number[] = [];
let runs: TargetRun[] = [];

beforeAll(async () => {
  if (!existsSync(OUR_MAIN)) throw new Error(`${OUR_MAIN} missing: run \`npm run compile\` first`);
  stack = await startCompatStack(log);
  pids = stack.pids();
  await waitForSamples(stack, MIN_SAMPLES);
  const timing = { rangeMs: 5 * 60_000, scrapeMs: SCRAPE_MS, maxDataPoints: 1000, toMs: Date.now() };
  const report = await checkDashboard('redis-queue', dashboard, stack.prom, timing);
  runs = report.runs.filter((r) => redisPanels.has(r.target.panelTitle));
  log(`${runs.length} runs of ${new Set(runs.map(key)).size} targets in the Redis rows; ${report.notes.join('; ')}`);
}, 120_000);

afterAll(async () => {
  expect(await closeAndCheck(stack, pids)).toEqual([]);
}, 30_000);

const on = (role: 'primary' | 'replica') => (r: TargetRun) => r.selection.includes(`instance=${stack.instance[role]}`);

describe('the Redis rows of our dashboard on a real Redis primary and replica', () => {
  it('run every Redis panel for each instance, the detail rows included', () => {
    expect(rows.slice(-3)).toEqual(['Redis commands and traffic', 'Redis persistence and memory', 'Redis replication']);
    expect(runs.filter(on('primary')).length).toBeGreaterThan(30);
    expect(runs.filter(on('replica')).length).toBe(runs.filter(on('primary')).length);
  });

  it('have data with our exporter wherever they are not marked as possibly empty', () => {
    const blank = runs.filter((r) => !marked.has(key(r)) && r.verdict.ours !== 'data');
    expect(formatRuns(blank), 'unmarked targets without data').toBe('');
  });

  it('show what a marked target waits for exactly where it exists: a replica link, a primary replica lag, an error', () => {
    const verdict = (title: string, role: 'primary' | 'replica', ref = 'A') =>
      runs.find((r) => key(r) === `${title} › ${ref}` && on(role)(r))?.verdict.ours;
    expect(verdict('Master link', 'replica')).toBe('data');
    expect(verdict('Master link', 'primary')).toBe('empty');
    expect(verdict('Replica lag', 'primary')).toBe('data');
    expect(verdict('Replica lag', 'replica')).toBe('empty');
    expect(verdict('Replica offset lag', 'primary')).toBe('data');
    // The traffic's failing INCR makes an ERR reply on the primary.
    expect(verdict('Error replies/s', 'primary', 'B')).toBe('data');
  });

  it('show per-command latency for the queue commands the traffic sends', async () => {
    const expr = runs.find((r) => key(r) === 'Command latency by command › A' && on('primary')(r))!.expr.ours;
    const o = await stack.prom.ours.instant(expr.replaceAll('$__rate_interval', '1m'), Date.now() / 1000);
    const cmds = o.ok ? o.series.map((s) => s.metric.cmd) : [];
    expect(cmds).toEqual(expect.arrayContaining(['lpush', 'rpop']));
    // Seconds per call: a few microseconds, never 0 for a command called hundreds of times (Redis
    // counts whole microseconds, so a rarely called one may read 0).
    for (const s of o.ok ? o.series.filter((x) => ['lpush', 'rpop'].includes(x.metric.cmd!)) : []) {
      expect(Number(s.values[0]?.[1]), s.metric.cmd).toBeGreaterThan(0);
      expect(Number(s.values[0]?.[1]), s.metric.cmd).toBeLessThan(0.01);
    }
  });

  it('have data with our exporter wherever they have data with redis_exporter', () => {
    const lost = runs.filter((r) => r.verdict.theirs === 'data' && r.verdict.ours !== 'data');
    expect(formatRuns(lost), 'targets with data from redis_exporter and none from ours').toBe('');
    // Sanity: redis_exporter fills most of these panels too (a broken harness must not pass).
    expect(runs.filter((r) => r.verdict.theirs === 'data').length).toBeGreaterThan(runs.length / 2);
  });
});
