import { describe, expect, it } from 'vitest';
import { configError } from '../test/support/config-error.js';
import { defaultConfig, defineConfig, parseConfigText } from './index.js';

describe('defineConfig', () => {
  it("returns the defaults when given nothing, with the original plan's backlog alert", () => {
    const cfg = defineConfig();
    expect(cfg).toEqual(defaultConfig);
    expect(cfg.queues[0]).toMatchObject({ name: 'votes', critical: 500, for: '5m' });
  });

  it('merges nested overrides deeply and replaces arrays', () => {
    const cfg = defineConfig({
      selectors: { vote: { job: 'vote-prod' } },
      thresholds: { vote: { errorRatioCritical: 0.1 } },
      grafana: { tags: ['prod'] },
    });
    expect(cfg.selectors.vote).toEqual({ job: 'vote-prod' });
    expect(cfg.selectors.worker).toEqual(defaultConfig.selectors.worker);
    expect(cfg.thresholds.vote.errorRatioWarning).toBe(defaultConfig.thresholds.vote.errorRatioWarning);
    expect(cfg.thresholds.vote.errorRatioCritical).toBe(0.1);
    expect(cfg.grafana.tags).toEqual(['prod']);
    expect(defaultConfig.selectors.vote).toEqual({ job: 'vote' }); // defaults never mutated
  });

  it('fills a queue given only name and key from the queue defaults', () => {
    const cfg = defineConfig({ queues: [{ name: 'emails', key: 'mail:*' }] });
    expect(cfg.queues[0]).toMatchObject({ name: 'emails', key: 'mail:*', type: 'auto', critical: 500, warning: 200 });
  });

  it('names the config path when critical is not above warning', () => {
    const e = configError(() =>
      defineConfig({ queues: [{ name: 'votes', key: 'votes', warning: 600, critical: 500 }] }),
    );
    expect(e.path).toBe('queues[0].critical');
    expect(e.message).toBe('queues[0].critical must be greater than queues[0].warning (got 500 <= 600)');
  });

  it.each([
    [{ thresholds: { vote: { errorRatioWarning: 1.5 } } }, 'thresholds.vote.errorRatioWarning'],
    [{ slo: { availability: { target: 1 } } }, 'slo.availability.target'],
    [{ slo: { period: '1d' as const } }, 'slo.period'],
    [
      { alerts: { forOverrides: { QueueBacklogCritical: 'soon' as '5m' } } },
      'alerts.forOverrides.QueueBacklogCritical',
    ],
    [{ selectors: { vote: { job: { op: '=~' as const, value: '(' } } } }, 'selectors.vote.job.value'],
    [{ selectors: { vote: { job: '' } } }, 'selectors.vote.job'],
    [{ selectors: { worker: { job: { op: '=~' as const, value: '' } } } }, 'selectors.worker.job.value'],
    [{ grafana: { uidPrefix: 'has space' } }, 'grafana.uidPrefix'],
    // Timings that would only show up as a lint warning on every generated rule, or an SLO that stays empty.
    [{ alerts: { rateWindow: '30s' as const } }, 'alerts.rateWindow'],
    [{ prometheus: { scrapeInterval: '2m' as const } }, 'alerts.rateWindow'],
    [{ alerts: { downFor: '0s' as const } }, 'alerts.downFor'],
    [{ alerts: { forOverrides: { WorkerAbsent: '0s' as const } } }, 'alerts.forOverrides.WorkerAbsent'],
    [{ slo: { latency: { target: 0.99, thresholdSeconds: 0.3 } } }, 'slo.latency.thresholdSeconds'],
    [
      {
        queues: [
          { name: 'a', key: 'a' },
          { name: 'a', key: 'b' },
        ],
      },
      'queues[1].name',
    ],
    [
      { alertmanager: { receivers: { webhook: { url: 'https://hooks.example.com/x?token=secret' } } } },
      'alertmanager.receivers.webhook.url',
    ],
    [{ prometheus: { targets: { postgres: ['http://pg:9187'] } } }, 'prometheus.targets.postgres[0]'],
    [{ prometheus: { targets: { vote: ['vote-1:8080', 'vote-2'] } } }, 'prometheus.targets.vote[1]'],
    [{ kubernetes: { ruleLabels: { 'bad label!': 'x' } } }, 'kubernetes.ruleLabels.bad label!'],
    [{ kubernetes: { app: { monitorLabels: { release: 'a b/c' } } } }, 'kubernetes.app.monitorLabels.release'],
  ])('rejects %j at %s', (overrides, path) => {
    expect(configError(() => defineConfig(overrides)).path).toBe(path);
  });
});

