/**
 * YAML inputs as Prometheus reads them: merge keys and anchors, documents after the first,
 * top levels no loader accepts. Every case is also given to promtool (run live): our verdict
 * (any error-level finding or none) must be promtool's, and the fast path must report exactly
 * what the positioned path reports.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { promtoolCheckRules } from '../../test/support/reference-tools.js';
import { validateFiles } from '../engine.js';

const dir = mkdtempSync(join(tmpdir(), 'yaml-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (name: string, extra = '') =>
  `  - alert: ${name}\n    expr: up == 0\n    labels:\n      severity: critical\n    annotations:\n      summary: down${extra}\n`;

const cases: Record<string, { text: string; promtoolOk: boolean; ids: string[] }> = {
  'merge-alias.yml': {
    text: `groups:\n- name: a\n  rules:\n  - &base\n    alert: A\n    expr: up == 0\n    labels:\n      severity: critical\n    annotations:\n      summary: down\n  - <<: *base\n    alert: B\n  - <<: [*base]\n    alert: C\n`,
    promtoolOk: true,
    ids: [],
  },
  'merge-inline-unknown.yml': {
    text: `groups:\n- name: a\n  rules:\n${rule('A')}  - <<: {bogus: 1}\n    alert: B\n    expr: up == 0\n    labels:\n      severity: critical\n    annotations:\n      summary: down\n`,
    promtoolOk: false,
    ids: ['schema/rules'],
  },
  'merge-own-key-wins.yml': {
    text: `groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n    <<: {alert: B, labels: {severity: critical}, annotations: {summary: x}}\n`,
    promtoolOk: true,
    ids: [],
  },
  'merge-not-a-map.yml': {
    text: `groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n    <<: 1\n`,
    promtoolOk: false,
    ids: ['syntax/yaml'],
  },
  'top-level-list.yml': {
    text: `- name: a\n  rules:\n${rule('A').replace(/^/gm, '  ')}`,
    promtoolOk: false,
    ids: ['syntax/top-level'],
  },
  'top-level-scalar.yml': { text: 'hello\n', promtoolOk: false, ids: ['syntax/top-level'] },
  'multi-doc.yml': {
    text: `groups:\n- name: a\n  rules:\n${rule('A')}---\ngroups:\n- name: b\n  rules:\n${rule('B')}`,
    promtoolOk: true,
    ids: ['syntax/ignored-document'],
  },
  'multi-doc-broken-second.yml': {
    text: `groups:\n- name: a\n  rules:\n${rule('A')}---\nfoo: [\n`,
    promtoolOk: true,
    ids: ['syntax/ignored-document'],
  },
  'multi-doc-empty-second.yml': {
    text: `groups:\n- name: a\n  rules:\n${rule('A')}---\n`,
    promtoolOk: true,
    ids: [],
  },
  'multi-doc-empty-first.yml': {
    text: `---\n---\ngroups:\n- name: a\n  rules:\n  - alert: A\n    expr: up ==\n`,
    promtoolOk: true,
    ids: ['syntax/ignored-document'],
  },
};

describe('YAML inputs as Prometheus reads them', () => {
  it('gives promtool’s verdict, the expected ids, and the same findings on both paths', async () => {
    for (const [name, c] of Object.entries(cases)) writeFileSync(join(dir, name), c.text);
    const verdicts = await promtoolCheckRules(Object.keys(cases), dir);
    for (const [name, c] of Object.entries(cases)) {
      expect(verdicts.get(name)?.ok, `promtool on ${name}`).toBe(c.promtoolOk);
      const input = [{ file: name, text: c.text }];
      const fast = await validateFiles(input);
      const slow = await validateFiles(input, { fastPath: false });
      expect(fast, name).toEqual(slow);
      const errors = fast.findings.filter((f) => f.severity === 'error');
      expect(errors.length === 0, `${name}: ${JSON.stringify(fast.findings)}`).toBe(c.promtoolOk);
      // Rule advice and file-kind notes are not what these cases are about.
      const ids = fast.findings.map((f) => f.id).filter((id) => /^(syntax|schema|promql)\//.test(id));
      expect([...new Set(ids)].sort(), name).toEqual(c.ids);
    }
  });

  it('points a finding inside merged content at the anchor’s text', async () => {
    const text = `x-defaults: &d\n  alert: A\n  expr: up == 0\n  bogus: 1\n`;
    const own = await validateFiles([{ file: 'a.yml', text: `${text}groups:\n- name: a\n  rules:\n  - <<: *d\n` }]);
    const unknown = own.findings.find((f) => /bogus/.test(f.message));
    expect(unknown?.position).toEqual({ line: 4, column: 3 });
  });

  it('reads every document of a Kubernetes stream', async () => {
    const crd = (n: string, expr: string) =>
      `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: ${n}\nspec:\n  groups:\n  - name: ${n}\n    rules:\n    - record: job:${n}:sum\n      expr: ${expr}\n`;
    const text = `${crd('a', 'sum(up)')}---\n${crd('b', 'sum(up')}`;
    for (const fastPath of [true, false]) {
      const { findings, files } = await validateFiles([{ file: 'stream.yml', text }], { fastPath });
      expect(files[0]?.kinds).toEqual(['prometheus-rule-crd', 'prometheus-rule-crd']);
      expect(findings.map((f) => [f.id, f.position?.line])).toEqual([['promql/syntax', 21]]);
    }
  });
});
