// verify against a real Prometheus (scraping itself every second) and fixture dashboards/rules.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAY_BE_EMPTY as DASHBOARD_MARKER } from '../../dashboards/panels.js';
import { redactUrl } from '../../runtime/redact.js';
import { verifyCommand } from '../../scripts/commands/verify.js';
import { freePort, type ManagedProcess, startPrivatePrometheus, waitFor } from '../../test/support/index.js';
import { MAY_BE_EMPTY } from './collect.js';
import { expandTemplate } from './expand.js';

let dir: string;
let prom: ManagedProcess;
let url: string;
// A stand-in for the vote service: requests with 2xx statuses only, as on a healthy day (no 5xx
// series exist yet, as prom-client creates a status series with its first request).
let app: Server;
let requests = 0;

const dashboard = {
  title: 'Fixture',
  uid: 'fixture',
  time: { from: 'now-1h', to: 'now' },
  templating: {
    list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus' },
      { name: 'loki', type: 'datasource', query: 'loki' },
      {
        name: 'job',
        type: 'query',
        query: { query: 'label_values(up, job)', refId: 'v' },
        includeAll: true,
        multi: true,
      },
      {
        name: 'instance',
        type: 'query',
        query: 'label_values(up{job=~"$job"}, instance)',
        includeAll: true,
        multi: true,
      },
    ],
  },
  panels: [
    {
      id: 1,
      title: 'Requests',
      type: 'timeseries',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      targets: [
        {
          refId: 'A',
          expr: 'sum(rate(prometheus_http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))',
        },
      ],
    },
    {
      id: 2,
      title: 'Ghost',
      type: 'timeseries',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      targets: [{ refId: 'A', expr: 'sum(rate(no_such_metric_total{job=~"$job"}[$__rate_interval]))' }],
    },
    {
      id: 3,
      title: 'Logs',
      type: 'logs',
      datasource: { type: 'loki', uid: '${loki}' },
      targets: [{ refId: 'A', expr: '{job="vote"} |= "error"' }],
    },
    { id: 4, title: 'Broken', type: 'stat', targets: [{ refId: 'B', expr: 'sum(rate(up[5m])' }] },
    {
      id: 5,
      title: 'Row',
      type: 'row',
      collapsed: true,
      panels: [{ id: 6, title: 'Up in row', type: 'stat', targets: [{ refId: 'A', expr: 'up{job="$job"}' }] }],
    },
  ],
};
const rules = `groups:
  - name: fixture
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: FixtureDown
        expr: up == 0
        for: 1m
`;