describe('what the API server and Prometheus accept', () => {
  it('takes host:port targets (names, IPv4, bracketed IPv6) and DNS-prefixed label keys', () => {
    expect(() =>
      defineConfig({
        prometheus: { targets: { vote: ['vote-1:8080', '10.0.0.7:8081', '[::1]:8082'] } },
        kubernetes: { ruleLabels: { 'app.kubernetes.io/part-of': 'voting', release: 'kps' } },
      }),
    ).not.toThrow();
  });
});

describe('config files', () => {
  it('loads YAML with defaults merged', () => {
    const cfg = parseConfigText('queues:\n  - name: votes\n    key: votes\n    critical: 800\n', 'mixin.yaml');
    expect(cfg.queues[0]!.critical).toBe(800);
    expect(cfg.grafana).toEqual(defaultConfig.grafana);
  });

  it('reports a semantic error with path and file:line:col', () => {
    const text =
      'grafana:\n  refresh: 1m\nqueues:\n  - name: votes\n    key: votes\n    warning: 900\n    critical: 500\n';
    const e = configError(() => parseConfigText(text, 'mixin.yaml'));
    expect(e.message).toContain('queues[0].critical must be greater than queues[0].warning');
    expect(e.location).toBe('mixin.yaml:7:5');
  });

  it('reports an unknown (misspelt) key with its position', () => {
    const e = configError(() => parseConfigText('queues:\n  - name: votes\n    key: votes\n    critcal: 5\n', 'c.yml'));
    expect(e.path).toBe('queues[0].critcal');
    expect(e.message).toContain('not a known setting');
    expect(e.location).toBe('c.yml:4:5');
  });

  it('reports a bad duration with its position', () => {
    const e = configError(() => parseConfigText('{"alerts": {"defaultFor": "5 minutes"}}', 'c.json'));
    expect(e.path).toBe('alerts.defaultFor');
    expect(e.location).toBe('c.json:1:13');
  });

  it('reports a YAML syntax error with its position', () => {
    const e = configError(() => parseConfigText('queues: [\n', 'bad.yaml'));
    expect(e.location).toMatch(/^bad\.yaml:\d+:\d+$/);
  });

  it('checks matchers: the object form needs op and value, a known op, and nothing else is a matcher', () => {
    const at = (yaml: string) => {
      const e = configError(() => parseConfigText(`selectors:\n  vote:\n    job: ${yaml}\n`, 't.yaml'));
      return `${e.location}: ${e.message}`;
    };
    expect(at('{ op: "=~", valu: "vote-.*" }')).toBe('t.yaml:3:5: selectors.vote.job.value is required');
    expect(at('{ op: "==", value: vote }')).toBe(
      't.yaml:3:12: selectors.vote.job.op must be one of "=", "!=", "=~", "!~"',
    );
    expect(at('5')).toBe('t.yaml:3:5: selectors.vote.job must be string or object');
    expect(at('{ op: "=", value: vote, sample: x }')).toContain(
      'selectors.vote.job.sample is not a known setting (check its spelling; valid here: op, value, example)',
    );
  });

  it('lists the allowed values of an enum and wants the required fields of what replaces a default', () => {
    let e = configError(() => parseConfigText('queues:\n  - name: votes\n    key: votes\n    type: lisst\n', 'q.yaml'));
    expect(e.message).toBe('queues[0].type must be one of "auto", "list", "stream", "zset", "set", "hash"');
    expect(e.location).toBe('q.yaml:4:5');
    e = configError(() => parseConfigText('queues:\n  - name: emails\n', 'q.yaml'));
    expect(e.message).toBe('queues[0].key is required');
    e = configError(() => parseConfigText('alertmanager:\n  receivers:\n    slack: { channel: "#x" }\n', 'r.yaml'));
    expect(e.message).toBe('alertmanager.receivers.slack.apiUrlFile is required');
  });

  it('takes a realistic team config with an editor $schema line, and the defaults written out in full', () => {
    const team = `# yaml-language-server: $schema=./node_modules/voting-mixin/build/config/config.schema.json
$schema: ./node_modules/voting-mixin/build/config/config.schema.json
selectors:
  vote: { job: vote-prod, namespace: voting }
  worker: { job: { op: "=~", value: "worker-prod-.*", example: worker-prod-1 } }
queues:
  - { name: votes, key: votes, critical: 800 }
  - { name: emails, key: "mail:*", type: list, warning: 50, critical: 100, for: 10m }
alerts:
  forOverrides: { QueueBacklogCritical: 2m }
alertmanager:
  receivers:
    slack: { apiUrlFile: /etc/alertmanager/secrets/slack-url, channel: "#voting-alerts" }
    email: { to: oncall@example.com, from: alertmanager@example.com, smarthost: "smtp.example.com:587" }
kubernetes:
  ruleLabels: { release: kube-prometheus-stack }
`;
    const cfg = parseConfigText(team, 'team.yaml');
    expect(cfg).not.toHaveProperty('$schema');
    expect(cfg.selectors.vote).toEqual({ job: 'vote-prod', namespace: 'voting' });
    expect(cfg.queues[1]).toMatchObject({ name: 'emails', for: '10m', averagedCritical: 1000 });
    expect(Object.keys(cfg.alertmanager.receivers).sort()).toEqual(['email', 'slack']);
    expect(parseConfigText(JSON.stringify(defaultConfig), 'full.json')).toEqual(defaultConfig);
  });
});

