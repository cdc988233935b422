import { describe, expect, it } from 'vitest';
import { ALERT_SEVERITIES } from '../config/alert-catalog.js';
import { notGeneratedBecause } from '../config/config-check.js';
import { parseConfigText } from '../config/config-file.js';
import { defineConfig } from '../config/define-config.js';
import { type ConfigOverrides, defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { configError } from '../test/support/config-error.js';
import { alertmanagerConfig, policyRoutes, RECEIVERS, receiversNote } from './alertmanager.js';
import { ALERT_COMPONENTS, alertGroups, alertSpecs } from './groups.js';
import { runbooks } from './runbooks.js';

/** Alert name → severities, as the builders write them (before any policy). */
function authored(cfg: MixinConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const build of Object.values(ALERT_COMPONENTS))
    for (const s of build(cfg)) out[s.alert] = [...new Set([...(out[s.alert] ?? []), s.severity])];
  return out;
}

const twoQueues = defineConfig({
  selectors: { vote: { job: 'vote-prod' }, worker: { job: 'worker-prod' } },
  queues: [
    { name: 'votes', key: 'votes', processingPattern: 'votes:processing:*' },
    { name: 'audit', key: 'audit:*', warning: 50, critical: 80 },
  ],
});

describe('the alert catalog checkConfig validates policies against', () => {
  it('is exactly the alerts and severities the builders generate (defaults and a two-queue team config)', () => {
    const union: Record<string, string[]> = {};
    for (const cfg of [defaultConfig, twoQueues]) {
      for (const [alert, sevs] of Object.entries(authored(cfg))) {
        expect([...sevs].sort(), alert).toEqual([...(ALERT_SEVERITIES[alert] ?? [])].sort());
        union[alert] = sevs;
      }
    }
    // QueueProcessingStuck exists only for a queue with a processingPattern: the team config has one.
    expect(Object.keys(union).sort()).toEqual(Object.keys(ALERT_SEVERITIES).sort());
  });
});

describe('policy severities', () => {
  const cfg = defineConfig({
    alertmanager: { policies: [{ alerts: ['VoteNoTraffic', 'RedisRestarted'], severity: 'critical' }] },
  });

  it('become the severity of the rules, the runbooks and the routes', () => {
    const rules = alertGroups(cfg).flatMap((g) => g.rules);
    expect(rules.filter((r) => r.alert === 'VoteNoTraffic').map((r) => r.labels.severity)).toEqual(['critical']);
    expect(rules.filter((r) => r.alert === 'RedisRestarted').map((r) => r.labels.severity)).toEqual(['critical']);
    // Alerts outside the policy keep theirs.
    expect(rules.filter((r) => r.alert === 'VoteInstanceDown').map((r) => r.labels.severity)).toEqual(['warning']);
    expect(runbooks(cfg, alertSpecs(cfg)).get('VoteNoTraffic')).toContain('| critical |');
    expect(policyRoutes(cfg, alertSpecs(cfg))).toEqual([
      {
        receiver: 'null',
        matchers: ['alertname=~"VoteNoTraffic|RedisRestarted"', 'severity="critical"'],
        group_wait: '10s',
        group_interval: '1m',
        repeat_interval: '1h',
      },
    ]);
  });

  it('the defaults follow the operations plan: RedisDown and the workers critical every 5m, memory 15m, failed jobs 30m', () => {
    const routes = policyRoutes(defaultConfig, alertSpecs(defaultConfig));
    const repeat = (alert: string, severity: string) =>
      routes.find(
        (r) =>
          new RegExp(`^alertname=~?"(.*\\|)?${alert}(\\|.*)?"$`).test(r.matchers[0]!) &&
          r.matchers[1] === `severity="${severity}"`,
      )?.repeat_interval;
    expect(repeat('RedisDown', 'critical')).toBe('5m');
    expect(repeat('RedisMemoryHigh', 'warning')).toBe('15m');
    expect(repeat('RedisMemoryHigh', 'critical')).toBe('15m');
    for (const a of ['WorkerDown', 'WorkerAbsent', 'WorkerStalled']) expect(repeat(a, 'critical')).toBe('5m');
    expect(repeat('WorkerHighFailureRatio', 'warning')).toBe('30m');
    expect(repeat('WorkerHighFailureRatio', 'critical')).toBe('30m');
    // Unset timings are the severity's.
    expect(routes.find((r) => r.matchers[0] === 'alertname="RedisMemoryHigh"')).toMatchObject({
      group_wait: defaultConfig.alertmanager.timing.critical.groupWait,
      group_interval: defaultConfig.alertmanager.timing.critical.groupInterval,
    });
  });
});