async function run(args: string[], cwd = dir) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c));
  err.on('data', (c: Buffer) => (stderr += c));
  const code = await verifyCommand.run(args, { stdout: out, stderr: err, cwd, env: {} });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-test-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  app = createServer((_req, res) => {
    requests += 10;
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(
        [
          '# TYPE http_requests_total counter',
          `http_requests_total{method="POST",route="/vote",status="202"} ${requests}`,
          `http_requests_total{method="GET",route="/",status="200"} ${requests / 2}`,
          '',
        ].join('\n'),
      );
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  const appPort = (app.address() as AddressInfo).port;
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n  - job_name: app\n    static_configs: [{ targets: ['127.0.0.1:${appPort}'] }]\n`,
  );
  prom = await startPrivatePrometheus(dir, port);
  for (const d of ['bad', 'good']) {
    await mkdir(join(dir, d, 'dashboards'), { recursive: true });
    await mkdir(join(dir, d, 'prometheus', 'rules'), { recursive: true });
    await writeFile(join(dir, d, 'prometheus', 'rules', 'fixture.yml'), rules);
  }
  await writeFile(join(dir, 'bad', 'dashboards', 'fixture.json'), JSON.stringify(dashboard));
  await writeFile(
    join(dir, 'good', 'dashboards', 'fixture.json'),
    JSON.stringify({ ...dashboard, panels: [dashboard.panels[0], dashboard.panels[2], dashboard.panels[4]] }),
  );
  // The rate needs two samples inside the 4 s window.
  await waitFor(
    'two scrapes',
    async () => {
      const r = await fetch(`${url}/api/v1/query?query=min(count_over_time(up[10s]))`);
      const j = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
      return Number(j.data.result[0]?.value[1] ?? 0) >= 3;
    },
    20_000,
    300,
  );
});

afterAll(async () => {
  await prom?.close();
  await new Promise<void>((r) => (app ? app.close(() => r()) : r()));
  await rm(dir, { recursive: true, force: true });
});

describe('voting-mixin verify', () => {
  it('reports the empty panel, the unknown metric and the broken query, and skips Loki', async () => {
    const r = await run(['--prometheus', url, '--dist', 'bad', '--no-catalog']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/empty panel: .*no_such_metric_total/);
    expect(r.stdout).toContain('dashboard "Fixture" › panel "Ghost" (id 2) › target A');
    expect(r.stdout).toMatch(/metric no_such_metric_total is used by queries but Prometheus has no series/);
    expect(r.stdout).toMatch(/Prometheus rejected the query: .*sum\(rate\(up\[5m\]\)/);
    expect(r.stdout).not.toContain('panel "Requests"');
    expect(r.stdout).not.toContain('Up in row');
    expect(r.stderr).toMatch(/skipped dashboard "Fixture" › panel "Logs" \(id 3\) › target A: loki query/);
    expect(r.stderr).toContain('$__rate_interval=4s');
  });

  it('names every verify check id in its JSON findings', async () => {
    // The registry's verify/* checks are tested here (testedBy): each id must come out of a real run.
    await mkdir(join(dir, 'ids', 'dashboards'), { recursive: true });
    await mkdir(join(dir, 'ids', 'prometheus', 'rules'), { recursive: true });
    await writeFile(
      join(dir, 'ids', 'prometheus', 'rules', 'ids.yml'),
      'groups:\n  - name: ids\n    rules:\n      - record: job:no_such_metric:sum\n        expr: sum by (job) (no_such_metric_total)\n',
    );
    const ids = {
      ...dashboard,
      uid: 'ids',
      templating: {
        list: [
          ...dashboard.templating.list,
          { name: 'ghost', type: 'query', query: 'label_values(no_such_metric_total, job)' },
        ],
      },
      panels: [
        ...dashboard.panels,
        { id: 7, title: 'Undefined', type: 'stat', targets: [{ refId: 'A', expr: 'up{job="$nope"}' }] },
      ],
    };
    await writeFile(join(dir, 'ids', 'dashboards', 'ids.json'), JSON.stringify(ids));
    const r = await run(['--prometheus', url, '--dist', 'ids', '--format', 'json']);
    const found = new Set((JSON.parse(r.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id));
    for (const id of [
      'verify/empty-panel',
      'verify/empty-rule',
      'verify/empty-variable',
      'verify/query-error',
      'verify/unknown-metric',
      'verify/unknown-variable',
      'verify/unscraped-metric',
    ])
      expect(found, id).toContain(id);
  });

  it('exits 0 on a dashboard whose every query returns series, with variables expanded', async () => {
    const r = await run(['--prometheus', url, '--dist', 'good', '--no-catalog', '--format', 'json']);
    expect(r.stderr).toContain('clean');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      findings: unknown[];
      stats: { panelTargets: number; rules: number; skipped: unknown[] };
    };
    expect(json.findings).toEqual([]);
    expect(json.stats).toMatchObject({ panelTargets: 2, rules: 2 });
    expect(json.stats.skipped).toHaveLength(1);
  });

  it('lists catalog metrics that no target exposes', async () => {
    const r = await run(['--prometheus', url, '--dist', 'good', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { findings: Array<{ id: string; context: string }> };
    const unscraped = json.findings.filter((f) => f.id === 'verify/unscraped-metric').map((f) => f.context);
    expect(unscraped).toContain('catalog metric worker_votes_processed_total (worker)');
    // `up` is written by Prometheus for every target, so it is seen.
    expect(unscraped.some((c) => c.startsWith('catalog metric up '))).toBe(false);
    // Absent by design, so quiet rather than findings: ALERTS while no alert is pending, stream
    // group metrics where no queue is a stream.
    expect(unscraped.some((c) => c.startsWith('catalog metric ALERTS '))).toBe(false);
    expect(unscraped.some((c) => c.includes('redis_queue_stream_group_lag'))).toBe(false);
    const quiet = (JSON.parse(r.stdout) as { stats: { quiet: Array<{ context: string; reason: string }> } }).stats
      .quiet;
    expect(quiet).toContainEqual({
      context: 'catalog metric ALERTS (prometheus)',
      reason: 'exists only once an alert is pending or firing',
    });
    expect(quiet).toContainEqual({
      context: 'catalog metric redis_queue_stream_group_lag (exporter)',
      reason: 'expected only when a queue is a Redis stream with consumer groups',
    });
  });

  it('never prints credentials from the URL', async () => {
    const withCreds = url.replace('http://', 'http://admin:s3cret@');
    const r = await run(['--prometheus', withCreds, '--dist', 'good', '--no-catalog', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('s3cret');
    expect(r.stdout).toContain('admin:***@');
    expect(redactUrl('http://tok@h:1/')).toBe('http://***@h:1/');
  });

  it('exits 2 on usage errors and an unreachable Prometheus', async () => {
    expect((await run(['--dist', 'good']).catch((e: Error) => ({ code: 2, stderr: e.message }))).code).toBe(2);
    const port = await freePort();
    const r = await run(['--prometheus', `http://127.0.0.1:${port}`, '--dist', 'good']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach Prometheus/);
  });
});

