// The shapes users really feed validate: Kubernetes Lists and ConfigMaps carrying dashboards,
// promtool unit-test files with their rule_files, file_sd lists, files that are none of these,
// and the team's .voting-mixin-validate.yaml. Run through the command itself (in-process, with
// its real file reading), in a temporary folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as runCli } from '../../scripts/cli.js';

let dir: string;

async function validate(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const code = await runCli(['validate', '--format', 'json', ...args], { stdout, stderr, cwd: dir, env: {} });
  return { code, out, err };
}

interface Reported {
  id: string;
  severity: string;
  file: string;
  position?: { line: number; column: number };
  message: string;
}
const findings = (out: string) =>
  (JSON.parse(out) as { findings: Reported[] }).findings.map((f) => ({ ...f, line: f.position?.line }));

const write = (name: string, text: string) => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
};

const DASHBOARD = JSON.stringify(
  {
    uid: 'cm-dash',
    title: 'In a ConfigMap',
    schemaVersion: 39,
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: 'Broken',
        gridPos: { x: 0, y: 0, w: 12, h: 8 },
        targets: [{ refId: 'A', expr: 'rate(http_requests_total)' }],
      },
    ],
  },
  null,
  2,
);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vm-inputs-'));
  write(
    'configmap.yaml',
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: dashboards }',
      'data:',
      '  broken.json: |-',
      ...DASHBOARD.split('\n').map((l) => `    ${l}`),
      '  script.sh: echo not ours',
      '',
    ].join('\n'),
  );
  write(
    'list.yaml',
    [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: monitoring.coreos.com/v1',
      '    kind: PrometheusRule',
      '    metadata: { name: r }',
      '    spec:',
      '      groups:',
      '        - name: g',
      '          rules:',
      '            - record: job:up:sum',
      '              expr: sum by (job) (up',
      '',
    ].join('\n'),
  );
  write(
    'tests/unit.yml',
    [
      'rule_files: [../rules/*.yml, missing.yml]',
      'tests:',
      '  - interval: 1m',
      '    input_series: [{ series: up, values: "1x5" }]',
      '    promql_expr_test: [{ expr: "sum(up", eval_time: 1m, exp_samples: [] }]',
      '',
    ].join('\n'),
  );
  write('rules/broken.yml', 'groups:\n  - name: g\n    rules:\n      - record: x:y:z\n        expr: rate(up)\n');
  write('targets.yml', '- targets: [localhost:9100]\n  labels: { job: node }\n');
  write('compose.yml', 'services:\n  web: { image: nginx }\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('inputs users have', () => {
  it('checks a dashboard inside a ConfigMap and places findings at the line inside the block scalar', async () => {
    const r = await validate('configmap.yaml');
    expect(r.code).toBe(1);
    const f = findings(r.out).find((x) => x.id === 'promql/arg-type' || x.id.startsWith('promql/'));
    expect(f, r.out).toBeDefined();
    // The expr line of the embedded JSON, counted in the ConfigMap file.
    const exprLine = 5 + DASHBOARD.split('\n').findIndex((l) => l.includes('"expr"')) + 1;
    expect(f!.line).toBe(exprLine);
  });

  it('checks the items of a kind: List', async () => {
    const r = await validate('list.yaml');
    expect(r.code).toBe(1);
    const f = findings(r.out).find((x) => x.id === 'promql/syntax');
    expect(f?.line, r.out).toBe(12);
  });

  it('resolves a unit-test file rule_files (globs too) and checks what they load', async () => {
    const r = await validate('tests/unit.yml');
    expect(r.code).toBe(1);
    const list = findings(r.out);
    expect(list.find((x) => x.id === 'schema/test-rule-files')?.message).toContain('missing.yml');
    expect(list.some((x) => x.file === join('rules', 'broken.yml') && x.id.startsWith('promql/'))).toBe(true);
    expect(list.some((x) => x.file === join('tests', 'unit.yml') && x.id === 'promql/syntax')).toBe(true);
  });

  it("checks the Alertmanager config in a Secret's stringData", async () => {
    write(
      'secret.yaml',
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: { name: alertmanager-main }',
        'stringData:',
        '  alertmanager.yaml: |',
        '    route:',
        '      receiver: nobody',
        '    receivers:',
        '      - name: team',
        '',
      ].join('\n'),
    );
    const r = await validate('secret.yaml');
    expect(r.code).toBe(1);
    const f = findings(r.out).find((x) => x.id.startsWith('alertmanager/') || x.id === 'schema/alertmanager');
    expect(f?.line, r.out).toBe(7);
  });

  it("does not mistake Grafana's alerting provisioning (groups of Grafana rules) for Prometheus rules", async () => {
    write(
      'grafana-alerting.yaml',
      'apiVersion: 1\ngroups:\n  - orgId: 1\n    name: g\n    folder: f\n    interval: 1m\n    rules:\n      - uid: a\n        title: A\n        condition: C\n        data: []\n',
    );
    const r = await validate('grafana-alerting.yaml');
    expect(r.code, r.out).toBe(0);
  });

  it('refuses an alias to an anchor that is never set, as promtool does', async () => {
    write('alias.yml', 'groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n    labels: *nope\n');
    const r = await validate('alias.yml');
    expect(r.code).toBe(1);
    const f = findings(r.out).find((x) => x.id === 'syntax/yaml');
    expect(f?.message).toContain("unknown anchor 'nope'");
    expect(f?.line).toBe(6);
  });

  it('notes, but does not fail on, the Kubernetes objects beside ours in helm template output', async () => {
    write(
      'rendered.yaml',
      `---\napiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }] }\n---\n${[
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'metadata: { name: r }',
        'spec:',
        '  groups:',
        '    - name: g',
        '      rules:',
        '        - record: job:up:sum',
        '          expr: sum by (job) (up)',
      ].join('\n')}\n`,
    );
    const r = await validate('rendered.yaml');
    expect(r.code, r.out).toBe(0);
    expect(findings(r.out).map((x) => [x.id, x.severity])).toContainEqual(['detect/unknown', 'info']);
    write('deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n');
    const alone = await validate('deployment.yaml');
    expect(alone.code).toBe(1);
    expect(findings(alone.out).map((x) => x.id)).toEqual(['detect/not-recognised']);
  });

  it('takes a named file with glob characters in its name as that file', async () => {
    write('odd[1].yml', '- targets: [localhost:9100]\n');
    write('a{b}.yml', '- targets: [localhost:9100]\n');
    expect((await validate('odd[1].yml')).code).toBe(0);
    expect((await validate('a{b}.yml')).code).toBe(0);
  });

  it('knows a file_sd target list', async () => {
    const r = await validate('targets.yml');
    expect(r.code, r.out).toBe(0);
  });

  it('refuses a named file it does not know, and notes one found in a directory', async () => {
    const named = await validate('compose.yml');
    expect(named.code).toBe(1);
    expect(findings(named.out).map((x) => x.id)).toContain('detect/not-recognised');
    mkdirSync(join(dir, 'walk'), { recursive: true });
    write('walk/compose.yml', 'services: {}\n');
    const walked = await validate('walk', '--fail-on', 'error');
    expect(walked.code).toBe(0);
    expect(findings(walked.out).map((x) => [x.id, x.severity])).toContainEqual(['detect/unknown', 'info']);
  });
});

