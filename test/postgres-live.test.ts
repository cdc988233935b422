// The PostgreSQL server side against the real thing (issue 14): postgres_exporter 0.11 (Debian's
// prometheus-postgres-exporter) on the machine's shared PostgreSQL, read only, plus a second one
// behind a TCP proxy we cut, both scraped by a private Prometheus under the postgres selector's job.
//   - the catalog (config/metrics-postgres.ts) holds to a live scrape: every family exists with
//     that type and exactly those label names;
//   - every target of the worker dashboard's PostgreSQL server row has data, as Grafana sends it;
//   - every selector of the Postgres alerts has data, and PostgresDown's expression picks exactly
//     the exporter whose PostgreSQL is gone (pg_up 0), not the healthy one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertGroups } from '../alerts/groups.js';
import { postgresAlerts } from '../alerts/postgres.js';
import { defineConfig } from '../config/define-config.js';
import { postgresExporterMetrics } from '../config/metrics-postgres.js';
import { overviewDashboard } from '../dashboards/overview.js';
import { workerDashboard } from '../dashboards/worker.js';
import { PrometheusApi } from '../validate/live/prometheus-api.js';
import { verifyLive } from '../validate/live/verify.js';
import {
  freePorts,
  ManagedProcess,
  PG_ADMIN_URL,
  startPrivatePrometheus,
  startTcpProxy,
  type TcpProxy,
  waitFor,
  waitForHttp,
} from './support/index.js';

const cfg = defineConfig();
const JOB = 'postgres';
// postgres_exporter 0.11 takes about a second to answer when PostgreSQL is gone (it waits on the
// failed connection): a 1 s scrape would time out there and lose the pg_up 0 this test needs.
const SCRAPE = '3s';

type Json = Record<string, any>;

/** `# TYPE` and the label names of every sample, per family, from the text exposition. */
function families(text: string): Map<string, { type: string; labels: Set<string> }> {
  const out = new Map<string, { type: string; labels: Set<string> }>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) out.set(t[1]!, { type: t[2]!, labels: new Set() });
    else if (line && !line.startsWith('#')) {
      const s = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
      const f = s && out.get(s[1]!);
      if (f && s[2]) for (const m of s[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) f.labels.add(m[1]!);
    }
  }
  return out;
}

/** The dashboard's variables as Grafana sends them with "All" selected. */
function asGrafanaSends(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '15s')
    .replaceAll('$__range', '1m')
    .replaceAll('$job', `worker|${JOB}`)
    .replaceAll('$instance', '.*');
}

let dir: string;
let promUrl: string;
let healthyUrl: string;
let proxy: TcpProxy;
const procs: ManagedProcess[] = [];
let exporterPorts: number[] = [];

async function query(expr: string): Promise<Json[]> {
  const r = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await r.json()) as Json;
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data.result as Json[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-live-'));
  const pg = new URL(PG_ADMIN_URL);
  proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  const [healthy, cutOff, prom] = await freePorts(3);
  exporterPorts = [healthy!, cutOff!];
  // No password in argv: the shared server trusts local connections (a real one: DATA_SOURCE_PASS_FILE).
  const dsn = (port: number) =>
    `postgresql://${pg.username || 'postgres'}@${pg.hostname}:${port}/postgres?sslmode=disable`;
  for (const [name, port, dbPort] of [
    ['pg-exporter', healthy!, Number(pg.port || 5432)],
    ['pg-exporter-cut', cutOff!, proxy.port],
  ] as const) {
    const p = new ManagedProcess(
      {
        name,
        command: 'prometheus-postgres-exporter',
        args: [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
        env: { DATA_SOURCE_NAME: dsn(dbPort) },
      },
      dir,
    ).start();
    procs.push(p);
    await waitForHttp(`http://127.0.0.1:${port}/metrics`);
  }
  healthyUrl = `http://127.0.0.1:${healthy}/metrics`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${SCRAPE}`,
      `  scrape_timeout: ${SCRAPE}`,
      'scrape_configs:',
      `  - job_name: ${JOB}`,
      '    static_configs:',
      `      - targets: ['127.0.0.1:${healthy}', '127.0.0.1:${cutOff}']`,
      '',
    ].join('\n'),
  );
  procs.push(await startPrivatePrometheus(dir, prom!));
  promUrl = `http://127.0.0.1:${prom}`;
  // Both exporters scraped a few times with PostgreSQL reachable, then one loses it.
  await waitFor(
    '4 scrapes of both exporters',
    async () => {
      const r = await query(`count_over_time(pg_up{job="${JOB}"}[1m]) >= 4`);
      return r.length === 2;
    },
    60_000,
    500,
  );
  proxy.cut();
  await waitFor(
    'pg_up 0 behind the cut proxy',
    async () => (await query(`pg_up{job="${JOB}"} == 0`)).length === 1,
    60_000,
    500,
  );
}, 120_000);

afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  await proxy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const p of procs) expect(p.running, p.name).toBe(false);
}, 30_000);

describe('postgres_exporter 0.11 against the catalog', () => {
  it('exposes every catalogued family with its type and exactly its label names', async () => {
    const got = families(await (await fetch(healthyUrl)).text());
    for (const m of Object.values(postgresExporterMetrics)) {
      const f = got.get(m.name);
      expect(f, m.name).toBeDefined();
      expect(f!.type, m.name).toBe(m.type);
      expect([...f!.labels].sort(), m.name).toEqual([...m.labels].sort());
    }
  });

  it('keeps answering with pg_up 0 (and no server families) when PostgreSQL is gone', async () => {
    const got = families(await (await fetch(`http://127.0.0.1:${exporterPorts[1]}/metrics`)).text());
    expect(got.get('pg_up')?.type).toBe('gauge');
    const up = await query(`pg_up{job="${JOB}"}`);
    expect(up.map((s) => [s.metric.instance, s.value[1]]).sort()).toEqual(
      [
        [`127.0.0.1:${exporterPorts[0]}`, '1'],
        [`127.0.0.1:${exporterPorts[1]}`, '0'],
      ].sort(),
    );
  });
});