describe('receivers', () => {
  it('the defaults configure none: every route ends at the explicit no-op receiver, and build has a note', () => {
    const am = alertmanagerConfig(defaultConfig) as {
      route: { receiver: string; routes: Array<{ receiver: string }> };
      receivers: Array<{ name: string }>;
    };
    expect(am.receivers).toEqual([{ name: 'null' }]);
    expect(new Set([am.route.receiver, ...am.route.routes.map((r) => r.receiver)])).toEqual(new Set(['null']));
    expect(receiversNote(defaultConfig)).toMatch(
      /^note: alertmanager\.receivers configures no webhook, slack or email/,
    );
  });

  it('a config that lists receivers gets exactly those: Slack and email only, no demo webhook anywhere', () => {
    const cfg = parseConfigText(
      [
        'alertmanager:',
        '  receivers:',
        '    slack: { apiUrlFile: /run/secrets/slack, channel: "#votes" }',
        '    email: { to: oncall@example.org, from: am@example.org, smarthost: "smtp.example.org:587" }',
        '  policies:',
        '    - alerts: [WorkerHighFailureRatio]',
        '      receiver: email',
      ].join('\n'),
      'team.yaml',
    );
    expect(receiversNote(cfg)).toBeUndefined();
    const am = alertmanagerConfig(cfg) as { receivers: Array<Record<string, unknown>> };
    expect(JSON.stringify(am)).not.toMatch(/webhook|5001/);
    const byName = Object.fromEntries(am.receivers.map((r) => [r.name, Object.keys(r).sort()]));
    expect(byName).toEqual({
      [RECEIVERS.critical]: ['email_configs', 'name', 'slack_configs'],
      [RECEIVERS.warning]: ['name', 'slack_configs'],
      email: ['email_configs', 'name'],
      null: ['name'],
    });
  });

  it('warnings reach chat through the webhook, else email, when there is no Slack', () => {
    const cfg = defineConfig({
      alertmanager: { receivers: { email: { to: 'a@example.org', from: 'b@example.org', smarthost: 'smtp:25' } } },
    });
    const am = alertmanagerConfig(cfg) as { receivers: Array<Record<string, unknown>> };
    expect(am.receivers.find((r) => r.name === RECEIVERS.warning)).toHaveProperty('email_configs');
  });

  it('`receivers: {}` in a file means none', () => {
    const cfg = parseConfigText('alertmanager:\n  receivers: {}\n', 'team.yaml');
    expect(cfg.alertmanager.receivers).toEqual({});
  });
});

