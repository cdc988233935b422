// The tree has Prometheus's shape (modifiers on the operand before them, unary at MUL
// precedence, `^` right-associative), literals have Go's values, and the analysis lists what
// the dashboard and build checks need (selectors with their enclosing functions, range calls).
import { describe, expect, it } from 'vitest';
import { checkPromQL } from '../promql-check.js';
import type { Expr } from './ast.js';
import { lex } from './lexer.js';
import { numberValue } from './literals.js';
import { parse } from './parser.js';

/** The tree as an S-expression: modifiers shown where they are attached. */
function show(e: Expr): string {
  const mods = (n: { offset?: { value: unknown }; at?: { value: unknown } }) =>
    `${n.offset ? ` offset(${n.offset.value})` : ''}${n.at ? ` @(${n.at.value})` : ''}`;
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'selector':
      return `${e.name ?? ''}${e.matchers.length ? `{${e.matchers.map((m) => `${m.label}${m.op}${m.value}`).join(',')}}` : ''}${mods(e)}`;
    case 'matrix':
      return `(range ${show(e.expr)} ${e.range.text}${mods(e)})`;
    case 'subquery':
      return `(subquery ${show(e.expr)} ${e.range.text}:${e.step?.text ?? ''}${mods(e)})`;
    case 'paren':
      return `(paren ${show(e.expr)})`;
    case 'unary':
      return `(${e.op} ${show(e.expr)})`;
    case 'binary':
      return `(${e.op}${e.bool ? ' bool' : ''}${e.matching ? ` ${e.matching.on ? 'on' : 'ignoring'}(${e.matching.labels.map((l) => l.name)})${e.matching.card === 'one-to-one' ? '' : ` ${e.matching.card}(${e.matching.include.map((l) => l.name)})`}` : ''} ${show(e.lhs)} ${show(e.rhs)})`;
    case 'call':
    case 'aggregate':
      return `(${e.kind === 'call' ? e.name : e.op}${e.kind === 'aggregate' && e.grouping ? ` ${e.grouping.without ? 'without' : 'by'}(${e.grouping.labels.map((l) => l.name)})` : ''} ${e.args.map(show).join(' ')})`;
  }
}

const tree = (s: string) => {
  const r = parse(s);
  // Prometheus 3's quoted names parse, with a lint/utf8-name warning (tested below).
  expect(
    r.issues.filter((i) => i.id !== 'lint/utf8-name'),
    s,
  ).toEqual([]);
  return show(r.expr!);
};

describe('parse: Prometheus binding and precedence', () => {
  it.each([
    ['a - b offset 15m', '(- a b offset(900000))'],
    ['-a offset 5m', '(- a offset(300000))'],
    ['x != on(i) y OFFSET 5m', '(!= on(i) x y offset(300000))'],
    ['a * b @ 100', '(* a b @(100))'],
    ['a offset -5m @ end()', 'a offset(-300000) @(end)'],
    ['a[5m] offset 1h', '(range a 5m offset(3600000))'],
    ['sum(a)[5m:1m] @ start()', '(subquery (sum a) 5m:1m @(start))'],
    ['-a ^ 2', '(- (^ a 2))'],
    ['-a * b', '(* (- a) b)'],
    ['2 ^ 3 ^ 2', '(^ 2 (^ 3 2))'],
    ['a + b * c', '(+ a (* b c))'],
    ['a or b and c unless d', '(or a (unless (and b c) d))'],
    ['a > b + c', '(> a (+ b c))'],
    ['a == bool on(x) group_left(y) b', '(== bool on(x) many-to-one(y) a b)'],
    ['a atan2 b * c', '(* (atan2 a b) c)'],
    ['-1', '-1'],
    ['- -1', '1'],
    ['sum by (job) (x)', '(sum by(job) x)'],
    ['sum(x) without (a, b,)', '(sum without(a,b) x)'],
    ['topk(5, x)', '(topk 5 x)'],
    ['offset{a="b"}', 'offset{a=b}'],
    ['sum + by', '(+ sum by)'],
    ['{"utf8.name", a="b"}', 'utf8.name{__name__=utf8.name,a=b}'],
    ['x # a comment\n + y', '(+ x y)'],
  ])('%s → %s', (expr, want) => {
    expect(tree(expr)).toBe(want);
  });

  it.each([
    ['a - b[5m]', 'promql/arg-type'],
    ['(a + b)[5m]', 'promql/syntax'],
    ['-a[5m]', 'promql/arg-type'],
    ['rate(x[1m])[1h] offset 1h', 'promql/syntax'],
    ['rate(a[5m]) @ 1234', 'promql/syntax'],
    ['a offset 1m[5m]', 'promql/syntax'],
    ['a @ NaN', 'promql/syntax'],
    ['1e400', 'promql/syntax'],
    ['a offset 5m offset 1m', 'promql/syntax'],
    ['on', 'promql/syntax'],
    ['1_000', 'promql/syntax'],
    ['rate(x[300])', 'promql/syntax'],
  ])('%s is refused (%s)', (expr, id) => {
    expect(checkPromQL(expr).issues.map((i) => i.id)).toContain(id);
  });
});

