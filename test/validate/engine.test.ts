// Behaviour a user of `voting-mixin validate` sees: positions in the file (also inside PromQL in
// block and quoted scalars), the semantic checks, templates, disables, cross-artifact checks,
// reporters and the CLI's exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';
import { globToRegExp } from '../../validate/files.js';
import { checkGoTemplate } from '../../validate/go-template.js';
import { checkPromQL } from '../../validate/promql-check.js';
import { re2Error } from '../../validate/re2.js';
import { formatGithub } from '../../validate/reporters/github.js';
import { formatHuman } from '../../validate/reporters/human.js';
import { formatJunit } from '../../validate/reporters/junit.js';

const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures');
const cli = join(root, 'build/scripts/cli.js');
const run = (file: string, text: string, opts = {}) => validateFiles([{ file, text }], opts);

describe('positions', () => {
  it('points inside a block-literal expression at the exact line and column', async () => {
    const text =
      'groups:\n  - name: g\n    rules:\n      - record: job:x:rate5m\n        expr: |\n          sum by (job) (\n            rate(foo_total)\n          )\n';
    const { findings } = await run('r.yml', text);
    const f = findings.find((x) => x.id === 'promql/arg-type')!;
    expect(f.position).toEqual({ line: 7, column: 18 });
    expect(f.sourceLine).toBe('            rate(foo_total)');
    expect(formatHuman([f])).toContain('                 ^^^^^^^^^');
  });

  it('maps offsets through escapes in double-quoted scalars and folding in plain ones', async () => {
    const quoted =
      'groups:\n  - name: g\n    rules:\n      - record: job:x:y\n        expr: "up{a=\\"b\\"} + rate(x_total)"\n';
    const q = (await run('q.yml', quoted)).findings.find((x) => x.id === 'promql/arg-type')!;
    expect(q.position).toEqual({ line: 5, column: 35 });
    const plain =
      'groups:\n  - name: g\n    rules:\n      - record: job:x:y\n        expr: up +\n          rate(x_total)\n';
    const p = (await run('p.yml', plain)).findings.find((x) => x.id === 'promql/arg-type')!;
    expect(p.position).toEqual({ line: 6, column: 16 });
  });

  it('reports YAML and JSON syntax errors with line and column', async () => {
    const y = await run('bad.yml', 'groups:\n  - name: "x\n');
    expect(y.findings[0]).toMatchObject({ id: 'syntax/yaml', severity: 'error' });
    expect(y.findings[0]!.position?.line).toBeGreaterThan(0);
    const j = await run('bad.json', '{\n  "panels": [\n    }\n');
    expect(j.findings[0]).toMatchObject({ id: 'syntax/json', position: { line: 3, column: 5 } });
  });
});

describe('PromQL semantics', () => {
  const ids = (e: string) => checkPromQL(e).issues.map((i) => i.id);
  it.each([
    ['rate(x_total)', 'promql/arg-type'],
    ['foo(x)', 'promql/unknown-function'],
    ['clamp_max(x)', 'promql/arity'],
    ['topk(x)', 'promql/arity'],
    ['x{a=~"("}', 'promql/regex'],
    ['{a=""}', 'promql/empty-selector'],
    ['1 > 2', 'promql/binary-op'],
    ['x and 1', 'promql/binary-op'],
    ['sum by (a, a) (x)', 'promql/duplicate-label'],
    ['sum(x) offset 5m', 'promql/syntax'],
    ['x[1.5m]', 'promql/syntax'],
  ])('%s → %s', (expr, id) => {
    expect(ids(expr)).toContain(id);
  });

  it('accepts valid expressions without findings', () => {
    for (const e of [
      'sum by (job) (rate(x_total[5m])) > 0',
      'histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))',
      'a * on (job) group_left (v) b',
      'label_join(up, "x", ",", "a", "b")',
      'vector(1) + time()',
    ]) {
      expect(checkPromQL(e).issues, e).toEqual([]);
    }
  });

  it('tracks the labels a result keeps', () => {
    const r = checkPromQL('sum by (job) (rate(x_total[5m])) > 1');
    expect(r.labels).toEqual({ open: false, only: new Set(['job']) });
    expect(checkPromQL('label_replace(sum(x), "dst", "$1", "a", "(.*)")').labels).toEqual({
      open: false,
      only: new Set(['dst']),
    });
  });

  it('judges regexes by RE2, not JavaScript', () => {
    expect(re2Error('(?i)vote|worker')).toBeUndefined();
    expect(re2Error('(?P<n>a+)')).toBeUndefined();
    expect(re2Error('[[:alpha:]]+')).toBeUndefined();
    expect(re2Error('(?=a)b')).toMatch(/lookahead/);
    expect(re2Error('(a)\\1')).toMatch(/backreference/);
    expect(re2Error('a**')).toBeDefined();
  });
});

