// Our PromQL verdict agrees with `promtool check rules`, run live, on every class of expression:
// modifier binding, binary/unary/subquery typing, `@` values, number and duration lexing,
// keywords, function arity and argument types, aggregations, selectors and strings. Each
// expression goes into its own rule file; one promtool run checks them all.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';

/** Expressions promtool (2.42) and we must agree on, valid and invalid. */
const CASES: readonly string[] = [
  // offset / @ / [range] bind to the operand before them, not to a binary or unary expression.
  'a - b offset 15m',
  '-a offset 5m',
  'x != on(i) y OFFSET 5m',
  'a offset 5m - b',
  'a / b offset 1h',
  'a * b @ 100',
  '-a @ 100',
  'a @ 100 offset 5m',
  'a offset 5m @ 100',
  'a ^ b offset 5m',
  'a[5m] offset 1h',
  'a[5m] @ 100',
  'a[5m] @ 100 offset 5m',
  'rate(a[5m] offset 1h)',
  'rate(a[5m:1m] offset 1h)',
  'sum(a)[5m:] offset 1h',
  'sum(a)[5m:1m] @ end()',
  'a offset -5m',
  'a @ start()',
  'a @ end()',
  'a @ -100',
  'a @ +100',
  'a @ 1e3',
  'a @ 0x10',
  'a @ 3.',
  'a - b[5m]',
  '(a + b)[5m]',
  '-a[5m]',
  '-(a[5m])',
  'rate(x[1m])[1h] offset 1h',
  'rate(a[5m]) @ 1234',
  'a offset 1m[5m]',
  'a @ 5 [5m]',
  'a @ NaN',
  'a @ Inf',
  'a @ -Inf',
  'a @ 1e19',
  '(a) offset 5m',
  '(a) @ 5',
  'sum(a) offset 5m',
  'a offset 5m offset 5m',
  'a @ 1 @ 2',
  'a[5m][5m]',
  'a[5m:][5m:]',
  '1 offset 5m',
  '"x" offset 5m',
  'a offset',
  'a @',
  'a @ foo',
  'a @ start',
  'a @ (5)',
  'a[5m:0s]',
  'a[0s]',
  'a offset 0s',
  'a[5m:1m:1m]',
  'a[]',
  'a[5m',
  'a[5m:1m] offset 5m offset 1m',
  // Numbers as promql/parser lexes and Go parses them.
  '5.',
  '.5',
  '1e3',
  '1E-3',
  '0x1f',
  '0X1F',
  '010',
  '08',
  'Inf',
  '-Inf',
  'NaN',
  'nan',
  'INF',
  '+Inf',
  '1e-400',
  '1e400',
  '-1e400',
  '1e',
  '1.2.3',
  '0x',
  '0x1.5',
  '5m',
  '1h30m',
  '1 +',
  '1 + 2 * 3 ^ 2',
  '2 ^ -1',
  '-2 ^ 2',
  // Keywords as metric names, where the grammar allows them.
  'offset{a="b"}',
  'offset',
  'by',
  'without',
  'sum',
  'avg{x="y"}',
  'and',
  'or{a="b"}',
  'unless',
  'start',
  'end',
  'count_values',
  'quantile',
  'topk',
  'bottomk',
  'group',
  'stddev',
  'stdvar',
  'min',
  'max',
  'SUM{a="b"}',
  'sum + 1',
  'offset + 1',
  'x + offset',
  'rate(offset[5m])',
  'on',
  'bool',
  'ignoring',
  'group_left',
  'group_right',
  'atan2',
  'inf{a="b"}',
  'x offset offset',
  // Functions: names, arity, argument types.
  'rate(x)',
  'rate(x[5m], 1)',
  'rate(x[5m])',
  'rate((x[5m]))',
  'abs(x[5m])',
  'abs()',
  'abs(x)',
  'time(1)',
  'time()',
  'vector(1)',
  'vector(x)',
  'scalar(x)',
  'scalar(1)',
  'histogram_quantile(0.9, x)',
  'histogram_quantile(x)',
  'histogram_quantile(0.9, x[5m])',
  'histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))',
  'label_replace(x, "a", "$1", "b", "(.*)")',
  'label_replace(x, "a", "$1", "b")',
  'label_replace(x, 1, "$1", "b", "c")',
  'label_join(x, "a", ",", "b", "c")',
  'label_join(x, "a", ",")',
  'label_join(x, "a")',
  'round(x)',
  'round(x, 5)',
  'round(x, 5, 6)',
  'clamp(x, 0, 1)',
  'clamp_max(x)',
  'day_of_week()',
  'day_of_week(x)',
  'day_of_week(x, y)',
  'predict_linear(x[5m], 3600)',
  'quantile_over_time(0.9, x[5m])',
  'quantile_over_time(x[5m], 0.9)',
  'holt_winters(x[5m], 0.5, 0.5)',
  'absent(x)',
  'absent_over_time(x[5m])',
  'sort(x)',
  'timestamp(x)',
  'pi()',
  'unknown_fn(x)',
  'RATE(x[5m])',
  'rate(x[5m],)',
  'foo:bar(x)',
  'changes(x[5m])',
  'increase(x[5m:1m])',
  'rate(sum(x)[5m:])',
  'max_over_time(rate(x[5m])[1h:])',
  // Aggregations.
  'sum(x)',
  'sum(x) by (a)',
  'sum by (a) (x)',
  'sum without (a) (x)',
  'sum by (a,) (x)',
  'sum by () (x)',
  'sum(x, y)',
  'sum()',
  'topk(5, x)',
  'topk(x)',
  'topk("5", x)',
  'topk by (a) (5, x)',
  'quantile(0.5, x)',
  'count_values("v", x)',
  'count_values(1, x)',
  'sum(x[5m])',
  'sum(1)',
  'sum by (a) (x) by (b)',
  'sum by (foo:bar) (x)',
  'sum by (on, offset, sum, bool) (x)',
  'sum by (a) (x) offset 5m',
  'stddev(x)',
  'group(x)',
  'count(x) > 0',
  // Binary operators and vector matching.
  'a + b',
  'a and b',
  'a or on(x) b',
  'a unless ignoring(x) b',
  'a and on(x) group_left b',
  'a + on(x) group_left(y) b',
  'a + ignoring(x) group_right b',
  'a + on(x) group_left(x) b',
  'a + ignoring(x) group_left(x) b',
  '1 + 1',
  '1 == 1',
  '1 == bool 1',
  'a == bool b',
  'a + bool b',
  'a > bool 1',
  '1 and a',
  'a or 1',
  '1 + on(x) a',
  'a + "s"',
  '"a" + "b"',
  'a atan2 b',
  '1 atan2 2',
  'a ^ b ^ c',
  'a % b',
  'a == bool on(x) group_left b',
  'a + group_left b',
  'a + on(x) bool b',
  'a + on b',
  'a + on(x) group_left (y)',
  'a + on(x) group_left (y) b',
  'time() > 1',
  'a > time()',
  // Unary operators.
  '-a',
  '+a',
  '--a',
  '-"a"',
  '-rate(x[5m])',
  '-1',
  '- -1',
  // Strings and selectors.
  '"a"',
  "'a'",
  '`a`',
  '"a\\nb"',
  '"\\z"',
  "x{a='\\\"'}",
  '"\\x41"',
  '"\\u00e9"',
  '"\\400"',
  '"unterminated',
  'x{a="b"}',
  'x{a="b",}',
  'x{a="b" b="c"}',
  'x{a=~"["}',
  'x{a=~"(?i)foo"}',
  'x{a=~"a{2,3}"}',
  'x{a=~"(?P<n>x)"}',
  'x{a=~"\\\\d+"}',
  'x{a=~"x(?=y)"}',
  'x{a="b",a="c"}',
  '{__name__="x"}',
  '{__name__=~"x.*"}',
  '{__name__=~".*"}',
  '{a!=""}',
  '{a!~".*"}',
  '{a=~".+"}',
  '{a=""}',
  '{}',
  'x{}',
  'x{a:b="c"}',
  'x{__name__="y"}',
  'x{a="b"}[5m]',
  '{a="b"} offset 5m',
  'x{a=b}',
  'x{a}',
  'x{offset="1", by="2"}',
  // Comments.
  'x # comment',
  '# only a comment',
  'sum(\n  x # why\n)',
  // Subqueries.
  'rate(x[5m])[30m:1m]',
  'x[5m:]',
  '(x + y)[5m:1m]',
  '"s"[5m:]',
  '1[5m:]',
  'time()[5m:]',
  'x[5m:1m][10m:]',
  'x[5m : 1m]',
  // Durations.
  'x[1y]',
  'x[1w]',
  'x[1d]',
  'x[1h30m]',
  'x[1m30s]',
  'x[500ms]',
  'x[1s500ms]',
  'x[5M]',
  'x[1m1h]',
  'x[5m30]',
  'x[5.5m]',
  'x offset 1h30m',
  'x[ 5m ]',
  // Miscellaneous syntax.
  'a b',
  '(a',
  'a)',
  'sum(x',
  'a +* b',
  'a = b',
  'a =~ b',
  'a ! b',
  'x $ y',
  // Regexes as Go's regexp/syntax (RE2) compiles them, not as JavaScript would.
  'x{a=~"(?s).*x"}',
  'x{a=~"[[:alpha:]]+"}',
  'x{a=~"\\\\pL"}',
  'x{a=~"\\\\p{Greek}+"}',
  'x{a=~"a**"}',
  'x{a=~"a{1001}"}',
  'x{a=~"x{2}{3}"}',
  'x{a=~"(?i:foo)"}',
  'x{a=~"\\\\Qa.b\\\\E"}',
  'x{a=~"[a-"}',
  'x{a=~"a|*"}',
  'x{a=~"(?U)a+"}',
  'x{a=~"\\\\C"}',
  'x{a=~"\\\\z"}',
  'x{a=~"\\\\A"}',
  'x{a=~"\\\\e"}',
  'x{a=~"\\\\y"}',
  'x{a=~"\\\\_"}',
  'x{a=~"\\\\8"}',
  'x{a=~"\\\\-"}',
  'x{a=~"[\\\\d-z]"}',
  'x{a=~"(?P<n>x)\\\\k<n>"}',
  'x{a=~"a{,3}"}',
  'x{a=~"a{2,1}"}',
  'x{a=~"[z-a]"}',
  'x{a=~"\\\\x{41}"}',
  'x{a=~"\\\\x4"}',
  'x{a=~"\\\\0"}',
  'x{a=~"\\\\01"}',
  'x{a=~"\\\\00"}',
  'x{a=~"[[:foo:]]"}',
  'x{a=~"(?m)^a$"}',
  'x{a=~"(?-i)a"}',
  'x{a=~"(?i)(?-s)a"}',
  'x{a=~"x(?#comment)"}',
  'x{a=~"()"}',
  'x{a=~"(|)"}',
  'x{a=~"a++"}',
  'x{a=~"a?+"}',
  'x{a=~"*a"}',
  'x{a=~"\\\\bfoo\\\\B"}',
  'x{a=~"\\\\Z"}',
  'x{a=~"[^]"}',
  'x{a=~"[]a]"}',
  'x{a=~"\\\\u0041"}',
  'x{a=~"\\u00e9+"}',
  'x{a=~"\\\\p{L}"}',
  'x{a=~"\\\\P{Lu}"}',
  'x{a=~"\\\\pN"}',
  'x{a=~"[:foo:]"}',
  'x{a=~"[a[:foo:]]"}',
  'x{a=~"[[:^alpha:]]"}',
  'x{a=~"a\\\\_b"}',
  'x{a=~"\\\\\\u00e9"}',
  'x{a=~"\\\\x{1F600}"}',
  'x{a=~"\\\\x41"}',
  'x{a=~"[\\\\d]"}',
  'x{a=~"\\\\Qa\\\\E+"}',
  'x{a=~"\\\\."}',
  'x{a=~"a\\\\\\\\"}',
  'x{a=~"\\\\"}',
  'x{a=~"\\\\1"}',
  'x{a=~"(?<n>x)\\\\1"}',
  // Octal escapes, group names, nested repeat counts, class ranges, \x{…} and \Q as Go reads them.
  'up{job=~"\\\\101"}',
  'up{job=~"a\\\\12"}',
  'up{job=~"\\\\377"}',
  'up{job=~"(?P<n>a)(?P<n>b)"}',
  'up{job=~"(?P<1a>x)"}',
  'up{job=~"(a{10}){101}"}',
  'up{job=~"((a{10}){10}){11}"}',
  'up{job=~"[a-\\\\d]"}',
  'up{job=~"[a-\\\\w]"}',
  'up{job=~"\\\\x{FFFFFFFFFF}"}',
  'up{job=~"\\\\x{110000}"}',
  'up{job=~"\\\\Qab"}',
  'up{job=~"[\\\\Q]\\\\E]"}',
  // Unicode classes: `Any`, Go's general categories and script names (case-sensitive), `^` negation.
  'up{job=~"\\\\p{Foo}"}',
  'up{job=~"\\\\P{Foo}"}',
  'up{job=~"[\\\\p{Foo}]"}',
  'up{job=~"\\\\pX"}',
  'up{job=~"\\\\pl"}',
  'up{job=~"\\\\p{greek}"}',
  'up{job=~"\\\\p{L"}',
  'up{job=~"\\\\p"}',
  'up{job=~"a\\\\P"}',
  'up{job=~"\\\\p{}"}',
  'up{job=~"\\\\p{^}"}',
  'up{job=~"\\\\p{Grek}"}',
  'up{job=~"\\\\p{Zyyy}"}',
  'up{job=~"\\\\p{Letter}"}',
  'up{job=~"\\\\p{Script=Greek}"}',
  'up{job=~"\\\\p{Unknown}"}',
  'up{job=~"\\\\p{Katakana_Or_Hiragana}"}',
  'up{job=~"\\\\p{Cn}"}',
  'up{job=~"\\\\p{L.*}"}',
  'up{job=~"\\\\P{^Greek}"}',
  'up{job=~"\\\\p{^Greek}"}',
  'up{job=~"\\\\PL"}',
  'up{job=~"\\\\p{Lu}\\\\p{Nd}"}',
  'up{job=~"\\\\p{Any}"}',
  'up{job=~"[\\\\p{Han}a-z]+"}',
  'up{job=~"\\\\p{Common}"}',
  'up{job=~"\\\\p{Thai}"}',
  'up{job=~"\\\\p{Old_Italic}"}',
  'up{job=~"\\\\p{Adlam}"}',
  'up{job=~"\\\\p{Nyiakeng_Puachue_Hmong}"}',
  'up{job=~"\\\\p{SignWriting}"}',
  // Experimental functions: refused without --enable-feature=promql-experimental-functions.
  'limitk(2, x)',
  'limit_ratio(0.5, x)',
  'sort_by_label(x, "a")',
  'sort_by_label_desc(x, "a")',
  'double_exponential_smoothing(x[5m], 0.5, 0.5)',
  'mad_over_time(x[5m])',
  'first_over_time(x[5m])',
  'info(x)',
  'ts_of_max_over_time(x[5m])',
  'ts_of_last_over_time(x[5m])',
  'histogram_quantiles(x, "q", 0.5)',
  'integral(x[5m])',
  // `@ start()` / `@ end()` before a range are taken (only a numeric `@` is refused).
  'up @ start()[5m]',
  'up @ end()[5m]',
  'rate(up @ end()[5m])',
  'up @ 100[5m]',
  // A long left-associative chain is not deep nesting.
  Array.from({ length: 1001 }, (_, i) => `absent(up{job="j${i}"})`).join(' or '),
  `x${' + x'.repeat(3000)}`,
  // Prometheus 3 syntax that Prometheus 2 refuses: refused, so a file loads on both.
  '1_000',
  '1_000 + 1',
  'rate(x[300])',
  'a offset 60',
  'a[5m:60]',
];

