import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig } from '../config/mixin-config.js';
import { alertmanagerConfig, RECEIVERS } from './alertmanager.js';
import { alertArtifacts, checkAlertArtifacts } from './artifacts.js';
import { panelIds } from './dashboard-links.js';
import { alertGroups, alertSpecs } from './groups.js';
import { burnFactor, PAGE_WINDOWS, TICKET_WINDOWS } from './slo.js';

const rules = (cfg = defaultConfig) => alertGroups(cfg).flatMap((g) => g.rules);

describe('alert conventions', () => {
  it('every alert has a PascalCase name, a severity and all four annotations', () => {
    for (const r of rules()) {
      expect(r.alert).toMatch(/^(Vote|Result|Redis|Queue|Worker|Postgres|Exporter|Monitoring)[A-Z][A-Za-z]+$/);
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(Object.keys(r.annotations).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(r.annotations.runbook_url).toBe(`${defaultConfig.runbookBaseUrl}${r.alert}.md`);
      expect(r.annotations.dashboard_url).toMatch(
        /^http:\/\/localhost:3000\/d\/voting-(vote|redis-queue|worker|overview)(\?viewPanel=\d+)?$/,
      );
    }
  });

  it('every dashboard_url opens a panel (uid and viewPanel), the exporter and target-down alerts included', () => {
    const linked = alertGroups(defaultConfig, panelIds(defaultConfig)).flatMap((g) => g.rules);
    for (const r of linked) expect(r.annotations.dashboard_url, r.alert).toMatch(/\?viewPanel=\d+$/);
    const url = (a: string) => linked.find((r) => r.alert === a)!.annotations.dashboard_url;
    expect(url('ExporterScrapeErrors')).toMatch(/\/d\/voting-redis-queue\?viewPanel=/);
    expect(url('MonitoringTargetDown')).toMatch(/\/d\/voting-overview\?viewPanel=/);
  });

  it('covers the alerts issue 5 asks for', () => {
    const names = new Set(rules().map((r) => r.alert));
    for (const n of [
      'VoteHighErrorRatio',
      'VoteHighLatency',
      'VoteNoTraffic',
      'VoteInstanceDown',
      'VoteAvailabilityErrorBudgetBurn',
      'VoteLatencyErrorBudgetBurn',
      'RedisDown',
      'RedisMemoryHigh',
      'RedisRejectedConnections',
      'RedisTooManyClients',
      'RedisRestarted',
      'QueueBacklogHigh',
      'QueueBacklogHighAveraged',
      'QueueGrowing',
      'QueueOldestItemTooOld',
      'QueueProcessingStuck',
      'WorkerDown',
      'WorkerAbsent',
      'WorkerStalled',
      'WorkerHighFailureRatio',
      'WorkerSlowProcessing',
      'WorkerDbPoolExhausted',
      'ExporterScrapeErrors',
      'ExporterSlowScrape',
      'MonitoringTargetDown',
    ])
      expect(names, n).toContain(n);
  });

  it('takes thresholds from the config: the backlog plan is > 500 for 5m, critical', () => {
    const crit = rules().find((r) => r.alert === 'QueueBacklogHigh' && r.labels.severity === 'critical')!;
    expect(crit.expr).toMatch(/queue="votes".*> 500$/);
    expect(crit.for).toBe('5m');
    const custom = rules(
      defineConfig({ queues: [{ name: 'votes', key: 'votes', warning: 100, critical: 800, for: '10m' }] }),
    );
    const c2 = custom.find((r) => r.alert === 'QueueBacklogHigh' && r.labels.severity === 'critical')!;
    expect(c2.expr).toMatch(/> 800$/);
    expect(c2.for).toBe('10m');
  });

  it('forOverrides replace the `for` of every severity of the named alert', () => {
    const cfg = defineConfig({ alerts: { forOverrides: { QueueBacklogHigh: '30s', RedisDown: '15s' } } });
    const r = rules(cfg);
    expect(r.filter((x) => x.alert === 'QueueBacklogHigh').map((x) => x.for)).toEqual(['30s', '30s']);
    expect(r.find((x) => x.alert === 'RedisDown')!.for).toBe('15s');
  });

  it('guards the memory ratio against maxmemory 0', () => {
    for (const r of rules().filter((x) => x.alert === 'RedisMemoryHigh'))
      expect(r.expr).toContain('redis_memory_max_bytes{job="redis-queue-exporter"} > 0)');
  });

  it('derives burn-rate factors from the SLO period', () => {
    const f = (period: '30d' | '28d') =>
      [...PAGE_WINDOWS, ...TICKET_WINDOWS].map((w) => burnFactor(defineConfig({ slo: { period } }), w));
    expect(f('30d')).toEqual([14.4, 6, 3, 1]);
    expect(f('28d').map((x) => Number(x.toFixed(3)))).toEqual([13.44, 5.6, 2.8, 0.933]);
    const page = rules().find(
      (r) => r.alert === 'VoteAvailabilityErrorBudgetBurn' && r.labels.severity === 'critical',
    )!;
    expect(page.expr).toContain(
      'job:slo_availability_errors:ratio_rate1h{job="vote"} > 0.0144 and job:slo_availability_errors:ratio_rate5m{job="vote"} > 0.0144',
    );
  });

  it('emits one set of queue alerts per configured queue, labelled by queue', () => {
    const cfg = defineConfig({
      queues: [
        { name: 'votes', key: 'votes' },
        { name: 'audit', key: 'audit' },
      ],
    });
    const backlog = rules(cfg).filter((r) => r.alert === 'QueueBacklogHighAveraged');
    expect(backlog.map((r) => /queue="(\w+)"/.exec(r.expr)![1])).toEqual(['votes', 'audit']);
  });

  it('gives a set or hash queue, which has no oldest item, no age alert', () => {
    const cfg = defineConfig({
      queues: [
        { name: 'votes', key: 'votes', type: 'list' },
        { name: 'seen', key: 'seen', type: 'set' },
        { name: 'jobs', key: 'jobs', type: 'hash' },
        { name: 'any', key: 'any:*' },
      ],
    });
    const aged = rules(cfg).filter((r) => r.alert === 'QueueOldestItemTooOld');
    expect([...new Set(aged.map((r) => r.labels?.queue))]).toEqual(['votes', 'any']);
    expect(rules(cfg).filter((r) => r.alert === 'QueueBacklogHigh' && r.labels?.queue === 'jobs')).toHaveLength(2);
  });
});

describe('alert artifacts', () => {
  const files = alertArtifacts(defaultConfig);

  it('are deterministic', () => {
    expect(alertArtifacts(defaultConfig)).toEqual(files);
  });

  it('write a runbook per alert with the confirm queries', () => {
    for (const name of new Set(alertSpecs(defaultConfig).map((s) => s.alert))) {
      const md = files.get(`runbooks/${name}.md`)!;
      expect(md, name).toContain(`# ${name}`);
      for (const h of ['## What it means', '## How to confirm', '## How to mitigate', '## How to follow up'])
        expect(md).toContain(h);
    }
    const spec = alertSpecs(defaultConfig).find((s) => s.alert === 'RedisDown')!;
    expect(files.get('runbooks/RedisDown.md')).toContain(spec.expr);
  });

  it('runbooks take every job selector, log queries included, from the config', () => {
    const custom = alertArtifacts(
      defineConfig({
        selectors: { vote: { job: 'vote-prod' }, worker: { job: 'worker-prod' }, exporter: { job: 'qexp' } },
      }),
    );
    const runbooks = [...custom].filter(([path]) => path.startsWith('runbooks/'));
    expect(runbooks.length).toBeGreaterThan(20);
    for (const [path, md] of runbooks) expect(md, path).not.toMatch(/job="(vote|worker|redis-queue-exporter)"/);
    expect(custom.get('runbooks/WorkerHighFailureRatio.md')).toContain('{job="worker-prod"} |= "malformed"');
    expect(custom.get('runbooks/QueueBacklogHigh.md')).toContain('worker logs ({job="worker-prod"})');
    expect(custom.get('runbooks/VoteHighErrorRatio.md')).toContain('{job="vote-prod"} |= "error"');
  });

  it('link every alert to a panel its dashboard has (cross/missing-panel)', () => {
    expect(checkAlertArtifacts(files, defaultConfig)).toEqual([]);
  });

  it('put every rule group in the PrometheusRule with the configured labels', () => {
    const pr = parse(files.get('k8s/prometheus-rule.yaml')!);
    expect(pr.kind).toBe('PrometheusRule');
    expect(pr.metadata.labels).toEqual(defaultConfig.kubernetes.ruleLabels);
    const ruleFiles = [...files.keys()].filter((k) => k.startsWith('prometheus/rules/'));
    expect(pr.spec.groups).toHaveLength(ruleFiles.length);
  });

  it('never write a secret inline in the Alertmanager config', () => {
    const cfg = defineConfig({
      alertmanager: {
        receivers: {
          webhook: { url: 'http://localhost:5001/alerts' },
          slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-url', channel: '#votes' },
          email: {
            to: 'oncall@example.org',
            from: 'am@example.org',
            smarthost: 'smtp.example.org:587',
            authUsername: 'am',
            authPasswordFile: '/etc/alertmanager/secrets/smtp',
          },
        },
      },
    });
    const am = alertmanagerConfig(cfg) as { receivers: Array<Record<string, unknown>> };
    const text = JSON.stringify(am);
    expect(text).not.toMatch(/"(api_url|auth_password|auth_secret|routing_key|service_key)"/);
    const pager = am.receivers.find((r) => r.name === RECEIVERS.critical)!;
    expect(Object.keys(pager).sort()).toEqual(['email_configs', 'name', 'slack_configs', 'webhook_configs']);
  });
});