describe('Go templates', () => {
  it('accepts what Prometheus accepts and collects $labels references', () => {
    const t = checkGoTemplate(
      '{{ if gt $value 1.0 }}{{ $labels.job }}{{ else }}{{ index $labels "route" | toUpper }}{{ end }}{{/* c */}}',
    );
    expect(t.issues).toEqual([]);
    expect(t.labelRefs.map((r) => r.name)).toEqual(['job', 'route']);
  });
  it.each([
    ['{{ $value ', 'unclosed action'],
    ['{{ $foo }}', 'undefined variable "$foo"'],
    ['{{ $value | humanise }}', 'function "humanise" not defined'],
    ['{{ end }}', 'unexpected {{end}}'],
    ['{{ if true }}x', 'never closed'],
  ])('%s → %s', (src, msg) => {
    expect(
      checkGoTemplate(src)
        .issues.map((i) => i.message)
        .join('; '),
    ).toContain(msg);
  });
});

describe('disables, cross-artifact checks and --metrics', () => {
  const rule =
    'groups:\n  - name: g\n    rules:\n      # voting-mixin-disable lint/recording-name\n      - record: notlevel\n        expr: up\n      - record: alsonot\n        expr: up\n';
  it('honours inline comments on the line above and --disable by id or area', async () => {
    const { findings } = await run('d.yml', rule);
    expect(findings.map((f) => f.position?.line)).toEqual([7]);
    expect((await run('d.yml', rule, { disable: ['lint'] })).findings).toEqual([]);
  });

  it('knows the series Prometheus writes itself: an exposition file never lists up, ALERTS or scrape_*', async () => {
    const rules = `groups:
  - name: g
    rules:
      - alert: Down
        expr: up{job="a"} == 0 and on(job) scrape_samples_scraped{job="a"} == 0
        labels: { severity: critical }
        annotations: { summary: s, description: d }
      - record: job:alerts:count
        expr: count by (job) (ALERTS{alertstate="firing"}) + count by (job) (ALERTS_FOR_STATE)
      - alert: Missing
        expr: absent(not_exposed_anywhere_total)
        for: 5m
        labels: { severity: warning }
        annotations: { summary: s, description: d }
`;
    const { findings } = await validateFiles([{ file: 'r.yml', text: rules }], {
      metrics: { names: new Set(['http_requests_total']), kinds: new Map() },
    });
    const unknown = findings.filter((f) => f.id === 'metrics/unknown').map((f) => f.message);
    expect(unknown).toEqual(['metric not_exposed_anywhere_total does not exist in the --metrics source']);
  });

  it('finds undefined recording rules, unknown dashboard uids and unknown metrics', async () => {
    const set = ['rules.yml', 'dashboard.json'].map((f) => ({
      file: f,
      text: readFileSync(join(fixtures, 'set', f), 'utf8'),
    }));
    const { findings } = await validateFiles(set, {
      metrics: { names: new Set(['http_requests_total', 'up']), kinds: new Map() },
    });
    const ids = findings.map((f) => `${f.file} ${f.id}`);
    expect(ids).toContain('rules.yml cross/undefined-recording');
    expect(ids).toContain('rules.yml cross/unknown-dashboard');
    expect(ids).toContain('dashboard.json metrics/unknown');
    expect(findings.find((f) => f.id === 'cross/unknown-dashboard')!.message).toContain('no-such-uid');
    // The dashboard_url that names the set's own dashboard is fine.
    expect(findings.filter((f) => f.id === 'cross/unknown-dashboard')).toHaveLength(1);
  });

  it('checks Alertmanager configs, Prometheus configs and PrometheusRule CRDs', async () => {
    const read = (p: string) => ({ file: p, text: readFileSync(join(fixtures, p), 'utf8') });
    const am = await validateFiles([read('alertmanager/invalid/undefined-receiver.yml')]);
    expect(am.findings[0]).toMatchObject({ id: 'alertmanager/receiver', position: { line: 4, column: 17 } });
    expect(
      (await validateFiles([read('alertmanager/valid/alertmanager.yml'), read('prometheus/valid/prometheus.yml')]))
        .findings,
    ).toEqual([]);
    const crd = await validateFiles([read('crd/invalid-prometheusrule.yaml')]);
    expect(crd.findings.map((f) => [f.id, f.position?.line])).toEqual([['promql/arg-type', 27]]);
  });

  it('matches globs like a shell', () => {
    expect(globToRegExp('**/*.yml').test('a/b/c.yml')).toBe(true);
    expect(globToRegExp('**/*.yml').test('c.yml')).toBe(true);
    expect(globToRegExp('*.{yml,json}').test('x.json')).toBe(true);
    expect(globToRegExp('*.yml').test('a/x.yml')).toBe(false);
  });
});