/**
 * Where promtool 2.42 (Debian) and current upstream Prometheus differ, we follow upstream;
 * `upstream` is upstream's verdict (ours), the opposite of promtool's.
 */
const SKEW: ReadonlyArray<{ expr: string; upstream: 'valid' | 'invalid'; reason: string }> = [
  { expr: '{"foo"}', upstream: 'valid', reason: 'Prometheus 3 quoted (UTF-8) metric names' },
  { expr: '{"foo.bar"="x", a="b"}', upstream: 'valid', reason: 'Prometheus 3 quoted (UTF-8) label names' },
  { expr: 'sum by ("a.b") (x)', upstream: 'valid', reason: 'Prometheus 3 quoted label names in grouping' },
  {
    expr: 'x{a=~"(?<n>x)"}',
    upstream: 'valid',
    reason: 'Go 1.22 regexp takes (?<name>...); 2.42 was built with an older Go',
  },
  { expr: 'histogram_stddev(x)', upstream: 'valid', reason: 'function added in Prometheus 2.44' },
  { expr: 'histogram_avg(x)', upstream: 'valid', reason: 'function added in Prometheus 2.50' },
  {
    expr: 'x{a=~"\\\\p{Toto}"}',
    upstream: 'valid',
    reason: 'Unicode 14 script: Go 1.21 regexp; 2.42 was built with an older Go',
  },
];

