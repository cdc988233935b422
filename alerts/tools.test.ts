/**
 * The generated artifacts against the real tools: promtool (check rules, check config, test rules),
 * amtool (check-config, routes) and a real Alertmanager for the inhibitions amtool cannot test.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../config/config-file.js';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { buildCommand } from '../scripts/commands/build.js';
import { freePort } from '../test/support/index.js';
import { alertmanagerConfig, RECEIVERS, redisDependentAlerts, SEVERITY_INHIBIT_EQUAL } from './alertmanager.js';
import { alertArtifacts } from './artifacts.js';
import { alertGroups } from './groups.js';
import type { PromtoolTestFile } from './promtool-types.js';
import type { AlertingRule, AlertSeverity } from './rule-types.js';

const exec = promisify(execFile);
const run = async (cmd: string, args: string[], cwd?: string) => {
  try {
    const r = await exec(cmd, args, { cwd, maxBuffer: 64 << 20 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};

/** A config unlike the defaults: two queues, compressed `for`s, a 28d SLO, every receiver. */
const custom = defineConfig({
  queues: [
    { name: 'votes', key: 'votes', processingPattern: 'votes:processing:*', warning: 100, critical: 300, for: '2m' },
    { name: 'audit', key: 'audit:*', warning: 50, critical: 80, for: '3m', averagedCritical: 120 },
  ],
  slo: { period: '28d' },
  alerts: { forOverrides: { RedisDown: '30s', WorkerStalled: '2m', VoteHighErrorRatio: '1m' } },
  alertmanager: {
    receivers: {
      webhook: { url: 'http://127.0.0.1:5001/alerts' },
      slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-url', channel: '#votes' },
      email: {
        to: 'oncall@example.org',
        from: 'am@example.org',
        smarthost: 'smtp.example.org:587',
        authUsername: 'am',
        authPasswordFile: '/etc/alertmanager/secrets/smtp-password',
      },
    },
  },
});

const root = mkdtempSync(join(tmpdir(), 'voting-alerts-'));
function write(name: string, cfg: MixinConfig): string {
  const dir = join(root, name);
  for (const [p, c] of alertArtifacts(cfg)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}
const files = (dir: string, sub: string) =>
  readdirSync(join(dir, sub))
    .map((f) => join(dir, sub, f))
    .sort();

let def: string;
let cus: string;
beforeAll(() => {
  def = write('default', defaultConfig);
  cus = write('custom', custom);
});
afterAll(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

describe('promtool and amtool accept the outputs', () => {
  it('promtool check rules', async () => {
    const r = await run('promtool', [
      'check',
      'rules',
      ...files(def, 'prometheus/rules'),
      ...files(cus, 'prometheus/rules'),
    ]);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code, r.out).toBe(0);
  });
  it('promtool check config (prometheus.yml with its rule files)', async () => {
    for (const d of [def, cus]) {
      const r = await run('promtool', ['check', 'config', join(d, 'prometheus/prometheus.yml')]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/SUCCESS: \d+ rule files found/);
    }
  });
  it('amtool check-config', async () => {
    for (const d of [def, cus]) {
      const r = await run('amtool', ['check-config', join(d, 'alertmanager/alertmanager.yml')]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('2 inhibit rules');
    }
  });
});

describe('promtool test rules', () => {
  // Two configs' worth of suites: about 30 s while other test files share this machine's two cores.
  it('passes every generated and scenario suite, for the defaults and a custom config (one batched run)', async () => {
    const suites = [...files(def, 'tests'), ...files(cus, 'tests')];
    expect(suites.length).toBeGreaterThanOrEqual(20);
    const r = await run('promtool', ['test', 'rules', ...suites]);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/SUCCESS/g)).toHaveLength(suites.length);
  }, 120_000);

  it('fails when a threshold or a `for` drifts from what the tests were generated for', async () => {
    const mutated = join(root, 'mutated');
    cpSync(def, mutated, { recursive: true });
    const rules = join(mutated, 'prometheus/rules/voting-queue-alerts.yml');
    writeFileSync(rules, readFileSync(rules, 'utf8').replace('> 500\n', '> 520\n'));
    const redis = join(mutated, 'prometheus/rules/voting-redis-alerts.yml');
    writeFileSync(redis, readFileSync(redis, 'utf8').replace(/(alert: RedisDown\n\s+expr: .*\n\s+for:) 1m/, '$1 3m'));
    const r = await run('promtool', [
      'test',
      'rules',
      join(mutated, 'tests/queue-alerts.yml'),
      join(mutated, 'tests/redis-alerts.yml'),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/QueueBacklogHigh \(critical\) fires above 500/);
    expect(r.out).toMatch(/RedisDown \(critical\) fires below 0.5 after 1m/);
  });

  it('has, for every alert rule, a case where it fires and a case where it stays quiet', () => {
    for (const [dir, cfg] of [
      [def, defaultConfig],
      [cus, custom],
    ] as const) {
      const cases = files(dir, 'tests').flatMap((f) => (parse(readFileSync(f, 'utf8')) as PromtoolTestFile).tests);
      const checks = cases.flatMap((t) => t.alert_rule_test ?? []);
      for (const rule of alertGroups(cfg).flatMap((g) => g.rules)) {
        const queue = /queue="([^"]+)"/.exec(rule.expr)?.[1];
        const mine = (a: { exp_labels: Record<string, string> }) =>
          a.exp_labels.severity === rule.labels.severity && (!queue || a.exp_labels.queue === queue);
        const named = checks.filter((c) => c.alertname === rule.alert);
        const id = `${rule.alert}/${rule.labels.severity}/${queue ?? ''}`;
        expect(
          named.some((c) => c.exp_alerts.some(mine)),
          `${id} fires somewhere`,
        ).toBe(true);
        expect(
          named.some((c) => !c.exp_alerts.some(mine)),
          `${id} is quiet somewhere`,
        ).toBe(true);
      }
    }
  });
});

