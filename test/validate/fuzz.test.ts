// Never crashes: mutated valid files (truncation, random bytes, deep nesting, huge numbers, odd
// unicode) always come back as findings or success, never as an exception, in bounded time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';
import { seededRandom } from '../support/random.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const seeds = [
  ...readdirSync(join(fixtures, 'rules/valid')).map((f) => join(fixtures, 'rules/valid', f)),
  join(fixtures, 'crd/valid-prometheusrule.yaml'),
  join(fixtures, 'alertmanager/valid/alertmanager.yml'),
  join(fixtures, 'prometheus/valid/prometheus.yml'),
  join(fixtures, 'dashboards/valid-dashboard.json'),
].map((p) => ({ name: p.slice(fixtures.length + 1), text: readFileSync(p, 'utf8') }));

// Real files and the shapes users wrap them in: anchors and merge keys, a ConfigMap carrying a
// dashboard, a kind: List, a Secret with an Alertmanager config, a unit-test file, a huge dashboard.
const corpus = join(import.meta.dirname, '../../../shared/corpus');
const read = (p: string) => readFileSync(join(corpus, p), 'utf8');
const indent = (text: string, by: string) => text.replace(/^/gm, by);
const bigDashboard = read('kube-prometheus/dashboards/k8s-resources-cluster.json');
const amConfig = read('alertmanager-testdata/conf.good.yml');
seeds.push(
  { name: 'corpus/node-rules.yaml', text: read('kube-prometheus/rules/plain/nodeExporter-prometheusRule.yaml') },
  { name: 'corpus/unittest.yml', text: read('promtool-testdata/unittest.yml') },
  { name: 'corpus/alertmanager.yml', text: amConfig },
  { name: 'corpus/redis.json', text: read('redis-exporter-dashboards/grafana_prometheus_redis_dashboard.json') },
  {
    name: 'shapes/anchors.yml',
    text: [
      'x-rule: &base',
      '  for: 5m',
      '  labels: &labels { severity: warning, team: a }',
      'groups:',
      '  - name: g',
      '    rules:',
      '      - <<: *base',
      '        alert: A',
      '        expr: up == 0',
      '      - alert: B',
      '        expr: up == 1',
      '        <<: [*base]',
      '        labels: *labels',
      '',
    ].join('\n'),
  },
  {
    name: 'shapes/configmap.yaml',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: d }\ndata:\n  cluster.json: |-\n${indent(bigDashboard, '    ')}\n`,
  },
  {
    name: 'shapes/list.yaml',
    text: `apiVersion: v1\nkind: List\nitems:\n${indent(read('kube-prometheus/rules/crd/grafana-prometheusRule.yaml'), '    ').replace(/^ {4}/, '  - ')}\n`,
  },
  {
    name: 'shapes/secret.yaml',
    text: `apiVersion: v1\nkind: Secret\nmetadata: { name: am }\nstringData:\n  alertmanager.yaml: |\n${indent(amConfig, '    ')}\n`,
  },
  {
    name: 'shapes/huge-dashboard.json',
    text: JSON.stringify({
      ...(JSON.parse(bigDashboard) as object),
      panels: Array.from({ length: 600 }, (_, i) => ({
        id: i + 1,
        type: 'timeseries',
        title: `p${i}`,
        gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
        targets: [{ refId: 'A', expr: `sum by (job) (rate(m_${i}_total{job=~"$job"}[$__rate_interval]))` }],
      })),
    }),
  },
);

/**
 * How many mutations: 3,000 by default (about 30 s here; 10,000 took 65-110 s and, running beside
 * the e2e fault tests on 2 cores, starved them), VALIDATE_FUZZ_MUTATIONS=10000 or more for a
 * nightly run; the time cap (VALIDATE_FUZZ_SECONDS) keeps a busy CI machine inside its budget, and
 * the test prints how many it got through.
 */
const MUTATIONS = Number(process.env.VALIDATE_FUZZ_MUTATIONS ?? 3_000);
const TIME_CAP_MS = Number(process.env.VALIDATE_FUZZ_SECONDS ?? 180) * 1000;

const prng = seededRandom;

const ODD = [
  '\u0000',
  '\uFEFF',
  '\u202E',
  '\uD800',
  '😀',
  '\t',
  '\r',
  '{{',
  '}}',
  '"',
  "'",
  '`',
  '|',
  '>',
  '-',
  ':',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&a',
  '*a',
  '!!binary',
  '%YAML 1.2',
  '---',
  '...',
  '\\',
  '(',
  ')',
  '=~',
  '[5m]',
  'offset',
  '@',
  '<<: *a',
  '&a [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'kind: List',
  'kind: ConfigMap',
  '---\n',
];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return text.slice(0, at);
    case 1: {
      let s = text;
      for (let i = 0; i < 1 + rnd() * 8; i++) {
        const p = Math.floor(rnd() * (s.length + 1));
        s = s.slice(0, p) + String.fromCharCode(Math.floor(rnd() * 0xffff)) + s.slice(p + 1);
      }
      return s;
    }
    case 2: {
      const depth = 200 + Math.floor(rnd() * 2000);
      return text.slice(0, at) + '['.repeat(depth) + ']'.repeat(Math.floor(rnd() * depth)) + text.slice(at);
    }
    case 3:
      return (
        text.slice(0, at) +
        pick(['1e309', '-1e309', '9'.repeat(400), `0x${'f'.repeat(64)}`, 'NaN', '.inf', '1_000_000']) +
        text.slice(at)
      );
    case 4:
      return text.slice(0, at) + pick(ODD) + text.slice(at);
    case 5:
      return text.replace(/\(/g, () => (rnd() < 0.3 ? '(('.repeat(50) : '('));
    case 6: {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, ...lines.slice(Math.floor(rnd() * lines.length)).slice(0, 5));
      return lines.join('\n');
    }
    default:
      return text.slice(0, at) + ' '.repeat(Math.floor(rnd() * 4)) + text.slice(at + Math.floor(rnd() * 10));
  }
}

