/**
 * promtool unit-test files (`promtool test rules`): what makes promtool refuse to load or run a
 * test file, checked without running it. promtool reads the file strictly (an unknown field is
 * an error), then per test group loads the input series (their notation must parse), the rule
 * files, and the alert tests (each needs an alertname); a promql_expr_test whose expression or
 * expected labels do not parse fails every run. Whether the expectations hold is promtool's to
 * say: this only finds tests that cannot pass. Fields are upstream's (fuzzy_compare,
 * start_timestamp and exp_samples' histogram are newer than promtool 2.42).
 * The rule_files themselves are resolved and checked by the engine.
 */
import type { FileContext } from '../context.js';
import { durationError, parseDuration } from '../duration.js';
import {
  field,
  isPlainMap,
  isPlainNull,
  isPlainScalar,
  isPlainSeq,
  type Path,
  type PlainMap,
  plainKindOf,
  plainString,
} from '../plain.js';
import { checkPromQL } from '../promql-check.js';
import { labelNameVerdict } from './names.js';
import { seriesSelectorError, seriesValuesError } from './series-notation.js';

const ID = 'schema/unit-test';
const SERIES_ID = 'schema/unit-test-series';
const KEY = { key: true } as const;

const FILE_KEYS = ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests', 'fuzzy_compare'];
const GROUP_KEYS = [
  'interval',
  'input_series',
  'alert_rule_test',
  'promql_expr_test',
  'external_labels',
  'external_url',
  'name',
  'start_timestamp',
];
const SERIES_KEYS = ['series', 'values'];
const ALERT_TEST_KEYS = ['eval_time', 'alertname', 'exp_alerts'];
const EXP_ALERT_KEYS = ['exp_labels', 'exp_annotations'];
const EXPR_TEST_KEYS = ['expr', 'eval_time', 'exp_samples'];
const SAMPLE_KEYS = ['labels', 'value', 'histogram'];

/** Every test in a unit-test document; returns the rule_files entries as written. */
export function checkUnitTestDocument(ctx: FileContext, doc: PlainMap): string[] {
  const c = new Checker(ctx);
  c.keys(doc, [], FILE_KEYS, 'unit-test file');
  const ruleFiles = c.stringList(doc, [], 'rule_files') ?? [];
  c.duration(doc, [], 'evaluation_interval');
  c.bool(doc, [], 'fuzzy_compare');
  const order = c.stringList(doc, [], 'group_eval_order') ?? [];
  const seen = new Set<string>();
  order.forEach((g, i) => {
    if (seen.has(g))
      ctx.reportAt(ID, 'error', `group name repeated in evaluation order: ${g}`, ['group_eval_order', i]);
    seen.add(g);
  });
  for (const [tg, tp] of c.list(doc, [], 'tests')) {
    const where = `test ${JSON.stringify(plainString(field(tg, 'name')) ?? `#${Number(tp[1]) + 1}`)}`;
    c.keys(tg, tp, GROUP_KEYS, 'test group', where);
    c.duration(tg, tp, 'interval', where);
    c.stringMap(tg, tp, 'external_labels', where);
    c.scalar(tg, tp, 'external_url', where);
    c.scalar(tg, tp, 'name', where);
    c.scalar(tg, tp, 'start_timestamp', where);
    for (const [s, sp] of c.list(tg, tp, 'input_series', where)) {
      c.keys(s, sp, SERIES_KEYS, 'input series', where);
      const series = c.scalar(s, sp, 'series', where) ?? '';
      const se = seriesSelectorError(series);
      if (se) ctx.reportAt(SERIES_ID, 'error', `series: ${se.message}`, [...sp, 'series'], spot(se), where);
      const values = c.scalar(s, sp, 'values', where);
      const ve = values === undefined ? undefined : seriesValuesError(values);
      if (ve) ctx.reportAt(SERIES_ID, 'error', `values: ${ve.message}`, [...sp, 'values'], spot(ve), where);
    }
    for (const [a, ap] of c.list(tg, tp, 'alert_rule_test', where)) {
      c.keys(a, ap, ALERT_TEST_KEYS, 'alert_rule_test item', where);
      c.duration(a, ap, 'eval_time', where);
      if (!c.scalar(a, ap, 'alertname', where))
        ctx.reportAt(
          ID,
          'error',
          'an item under alert_rule_test misses required attribute alertname',
          'alertname' in a ? [...ap, 'alertname'] : ap,
          {},
          where,
        );
      for (const [e, ep] of c.list(a, ap, 'exp_alerts', where)) {
        c.keys(e, ep, EXP_ALERT_KEYS, 'exp_alerts item', where);
        c.stringMap(e, ep, 'exp_labels', where);
        c.stringMap(e, ep, 'exp_annotations', where);
      }
    }
    for (const [t, pp] of c.list(tg, tp, 'promql_expr_test', where)) {
      c.keys(t, pp, EXPR_TEST_KEYS, 'promql_expr_test item', where);
      c.duration(t, pp, 'eval_time', where);
      const expr = c.scalar(t, pp, 'expr', where);
      if (!expr?.trim())
        ctx.reportAt(ID, 'error', 'promql_expr_test needs an expr', 'expr' in t ? [...pp, 'expr'] : pp, {}, where);
      else
        for (const is of checkPromQL(expr, { lint: false }).issues)
          if (is.severity === 'error')
            ctx.reportAt(
              is.id,
              'error',
              is.message,
              [...pp, 'expr'],
              { offset: is.from, length: is.to - is.from },
              where,
            );
      for (const [s, sp] of c.list(t, pp, 'exp_samples', where)) {
        c.keys(s, sp, SAMPLE_KEYS, 'exp_samples item', where);
        const labels = c.scalar(s, sp, 'labels', where);
        const le = labels === undefined ? undefined : seriesSelectorError(labels, true);
        if (le) ctx.reportAt(SERIES_ID, 'error', `labels: ${le.message}`, [...sp, 'labels'], spot(le), where);
        const value = field(s, 'value');
        if (value !== undefined && !isPlainNull(value) && typeof value !== 'number')
          ctx.reportAt(ID, 'error', `"value" must be a number, got ${plainKindOf(value)}`, [...sp, 'value'], {}, where);
        const hist = c.scalar(s, sp, 'histogram', where);
        const he = hist ? seriesValuesError(hist) : undefined;
        if (he) ctx.reportAt(SERIES_ID, 'error', `histogram: ${he.message}`, [...sp, 'histogram'], spot(he), where);
      }
    }
  }
  return ruleFiles;
}