describe('literals as Go parses them', () => {
  it.each([
    ['5.', 5],
    ['.5', 0.5],
    ['0x1f', 31],
    ['0X1F', 31],
    ['010', 8],
    ['08', 8],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['1e-400', 0],
  ])('%s = %d', (text, value) => {
    expect(numberValue(text)).toBe(value);
  });

  it('knows Inf and NaN in any case, and refuses out-of-range and malformed numbers', () => {
    expect(numberValue('INF')).toBe(Number.POSITIVE_INFINITY);
    expect(numberValue('nAn')).toBeNaN();
    for (const bad of ['1e400', '1e', '0x', '0x10000000000000000']) expect(numberValue(bad), bad).toBeUndefined();
  });

  it('lexes durations, numbers and keywords as promql/parser does', () => {
    const kinds = (s: string) => lex(s).map((t) => `${t.type}:${t.val}`);
    expect(kinds('x[1h30m]')).toEqual(['ident:x', 'punct:[', 'duration:1h30m', 'punct:]', 'eof:']);
    expect(kinds('Offset NaN by')).toEqual(['kw:offset', 'number:NaN', 'kw:by', 'eof:']);
    expect(kinds('{by="x"}')).toEqual(['punct:{', 'ident:by', 'op:=', 'string:"x"', 'punct:}', 'eof:']);
    expect(kinds('a:b')).toEqual(['metric:a:b', 'eof:']);
    expect(lex('"\\q"').at(-1)?.type).toBe('error');
    // Prometheus 2 lexes `1.2.3` as two numbers; the parser refuses them.
    expect(kinds('1.2.3')).toEqual(['number:1.2', 'number:.3', 'eof:']);
    expect(parse('1.2.3').issues[0]?.message).toBe('parse error: unexpected number ".3"');
  });
});

describe('checkPromQL analysis', () => {
  it('lists selectors with matchers, enclosing functions and range', () => {
    const expr = 'sum by (job) (rate(http_requests_total{job=~"api|web", code!="200"}[5m])) / on(job) up';
    const a = checkPromQL(expr);
    expect(a.selectors).toEqual([
      {
        name: 'http_requests_total',
        from: expr.indexOf('http'),
        to: expr.indexOf('[5m]'),
        matchers: [
          expect.objectContaining({ label: 'job', op: '=~', value: 'api|web' }),
          expect.objectContaining({ label: 'code', op: '!=', value: '200' }),
        ],
        functions: ['rate', 'sum'],
        range: '5m',
      },
      { name: 'up', from: expr.length - 2, to: expr.length, matchers: [], functions: [] },
    ]);
    expect(a.metrics.map((m) => m.name)).toEqual(['http_requests_total', 'up']);
  });

  it('lists range calls with the window literal', () => {
    const e = 'max_over_time(rate(x_total[2m])[1h:30s]) + increase((y_total[10m]))';
    const at = (s: string) => ({ from: e.indexOf(s), to: e.indexOf(s) + s.length, text: s });
    expect(checkPromQL(e).rangeCalls).toEqual([
      { fn: 'rate', ...at('2m'), ms: 120_000, subquery: false },
      { fn: 'max_over_time', ...at('1h'), ms: 3_600_000, subquery: true },
      { fn: 'increase', ...at('10m'), ms: 600_000, subquery: false },
    ]);
  });

  it('computes the result type and the labels the result can carry', () => {
    const a = checkPromQL('sum by (job, instance) (rate(x_total[5m])) > 0');
    expect(a.type).toBe('vector');
    expect(a.labels).toEqual({ open: false, only: new Set(['job', 'instance']) });
    expect(a.hasComparison).toBe(true);
    expect(checkPromQL('1 + 1').type).toBe('scalar');
    expect(checkPromQL('x[5m]').type).toBe('matrix');
    expect(checkPromQL('absent(up{job="a"})').usesAbsent).toBe(true);
  });

  it('points issues at the offending part', () => {
    const expr = 'sum(rate(x[5m])) + rate(y)';
    const [is] = checkPromQL(expr, { lint: false }).issues;
    expect(is?.id).toBe('promql/arg-type');
    expect(expr.slice(is!.from, is!.to)).toBe('y');
    const [syntax] = checkPromQL('sum(x) by (a').issues;
    expect(syntax?.message).toMatch(/^parse error: /);
  });
});

