// Zero where zero is the truth, checked on a real Prometheus: a private one scrapes a tiny fixed
// exposition (served by this test) under the team config's job names and evaluates the generated
// recording rules. A healthy service (requests, no 5xx) reads 0 on the 5xx ratio panel and in the
// error-ratio recordings; a service without http_requests_total reads nothing, as does a job
// nobody scrapes; a service with 5xx still reads its real ratio. Likewise the worker failure
// ratio, targets down, firing alerts and the business row.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingGroups } from '../alerts/recording.js';
import { ruleFileDoc } from '../alerts/rule-files.js';
import { toYaml } from '../alerts/yaml-output.js';
import { defineConfig } from '../config/define-config.js';
import { businessQueries, overviewQueries, voteQueries, workerQueries } from '../dashboards/queries.js';
import { teamConfig } from './fixtures/team-config.js';
import { freePorts, type ManagedProcess, startPrivatePrometheus, waitFor } from './support/index.js';

// The team's config, with rules evaluated every second so the test need not wait.
const cfg = defineConfig({ ...teamConfig, prometheus: { ...teamConfig.prometheus, evaluationInterval: '1s' } });

let scrapes = 0;
/** Counters that grow with every scrape, so rates are steady and above zero. */
function exposition(path: string): string {
  const n = ++scrapes * 10;
  const lines = (name: string, type: string, series: Array<[string, number]>) => [
    `# TYPE ${name} ${type}`,
    ...series.map(([labels, v]) => `${name}{${labels}} ${v}`),
  ];
  const vote = (status5xx: boolean) => [
    ...lines('http_requests_total', 'counter', [
      ['method="POST",route="/vote",status="200"', 3 * n],
      ['method="GET",route="/metrics",status="200"', n],
      ...(status5xx ? ([['method="POST",route="/vote",status="503"', n]] as Array<[string, number]>) : []),
    ]),
    ...lines('votes_total', 'counter', [
      ['option="cats"', 2 * n],
      ['option="dogs"', n],
    ]),
  ];
  switch (path) {
    // Healthy: user requests, never a 5xx (no status="5xx" series at all).
    case '/prod':
      return `${vote(false).join('\n')}\n`;
    // One in four user requests fails: the ratio must still read 0.25, not 0.
    case '/canary':
      return `${vote(true).join('\n')}\n`;
    // A deployment that does not expose http_requests_total: its ratio is missing, not 0.
    case '/bare':
      return `${lines('votes_total', 'counter', [['option="cats"', 0]]).join('\n')}\n`;
    // The worker only ever succeeded: no result="failed" series.
    case '/worker':
      return `${lines('worker_votes_processed_total', 'counter', [['result="ok"', n]]).join('\n')}\n`;
    default:
      return '';
  }
}

let dir: string;
let server: Server;
let prom: ManagedProcess;
let url: string;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query, now or at `time` (seconds since epoch). */
async function query(expr: string, time?: number): Promise<Sample[]> {
  const form = new URLSearchParams({ query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
  const r = await fetch(`${url}/api/v1/query`, { method: 'POST', body: form });
  const j = (await r.json()) as { status: string; error?: string; data: { result: Sample[] } };
  if (j.status !== 'success') throw new Error(`${j.error}: ${expr}`);
  return j.data.result;
}

/** A dashboard query as Grafana sends it, for the given `$job` regex and every instance. */
const panel = (expr: string, job: string) =>
  expr
    .replaceAll('$__rate_interval', '10s')
    .replaceAll('$__range', '1m')
    .replaceAll('$job', job)
    .replaceAll('$instance', '.*');
const values = (r: Sample[]) => r.map((s) => Number(s.value[1]));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zero-ratios-'));
  const [promPort, appPort, deadPort] = await freePorts(3);
  url = `http://127.0.0.1:${promPort}`;
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(exposition((req.url ?? '').replace(/\/metrics$/, '')));
  });
  await new Promise<void>((r) => server.listen(appPort, '127.0.0.1', () => r()));
  const job = (name: string, path: string, port = appPort, labels = 'namespace: voting') =>
    `  - job_name: ${name}\n    metrics_path: ${path}/metrics\n    static_configs: [{ targets: ['127.0.0.1:${port}'], labels: { ${labels} } }]\n`;
  // Only the recordings under test (and the health score the firing-alerts count leans on).
  const wanted = /^job:(http_request_errors|slo_availability_errors):|^system:voting_health:score$/;
  const groups = recordingGroups(cfg).map((g) => ({ ...g, rules: g.rules.filter((r) => wanted.test(r.record)) }));
  await writeFile(join(dir, 'rules.yml'), toYaml(ruleFileDoc(groups)));
  await writeFile(
    join(dir, 'prometheus.yml'),
    'global: { scrape_interval: 1s, evaluation_interval: 1s }\n' +
      'rule_files: [rules.yml]\n' +
      'scrape_configs:\n' +
      job('vote-prod', '/prod') +
      job('vote-canary', '/canary') +
      job('vote-bare', '/bare') +
      job('worker-prod', '/worker') +
      // Nothing listens there: up == 0.
      job('redis-queue-exporter-prod', '', deadPort, 'env: prod'),
  );
  prom = await startPrivatePrometheus(dir, promPort!);
  // Rates need two scrapes in their window; the recording rules one evaluation after that.
  // Two groups (voting-recording, voting-slo-recording) evaluate on their own schedules, and each
  // target's second scrape comes when it comes: wait until both recordings have both vote jobs.
  await waitFor(
    'the error-ratio recordings of both groups for vote-prod and vote-canary',
    async () =>
      (await query('job:http_request_errors:ratio_rate5m')).length === 2 &&
      (await query('job:slo_availability_errors:ratio_rate5m')).length === 2,
    30_000,
    300,
  );
}, 60_000);

