import { describe, expect, it } from 'vitest';
import { exampleDashboard, examplePanel } from './dashboard/example.js';
import { lintDashboard } from './dashboard/index.js';
import { parseLogQL } from './logql.js';

/** The validation errors (the query parses; Loki's range-aggregation rules refuse it). */
function invalid(expr: string) {
  const { errors } = parseLogQL(expr);
  expect(errors.filter((e) => e.kind === 'syntax')).toEqual([]);
  return errors.map((e) => ({ at: expr.slice(e.from, e.to), message: e.message }));
}

describe('LogQL range aggregations: Loki RangeAggregationExpr.validate() rules', () => {
  it.each([
    ['count_over_time({job="x"}[5m]) by (job)', 'by (job)', 'grouping not allowed for count_over_time'],
    ['rate({job="x"}[5m]) by (job)', 'by (job)', 'grouping not allowed for rate'],
    ['sum_over_time({job="x"} | unwrap b [5m]) by (job)', 'by (job)', 'grouping not allowed for sum_over_time'],
    ['bytes_rate({job="x"}[5m]) without (a)', 'without (a)', 'grouping not allowed for bytes_rate'],
    ['absent_over_time({job="x"}[5m]) by (job)', 'by (job)', 'grouping not allowed for absent_over_time'],
    ['avg_over_time({job="x"}[5m])', 'avg_over_time', 'invalid aggregation avg_over_time without unwrap'],
    ['rate_counter({job="x"}[5m])', 'rate_counter', 'invalid aggregation rate_counter without unwrap'],
    ['last_over_time({job="x"} | json [5m])', 'last_over_time', 'invalid aggregation last_over_time without unwrap'],
    ['count_over_time({job="x"} | unwrap b [5m])', '| unwrap b', 'invalid aggregation count_over_time with unwrap'],
    ['bytes_over_time({job="x"}[5m] | unwrap b)', '| unwrap b', 'invalid aggregation bytes_over_time with unwrap'],
    [
      'quantile_over_time({job="x"} | unwrap b [5m])',
      'quantile_over_time',
      'parameter required for operation quantile_over_time',
    ],
    ['count_over_time(0.5, {job="x"}[5m])', '0.5', 'parameter 0.5 not supported for operation count_over_time'],
    // Nested inside a vector aggregation or a binary operation, still refused.
    ['sum(avg_over_time({job="x"}[5m]))', 'avg_over_time', 'invalid aggregation avg_over_time without unwrap'],
    ['1 + rate({job="x"}[5m]) by (job)', 'by (job)', 'grouping not allowed for rate'],
  ])('%s is refused', (expr, at, message) => {
    const [e, ...rest] = invalid(expr);
    expect(rest).toEqual([]);
    expect(e?.at).toBe(at);
    expect(e?.message).toContain(message);
  });

  it.each([
    'sum by (job) (count_over_time({job="x"}[5m]))',
    'count_over_time({job="x"}[5m])',
    'rate({job="x"}[5m])',
    'rate({job="x"} | unwrap b [5m])',
    'rate_counter({job="x"} | unwrap b [5m])',
    'bytes_rate({job="x"}[5m])',
    'bytes_over_time({job="x"} |= "err" [5m])',
    'absent_over_time({job="x"}[5m])',
    'absent_over_time({job="x"} | unwrap b [5m])',
    'sum_over_time({job="x"} | unwrap b [5m])',
    'avg_over_time({job="x"} | unwrap b [5m]) by (job)',
    'max_over_time({job="x"} | logfmt | unwrap duration(b) | __error__="" [5m]) without (a)',
    'min_over_time({job="x"}[5m] | unwrap b) by (job)',
    'stddev_over_time(({job="x"} | unwrap b) [5m]) by (job)',
    'stdvar_over_time({job="x"} | unwrap bytes(b) [5m]) by (job)',
    'first_over_time({job="x"} | unwrap b [5m]) by (job)',
    'last_over_time({job="x"} | unwrap b [5m]) by (job)',
    'quantile_over_time(0.99, {job="x"} | unwrap b [5m]) by (job)',
    'quantile_over_time(0.5, {job="x"} | unwrap b [5m])',
  ])('%s is accepted', (expr) => {
    expect(parseLogQL(expr).errors).toEqual([]);
  });

  it('reports only syntax errors when the grammar already refuses the query', () => {
    const { errors } = parseLogQL('avg_over_time({job="x"}[5m]) by (');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.kind === 'syntax')).toBe(true);
  });
});

describe('LogQL range aggregations in dashboards (logql/syntax)', () => {
  const lint = (expr: string) =>
    lintDashboard(
      JSON.parse(
        exampleDashboard([
          examplePanel({
            type: 'timeseries',
            datasource: { type: 'loki', uid: 'loki' },
            targets: [{ refId: 'A', expr }],
          }),
        ]).text,
      ),
    ).filter((f) => f.id.startsWith('logql/'));

  it('points at the offending part of the expr, as the user wrote it (Grafana macros included)', () => {
    const expr = 'sum(count_over_time({job=~"$job"}[$__auto]) by (job))';
    const [f, ...rest] = lint(expr);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'logql/syntax', severity: 'error', offset: expr.indexOf('by (job)') });
    expect(f!.message).toContain('grouping not allowed for count_over_time aggregation');
    expect(f!.path?.at(-1)).toBe('expr');
  });

  it('points at the range operation when the unwrap is missing', () => {
    const expr = 'avg_over_time({job=~"$job"} | json [$__interval])';
    const [f] = lint(expr);
    expect(f).toMatchObject({ id: 'logql/syntax', offset: 0 });
    expect(f!.message).toContain('invalid aggregation avg_over_time without unwrap');
  });

  it.each([
    'sum by (job) (count_over_time({job=~"$job"}[$__auto]))',
    'avg_over_time({job=~"$job"} | unwrap b [$__interval]) by (job)',
    'quantile_over_time(0.99, {job=~"$job"} | unwrap b [$__auto]) by (job)',
    'sum(rate({job=~"$job"} |= "error" [$__rate_interval]))',
    // A dashboard variable as the numeric parameter (a custom variable such as 0.5,0.9,0.99).
    'quantile_over_time($q, {job=~"$job"} | unwrap b [$__auto]) by (job)',
    'topk($k, sum by (job) (count_over_time({job=~"$job"}[$__auto])))',
  ])('%s passes', (expr) => {
    expect(lint(expr)).toEqual([]);
  });
});