/**
 * Random expressions from a small grammar of every construct above (operators with matching
 * and bool, modifiers, subqueries, calls with random argument counts and types, aggregations,
 * keywords as names): most are invalid in some way, about a third valid. A fixed seed keeps the
 * set the same from run to run.
 */
function generated(count: number, seed: number): string[] {
  let state = seed;
  const rnd = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!;
  const fns = ['rate', 'abs', 'topk', 'histogram_quantile', 'vector', 'scalar', 'time', 'label_replace'];
  const moreFns = ['count_values', 'quantile_over_time', 'round', 'clamp', 'absent', 'day_of_week', 'predict_linear'];
  const ops = ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<=', 'and', 'or', 'unless', 'atan2', '> bool'];
  const matching = ['== bool', '+ on(a)', '* ignoring(b)', '/ on(a) group_left(c)', '- on(a) group_right'];
  const gen = (d: number): string => {
    switch (rnd(d > 3 ? 4 : 14)) {
      case 0:
        return pick(['x', 'y{a="b"}', 'up', '{a="b"}', 'offset', 'sum', 'by', '{a=~".*"}', 'x:y']);
      case 1:
        return pick(['1', '2.5', '0x1f', '5.', '.5', 'Inf', '-1', 'NaN', '1e3']);
      case 2:
        return pick(['"s"', "'s'", '`s`']);
      case 3:
        return `${gen(d + 1)}${pick(['[5m]', '[5m:]', '[1h:1m]', ' offset 5m', ' @ 100', ' @ start()', ' offset -1m', '[5m] offset 1m'])}`;
      case 4:
      case 5:
      case 6:
        return `${gen(d + 1)} ${pick([...ops, ...matching, 'and on(a)', 'or ignoring(a) group_left'])} ${gen(d + 1)}`;
      case 7:
        return `(${gen(d + 1)})`;
      case 8:
        return `-${gen(d + 1)}`;
      case 9:
      case 10: {
        const n = rnd(3) + (rnd(4) === 0 ? 0 : 1);
        return `${pick([...fns, ...moreFns])}(${Array.from({ length: n }, () => gen(d + 1)).join(', ')})`;
      }
      case 11:
        return `${pick(['sum', 'count', 'topk', 'avg'])} ${pick(['by (a)', 'without (b)', ''])} (${gen(d + 1)})`;
      case 12:
        return `rate(${gen(d + 1)}[5m])`;
      default:
        return `${gen(d + 1)}${pick(['[5m:1m]', '[10m]'])}`;
    }
  };
  return Array.from({ length: count }, () => gen(0));
}