afterAll(async () => {
  await prom?.close();
  await new Promise((r) => server?.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the 5xx ratio on a live Prometheus', () => {
  const q = voteQueries(cfg);

  it('reads 0 for a service that answers requests and never a 5xx', async () => {
    const r = await query(panel(q.errorRatio5xx, 'vote-prod'));
    expect(values(r)).toEqual([0]);
    expect(values(await query(panel(q.errorRatio4xx, 'vote-prod')))).toEqual([0]);
  });

  it('reads the real ratio when 5xx happen (the fallback never masks one)', async () => {
    const [v] = values(await query(panel(q.errorRatio5xx, 'vote-canary')));
    expect(v).toBeCloseTo(0.25, 5);
  });

  it('reads nothing when the metric or the service is missing', async () => {
    expect(await query(panel(q.errorRatio5xx, 'vote-bare'))).toEqual([]);
    expect(await query(panel(q.errorRatio5xx, 'vote-nobody'))).toEqual([]);
  });

  it('in the recording rules: 0 per healthy job, the ratio for a failing one, no series for a job without requests', async () => {
    // The config's vote selector (vote-(prod|canary)) leaves vote-bare out anyway; bare checks the panel.
    for (const rec of ['job:http_request_errors:ratio_rate5m', 'job:slo_availability_errors:ratio_rate5m']) {
      const r = await query(rec);
      const byJob = Object.fromEntries(r.map((s) => [s.metric.job, Number(s.value[1])]));
      expect(Object.keys(byJob).sort(), rec).toEqual(['vote-canary', 'vote-prod']);
      expect(byJob['vote-prod'], rec).toBe(0);
      expect(byJob['vote-canary'], rec).toBeCloseTo(0.25, 5);
    }
    // What the alert compares: the healthy job stays below any threshold, the failing one above 1 %.
    const [rule] = recordingGroups(cfg)[0]!.rules.filter((x) => x.record === 'job:http_request_errors:ratio_rate5m');
    const firing = await query(`${rule!.expr} > 0.01`);
    expect(firing.map((s) => s.metric.job)).toEqual(['vote-canary']);
  });
});

describe('other zeros on a live Prometheus', () => {
  it('worker failure ratio and failures/s read 0 with no result="failed" series; nothing without the worker', async () => {
    const w = workerQueries(cfg);
    expect(values(await query(panel(w.failureRatio, 'worker-prod')))).toEqual([0]);
    expect(values(await query(panel(w.failures, 'worker-prod')))).toEqual([0]);
    expect(await query(panel(w.failureRatio, 'worker-nobody'))).toEqual([]);
  });

  it('targets down: 0 while all selected targets are up, the count when one is down, nothing for unknown jobs', async () => {
    const o = overviewQueries(cfg);
    expect(values(await query(panel(o.targetsDownCount, 'vote-prod|worker-prod')))).toEqual([0]);
    expect(values(await query(panel(o.targetsDownCount, 'vote-prod|redis-queue-exporter-prod')))).toEqual([1]);
    expect(await query(panel(o.targetsDownCount, 'nobody'))).toEqual([]);
    // The list beside it is empty when nothing is down: the query marked mayBeEmpty.
    expect(await query(panel(o.targetsDown, 'vote-prod'))).toEqual([]);
  });

  it('firing alerts: 0 while the mixin’s rules are loaded and nothing fires', async () => {
    expect(values(await query(panel(overviewQueries(cfg).firingAlertCount, '.*')))).toEqual([0]);
  });

  it('business row: votes per option, their share and the total from votes_total', async () => {
    const b = businessQueries(cfg);
    const job = 'vote-prod';
    // One evaluation time for the three, so the total is the sum of the options.
    const at = Date.now() / 1000;
    const perOption = Object.fromEntries(
      (await query(panel(b.votesByOption, job), at)).map((s) => [s.metric.option, Number(s.value[1])]),
    );
    expect(Object.keys(perOption).sort()).toEqual(['cats', 'dogs']);
    expect(perOption.cats).toBeGreaterThan(0);
    const share = Object.fromEntries(
      (await query(panel(b.voteShare, job), at)).map((s) => [s.metric.option, Number(s.value[1])]),
    );
    expect(share.cats).toBeCloseTo(2 / 3, 5);
    expect(share.dogs).toBeCloseTo(1 / 3, 5);
    const [total] = values(await query(panel(b.totalVotes, job), at));
    expect(total).toBeCloseTo(perOption.cats! + perOption.dogs!, 5);
  });
});