describe('validate never crashes', () => {
  it(
    `returns findings or success for ${MUTATIONS} mutated files, each within 2 s (+2 s per MB)`,
    async () => {
      const rnd = prng(20240611);
      let withFindings = 0;
      let done = 0;
      const started = performance.now();
      for (let i = 0; i < MUTATIONS && performance.now() - started < TIME_CAP_MS; i++) {
        done++;
        const seed = seeds[i % seeds.length]!;
        let text = mutate(seed.text, rnd);
        if (rnd() < 0.3) text = mutate(text, rnd);
        const t0 = performance.now();
        const result = await validateFiles([{ file: seed.name, text }]).catch((e: unknown) => {
          throw new Error(
            `crashed on mutation ${i} of ${seed.name}: ${String(e)}\n${JSON.stringify(text.slice(0, 500))}`,
          );
        });
        // 2 s, plus 2 s per MB of input (the huge-dashboard seed is ~2 MB) on a busy 2-core machine.
        expect(performance.now() - t0, `mutation ${i} of ${seed.name}`).toBeLessThan(2_000 + text.length / 500);
        expect(Array.isArray(result.findings)).toBe(true);
        const internal = result.findings.filter((f) => f.id === 'internal/error');
        expect(
          internal,
          `internal error on mutation ${i} of ${seed.name}: ${JSON.stringify(text.slice(0, 300))}`,
        ).toEqual([]);
        for (const f of result.findings) {
          expect(typeof f.message).toBe('string');
          if (f.position) expect(f.position.line).toBeGreaterThan(0);
        }
        if (result.findings.length) withFindings++;
      }
      // The mutations do break files: most runs report something.
      expect(withFindings).toBeGreaterThan(done / 4);
      // Even a slow machine gets through a real number of them.
      expect(done).toBeGreaterThanOrEqual(Math.min(MUTATIONS, 2_000));
      console.log(`fuzz: ${done} mutations in ${Math.round((performance.now() - started) / 1000)} s`);
    },
    TIME_CAP_MS + 60_000,
  );

  it('the fast path (js-yaml, positions only for findings) reports exactly what the positioned path reports', async () => {
    const rnd = prng(7);
    const ruleSeeds = seeds.filter((s) => /^(rules|crd)\//.test(s.name));
    const invalid = readdirSync(join(fixtures, 'rules/invalid')).map((f) => ({
      name: `rules/invalid/${f}`,
      text: readFileSync(join(fixtures, 'rules/invalid', f), 'utf8'),
    }));
    const cases = [...ruleSeeds, ...invalid];
    for (let i = 0; i < 300; i++) {
      const seed = ruleSeeds[i % ruleSeeds.length]!;
      let text = mutate(seed.text, rnd);
      if (rnd() < 0.3) text = mutate(text, rnd);
      cases.push({ name: `${seed.name}#${i}`, text });
    }
    // Duplicate rules across files and cross-file facts go through the same commit logic.
    const set = cases.slice(0, 12).map((c, i) => ({ file: `set/${i}-${c.name}`, text: c.text }));
    for (const c of [...cases.map((x) => [{ file: x.name, text: x.text }]), set]) {
      const fast = await validateFiles(c);
      const slow = await validateFiles(c, { fastPath: false });
      // yaml's own stack overflow on deep nesting depends on how deep the stack already is
      // (whether it happens, where, what follows): such a file has nothing comparable.
      const overflow = (r: typeof fast) => r.findings.some((f) => /call stack/.test(f.message));
      if (!overflow(fast) && !overflow(slow)) expect(fast.findings, c[0]!.file).toEqual(slow.findings);
      expect(fast.files, c[0]!.file).toEqual(slow.files);
    }
  }, 90_000);
});