describe('the worker dashboard PostgreSQL server row on a real postgres_exporter', () => {
  const d = workerDashboard(cfg) as unknown as Json;
  const panels = (d.panels as Json[]).filter((p) => p.type !== 'row');
  const start = panels.findIndex((p) => p.title === 'PostgreSQL reachable');
  const row = panels.slice(start);

  it('has every target answering with data, as Grafana sends it with $job and $instance on All', async () => {
    expect(row.map((p) => p.title)).toEqual([
      'PostgreSQL reachable',
      'Server connections by state',
      'Transactions committed/s',
      'Rollback ratio',
      'Deadlocks/s',
      'Database size',
      'Database growth/day',
    ]);
    const blank: string[] = [];
    for (const p of row)
      for (const t of p.targets as Json[]) {
        const r = await query(asGrafanaSends(t.expr));
        if (r.length === 0) blank.push(`${p.title} › ${t.refId}: ${t.expr}`);
      }
    expect(blank).toEqual([]);
  });

  it('shows 0 deadlocks (a number, not a gap), max_connections and the templates left out', async () => {
    const byTitle = (title: string) => row.find((p) => p.title === title)!.targets as Json[];
    const deadlocks = await query(asGrafanaSends(byTitle('Deadlocks/s')[0]!.expr));
    for (const s of deadlocks) expect(Number(s.value[1]), s.metric.datname).toBe(0);
    const max = await query(asGrafanaSends(byTitle('Server connections by state')[1]!.expr));
    expect(Number(max[0]!.value[1])).toBeGreaterThan(0);
    const sizes = await query(asGrafanaSends(byTitle('Database size')[0]!.expr));
    const names = sizes.map((s) => s.metric.datname as string);
    expect(names).toContain('postgres');
    expect(names.filter((n) => /^template[01]$|^$/.test(n))).toEqual([]);
    // One healthy exporter up of two: the stat shows the worse one.
    const up = await query(asGrafanaSends(byTitle('PostgreSQL reachable')[0]!.expr));
    expect(up[0]!.value[1]).toBe('0');
  });
});

describe('the Postgres alerts on a real postgres_exporter', () => {
  const specs = postgresAlerts(cfg);

  it('read only series that exist: every selector of every expression has data', async () => {
    const blank: string[] = [];
    for (const s of specs)
      for (const m of s.expr.matchAll(/\b(pg_[a-z_]+|up)(\{[^}]*\})/g)) {
        if ((await query(`${m[1]}${m[2]}`)).length === 0) blank.push(`${s.alert}: ${m[0]}`);
      }
    expect(blank).toEqual([]);
  });

  it('PostgresDown picks exactly the exporter whose PostgreSQL is gone; the others stay quiet on a healthy server', async () => {
    const at = (name: string) => specs.find((s) => s.alert === name)!.expr;
    const down = await query(at('PostgresDown'));
    expect(down.map((s) => s.metric.instance)).toEqual([`127.0.0.1:${exporterPorts[1]}`]);
    // The real ratio, computed without the threshold, is a small share of max_connections.
    const ratio = await query(at('PostgresTooManyConnections').replace(/ > [\d.]+$/, ''));
    expect(ratio.length).toBeGreaterThan(0);
    for (const s of ratio) expect(Number(s.value[1])).toBeLessThan(cfg.thresholds.postgres.connectionsWarningRatio);
    const growth = await query(at('PostgresDatabaseGrowingFast').replace(/ > [\d.e+]+$/, ''));
    expect(growth.map((s) => s.metric.datname)).toContain('postgres');
    expect(await query(at('PostgresDatabaseGrowingFast'))).toEqual([]);
  });
});

describe('verify (the CLI check) on the PostgreSQL row, the Postgres rules and the containers row', () => {
  it('reports nothing about them: data where postgres_exporter runs, quiet where cAdvisor does not', async () => {
    const groups = alertGroups(cfg).filter((g) => g.name === 'voting-postgres-alerts');
    expect(groups).toHaveLength(1);
    const r = await verifyLive(
      new PrometheusApi(promUrl),
      {
        dashboards: [
          { file: 'worker.json', doc: workerDashboard(cfg) as never },
          { file: 'overview.json', doc: overviewDashboard(cfg) as never },
        ],
        ruleFiles: [{ file: 'voting-postgres-alerts.yml', doc: { groups } }],
      },
      { lookbackSeconds: 300, catalog: false },
    );
    // No worker, vote or Redis runs here: only findings about this test's subject count.
    const ours =
      /PostgreSQL|Server connections|Transactions committed|Rollback ratio|Deadlocks|Database (size|growth)|Postgres|Container/;
    const mine = r.findings.filter((f) => ours.test(`${f.context ?? ''} ${f.message}`));
    expect(mine.map((f) => `${f.context}: ${f.message}`)).toEqual([]);
    // Sanity: verify did run the panels and names them (the worker's own panels have no worker here).
    expect(r.findings.some((f) => /Votes processed/.test(f.context ?? ''))).toBe(true);
    expect(r.stats.quiet.filter((q) => /Container/.test(q.context)).length).toBe(3);
  }, 60_000);
});