describe('.voting-mixin-validate.yaml', () => {
  it('per-path disables and severity overrides, and the scrape interval', async () => {
    write(
      'team/rules.yml',
      'groups:\n  - name: g\n    rules:\n      - alert: high_errors\n        expr: rate(http_requests_total[30s]) > 1\n',
    );
    write(
      '.voting-mixin-validate.yaml',
      'scrape_interval: 5s\nseverity:\n  lint/alert-name: error\npaths:\n  - path: team/**\n    disable: [lint/summary-missing, lint/description-missing, lint/severity-missing]\n',
    );
    const r = await validate('team/rules.yml');
    expect(r.code, r.err).not.toBe(2);
    const ids = findings(r.out).map((x) => `${x.id}:${x.severity}`);
    expect(ids).toContain('lint/alert-name:error');
    expect(ids.some((i) => i.startsWith('lint/summary-missing'))).toBe(false);
    // 30s is ≥ 4 × 5s: no range-window finding with the team's scrape interval.
    expect(ids.some((i) => i.startsWith('lint/range-window'))).toBe(false);
    expect(r.code).toBe(1);
    rmSync(join(dir, '.voting-mixin-validate.yaml'));
  });

  it('says file:line:col for a mistake in it, and exits 2', async () => {
    write('bad-config.yaml', 'disable:\n  - lint/alert-nmae\n');
    const r = await validate('--config', 'bad-config.yaml', 'targets.yml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad-config.yaml:2:5');
    expect(r.err).toContain('lint/alert-name');
    write('bad-config.yaml', 'disabel: [lint]\n');
    const r2 = await validate('--config', 'bad-config.yaml', 'targets.yml');
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/bad-config\.yaml:1:1: unknown key "disabel"/);
  });

  it('--disable with an id that does not exist is a usage error; --list-checks lists the registry', async () => {
    const r = await validate('--disable', 'lint/nosuch', 'targets.yml');
    expect(r.code).toBe(2);
    const list = await validate('--list-checks');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^promql\/syntax\s+error\s+/m);
  });
});