describe('checkConfig on alertmanager.policies', () => {
  const slack = { apiUrlFile: '/run/secrets/slack', channel: '#votes' };
  it.each<[string, ConfigOverrides['alertmanager'], string, RegExp]>([
    [
      'an unknown alert, listing the valid ones',
      { policies: [{ alerts: ['RedisDown', 'RedisDwn'] }] },
      'alertmanager.policies[0].alerts[1]',
      /names no alert the mixin generates \(got "RedisDwn"; valid: .*QueueBacklogHigh, .*WorkerStalled/,
    ],
    [
      'an alert in two policies',
      { policies: [{ alerts: ['RedisDown'] }, { alerts: ['QueueGrowing', 'RedisDown'] }] },
      'alertmanager.policies[1].alerts[1]',
      /"RedisDown" is already routed by alertmanager\.policies\[0\]/,
    ],
    [
      'an unknown receiver',
      { receivers: { slack }, policies: [{ alerts: ['RedisDown'], receiver: 'pagerduty' }] },
      'alertmanager.policies[0].receiver',
      /names no generated receiver \(got "pagerduty"; valid: "critical-pager", "warning-chat", "null", "slack"\)/,
    ],
    [
      'an integration that is not configured',
      { receivers: { slack }, policies: [{ alerts: ['RedisDown'], receiver: 'email' }] },
      'alertmanager.policies[0].receiver',
      /names "email" but alertmanager\.receivers\.email is not configured/,
    ],
    [
      'a severity for an alert with two',
      { policies: [{ alerts: ['RedisDown', 'QueueBacklogHigh'], severity: 'critical' }] },
      'alertmanager.policies[0].severity',
      /only be set for alerts with one severity: QueueBacklogHigh has warning and critical/,
    ],
    [
      'a bad duration',
      { policies: [{ alerts: ['RedisDown'], repeatInterval: '5 minutes' as '5m' }] },
      'alertmanager.policies[0].repeatInterval',
      /must be a Prometheus duration/,
    ],
    [
      'a zero repeat interval',
      { policies: [{ alerts: ['RedisDown'], repeatInterval: '0s' }] },
      'alertmanager.policies[0].repeatInterval',
      /must not be zero/,
    ],
    ['no alerts', { policies: [{ alerts: [] }] }, 'alertmanager.policies[0].alerts', /must name at least one alert/],
  ])('rejects %s', (_what, alertmanager, path, message) => {
    const e = configError(() => defineConfig({ alertmanager }));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('locates the mistake in a YAML file', () => {
    const text = 'alertmanager:\n  policies:\n    - alerts: [RedisDown]\n      receiver: pager\n';
    const e = configError(() => parseConfigText(text, 'team.yaml'));
    expect(e.location).toBe('team.yaml:4:7');
  });
});

// A policy naming an alert this config does not generate got no route: its cooldown or receiver
// silently never applied.
describe('checkConfig on policies naming an alert the config does not generate', () => {
  const noPattern = {
    selectors: { vote: { job: 'vote-prod' }, worker: { job: { op: '=~', value: 'worker-prod-.*' } } },
    queues: [
      { name: 'votes', key: 'votes' },
      { name: 'emails', key: 'mail:*', warning: 50, critical: 100 },
    ],
  } satisfies ConfigOverrides;

  it('notGeneratedBecause matches the builders for every catalog alert', () => {
    for (const cfg of [defaultConfig, twoQueues, defineConfig(noPattern)]) {
      const generated = new Set(Object.keys(authored(cfg)));
      for (const alert of Object.keys(ALERT_SEVERITIES))
        expect(notGeneratedBecause(cfg, alert) === undefined, alert).toBe(generated.has(alert));
    }
  });

  it('refuses QueueProcessingStuck when no queue has a processingPattern, naming the path and why', () => {
    const e = configError(() =>
      defineConfig({
        ...noPattern,
        alertmanager: { policies: [{ alerts: ['QueueProcessingStuck'], repeatInterval: '1h' }] },
      }),
    );
    expect(e.path).toBe('alertmanager.policies[0].alerts[0]');
    expect(e.message).toMatch(
      /QueueProcessingStuck is generated only for queues with a processingPattern; none of the queues has one/,
    );
  });

  it('locates it in a YAML file', () => {
    const text = [
      'queues:',
      '  - { name: votes, key: votes }',
      'alertmanager:',
      '  policies:',
      '    - alerts: [WorkerStalled, QueueProcessingStuck]',
      '      repeatInterval: 1h',
    ].join('\n');
    const e = configError(() => parseConfigText(text, 'team.yaml'));
    expect(e.path).toBe('alertmanager.policies[0].alerts[1]');
    expect(e.location).toMatch(/^team\.yaml:5:/);
  });

  it('routes it when a queue has one; the default policies never trip the check', () => {
    const cfg = defineConfig({
      alertmanager: { policies: [{ alerts: ['QueueProcessingStuck'], repeatInterval: '1h' }] },
    });
    expect(policyRoutes(cfg, alertSpecs(cfg))).toEqual([
      expect.objectContaining({
        matchers: ['alertname="QueueProcessingStuck"', 'severity="warning"'],
        repeat_interval: '1h',
      }),
    ]);
    // The defaults' policies are kept for a config without a processingPattern, each with a route.
    const plain = defineConfig(noPattern);
    const routed = policyRoutes(plain, alertSpecs(plain)).map((r) => r.matchers[0]);
    for (const p of defaultConfig.alertmanager.policies)
      expect(routed.some((m) => p.alerts.every((a) => m!.includes(a)))).toBe(true);
  });
});
