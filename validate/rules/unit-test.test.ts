// The unit-test file checker on its own: what promtool test rules cannot load or run is an
// error, what it loads is clean (corpus files, judged by promtool 2.42 in
// test/validate/promtool-agreement.test.ts; here the notation cases one by one).
import { describe, expect, it } from 'vitest';
import { FileContext, newSetFacts } from '../context.js';
import { isPlainMap } from '../plain.js';
import { LazySource, toPlain } from '../source/yaml-source.js';
import { seriesSelectorError, seriesValuesError } from './series-notation.js';
import { checkUnitTestDocument } from './unit-test.js';

function check(text: string) {
  const lazy = new LazySource('t.yml', text);
  const doc = lazy.parse().source.docs[0]!;
  const ctx = new FileContext(lazy, {}, newSetFacts(), 0);
  const plain = toPlain(doc.contents, doc);
  if (!isPlainMap(plain)) throw new Error('not a mapping');
  const ruleFiles = checkUnitTestDocument(ctx, plain);
  return { ruleFiles, findings: ctx.findings.map((f) => `${f.id} ${f.position?.line}: ${f.message}`) };
}

const good = `rule_files: [rules.yml]
evaluation_interval: 1m
fuzzy_compare: true
tests:
  - interval: 1m
    name: t
    external_labels: { cluster: a }
    input_series:
      - series: 'up{job="a", instance="b:1"}'
        values: '0+0x10 1 _ _x3 stale -1-1x2 Inf NaN 1e3'
      - series: '{__name__="x"}'
        values: '{{schema:1 sum:3 count:2 buckets:[2]}}+{{sum:1 count:1 buckets:[1]}}x2'
    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts:
          - exp_labels: { job: a }
            exp_annotations: { summary: x }
    promql_expr_test:
      - expr: sum(up)
        eval_time: 1m
        exp_samples:
          - labels: '{}'
            value: 1
          - value: 0
`;

describe('promtool unit-test files', () => {
  it('passes a file promtool loads, and returns its rule_files', () => {
    expect(check(good)).toEqual({ ruleFiles: ['rules.yml'], findings: [] });
  });

  it.each([
    ['unknown field', good.replace('fuzzy_compare: true', 'fuzzy: true'), 'schema/unit-test 3: unknown field "fuzzy"'],
    [
      'unclosed series braces',
      good.replace('instance="b:1"}', 'instance="b:1"'),
      'schema/unit-test-series 9: series: unclosed',
    ],
    [
      'a matcher in a series',
      good.replace('job="a"', 'job=~"a"'),
      'schema/unit-test-series 9: series: unexpected "=~"',
    ],
    [
      'bad value notation',
      good.replace('0+0x10', '0+x10'),
      'schema/unit-test-series 10: values: invalid value "0+x10"',
    ],
    [
      'missing alertname',
      good.replace('alertname: Down', 'alertname: ""'),
      'schema/unit-test 15: an item under alert_rule_test',
    ],
    ['bad duration', good.replace('eval_time: 5m', 'eval_time: 5 min'), 'schema/duration 14: "eval_time"'],
    ['bad expression', good.replace('sum(up)', 'sum(up'), 'promql/syntax 20:'],
    [
      'bad sample labels',
      good.replace("'{}'", "'{a=b}'"),
      'schema/unit-test-series 23: labels: expected a quoted label value',
    ],
    ['a string value', good.replace('value: 1', 'value: "1"'), 'schema/unit-test 24: "value" must be a number'],
    ['group order repeated', `group_eval_order: [a, a]\n${good}`, 'schema/unit-test 1: group name repeated'],
  ])('refuses %s', (_, text, expected) => {
    const { findings } = check(text);
    expect(
      findings.some((f) => f.startsWith(expected)),
      findings.join('\n'),
    ).toBe(true);
  });
});

describe('series notation', () => {
  it.each(['1', '1 2 3', '1+1x10', '-1-2x3', '1x3', '_', '_x4', 'stale', '+Inf -Inf NaN', '0x1F', '.5 5. 1e-3', ''])(
    'reads values %j',
    (v) => expect(seriesValuesError(v)).toBeUndefined(),
  );
  it.each(['1 + 1x10', '1+1', '1x', 'x3', 'abc', '1+1x', '{{sum:1', '{{sum:1}}+{{sum:1}}'])('refuses values %j', (v) =>
    expect(seriesValuesError(v)).toBeDefined(),
  );
  it.each(['up', 'up{}', 'up{a="b",}', `{__name__="up", a='b'}`, 'a:b_c{x="}"}', '{"utf8.name"="x"}'])(
    'reads series %j',
    (s) => expect(seriesSelectorError(s)).toBeUndefined(),
  );
  it.each(['', 'up{', 'up{a="b"', 'up{a=b}', 'up{a!="b"}', '1up', 'up foo', 'up{a="b" c="d"}'])(
    'refuses series %j',
    (s) => expect(seriesSelectorError(s)).toBeDefined(),
  );
});
