// Grafana variables become PromQL that passes the same checks as the query Grafana would run,
// and findings map back to what the user wrote; zero error-level findings on every query of
// the real-world dashboards (kube-prometheus, redis_exporter), which Grafana runs every day.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPromQL } from '../promql-check.js';
import { substituteVariables } from './variables.js';

const errors = (query: string) =>
  checkPromQL(substituteVariables(query).text, { lint: false }).issues.filter((i) => i.severity === 'error');

describe('substituteVariables', () => {
  it.each([
    ['rate(x{job=~"$job"}[$__rate_interval])', 'rate(x{job=~"job"}[5m])'],
    ['rate(x[${__interval}])', 'rate(x[5m])'],
    ['rate(x[[[__interval]]])', 'rate(x[5m])'],
    ['max_over_time(rate(x[5m])[$__range:$__interval])', 'max_over_time(rate(x[5m])[5m:5m])'],
    ['max_over_time(x[1h:${step}])', 'max_over_time(x[1h:5m])'],
    ['rate(x[${window}m])', 'rate(x[5m])'],
    ['x offset $__interval', 'x offset 5m'],
    ['x offset -$shift', 'x offset -5m'],
    ['x @ ${__to:date:seconds}', 'x @ 300'],
    ['increase(x[$__range]) / $__range_s', 'increase(x[5m]) / 300'],
    ['x * $__interval_ms', 'x * 300'],
    ['topk($n, x)', 'topk(1, x)'],
    ['quantile($q, x)', 'quantile(1, x)'],
    [
      'histogram_quantile($q, sum by (le) (rate(x_bucket[5m])))',
      'histogram_quantile(1, sum by (le) (rate(x_bucket[5m])))',
    ],
    ['round(x, $to)', 'round(x, 1)'],
    ['x > $threshold', 'x > threshold'],
    ['x{job=~"${job:regex}", i=~"[[instance]]"}', 'x{job=~"job", i=~"instance"}'],
    ['x{job=~"^(${job:pipe})$"}', 'x{job=~"^(job)$"}'],
    ['${metric}_total', 'metric_total'],
    ['x + $on', 'x + v_on'],
    ['x{a="$__interval"}', 'x{a="5m"}'],
    // A numeric variable in arithmetic inside a scalar-wanted argument: Grafana runs these.
    ['predict_linear(x[1h], 86400 * $days)', 'predict_linear(x[1h], 86400 * 1)'],
    ['predict_linear(x[1h], $days * 86400)', 'predict_linear(x[1h], 1 * 86400)'],
    ['predict_linear(x[1h], ($days))', 'predict_linear(x[1h], (1))'],
    ['topk($k + 1, x)', 'topk(1 + 1, x)'],
    [
      'histogram_quantile($q / 100, sum by (le) (rate(x_bucket[$__rate_interval])))',
      'histogram_quantile(1 / 100, sum by (le) (rate(x_bucket[5m])))',
    ],
    ['clamp(x, ($lo) - 1, $hi * 2)', 'clamp(x, (1) - 1, 1 * 2)'],
  ])('%s → %s', (query, text) => {
    expect(substituteVariables(query).text).toBe(text);
    expect(errors(query)).toEqual([]);
  });

  it('leaves a query without variables alone', () => {
    const s = substituteVariables('rate(x[5m])');
    expect(s.text).toBe('rate(x[5m])');
    expect(s.toOriginal(7)).toBe(7);
    expect(s.variables).toEqual([]);
    expect(s.fromVariable(0, 11)).toBe(false);
  });

  it('maps a finding after and inside a stand-in back to the original column', () => {
    const q = 'sum(rate(x{job=~"$job"}[$__rate_interval])) by (instance) > $min +';
    const s = substituteVariables(q);
    const [err] = errors(q);
    expect(err?.id).toBe('promql/syntax');
    // The dangling `+` at the end, in the original.
    expect(s.toOriginal(err!.from)).toBe(q.length - 1);
    expect(s.toOriginal(s.text.indexOf('5m') + 1)).toBe(q.indexOf('$__rate_interval'));
    expect(s.variables.map((v) => v.name)).toEqual(['job', '__rate_interval', 'min']);
    expect(s.variables.map((v) => v.standIn)).toEqual(['job', '5m', 'v_min']);
  });

  it('tells which metric names come from a variable', () => {
    const s = substituteVariables('rate(${metric}_total[5m]) + up{job="$job"}');
    const metrics = checkPromQL(s.text, { lint: false }).metrics;
    // The name written before the braces: does a variable make it?
    expect(metrics.map((m) => [m.name, s.fromVariable(m.from, m.from + m.name.length)])).toEqual([
      ['metric_total', true],
      ['up', false],
    ]);
  });

  it('still reports what Grafana could not run either', () => {
    expect(errors('rate($metric)').map((e) => e.id)).toEqual(['promql/arg-type']);
    expect(errors('x{job=~"$job("}').map((e) => e.id)).toEqual(['promql/regex']);
    expect(errors('sum(rate(x[$__rate_interval])').map((e) => e.id)).toEqual(['promql/syntax']);
  });
});

const CORPUS = join(import.meta.dirname, '../../../shared/corpus');
const DIRS = ['kube-prometheus/dashboards', 'redis-exporter-dashboards'].map((d) => join(CORPUS, d));

/** Every target expression of a dashboard, at any depth (rows, nested panels). */
function targets(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) targets(x, out);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.targets))
      for (const t of o.targets)
        if (typeof (t as { expr?: unknown })?.expr === 'string') out.push((t as { expr: string }).expr);
    for (const x of Object.values(o)) if (x && typeof x === 'object') targets(x, out);
  }
  return out;
}

describe.runIf(DIRS.every(existsSync))('real-world dashboards', () => {
  it('have zero error-level PromQL findings on every target', () => {
    const exprs = DIRS.flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => targets(JSON.parse(readFileSync(join(d, f), 'utf8'))).filter((e) => e.trim())),
    );
    expect(exprs.length).toBeGreaterThan(500);
    const bad = exprs.flatMap((e) => errors(e).map((i) => `${e}: ${i.id}: ${i.message}`));
    expect(bad).toEqual([]);
  });
});
