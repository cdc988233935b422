// verify against a real Prometheus (scraping itself every second) and fixture dashboards/rules.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../runtime/redact.js';
import { verifyCommand } from '../../scripts/commands/verify.js';
import { freePort, ManagedProcess, waitFor, waitForHttp } from '../../test/support/index.js';
import { expandTemplate } from './expand.js';

let dir: string;
let prom: ManagedProcess;
let url: string;

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
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
  );
  prom = new ManagedProcess(
    {
      name: 'prometheus',
      command: 'prometheus',
      args: [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
    },
    dir,
  ).start();
  await waitForHttp(`${url}/-/ready`);
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
      const r = await fetch(`${url}/api/v1/query?query=count_over_time(up[10s])`);
      const j = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
      return Number(j.data.result[0]?.value[1] ?? 0) >= 3;
    },
    20_000,
    300,
  );
});

afterAll(async () => {
  await prom?.close();
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
    expect(unscraped).toContain('catalog metric http_requests_total (vote)');
    // `up` is written by Prometheus for every target, so it is seen.
    expect(unscraped.some((c) => c.startsWith('catalog metric up '))).toBe(false);
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
