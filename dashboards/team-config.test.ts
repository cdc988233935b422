// The dashboards built from a team's own config (not the defaults): every one fits Grafana's grid,
// ratios and counts read 0 instead of "No data" without hiding a missing metric, the health gauge
// takes its bands from the config, the overview has the business row, and the queries that may
// rightly be empty carry the marker `verify` reads.
import { describe, expect, it } from 'vitest';
import { alertSpecs } from '../alerts/groups.js';
import { recordingRules } from '../alerts/recording.js';
import { defineConfig } from '../config/define-config.js';
import { teamConfig } from '../test/fixtures/team-config.js';
import { GRID_COLUMNS, gridFindings } from '../validate/dashboard/grid.js';
import { lintDashboard } from '../validate/dashboard/index.js';
import { substituteVariables } from '../validate/dashboard/variables.js';
import { parsePromQL } from '../validate/promql.js';
import { allDashboards, overviewDashboard, redisQueueDashboard, voteDashboard, workerDashboard } from './index.js';
import { MAY_BE_EMPTY } from './panels.js';
import { orZero } from './queries.js';

type P = Record<string, any>;

const all = (d: { panels?: unknown }): P[] =>
  (d.panels as P[]).flatMap((p) => [p, ...((p.panels as P[] | undefined) ?? [])]);
const panelsOf = (d: { panels?: unknown }) => all(d).filter((p) => p.type !== 'row');
const byTitle = (d: { panels?: unknown }, t: string): P => {
  const p = panelsOf(d).find((x) => x.title === t);
  if (!p) throw new Error(`no panel "${t}"`);
  return p;
};
const steps = (p: P) => (p.fieldConfig.defaults.thresholds.steps as P[]).map((s) => [s.value, s.color]);
const promTargets = (d: { panels?: unknown }) =>
  panelsOf(d)
    .filter((p) => p.type !== 'logs')
    .flatMap((p) => (p.targets as P[]).map((t) => ({ panel: p.title as string, target: t })));

describe('dashboards from a team config', () => {
  const dashboards = allDashboards(teamConfig);

  it('keep their uids and titles', () => {
    expect(dashboards.map((d) => [d.uid, d.title])).toEqual([
      ['acme-voting-overview', 'Acme / Overview'],
      ['acme-voting-vote', 'Acme / Vote service'],
      ['acme-voting-redis-queue', 'Acme / Redis & queue'],
      ['acme-voting-worker', 'Acme / Worker'],
    ]);
  });

  it("fit Grafana's 24-column grid without overlap (dashboard/grid, dashboard/overlap), one row per queue", () => {
    for (const d of dashboards) {
      expect(gridFindings(d as unknown as P), d.title).toEqual([]);
      for (const p of all(d))
        expect(p.gridPos.x + p.gridPos.w, `${d.title} › ${p.title}`).toBeLessThanOrEqual(GRID_COLUMNS);
      expect(
        lintDashboard(d).filter((f) => f.severity === 'error'),
        d.title,
      ).toEqual([]);
    }
    const rows = all(redisQueueDashboard(teamConfig)).filter((p) => p.type === 'row');
    expect(rows.map((r) => r.title)).toEqual([
      'Redis',
      'Queue votes',
      'Queue audit',
      'Queue email',
      'Queue exporter',
      'Redis commands and traffic',
      'Redis persistence and memory',
      'Redis replication',
      // audit is a stream, votes and email are auto (they may be): after every other row.
      'Stream consumer groups',
    ]);
    // The overview's stat line per queue wraps instead of running off the grid.
    const queueStats = panelsOf(overviewDashboard(teamConfig)).filter((p) => /^Queue /.test(p.title));
    expect(queueStats).toHaveLength(6);
  });

  it('stay lint-clean and parse once their variables are substituted', () => {
    for (const d of dashboards) {
      expect(lintDashboard(d), d.title).toEqual([]);
      for (const { target } of promTargets(d))
        expect(parsePromQL(substituteVariables(target.expr).text).errors, target.expr).toEqual([]);
    }
  });
});

describe('processing panels', () => {
  // Only a queue with a processingPattern has processing series (the exporter reads no lists otherwise).
  const cfg = defineConfig({
    queues: [
      { name: 'votes', key: 'votes', processingPattern: 'votes:processing:*' },
      { name: 'audit', key: 'audit', type: 'stream' },
      { name: 'email', key: 'email:*' },
    ],
  });
  const d = redisQueueDashboard(cfg);

  it('are drawn only for queues with a processingPattern, the others fill the row with length and age', () => {
    expect(
      panelsOf(d)
        .filter((p) => / processing$/.test(p.title))
        .map((p) => p.title),
    ).toEqual(['votes: processing']);
    expect(panelsOf(redisQueueDashboard(teamConfig)).filter((p) => / processing$/.test(p.title))).toEqual([]);
    for (const q of ['audit', 'email'])
      expect([byTitle(d, `${q}: length`).gridPos.w, byTitle(d, `${q}: oldest item age`).gridPos.w]).toEqual([12, 12]);
    expect(gridFindings(d as unknown as P)).toEqual([]);
    expect(lintDashboard(d)).toEqual([]);
  });

  it('match QueueProcessingStuck: generated for the same queues, linking to their panel', () => {
    const stuck = alertSpecs(cfg).filter((s) => s.alert === 'QueueProcessingStuck');
    expect(stuck.map((s) => s.dashboard.panel)).toEqual(['votes: processing']);
  });
});