/** The receiver amtool routes a label set to. */
const route = async (dir: string, ...labels: string[]) =>
  (
    await run('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${join(dir, 'alertmanager/alertmanager.yml')}`,
      ...labels,
    ])
  ).out
    .split('\n')[0]!
    .trim();

describe('Alertmanager routing', () => {
  it('sends each severity to its receiver (amtool config routes test)', async () => {
    expect(await route(cus, 'alertname=RedisDown', 'severity=critical')).toBe(RECEIVERS.critical);
    expect(await route(cus, 'alertname=QueueGrowing', 'severity=warning', 'queue=votes')).toBe(RECEIVERS.warning);
    expect(await route(cus, 'alertname=RedisRestarted', 'severity=info')).toBe(RECEIVERS.info);
    expect(await route(cus, 'alertname=Unlabelled')).toBe(RECEIVERS.warning);
    // The defaults configure no integration: everything ends at the no-op receiver, said out loud.
    for (const labels of [['alertname=RedisDown', 'severity=critical'], ['alertname=Unlabelled']])
      expect(await route(def, ...labels)).toBe('null');
  });

  it('pages through every configured integration and keeps secrets in files', () => {
    const am = parse(readFileSync(join(cus, 'alertmanager/alertmanager.yml'), 'utf8'));
    const pager = am.receivers.find((r: { name: string }) => r.name === RECEIVERS.critical);
    expect(pager.slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/slack-url');
    expect(pager.email_configs[0].auth_password_file).toBe('/etc/alertmanager/secrets/smtp-password');
    expect(JSON.stringify(am)).not.toMatch(/"(api_url|auth_password)"/);
    // The per-severity routes come last, after the notification policies.
    expect(am.route.routes.slice(-3).map((r: { repeat_interval: string }) => r.repeat_interval)).toEqual([
      '1h',
      '4h',
      '24h',
    ]);
  });

  it('declares the inhibitions: RedisDown mutes every queue and worker alert; critical mutes its warning twin', () => {
    const am = alertmanagerConfig(defaultConfig) as { inhibit_rules: Array<Record<string, string[]>> };
    const [redis, severity] = am.inhibit_rules;
    const target = new RegExp(`^(?:${/alertname=~"(.*)"/.exec(redis!.target_matchers![0]!)![1]})$`);
    const names = [...new Set(alertGroups(defaultConfig).flatMap((g) => g.rules.map((r) => r.alert)))];
    expect(names.filter((n) => target.test(n)).sort()).toEqual(names.filter((n) => /^(Queue|Worker)/.test(n)).sort());
    expect(redisDependentAlerts(defaultConfig)).toContain('QueueBacklogHigh');
    expect(severity!.equal).toEqual(SEVERITY_INHIBIT_EQUAL);
  });
});

/**
 * A team's production config, as a file: its own job names, two queues, a wiki for runbooks, Slack
 * and email only (no webhook), and policies of its own — one with its own receiver, one raising a
 * severity, one with its own timings.
 */
const TEAM_YAML = `
selectors:
  vote: { job: vote-prod }
  worker: { job: worker-prod }
queues:
  - { name: votes, key: votes, processingPattern: "votes:processing:*", warning: 100, critical: 300 }
  - { name: audit, key: "audit:*", warning: 50, critical: 80 }
runbookBaseUrl: https://wiki.example.org/voting/runbooks/
alertmanager:
  receivers:
    slack: { apiUrlFile: /etc/alertmanager/secrets/slack-url, channel: "#votes-oncall" }
    email:
      to: oncall@example.org
      from: alertmanager@example.org
      smarthost: smtp.example.org:587
      authUsername: alertmanager
      authPasswordFile: /etc/alertmanager/secrets/smtp-password
  timing:
    critical: { groupWait: 15s, groupInterval: 2m, repeatInterval: 2h }
  policies:
    - alerts: [RedisDown, WorkerDown, WorkerAbsent, WorkerStalled]
      groupWait: 5s
      repeatInterval: 5m
    - alerts: [WorkerHighFailureRatio, WorkerDbPoolExhausted]
      receiver: email
      repeatInterval: 30m
    - alerts: [VoteNoTraffic]
      severity: critical
      groupInterval: 3m
`;

interface AmRoute {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: AmRoute[];
}
type Resolved = Required<Pick<AmRoute, 'receiver' | 'group_wait' | 'group_interval' | 'repeat_interval'>>;

/** Alertmanager's matching (anchored regexes, a missing label is ""), for the matcher forms we generate. */
function matches(matcher: string, labels: Record<string, string>): boolean {
  const [, name, op, value] = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$/.exec(matcher)!;
  const v = labels[name!] ?? '';
  const re = () => new RegExp(`^(?:${value})$`).test(v);
  return op === '=' ? v === value : op === '!=' ? v !== value : op === '=~' ? re() : !re();
}

/** Alertmanager's walk: the first matching child (none has `continue`), unset fields inherited. */
function resolveRoute(route: AmRoute, labels: Record<string, string>, parent?: Resolved): Resolved {
  const here: Resolved = {
    receiver: route.receiver ?? parent!.receiver,
    group_wait: route.group_wait ?? parent?.group_wait ?? '30s',
    group_interval: route.group_interval ?? parent?.group_interval ?? '5m',
    repeat_interval: route.repeat_interval ?? parent?.repeat_interval ?? '4h',
  };
  for (const child of route.routes ?? []) {
    expect(child.continue).toBeFalsy();
    if ((child.matchers ?? []).every((m) => matches(m, labels))) return resolveRoute(child, labels, here);
  }
  return here;
}

/** What the config says an alert gets: its policy's receiver and timings, else its severity's. */
function intended(cfg: MixinConfig, alert: string, severity: AlertSeverity, integrations: boolean): Resolved {
  const p = cfg.alertmanager.policies.find((x) => x.alerts.includes(alert));
  const t = cfg.alertmanager.timing[severity];
  return {
    receiver: integrations ? (p?.receiver ?? RECEIVERS[severity]) : 'null',
    group_wait: p?.groupWait ?? t.groupWait,
    group_interval: p?.groupInterval ?? t.groupInterval,
    repeat_interval: p?.repeatInterval ?? t.repeatInterval,
  };
}

/** Every label set the generated rules can fire with (alertname + the rule's labels), from the rule files. */
function firingLabelSets(dir: string): Array<Record<string, string>> {
  const sets = new Map<string, Record<string, string>>();
  for (const f of files(dir, 'prometheus/rules')) {
    const doc = parse(readFileSync(f, 'utf8')) as { groups: Array<{ rules: Array<Partial<AlertingRule>> }> };
    for (const r of doc.groups.flatMap((g) => g.rules)) {
      if (!r.alert) continue;
      const labels = { alertname: r.alert, ...r.labels };
      sets.set(JSON.stringify(labels), labels);
    }
  }
  return [...sets.values()];
}

/** Runs `fn` over `xs`, four at a time (amtool is one process per label set). */
async function pool<T, R>(xs: T[], fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]!);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