const spot = (e: { from: number; to: number }) => ({ offset: e.from, length: Math.max(1, e.to - e.from) });

/** The strict-YAML reading promtool does, one helper per field shape. */
class Checker {
  constructor(private readonly ctx: FileContext) {}

  keys(map: PlainMap, at: Path, valid: readonly string[], what: string, where?: string): void {
    for (const k of Object.keys(map))
      if (!valid.includes(k))
        this.ctx.reportAt(
          ID,
          'error',
          `unknown field "${k}" in ${what} (valid: ${valid.join(', ')})`,
          [...at, k],
          KEY,
          where,
        );
  }

  /** A scalar field as a string; undefined when absent or null, reported when not a scalar. */
  scalar(map: PlainMap, at: Path, key: string, where?: string): string | undefined {
    const v = field(map, key);
    if (v === undefined || isPlainNull(v)) return undefined;
    if (!isPlainScalar(v)) {
      this.ctx.reportAt(ID, 'error', `"${key}" must be a string, got ${plainKindOf(v)}`, [...at, key], {}, where);
      return undefined;
    }
    return plainString(v);
  }

  bool(map: PlainMap, at: Path, key: string): void {
    const v = field(map, key);
    if (v !== undefined && !isPlainNull(v) && typeof v !== 'boolean')
      this.ctx.reportAt(ID, 'error', `"${key}" must be true or false, got ${plainKindOf(v)}`, [...at, key]);
  }

  duration(map: PlainMap, at: Path, key: string, where?: string): void {
    const s = this.scalar(map, at, key, where);
    if (s !== undefined && parseDuration(s) === undefined)
      this.ctx.reportAt('schema/duration', 'error', `"${key}": ${durationError(s)}`, [...at, key], {}, where);
  }

  stringList(map: PlainMap, at: Path, key: string): string[] | undefined {
    const v = field(map, key);
    if (v === undefined || isPlainNull(v)) return undefined;
    if (!isPlainSeq(v)) {
      this.ctx.reportAt(ID, 'error', `"${key}" must be a list of strings, got ${plainKindOf(v)}`, [...at, key]);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((x, i) => {
      if (isPlainScalar(x)) out.push(plainString(x)!);
      else if (!isPlainNull(x))
        this.ctx.reportAt(ID, 'error', `"${key}" entries must be strings, got ${plainKindOf(x)}`, [...at, key, i]);
    });
    return out;
  }

  /** The mapping items of a list field, with their paths. */
  list(map: PlainMap, at: Path, key: string, where?: string): [PlainMap, Path][] {
    const v = field(map, key);
    if (v === undefined || isPlainNull(v)) return [];
    if (!isPlainSeq(v)) {
      this.ctx.reportAt(ID, 'error', `"${key}" must be a list, got ${plainKindOf(v)}`, [...at, key], {}, where);
      return [];
    }
    const out: [PlainMap, Path][] = [];
    v.forEach((x, i) => {
      if (isPlainMap(x)) out.push([x, [...at, key, i]]);
      else if (!isPlainNull(x))
        this.ctx.reportAt(
          ID,
          'error',
          `"${key}" items must be mappings, got ${plainKindOf(x)}`,
          [...at, key, i],
          {},
          where,
        );
    });
    return out;
  }

  stringMap(map: PlainMap, at: Path, key: string, where?: string): void {
    const v = field(map, key);
    if (v === undefined || isPlainNull(v)) return;
    if (!isPlainMap(v)) {
      this.ctx.reportAt(
        ID,
        'error',
        `"${key}" must be a mapping of strings, got ${plainKindOf(v)}`,
        [...at, key],
        {},
        where,
      );
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (labelNameVerdict(k) === 'invalid')
        this.ctx.reportAt(
          'schema/label-name',
          'error',
          `invalid label name ${JSON.stringify(k)}`,
          [...at, key, k],
          KEY,
          where,
        );
      if (!isPlainNull(x) && !isPlainScalar(x))
        this.ctx.reportAt(
          ID,
          'error',
          `"${key}.${k}" must be a string, got ${plainKindOf(x)}`,
          [...at, key, k],
          {},
          where,
        );
    }
  }
}