const tmp = mkdtempSync(join(tmpdir(), 'promql-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Verdict {
  valid: boolean;
  message: string;
}

/** One rule file per expression; returns the file names in order. */
function writeRuleFiles(exprs: readonly string[], prefix = 'e'): string[] {
  return exprs.map((expr, i) => {
    const file = `${prefix}${String(i).padStart(4, '0')}.yml`;
    writeFileSync(
      join(tmp, file),
      `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${JSON.stringify(expr)}\n`,
    );
    return file;
  });
}

/** One promtool run; stderr names each failing file at the start of its message. */
async function promtoolVerdicts(files: string[]): Promise<Map<string, Verdict>> {
  const { stdout, stderr } = await promisify(execFile)('promtool', ['check', 'rules', ...files], {
    cwd: tmp,
    maxBuffer: 1 << 24,
  }).catch((e: { stdout: string; stderr: string }) => e);
  const verdicts = new Map<string, Verdict>();
  for (const section of stdout.split(/^Checking /m).slice(1)) {
    const file = section.split('\n')[0]!;
    verdicts.set(file, { valid: /^\s*SUCCESS/m.test(section), message: '' });
  }
  for (const line of stderr.split('\n')) {
    const m = /^([eg]\d+\.yml): (.*)$/.exec(line);
    const v = m && verdicts.get(m[1]!);
    if (v) v.message ||= m[2]!;
  }
  return verdicts;
}

async function ourVerdicts(files: string[]): Promise<Map<string, Verdict>> {
  const { readFileSync } = await import('node:fs');
  const result = await validateFiles(files.map((f) => ({ file: f, text: readFileSync(join(tmp, f), 'utf8') })));
  return new Map(
    files.map((f) => {
      const errors = result.findings.filter((x) => x.file === f && x.severity === 'error');
      return [f, { valid: errors.length === 0, message: errors.map((e) => `${e.id}: ${e.message}`).join('; ') }];
    }),
  );
}

describe('PromQL verdicts agree with promtool check rules', () => {
  const all = [...CASES, ...SKEW.map((s) => s.expr)];
  const files = writeRuleFiles(all);
  const run = Promise.all([promtoolVerdicts(files), ourVerdicts(files)]);

  it('covers at least 150 expressions, valid and invalid', async () => {
    const [promtool] = await run;
    const verdicts = files.slice(0, CASES.length).map((f) => promtool.get(f)?.valid);
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES).size).toBe(CASES.length);
    expect(verdicts.filter((v) => v === true).length).toBeGreaterThan(50);
    expect(verdicts.filter((v) => v === false).length).toBeGreaterThan(50);
  });

  it('gives the same verdict as promtool on every expression', async () => {
    const [promtool, ours] = await run;
    const disagreements: string[] = [];
    CASES.forEach((expr, i) => {
      const p = promtool.get(files[i]!);
      const o = ours.get(files[i]!)!;
      if (!p) disagreements.push(`${JSON.stringify(expr)}: promtool gave no verdict`);
      else if (p.valid !== o.valid)
        disagreements.push(
          `${JSON.stringify(expr)}: promtool ${p.valid ? 'valid' : `invalid (${p.message})`}, ours ${o.valid ? 'valid' : `invalid (${o.message})`}`,
        );
    });
    expect(disagreements).toEqual([]);
  });

  it('follows upstream where promtool 2.42 differs (version skew), and the skew is real', async () => {
    const [promtool, ours] = await run;
    const wrong: string[] = [];
    SKEW.forEach((s, j) => {
      const f = files[CASES.length + j]!;
      const o = ours.get(f)!;
      const p = promtool.get(f);
      if (o.valid !== (s.upstream === 'valid')) wrong.push(`${s.expr}: ours ${o.valid ? 'valid' : o.message}`);
      if (p?.valid !== (s.upstream !== 'valid'))
        wrong.push(`${s.expr}: promtool now agrees with upstream (${s.reason})`);
    });
    expect(wrong).toEqual([]);
  });

  it('gives the same verdict as promtool on 2,000 generated expressions', async () => {
    const exprs = generated(2000, 11);
    const gfiles = writeRuleFiles(exprs, 'g');
    const [promtool, ours] = await Promise.all([promtoolVerdicts(gfiles), ourVerdicts(gfiles)]);
    const valid = gfiles.filter((f) => promtool.get(f)?.valid).length;
    expect(valid).toBeGreaterThan(400);
    expect(valid).toBeLessThan(1600);
    const disagreements = exprs.flatMap((expr, i) => {
      const p = promtool.get(gfiles[i]!);
      const o = ours.get(gfiles[i]!)!;
      return p?.valid === o.valid
        ? []
        : [
            `${JSON.stringify(expr)}: promtool ${p ? (p.valid ? 'valid' : p.message) : 'no verdict'}, ours ${o.valid ? 'valid' : o.message}`,
          ];
    });
    expect(disagreements).toEqual([]);
  });
});