describe('deep nesting', () => {
  it('checks a thousand levels; far beyond, a promql/too-deep warning (not an error), never exhausting the stack', () => {
    expect(checkPromQL(`${'('.repeat(990)}x${')'.repeat(990)}`).issues).toEqual([]);
    expect(checkPromQL(`${'abs('.repeat(990)}x${')'.repeat(990)}`).issues).toEqual([]);
    for (const deep of [
      `${'('.repeat(5000)}x${')'.repeat(5000)}`,
      `x${' ^ x'.repeat(5000)}`,
      `x${'[1m:]'.repeat(5000)}`,
      `${'-'.repeat(5000)}x`,
      `${'sum('.repeat(3000)}x${')'.repeat(3000)}`,
    ]) {
      const issues = checkPromQL(deep).issues;
      expect(issues, deep.slice(0, 20)).toHaveLength(1);
      expect(issues[0], deep.slice(0, 20)).toMatchObject({ id: 'promql/too-deep', severity: 'warning' });
      expect(issues[0]?.message).toMatch(/nests deeper than 1000 levels .*did not check it/);
    }
  });

  it('a left-associative chain is not nesting: 1001 `absent(...) or` terms (promtool takes them) and 20,000 `+ x` are checked', () => {
    const alert = Array.from({ length: 1001 }, (_, i) => `absent(up{job="j${i}"})`).join(' or ');
    const a = checkPromQL(alert);
    expect(a.issues).toEqual([]);
    expect(a.type).toBe('vector');
    expect(a.usesAbsent).toBe(true);
    expect(checkPromQL(`x${' + x'.repeat(20_000)}`).issues).toEqual([]);
    // Still type-checked all along the chain: the last term is a range vector.
    const bad = checkPromQL(`x${' or x'.repeat(5000)} or x[5m]`, { lint: false }).issues;
    expect(bad.map((i) => i.id)).toEqual(['promql/arg-type']);
  });
});

describe('Prometheus 3 quoted names', () => {
  it.each([
    ['up{"job"="a"}', '"job"'],
    ['{"my.metric"}', '"my.metric"'],
    ['{"my.metric", "a.b"=~"x"}', '"my.metric"'],
    ['sum by ("a.b") (x)', '"a.b"'],
    ['x / on(\'a.b\') group_left("c") y', "'a.b'"],
  ])('%s parses (upstream) with a lint/utf8-name warning at the quoted name', (expr, first) => {
    const issues = checkPromQL(expr, { lint: false }).issues;
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(i).toMatchObject({ id: 'lint/utf8-name', severity: 'warning' });
    expect(expr.slice(issues[0]!.from, issues[0]!.to)).toBe(first);
    expect(issues[0]?.message).toMatch(/valid only under UTF-8 name validation \(Prometheus 3\)/);
  });

  it('unquoted names get no such warning', () => {
    expect(checkPromQL('sum by (job) (up{job="a"})').issues).toEqual([]);
  });
});

describe('experimental functions', () => {
  it.each([
    'limitk(2, x)',
    'limit_ratio(0.5, x)',
    'sort_by_label(x, "a")',
    'sort_by_label_desc(x, "a")',
    'double_exponential_smoothing(x[5m], 0.5, 0.5)',
    'mad_over_time(x[5m])',
    'first_over_time(x[5m])',
    'info(x)',
    'ts_of_max_over_time(x[5m])',
    'ts_of_min_over_time(x[5m])',
    'ts_of_last_over_time(x[5m])',
    'ts_of_first_over_time(x[5m])',
    'histogram_quantiles(x, "q", 0.5, 0.9)',
    'integral(x[5m])',
  ])('%s is a promql/experimental-function error naming the feature flag', (expr) => {
    const issues = checkPromQL(expr, { lint: false }).issues;
    expect(issues.map((i) => [i.id, i.severity])).toEqual([['promql/experimental-function', 'error']]);
    expect(issues[0]?.message).toMatch(/--enable-feature=promql-experimental-functions/);
  });

  it.each(['histogram_avg(x)', 'histogram_stddev(x)', 'histogram_stdvar(x)', 'last_over_time(x[5m])', 'sort(x)'])(
    '%s is stable upstream: accepted',
    (expr) => expect(checkPromQL(expr, { lint: false }).issues).toEqual([]),
  );
});

describe('@ start() / end() before a range', () => {
  it('accepts `x @ start()[5m]` and `x @ end()[5m]` as Prometheus does; refuses only a numeric `@`', () => {
    expect(checkPromQL('rate(up @ start()[5m])', { lint: false }).issues).toEqual([]);
    expect(checkPromQL('rate(up @ end()[5m])', { lint: false }).issues).toEqual([]);
    expect(checkPromQL('rate(up @ 100[5m])', { lint: false }).issues[0]?.message).toBe(
      'no @ modifiers allowed before range',
    );
  });
});