// A named file that is not .yml/.yaml/.json (a generated runbook, a note) is none of the kinds
// validate knows: one detect/not-recognised error, not what its text looked like as YAML.
describe('named files that are not YAML or JSON', () => {
  const RUNBOOK = [
    '# QueueGrowing',
    '',
    '| severity | queue | for | summary |',
    '|---|---|---|---|',
    '| warning | votes | 10m | The queue grows |',
    '',
  ].join('\n');

  it.each([
    [
      'runbooks/QueueGrowing.md',
      RUNBOOK,
      /\(a \.md file: validate reads YAML and JSON; read as YAML it fails at 3:3: /,
    ],
    ['notes.txt', 'hello world\n', /\(a \.txt file: validate reads YAML and JSON; read as YAML it fails at 1:1: /],
    [
      'LICENSE',
      'MIT License\n\nCopyright: someone\n',
      /\(a file without an extension: validate reads YAML and JSON; read as YAML it fails at 1:1: /,
    ],
  ])('%s: detect/not-recognised, exit 1', async (name, text, message) => {
    write(name, text);
    const r = await validate(name);
    expect(r.code, r.out).toBe(1);
    const got = findings(r.out);
    expect(got.map((x) => [x.id, x.severity, x.file, x.line])).toEqual([['detect/not-recognised', 'error', name, 1]]);
    expect(got[0]!.message).toMatch(/^not a rule file, PrometheusRule, .* or Grafana dashboard \(/);
    expect(got[0]!.message).toMatch(message);
  });

  it('still checks a rule file named alert.rules, and keeps a .yml file its syntax error', async () => {
    write(
      'alert.rules',
      'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
    );
    const rules = await validate('alert.rules');
    expect(rules.code, rules.out).toBe(0);
    write('broken.yml', 'groups:\n  - name: g\n    rules: [\n');
    const broken = await validate('broken.yml');
    expect(broken.code).toBe(1);
    expect(findings(broken.out).map((x) => x.id)).toEqual(['syntax/yaml']);
  });

  it('a directory walk still leaves the markdown out', async () => {
    write('walked/QueueGrowing.md', RUNBOOK);
    write(
      'walked/rules.yml',
      'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
    );
    const r = await validate('walked');
    expect(r.code, r.out).toBe(0);
    expect(findings(r.out).filter((x) => x.file.endsWith('.md'))).toEqual([]);
  });
});