describe('naming lints on what the mixins really write', () => {
  it("accepts kubernetes-mixin's level:metric: recording names (no operations)", async () => {
    const text =
      'groups:\n  - name: g\n    rules:\n      - record: "node_namespace_pod:kube_pod_info:"\n        expr: max by (node, namespace, pod) (kube_pod_info)\n      - record: noColons\n        expr: up\n';
    const ids = (await run('r.yml', text)).findings.map((f) => `${f.id}:${f.position?.line}`);
    expect(ids).toEqual(['lint/recording-name:6']);
  });
});

describe('reporters', () => {
  const f = {
    id: 'promql/arity',
    severity: 'error' as const,
    message: 'bad, very: bad',
    file: 'a.yml',
    position: { line: 3, column: 5 },
    endPosition: { line: 3, column: 9 },
  };
  it('writes GitHub workflow annotations', () => {
    expect(formatGithub([f])).toBe(
      '::error file=a.yml,line=3,col=5,endLine=3,endColumn=9,title=promql/arity::bad, very: bad',
    );
  });
  it('writes JUnit XML with one failure per finding', () => {
    const x = formatJunit([f], ['a.yml', 'b.yml']);
    expect(x).toContain('<testsuite name="a.yml" tests="1" failures="1">');
    expect(x).toContain('<testcase classname="b.yml" name="valid"/>');
  });
  it('never echoes control characters from a binary file to the terminal', () => {
    const junk = {
      ...f,
      message: 'top level is \u001b[31mjunk',
      sourceLine: '\u001b]0;pwned\u0007x',
      position: { line: 1, column: 1 },
    };
    const out = formatHuman([junk], { colour: false });
    expect(out.includes('\u001b') || out.includes('\u0007')).toBe(false);
    expect(out).toContain('\\u001b[31mjunk');
  });
  it('lists findings below --fail-on in system-out, not as failures (a run that exits 0 shows no red)', () => {
    const w = { ...f, id: 'lint/alert-name', severity: 'warning' as const };
    const x = formatJunit([w], ['a.yml']);
    expect(x).toContain('failures="0"');
    expect(x).toContain('<system-out>warning a.yml');
    expect(formatJunit([w], ['a.yml'], 'warning')).toContain('failures="1"');
  });
});

describe('the CLI', () => {
  const exec = (args: string[]) =>
    promisify(execFile)('node', [cli, 'validate', ...args], { cwd: root }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('exits 0 clean, 1 on errors, 2 on usage mistakes', async () => {
    expect((await exec(['test/fixtures/rules/valid'])).code).toBe(0);
    const bad = await exec(['test/fixtures/rules/invalid/rate-without-range.yml']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'test/fixtures/rules/invalid/rate-without-range.yml:5:20: error expected type range vector',
    );
    expect((await exec(['no/such/file.yml'])).code).toBe(2);
    expect((await exec(['--format', 'xml', 'test/fixtures/rules/valid'])).code).toBe(2);
    expect((await exec([])).code).toBe(2);
  });

  it('fails on warnings with --fail-on warning or --strict, and prints JSON, GitHub and JUnit', async () => {
    const lint = 'test/fixtures/rules/valid/lint-only-warnings.yml';
    expect((await exec([lint])).code).toBe(0);
    expect((await exec([lint, '--fail-on', 'warning'])).code).toBe(1);
    expect((await exec([lint, '--strict'])).code).toBe(1);
    const json = JSON.parse((await exec([lint, '--format', 'json'])).stdout) as {
      errors: number;
      warnings: number;
      findings: { id: string }[];
    };
    expect(json.errors).toBe(0);
    expect(json.warnings).toBe(json.findings.length);
    expect((await exec([lint, '--format', 'github'])).stdout).toMatch(
      /^::warning file=test\/fixtures\/rules\/valid\/lint-only-warnings.yml,line=\d+/m,
    );
    expect((await exec([lint, '--format', 'junit'])).stdout).toContain('<testsuites');
  });

  it('expands quoted globs and reads --metrics from an exposition file', async () => {
    const r = await exec([
      'test/fixtures/set/*.{yml,json}',
      '--metrics',
      'test/fixtures/set/metrics.prom',
      '--format',
      'json',
    ]);
    const out = JSON.parse(r.stdout) as { files: number; findings: { id: string }[] };
    expect(out.files).toBe(2);
    expect(out.findings.some((x) => x.id === 'metrics/unknown')).toBe(true);
    expect(r.code).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'vm-validate-'));
    try {
      writeFileSync(join(dir, 'm.txt'), 'up\n');
      const missing = await exec(['test/fixtures/rules/valid/basic-alerts.yml', '--metrics', join(dir, 'nope.txt')]);
      expect(missing.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
