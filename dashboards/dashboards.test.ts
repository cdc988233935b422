import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { lintDashboard } from '../validate/dashboard/index.js';
import { substituteVariables } from '../validate/dashboard/variables.js';
import { parsePromQL } from '../validate/promql.js';
import { allDashboards, overviewDashboard, redisQueueDashboard, voteDashboard, workerDashboard } from './index.js';

type P = Record<string, any>;
const cfg = defineConfig();
const panelsOf = (d: { panels?: unknown }) => (d.panels as P[]).filter((p) => p.type !== 'row');
const titles = (d: { panels?: unknown }) => panelsOf(d).map((p) => p.title as string);
const exprs = (d: { panels?: unknown }) => panelsOf(d).flatMap((p) => (p.targets as P[]).map((t) => t.expr as string));
const byTitle = (d: { panels?: unknown }, t: string) => panelsOf(d).find((p) => p.title === t)!;
const stepValues = (p: P) => (p.fieldConfig.defaults.thresholds.steps as P[]).map((s) => s.value);

describe('dashboards', () => {
  it('are lint-clean and schema-valid', () => {
    for (const d of allDashboards(cfg)) expect(lintDashboard(d), d.title).toEqual([]);
  });

  it('have stable uids, prefixed titles and the config-wide settings', () => {
    const ds = allDashboards(cfg);
    expect(ds.map((d) => d.uid)).toEqual(['voting-overview', 'voting-vote', 'voting-redis-queue', 'voting-worker']);
    for (const d of ds) {
      expect(d.title!.startsWith('Voting / ')).toBe(true);
      expect(d).toMatchObject({
        tags: ['voting-mixin'],
        refresh: '30s',
        timezone: 'utc',
        time: { from: 'now-1h', to: 'now' },
      });
      expect(d.templating!.list!.map((v) => v.name)).toEqual(expect.arrayContaining(['datasource', 'job', 'instance']));
      expect(d.__inputs[0]).toMatchObject({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' });
      expect(d.links!.map((l) => l.url)).toHaveLength(3);
      const ids = (d.panels as P[]).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const custom = defineConfig({ grafana: { uidPrefix: 'acme', titlePrefix: 'Acme / ' } });
    expect(allDashboards(custom).map((d) => d.uid)).toEqual([
      'acme-overview',
      'acme-vote',
      'acme-redis-queue',
      'acme-worker',
    ]);
    expect(voteDashboard(custom).links!.map((l) => l.url)).toContain('/d/acme-overview');
  });

  it('give every panel a unit, a description and the datasource variable, and every rate $__rate_interval (a total over the range: $__range)', () => {
    for (const d of allDashboards(cfg)) {
      for (const p of panelsOf(d)) {
        expect(p.fieldConfig.defaults.unit, p.title).toBeTruthy();
        expect(p.description, p.title).toBeTruthy();
        expect(p.datasource.uid).toBe(p.type === 'logs' ? '${loki_datasource}' : '${datasource}');
        for (const t of p.targets as P[]) expect(t.datasource).toEqual(p.datasource);
      }
      for (const e of exprs(d)) {
        for (const m of e.matchAll(/\b(rate|increase)\(.*?\[([^\]]+)\]/g))
          expect(m[2], e).toBe(m[1] === 'increase' && m[2] === '$__range' ? '$__range' : '$__rate_interval');
      }
    }
  });

  it('vote: the RED panels the issue lists, 4xx and 5xx separately', () => {
    const d = voteDashboard(cfg);
    expect(titles(d)).toEqual([
      'Requests/s by route and status',
      '4xx ratio',
      '5xx ratio',
      'Latency p50 / p95 / p99',
      'In-flight requests',
      'Votes/s by option',
      'Enqueue failures/s',
      'Rate-limited votes/s',
      'Instances up',
      'Restarts',
      'CPU',
      'Resident memory',
      'Event-loop lag p99',
      'Result requests/s by route and status',
      'Result 5xx ratio',
      'Result latency p50 / p95',
      'Result instances up',
      'Stored votes by option',
    ]);
    expect(byTitle(d, '4xx ratio').targets[0].expr).toContain('status=~"4.."');
    expect(byTitle(d, '5xx ratio').targets[0].expr).toContain('status=~"5.."');
    expect(
      (byTitle(d, 'Latency p50 / p95 / p99').targets as P[]).map(
        (t) => t.expr.match(/histogram_quantile\(([\d.]+)/)[1],
      ),
    ).toEqual(['0.5', '0.95', '0.99']);
    expect(byTitle(d, 'Restarts').targets[0].expr).toMatch(/changes\(process_start_time_seconds\{.*\}\[\$__range\]\)/);
    expect(stepValues(byTitle(d, '5xx ratio'))).toEqual([null, 0.01, 0.05]);
  });

  it('vote: the result service has its own row, and neither row counts the other under $job "All"', () => {
    const d = voteDashboard(cfg);
    const job = d.templating!.list!.find((v) => v.name === 'job') as P;
    expect(job.query.query).toBe('label_values(up{job=~"(vote|result)"}, job)');
    // Both serve http_* and process_*: each row keeps its own job matcher beside $job.
    expect(byTitle(d, 'Requests/s by route and status').targets[0].expr).toBe(
      'sum by (route, status) (rate(http_requests_total{job="vote", instance=~"$instance", job=~"$job"}[$__rate_interval]))',
    );
    expect(byTitle(d, 'Result 5xx ratio').targets[0].expr).toContain(
      'http_requests_total{job="result", instance=~"$instance", job=~"$job", route!~"/metrics|/health|/ready", status=~"5.."}',
    );
    expect(byTitle(d, 'Result instances up').targets[0].expr).toBe(
      'sum (up{job="result", instance=~"$instance", job=~"$job"})',
    );
    // Every result instance reads the same database: max, never a sum that doubles the votes.
    expect(byTitle(d, 'Stored votes by option').targets[0].expr).toBe(
      'max by (option) (result_votes{job="result", instance=~"$instance", job=~"$job"})',
    );
    for (const e of exprs(d)) expect(e).not.toContain('job_var__');
  });

  it('redis & queue: maxmemory guard, memory thresholds and per-queue thresholds from the config', () => {
    const two = defineConfig({
      thresholds: { redis: { memoryWarningRatio: 0.7, memoryCriticalRatio: 0.95 } },
      queues: [
        { name: 'votes', key: 'votes', warning: 100, critical: 400, processingPattern: 'votes:processing:*' },
        { name: 'audit', key: 'audit', warning: 10, critical: 50 },
      ],
    });
    const d = redisQueueDashboard(two);
    const mem = byTitle(d, 'Memory used / maxmemory');
    expect(mem.targets[0].expr).toMatch(/redis_memory_used_bytes\{.*\} \/ \(redis_memory_max_bytes\{.*\} > 0\)/);
    expect(stepValues(mem)).toEqual([null, 0.7, 0.95]);
    expect(stepValues(byTitle(d, 'votes: length'))).toEqual([null, 100, 400]);
    expect(stepValues(byTitle(d, 'audit: length'))).toEqual([null, 10, 50]);
    expect(byTitle(d, 'audit: length').fieldConfig.defaults.custom.thresholdsStyle.mode).toBe('dashed+area');
    expect(byTitle(d, 'audit: length').targets[0].expr).toContain('queue="audit"');
    for (const q of ['votes', 'audit']) {
      for (const t of ['length', 'oldest item age', 'enqueue vs dequeue rate', 'drain ETA'])
        expect(titles(d)).toContain(`${q}: ${t}`);
    }
    // Processing lists only where the queue names them (processingPattern).
    expect(titles(d)).toContain('votes: processing');
    expect(titles(d)).not.toContain('audit: processing');
    expect(byTitle(d, 'votes: drain ETA').targets[0].expr).toMatch(
      /\/ \(\(.*queue_dequeued_total.* - .*queue_enqueued_total.*\) > 0\)/,
    );
    expect(lintDashboard(d)).toEqual([]);
  });

  it('vote: ratios and latency count user requests only, as the alerts linking to them do', () => {
    const d = voteDashboard(cfg);
    for (const t of ['4xx ratio', '5xx ratio', 'Latency p50 / p95 / p99']) {
      for (const target of byTitle(d, t).targets as P[]) {
        // Every selector in the query (numerator and denominator) drops scrapes and probes.
        const selectors = target.expr.match(/http_request[a-z_]*\{[^}]*\}/g) as string[];
        expect(selectors.length, t).toBeGreaterThan(0);
        for (const sel of selectors) expect(sel, t).toContain('route!~"/metrics|/health|/ready"');
      }
    }
    // Traffic by route still shows everything, scrapes included.
    expect(byTitle(d, 'Requests/s by route and status').targets[0].expr).not.toContain('route!~');
  });

  it("redis & queue: the exporter's own collection time (threshold from config) and errors", () => {
    const d = redisQueueDashboard(defineConfig({ thresholds: { exporter: { scrapeDurationWarningSeconds: 2 } } }));
    const dur = byTitle(d, 'Exporter collection duration');
    expect(dur.targets[0].expr).toContain(
      'redis_queue_exporter_scrape_duration_seconds{job=~"$job", instance=~"$instance"}',
    );
    expect(stepValues(dur)).toEqual([null, 2]);
    expect(byTitle(d, 'Exporter collection errors/s').targets[0].expr).toMatch(
      /rate\(redis_queue_exporter_scrape_errors_total\{.*\}\[\$__rate_interval\]\)/,
    );
  });

  it('redis & queue: the Redis detail rows come after the queue and exporter rows, which keep their panel ids', () => {
    const d = redisQueueDashboard(cfg);
    const rows = (d.panels as P[]).filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual([
      'Redis',
      'Queue votes',
      'Queue exporter',
      'Redis commands and traffic',
      'Redis persistence and memory',
      'Redis replication',
    ]);
    // viewPanel links and bookmarks made before the detail rows existed still open the same panels.
    const id = (t: string) => (d.panels as P[]).find((p) => p.title === t)!.id;
    expect([id('Redis up'), id('votes: length'), id('Exporter collection errors/s')]).toEqual([2, 12, 19]);
  });

  it('redis & queue: per-command latency from commandstats, persistence, replication and fragmentation from the config', () => {
    const d = redisQueueDashboard(
      defineConfig({ thresholds: { redis: { fragmentationWarningRatio: 2, replicaLagWarningSeconds: 30 } } }),
    );
    const expr = (t: string, i = 0) => byTitle(d, t).targets[i].expr as string;
    // Mean seconds per call: time over calls, per command, never 0/0 for a command not called.
    expect(expr('Command latency by command')).toBe(
      'sum by (cmd) (rate(redis_commands_duration_seconds_total{job=~"$job", instance=~"$instance"}[$__rate_interval])) / (sum by (cmd) (rate(redis_commands_total{job=~"$job", instance=~"$instance"}[$__rate_interval])) > 0)',
    );
    expect(byTitle(d, 'Command latency by command').fieldConfig.defaults.unit).toBe('s');
    expect(byTitle(d, 'Network traffic').fieldConfig.defaults.unit).toBe('Bps');
    expect(expr('Network traffic', 1)).toContain('rate(redis_net_output_bytes_total{');
    expect(expr('Persistence status', 0)).toBe(
      'min (redis_rdb_last_bgsave_status{job=~"$job", instance=~"$instance"})',
    );
    expect(expr('Persistence status', 1)).toBe('min (redis_aof_last_write_status{job=~"$job", instance=~"$instance"})');
    expect(byTitle(d, 'Persistence status').fieldConfig.defaults.mappings[0].options['0'].text).toBe('FAILED');
    expect(stepValues(byTitle(d, 'Memory fragmentation'))).toEqual([null, 2]);
    expect(stepValues(byTitle(d, 'Replica lag'))).toEqual([null, 30]);
    expect(expr('Replica offset lag')).toMatch(
      /^redis_master_repl_offset\{.*\} - on \(job, instance\) group_right \(\) redis_connected_slave_offset_bytes\{.*\}$/,
    );
  });

  it('redis & queue: a single Redis shows 0 replicas, "Primary" and "No replica", never a blank panel', () => {
    const d = redisQueueDashboard(cfg);
    // A number that is 0 on a single Redis carries no marker: it must have data.
    expect(byTitle(d, 'Replicas').targets[0].mayBeEmpty).toBeUndefined();
    expect(byTitle(d, 'Replicas').targets[0].expr).toBe(
      'sum (redis_connected_slaves{job=~"$job", instance=~"$instance"})',
    );
    // Series only replicas (or a primary with replicas) have: marked, with the reason and a text.
    for (const [title, text] of [
      ['Master link', 'Primary'],
      ['Replica lag', 'No replica'],
      ['Replica offset lag', 'No replica'],
    ] as const) {
      const p = byTitle(d, title);
      expect(p.targets[0].mayBeEmpty, title).toMatch(/replica|primary/);
      expect(p.fieldConfig.defaults.noValue, title).toBe(text);
    }
    // Error replies: the all-prefix total reads 0 on a healthy Redis; only the breakdown may be empty.
    const errors = byTitle(d, 'Error replies/s').targets as P[];
    expect(errors.map((t) => Boolean(t.mayBeEmpty))).toEqual([false, true]);
    const keys = byTitle(d, 'Keys').targets as P[];
    expect(keys.map((t) => Boolean(t.mayBeEmpty))).toEqual([false, false, true]);
  });

  it('worker: throughput, failures, latency, batch, health, DB', () => {
    expect(titles(workerDashboard(cfg))).toEqual([
      'Workers up',
      'Seconds since last success',
      'Votes processed/s',
      'Failures/s',
      'Failure ratio',
      'Retries/s',
      'Processing time p50 / p95 / p99',
      'Batch size',
      'DB write latency p95 / p99',
      'DB pool connections by state',
      'PostgreSQL reachable',
      'Server connections by state',
      'Transactions committed/s',
      'Rollback ratio',
      'Deadlocks/s',
      'Database size',
      'Database growth/day',
    ]);
  });

  it('overview: stat rows coloured by config, health score, firing alerts, Loki error logs, links', () => {
    const d = overviewDashboard(
      defineConfig({ thresholds: { vote: { errorRatioWarning: 0.02, errorRatioCritical: 0.1 } } }),
    );
    expect(stepValues(byTitle(d, 'Vote 5xx ratio'))).toEqual([null, 0.02, 0.1]);
    expect(byTitle(d, 'Vote 5xx ratio').options.colorMode).toBe('background');
    expect(byTitle(d, 'Health score').targets[0].expr).toBe('system:voting_health:score');
    expect(byTitle(d, 'Firing alerts').targets[0].expr).toContain('ALERTS{alertstate="firing", mixin="voting-mixin"}');
    const logs = byTitle(d, 'Error logs');
    expect(logs.type).toBe('logs');
    expect(logs.targets[0].expr).toBe('{job=~"$job", instance=~"$instance"} | json | level >= 50');
    expect(d.templating!.list!.find((v) => v.name === 'loki_datasource')).toMatchObject({
      type: 'datasource',
      query: 'loki',
    });
    expect(d.__inputs.map((i) => i.name)).toEqual(['DS_PROMETHEUS', 'DS_LOKI']);
    expect(byTitle(d, 'Vote requests/s').links[0].url).toContain('/d/voting-vote');
    expect(d.links!.map((l) => l.url).sort()).toEqual(['/d/voting-redis-queue', '/d/voting-vote', '/d/voting-worker']);
    // The overview's job variable spans all three components; `up` keeps each component's own job matcher.
    expect(byTitle(d, 'Workers up').targets[0].expr).toBe('sum (up{job="worker", instance=~"$instance", job=~"$job"})');
  });

  it('overview: a table of scrape targets down, over a $job that offers Prometheus and Alertmanager too', () => {
    const d = overviewDashboard(cfg);
    expect(byTitle(d, 'Scrape targets down').targets[0].expr).toBe('up{job=~"$job", instance=~"$instance"} == 0');
    const job = d.templating!.list!.find((v) => v.name === 'job') as P;
    expect(job.query.query).toBe(
      'label_values(up{job=~"(vote|result|worker|redis-queue-exporter|prometheus|alertmanager|cadvisor)"}, job)',
    );
  });

  it('every PromQL target parses once variables are substituted', () => {
    for (const d of allDashboards(cfg)) {
      for (const p of panelsOf(d).filter((x) => x.type !== 'logs')) {
        for (const t of p.targets as P[])
          expect(parsePromQL(substituteVariables(t.expr).text).errors, t.expr).toEqual([]);
      }
    }
  });
});