describe('zero where zero is the truth', () => {
  const vote = voteDashboard(teamConfig);
  const worker = workerDashboard(teamConfig);
  const overview = overviewDashboard(teamConfig);
  const user = 'route!~"/metrics|/health|/ready"';

  it('orZero falls back to 0 × the source, matched on labels or (whole) only when empty', () => {
    expect(orZero('a / b', 'b')).toBe('(a / b or 0 * b)');
    expect(orZero('sum by (reason) (x)', 'sum (y)', { whole: true })).toBe(
      '(sum by (reason) (x) or on () 0 * sum (y))',
    );
  });

  it('5xx and 4xx ratios: the ratio, or 0 × the same service’s request rate (never vector(0))', () => {
    for (const [title, status] of [
      ['5xx ratio', '5..'],
      ['4xx ratio', '4..'],
    ] as const) {
      const expr = byTitle(vote, title).targets[0].expr as string;
      // The vote job besides $job: the vote dashboard's $job also offers the result service (same metrics).
      const requests = `sum (rate(http_requests_total{job=~"vote-(prod|canary)", namespace="voting", instance=~"$instance", job=~"$job", ${user}}[$__rate_interval]))`;
      const errors = requests.replace(user, `${user}, status=~"${status}"`);
      expect(expr).toBe(`(${errors} / ${requests} or 0 * ${requests})`);
    }
  });

  it('worker failures and failure ratio: 0 × all processed votes when no vote failed or was invalid', () => {
    const processed =
      'sum (rate(worker_votes_processed_total{job=~"$job", namespace="voting", instance=~"$instance"}[$__rate_interval]))';
    const failed = processed.replace('instance=~"$instance"', 'instance=~"$instance", result=~"failed|invalid"');
    expect(byTitle(worker, 'Failures/s').targets[0].expr).toBe(`(${failed} or 0 * ${processed})`);
    expect(byTitle(worker, 'Failure ratio').targets[0].expr).toBe(`(${failed} / ${processed} or 0 * ${processed})`);
    expect(byTitle(overview, 'Worker failure ratio').targets[0].expr).toBe(
      `(${failed} / ${processed} or 0 * ${processed})`,
    );
  });

  it('targets down: a count that reads 0 while targets are scraped, beside the list of those down', () => {
    const up = 'up{job=~"$job", instance=~"$instance"}';
    expect(byTitle(overview, 'Targets down').targets[0].expr).toBe(`(count (${up} == 0) or 0 * count (${up}))`);
    expect(byTitle(overview, 'Scrape targets down').targets[0].expr).toBe(`${up} == 0`);
    expect(byTitle(overview, 'Scrape targets down').fieldConfig.defaults.noValue).toBe('No target is down');
  });

  it('firing alerts: 0 while the mixin’s rules are loaded (their health score exists), no value otherwise', () => {
    expect(byTitle(overview, 'Firing alerts').targets[0].expr).toBe(
      '(count (ALERTS{alertstate="firing", mixin="voting-mixin"}) or 0 * count (system:voting_health:score))',
    );
  });

  it('drain ETA: 0 for an empty queue', () => {
    const d = redisQueueDashboard(teamConfig);
    const expr = byTitle(d, 'audit: drain ETA').targets[0].expr as string;
    expect(expr).toMatch(
      /^\(sum \(redis_queue_length\{.*queue="audit"\}\) \/ \(\(.*\) > 0\)\) or sum \(redis_queue_length\{.*queue="audit"\}\) == 0$/,
    );
  });

  it('the 5xx error ratio and SLO availability recordings: by job, 0 × the request rate as fallback', () => {
    const rules = recordingRules(teamConfig);
    const requests = `sum by (job) (rate(http_requests_total{job=~"vote-(prod|canary)", namespace="voting", ${user}}[5m]))`;
    const errors = requests.replace(user, `${user}, status=~"5.."`);
    const ratio = rules.find((r) => r.record === 'job:http_request_errors:ratio_rate5m')!;
    expect(ratio.expr).toBe(`(${errors} / ${requests} or 0 * ${requests})`);
    const slo = rules.find((r) => r.record === 'job:slo_availability_errors:ratio_rate1h')!;
    expect(slo.expr).toBe(`(${errors} / ${requests} or 0 * ${requests})`.replaceAll('[5m]', '[1h]'));
  });

  it('no dashboard query or recording rule papers over a missing metric with vector(0)', () => {
    for (const d of allDashboards(teamConfig))
      for (const { target } of promTargets(d))
        expect(target.expr, target.expr).not.toMatch(/or\s+(on\s*\(\)\s*)?vector\(0\)/);
    for (const r of recordingRules(teamConfig).filter((x) => /error|slo_/.test(x.record)))
      expect(r.expr, r.record).not.toContain('vector(');
  });
});