// A null (YAML's `key:` with nothing after it, or `key: null`) is often meant as "none": the error
// says how to get that, instead of only "must be object".
describe('null values in a config file', () => {
  const team = (receivers: string) =>
    `selectors:\n  vote: { job: vote-prod }\nalertmanager:\n  receivers:\n    slack: { apiUrlFile: /etc/am/slack-url, channel: "#voting-alerts" }\n${receivers}`;

  it('a receiver set to null: leave it out, since a config names all its receivers', () => {
    for (const text of [team('    webhook: null\n'), team('    webhook:\n')]) {
      const e = configError(() => parseConfigText(text, 'team.yaml'));
      expect(e.path).toBe('alertmanager.receivers.webhook');
      expect(e.message).toBe(
        "alertmanager.receivers.webhook must be an object; to configure no webhook, leave it out (a config's receivers replace the defaults)",
      );
      expect(e.location).toBe('team.yaml:6:5');
    }
    // Left out, the team gets exactly its Slack receiver.
    expect(Object.keys(parseConfigText(team(''), 'team.yaml').alertmanager.receivers)).toEqual(['slack']);
  });

  it('any other null: omit the key (or the list entry), with the kind the setting wants', () => {
    const msg = (text: string) => configError(() => parseConfigText(text, 'n.yaml')).message;
    expect(msg('grafana:\n')).toBe(
      'grafana must be an object; to leave it unset, omit the key (null is not a value here)',
    );
    expect(msg('queues:\n  - { name: votes, key: votes, critical: null }\n')).toBe(
      'queues[0].critical must be a number; to leave it unset, omit the key (null is not a value here)',
    );
    expect(msg('selectors:\n  vote:\n    job: ~\n')).toBe(
      'selectors.vote.job must be a string or an object; to leave it unset, omit the key (null is not a value here)',
    );
    expect(msg('grafana:\n  tags: [prod, null]\n')).toBe(
      'grafana.tags[1] must be a string; to have no entry here, remove it from the list (null is not a value here)',
    );
    // A value of the wrong kind (not null) keeps the short message.
    expect(msg('grafana:\n  folder: 3\n')).toBe('grafana.folder must be string');
  });
});