describe('the routing tree, alert by alert (a team config built by the CLI, and the defaults)', () => {
  let team: string;
  let teamCfg: MixinConfig;
  let teamLog = '';
  let defLog = '';
  const build = async (args: string[]) => {
    let err = '';
    const stderr = new PassThrough();
    stderr.on('data', (c: Buffer) => (err += c));
    const code = await buildCommand.run(args, { stdout: new PassThrough(), stderr, cwd: root, env: {} });
    return { code, err };
  };

  beforeAll(async () => {
    const file = join(root, 'team.yaml');
    writeFileSync(file, TEAM_YAML);
    teamCfg = parseConfigText(TEAM_YAML, file);
    team = join(root, 'team-dist');
    const t = await build(['--config', file, '--out', team, '--only', 'alerts']);
    teamLog = t.err;
    expect(t.code, t.err).toBe(0);
    const d = await build(['--out', join(root, 'default-dist'), '--only', 'alerts']);
    defLog = d.err;
    expect(d.code, d.err).toBe(0);
  });

  it('builds both with no validator finding; only the defaults get the no-receivers note', () => {
    // A validator finding is printed with its file:line:col.
    for (const log of [teamLog, defLog]) expect(log).not.toMatch(/alertmanager\/alertmanager\.yml:\d+/);
    for (const log of [teamLog, defLog]) expect(log).toMatch(/wrote \d+ files/);
    expect(defLog).toMatch(/note: alertmanager\.receivers configures no webhook, slack or email.*"null"/);
    expect(teamLog).not.toMatch(/note:/);
  });

  it('amtool check-config accepts the team config', async () => {
    const r = await run('amtool', ['check-config', join(team, 'alertmanager/alertmanager.yml')]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/2 inhibit rules/);
  });

  for (const which of ['team', 'default'] as const) {
    it(`${which}: every generated alert and severity reaches the intended receiver with the intended timings (amtool config routes test)`, async () => {
      const dir = which === 'team' ? team : join(root, 'default-dist');
      const cfg = which === 'team' ? teamCfg : defaultConfig;
      const am = parse(readFileSync(join(dir, 'alertmanager/alertmanager.yml'), 'utf8')) as { route: AmRoute };
      const sets = firingLabelSets(dir);
      expect(sets.length).toBeGreaterThan(30);
      const got = await pool(sets, (labels) => route(dir, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)));
      sets.forEach((labels, i) => {
        const id = `${labels.alertname}/${labels.severity}${labels.queue ? `/${labels.queue}` : ''}`;
        const want = intended(cfg, labels.alertname!, labels.severity as AlertSeverity, which === 'team');
        const walked = resolveRoute(am.route, labels);
        // amtool is the judge of the receiver; our walk, which agrees with it there, gives the timings.
        expect(got[i], `${id}: amtool's receiver`).toBe(want.receiver);
        expect(walked, id).toEqual(want);
      });
    });
  }

  it('team: the policies did what they say (spot checks against the table)', () => {
    const am = parse(readFileSync(join(team, 'alertmanager/alertmanager.yml'), 'utf8')) as { route: AmRoute };
    const at = (labels: Record<string, string>) => resolveRoute(am.route, labels);
    expect(at({ alertname: 'RedisDown', severity: 'critical' })).toEqual({
      receiver: RECEIVERS.critical,
      group_wait: '5s',
      group_interval: '2m',
      repeat_interval: '5m',
    });
    expect(at({ alertname: 'WorkerHighFailureRatio', severity: 'warning' })).toEqual({
      receiver: 'email',
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '30m',
    });
    expect(at({ alertname: 'VoteNoTraffic', severity: 'critical' }).group_interval).toBe('3m');
    expect(at({ alertname: 'QueueGrowing', severity: 'warning', queue: 'audit' }).receiver).toBe(RECEIVERS.warning);
    // The severity the policy gave VoteNoTraffic is the one its rule carries.
    const sets = firingLabelSets(team).filter((l) => l.alertname === 'VoteNoTraffic');
    expect(sets.map((l) => l.severity)).toEqual(['critical']);
    // A wiki keeps working: runbook_url is the base, the alert name and .md.
    const rules = readFileSync(files(team, 'prometheus/rules').find((f) => f.includes('redis'))!, 'utf8');
    expect(rules).toContain('runbook_url: https://wiki.example.org/voting/runbooks/RedisDown.md');
    // No demo webhook in a team's Alertmanager config.
    expect(readFileSync(join(team, 'alertmanager/alertmanager.yml'), 'utf8')).not.toMatch(/webhook|localhost/);
  });
});