describe('verify: quiet (nothing is wrong) or a finding (the query is wrong)', () => {
  const panel = (id: number, title: string, expr: string, extra: Record<string, unknown> = {}) => ({
    id,
    title,
    type: 'timeseries',
    targets: [{ refId: 'A', expr, ...extra }],
  });
  const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;
  const quietPanels = [
    panel(
      1,
      '5xx ratio',
      `sum(${rate('http_requests_total{job="app", status=~"5.."}')}) / sum(${rate('http_requests_total{job="app"}')})`,
    ),
    panel(2, 'Targets down', 'up{job=~"$job"} == 0'),
    panel(3, 'Firing alerts', 'sum by (alertname) (ALERTS{alertstate="firing"})'),
    panel(4, 'Marked list', 'up{job="prometheus"} unless up{job="prometheus"}', {
      [MAY_BE_EMPTY]: 'lists only what is wrong',
    }),
    panel(5, 'Recorded 5xx ratio', 'max(job:http_errors:ratio_rate1m{job="app"})'),
    // A team's selectors: regex job, a negative matcher beside the event matcher.
    panel(
      6,
      'Team 5xx ratio',
      `sum(${rate('http_requests_total{job=~"ap.*", route!~"/metrics|/health", status=~"5.."}')}) / sum(${rate('http_requests_total{job=~"ap.*", route!~"/metrics|/health"}')})`,
    ),
  ];
  const findingPanels = [
    panel(11, 'Wrong job', `sum(${rate('http_requests_total{job="vote-prod", status=~"5.."}')})`),
    panel(
      12,
      'Wrong join',
      `sum by (route) (${rate('http_requests_total{job="app", status=~"5.."}')}) / on (route) sum by (method) (${rate('http_requests_total{job="app"}')})`,
    ),
    panel(13, 'Down of nobody', 'up{job="nope"} == 0'),
    panel(14, 'Marked, wrong job', 'up{job="nope"} unless up', { [MAY_BE_EMPTY]: 'lists only what is wrong' }),
    panel(15, 'Unmarked set operator', 'up{job="prometheus"} unless up{job="prometheus"}'),
  ];
  const rules = `groups:
  - name: quiet
    rules:
      - record: job:http_errors:ratio_rate1m
        expr: sum by (job) (rate(http_requests_total{job="app", status=~"5.."}[1m])) / sum by (job) (rate(http_requests_total{job="app"}[1m]))
      - record: job:http_errors_wrong_job:ratio_rate1m
        expr: sum by (job) (rate(http_requests_total{job="vote-prod", status=~"5.."}[1m]))
`;
  let report: {
    findings: Array<{ id: string; context: string; message: string }>;
    stats: { quiet: Array<{ context: string; reason: string }>; emptyPanels: number };
  };
  let code: number;
  const quietOf = (title: string) => report.stats.quiet.find((q) => q.context.includes(`"${title}"`));
  const findingOf = (title: string) => report.findings.find((f) => f.context.includes(`"${title}"`));

  beforeAll(async () => {
    await mkdir(join(dir, 'quiet', 'dashboards'), { recursive: true });
    await mkdir(join(dir, 'quiet', 'prometheus', 'rules'), { recursive: true });
    await writeFile(join(dir, 'quiet', 'prometheus', 'rules', 'quiet.yml'), rules);
    await writeFile(
      join(dir, 'quiet', 'dashboards', 'quiet.json'),
      JSON.stringify({
        ...dashboard,
        uid: 'quiet',
        title: 'Quiet',
        panels: [...quietPanels, ...findingPanels],
      }),
    );
    const r = await run(['--prometheus', url, '--dist', 'quiet', '--no-catalog', '--format', 'json']);
    code = r.code;
    report = JSON.parse(r.stdout) as typeof report;
  });

  it('is quiet about what is empty only because nothing happened, saying why', () => {
    const show = JSON.stringify(report, null, 1);
    for (const p of quietPanels) expect(findingOf(p.title), `${p.title}\n${show}`).toBeUndefined();
    expect(quietOf('5xx ratio')?.reason).toMatch(/no series match status=~"5\.\." until a request answered/);
    expect(quietOf('Targets down')?.reason).toBe('empty only because the filter == 0 keeps nothing');
    expect(quietOf('Firing alerts')?.reason).toBe('ALERTS exists only once an alert is pending or firing');
    expect(quietOf('Marked list')?.reason).toMatch(/^lists only what is wrong \(marked mayBeEmpty/);
    // A recording that is quiet makes what reads it quiet, and its name is no unknown metric.
    expect(report.stats.quiet.find((q) => q.context.endsWith('record job:http_errors:ratio_rate1m'))).toBeDefined();
    expect(quietOf('Recorded 5xx ratio')?.reason).toMatch(
      /^job:http_errors:ratio_rate1m exists only once its recording rule/,
    );
    expect(report.findings.filter((f) => f.id === 'verify/unknown-metric').map((f) => f.message)).toEqual([]);
  });

  it('still reports a selector that matches nothing, a broken join and an unmarked empty set operation', () => {
    expect(code).toBe(1);
    expect(findingOf('Wrong job')?.message).toMatch(
      /no series match http_requests_total\{job="vote-prod"\} \(even without its event matchers\)/,
    );
    expect(findingOf('Wrong join')?.message).toMatch(
      /even without its event filters .* (it returns nothing|Prometheus rejects it)/,
    );
    expect(findingOf('Down of nobody')?.message).toMatch(/no series match up\{job="nope"\}/);
    expect(findingOf('Marked, wrong job')?.message).toMatch(/but that excuses no missing source/);
    expect(findingOf('Unmarked set operator')?.message).toMatch(/every selector matches series, but the functions/);
    expect(report.findings.find((f) => f.context.endsWith('record job:http_errors_wrong_job:ratio_rate1m'))?.id).toBe(
      'verify/empty-rule',
    );
    expect(report.stats.emptyPanels).toBe(findingPanels.length + 1);
  });

  it('reads the marker under the name the dashboards write it', () => {
    expect(MAY_BE_EMPTY).toBe(DASHBOARD_MARKER);
  });
});

describe('expandTemplate', () => {
  const builtins = { rateInterval: '1m', interval: '15s', intervalMs: 15000, range: '1h', rangeSeconds: 3600 };
  it('puts regex alternations in regex matchers and the first value elsewhere', () => {
    const vars = new Map([['job', { values: ['vote', 'a.b'] }]]);
    const r = expandTemplate(
      'x{job=~"$job"} + y{job="${job}"}[$__rate_interval] offset $__interval_ms',
      vars,
      builtins,
    );
    expect(r.expr).toBe('x{job=~"(vote|a\\\\.b)"} + y{job="vote"}[1m] offset 15000');
    expect(expandTemplate('z{a="$nope"}', vars, builtins).unknown).toEqual(['nope']);
  });
});