describe('queries that may rightly be empty carry the marker', () => {
  it(`only lists of failing things, limits that may be unset, replication series and stream consumer groups have "${MAY_BE_EMPTY}", each with a reason`, () => {
    const marked = allDashboards(teamConfig).flatMap((d) =>
      promTargets(d)
        .filter(({ target }) => target[MAY_BE_EMPTY] !== undefined)
        .map(({ panel, target }) => {
          expect(typeof target[MAY_BE_EMPTY] === 'string' && target[MAY_BE_EMPTY].length > 10, panel).toBe(true);
          return `${String(d.uid).replace('acme-voting-', '')} › ${panel} › ${target.refId}`;
        }),
    );
    expect(marked).toEqual([
      'overview › Firing alerts by name › A',
      'overview › Redis memory / maxmemory › A',
      'overview › Scrape targets down › A',
      // Series only cAdvisor (Docker Compose) has.
      'overview › Container CPU (cores) › A',
      'overview › Container memory (working set) › A',
      'overview › Container restarts › A',
      'redis-queue › Memory used / maxmemory › A',
      'redis-queue › Memory › C',
      'redis-queue › votes: drain ETA › A',
      'redis-queue › audit: drain ETA › A',
      'redis-queue › email: drain ETA › A',
      // Breakdowns beside a total that reads 0, and series only replicas have.
      'redis-queue › Error replies/s › B',
      'redis-queue › Keys › C',
      'redis-queue › Master link › A',
      'redis-queue › Replica lag › A',
      'redis-queue › Replica offset lag › A',
      // Series only a stream read by consumer groups has.
      'redis-queue › Stream consumer groups: lag and pending by group › A',
      'redis-queue › Stream consumer groups: lag and pending by group › B',
    ]);
  });

  it('no ratio, rate of failures or count of down things is marked', () => {
    for (const d of allDashboards(teamConfig))
      for (const { panel, target } of promTargets(d))
        if (/ratio|[Ff]ailure|^Targets down$|^Firing alerts$/.test(panel) && !/maxmemory/.test(panel))
          expect(target[MAY_BE_EMPTY], panel).toBeUndefined();
  });
});

describe('health score gauge', () => {
  it('red below thresholds.health.warning, amber from it, green from .healthy', () => {
    const gauge = byTitle(overviewDashboard(teamConfig), 'Health score');
    expect(gauge.type).toBe('gauge');
    expect(steps(gauge)).toEqual([
      [null, 'red'],
      [80, 'orange'],
      [95, 'green'],
    ]);
    expect(gauge.description).toContain('Green from 95, amber from 80');
    expect(steps(byTitle(overviewDashboard(defineConfig()), 'Health score'))).toEqual([
      [null, 'red'],
      [70, 'orange'],
      [90, 'green'],
    ]);
  });
});

describe('business row', () => {
  const overview = overviewDashboard(teamConfig);
  const votes = 'votes_total{job=~"$job", namespace="voting", instance=~"$instance"}';

  it('total votes, votes per option and vote share over the time range, from votes_total', () => {
    const row = (overview.panels as P[]).findIndex((p) => p.type === 'row' && p.title === 'Votes');
    expect(row).toBeGreaterThan(0);
    const [total, perOption, share] = (overview.panels as P[]).slice(row + 1, row + 4);
    expect([total!.title, total!.type]).toEqual(['Total votes', 'stat']);
    expect([perOption!.title, perOption!.type]).toEqual(['Votes by option', 'bargauge']);
    expect([share!.title, share!.type]).toEqual(['Vote share', 'piechart']);
    const byOption = `sum by (option) (increase(${votes}[$__range]))`;
    expect(total!.targets[0]).toMatchObject({ expr: `sum (increase(${votes}[$__range]))`, instant: true });
    expect(perOption!.targets[0]).toMatchObject({ expr: byOption, legendFormat: '{{option}}', instant: true });
    expect(share!.targets[0]).toMatchObject({
      expr: `${byOption} / ignoring (option) group_left sum (increase(${votes}[$__range]))`,
      legendFormat: '{{option}}',
    });
    expect(share!.fieldConfig.defaults.unit).toBe('percentunit');
    // One line of the grid.
    expect([total, perOption, share].map((p) => p!.gridPos.w).reduce((a, b) => a + b)).toBe(24);
    expect(overview.__requires.map((r) => r.id)).toEqual(expect.arrayContaining(['bargauge', 'piechart']));
  });
});