describe('inhibitions on a real Alertmanager', () => {
  let am: ChildProcess | undefined;
  // Alertmanager writes its snapshot into am-data as it shuts down: wait for the exit, or the
  // file-level afterAll races it and rmdir fails with ENOTEMPTY (seen in CI).
  afterAll(async () => {
    if (!am || am.exitCode !== null || am.signalCode !== null) return;
    const exited = new Promise((r) => am!.once('exit', r));
    am.kill('SIGTERM');
    const timer = setTimeout(() => am?.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });

  it('marks queue alerts inhibited by RedisDown and warnings by their critical twin', async () => {
    const port = await freePort();
    const storage = join(root, 'am-data');
    mkdirSync(storage);
    am = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${join(def, 'alertmanager/alertmanager.yml')}`,
        `--storage.path=${storage}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    const base = `http://127.0.0.1:${port}/api/v2`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/status`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 100) throw new Error('alertmanager did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const alert = (labels: Record<string, string>) => ({
      labels,
      annotations: { summary: 'test' },
      startsAt: new Date().toISOString(),
    });
    const posted = await fetch(`${base}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'RedisDown', severity: 'critical', job: 'redis-queue-exporter', instance: 'e1' }),
        alert({ alertname: 'QueueBacklogHigh', severity: 'critical', job: 'redis-queue-exporter', queue: 'votes' }),
        alert({ alertname: 'WorkerStalled', severity: 'critical', job: 'redis-queue-exporter', queue: 'votes' }),
        alert({ alertname: 'VoteHighErrorRatio', severity: 'critical', job: 'vote' }),
        alert({ alertname: 'VoteHighErrorRatio', severity: 'warning', job: 'vote' }),
        alert({ alertname: 'VoteHighLatency', severity: 'warning', job: 'vote' }),
      ]),
    });
    expect(posted.status).toBe(200);
    type Got = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    let got: Got[] = [];
    for (let i = 0; i < 50; i++) {
      got = (await (await fetch(`${base}/alerts`)).json()) as Got[];
      if (got.length === 6 && got.some((a) => a.status.inhibitedBy.length)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const state = (name: string, severity: string) =>
      got.find((a) => a.labels.alertname === name && a.labels.severity === severity)!.status.state;
    expect(state('RedisDown', 'critical')).toBe('active');
    expect(state('QueueBacklogHigh', 'critical')).toBe('suppressed');
    expect(state('WorkerStalled', 'critical')).toBe('suppressed');
    expect(state('VoteHighErrorRatio', 'critical')).toBe('active');
    expect(state('VoteHighErrorRatio', 'warning')).toBe('suppressed');
    // A warning without a critical twin is not muted.
    expect(state('VoteHighLatency', 'warning')).toBe('active');
  });
});
