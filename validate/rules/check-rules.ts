/**
 * Prometheus rule files (and PrometheusRule CRDs' spec.groups): structure as promtool's rulefmt
 * checks it, every expression through the PromQL checker, label/annotation templates through the
 * Go-template checker, then the rule lints. One pass per rule; the expression is parsed once.
 * Works on plain values (js-yaml's output on the fast path, the positioned parse's values on the
 * slow one) and reports by path; the context turns paths into file positions when asked.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { FileContext } from '../context.js';
import { durationError, parseDuration } from '../duration.js';
import { checkGoTemplate } from '../go-template.js';
import { hasLabel } from '../label-set.js';
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
import { checkPromQL, type PromQLAnalysis } from '../promql-check.js';
import type { PathSpot } from '../source/yaml-source.js';
import { lintRule } from './lint-rules.js';
import { labelNameVerdict, metricNameVerdict } from './names.js';
import type { RuleInfo, SeenRules, StringEntry } from './rule-info.js';

// Prometheus 3's group fields (query_offset since 2.53, labels since 3.0): upstream is followed.
// Thanos's partial_response_strategy is not here: Prometheus refuses a group that has it.
const GROUP_KEYS = new Set(['name', 'interval', 'query_offset', 'limit', 'rules', 'labels']);
const GROUP_KEY_LIST = [...GROUP_KEYS].join(', ');
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
const RULE_KEY_LIST = [...RULE_KEYS].join(', ');
const ID = 'schema/rules';
const REC_FIELD = 'schema/recording-field';
const KEY = { key: true } as const;

/** A whole rule-file document (`groups:` at the top) or a PrometheusRule CRD (`spec.groups`). */
export function checkRuleDocument(ctx: FileContext, doc: PlainMap, crd: boolean, seen: SeenRules): number {
  if (crd) {
    const spec = field(doc, 'spec');
    return checkRuleGroups(ctx, isPlainMap(spec) ? field(spec, 'groups') : undefined, ['spec', 'groups'], seen);
  }
  for (const k of Object.keys(doc))
    if (k !== 'groups')
      ctx.reportAt(ID, 'error', `unknown field "${k}" in rule file (only "groups" is allowed)`, [k], KEY);
  return checkRuleGroups(ctx, field(doc, 'groups'), ['groups'], seen);
}

/** Checks `groups:` (the value holding the list, at `at`). */
export function checkRuleGroups(ctx: FileContext, groups: unknown, at: Path, seen: SeenRules): number {
  if (isPlainNull(groups)) return 0;
  if (!isPlainSeq(groups)) {
    ctx.reportAt(ID, 'error', `"groups" must be a list of rule groups, got ${plainKindOf(groups)}`, at);
    return 0;
  }
  const names = new Set<string>();
  let count = 0;
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    const gp = [...at, gi];
    if (!isPlainMap(g)) {
      if (!isPlainNull(g))
        ctx.reportAt(ID, 'error', `a rule group must be a mapping with name and rules, got ${plainKindOf(g)}`, gp);
      continue;
    }
    for (const k in g)
      if (!GROUP_KEYS.has(k))
        ctx.reportAt(ID, 'error', `unknown field "${k}" in rule group (valid: ${GROUP_KEY_LIST})`, [...gp, k], KEY);
    const nameValue = field(g, 'name');
    const name = plainString(nameValue) ?? '';
    if (nameValue !== undefined && !isPlainNull(nameValue) && !isPlainScalar(nameValue))
      ctx.reportAt(ID, 'error', 'group "name" must be a string', [...gp, 'name']);
    else if (!name)
      ctx.reportAt(ID, 'error', 'group name must not be empty', nameValue === undefined ? gp : [...gp, 'name']);
    else if (names.has(name))
      ctx.reportAt(
        'schema/duplicate-group',
        'error',
        `group name ${JSON.stringify(name)} is repeated in the same file`,
        [...gp, 'name'],
      );
    names.add(name);
    durationField(ctx, g, 'interval', gp);
    durationField(ctx, g, 'query_offset', gp);
    const limit = field(g, 'limit');
    if (limit !== undefined && !isPlainNull(limit) && !Number.isInteger(limit))
      ctx.reportAt(ID, 'error', '"limit" must be an integer', [...gp, 'limit']);
    stringMap(ctx, g, gp, 'labels', 'label', `group ${JSON.stringify(name)}`);
    const rules = field(g, 'rules');
    if (isPlainNull(rules)) continue;
    if (!isPlainSeq(rules)) {
      ctx.reportAt(ID, 'error', `"rules" must be a list, got ${plainKindOf(rules)}`, [...gp, 'rules']);
      continue;
    }
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (isPlainNull(r)) continue;
      const rp = [...gp, 'rules', i];
      if (!isPlainMap(r)) {
        ctx.reportAt(ID, 'error', `a rule must be a mapping with record or alert and expr, got ${plainKindOf(r)}`, rp);
        continue;
      }
      count++;
      checkRule(ctx, r, rp, name, i, seen);
    }
  }
  return count;
}

function checkRule(ctx: FileContext, r: PlainMap, rp: Path, group: string, index: number, seen: SeenRules): void {
  const where = `group ${JSON.stringify(group)}, rule ${index + 1}`;
  for (const k in r)
    if (!RULE_KEYS.has(k))
      ctx.reportAt(ID, 'error', `unknown field "${k}" in rule (valid: ${RULE_KEY_LIST})`, [...rp, k], KEY, where);
  const recordValue = field(r, 'record');
  const alertValue = field(r, 'alert');
  const record = plainString(recordValue);
  const alert = plainString(alertValue);
  const ctxName = `${where}, ${JSON.stringify(alert ?? record ?? '')}`;
  const at = (k: string) => [...rp, k];
  if (recordValue !== undefined && !isPlainNull(recordValue) && !isPlainScalar(recordValue))
    ctx.reportAt(ID, 'error', `"record" must be a string, got ${plainKindOf(recordValue)}`, at('record'), {}, ctxName);
  if (alertValue !== undefined && !isPlainNull(alertValue) && !isPlainScalar(alertValue))
    ctx.reportAt(ID, 'error', `"alert" must be a string, got ${plainKindOf(alertValue)}`, at('alert'), {}, ctxName);
  if (record && alert)
    ctx.reportAt(ID, 'error', "only one of 'record' and 'alert' must be set", at('record'), {}, ctxName);
  if (!record && !alert) ctx.reportAt(ID, 'error', "one of 'record' or 'alert' must be set", rp, {}, ctxName);
  const exprValue = field(r, 'expr');
  const expr = plainString(exprValue);
  if (exprValue !== undefined && !isPlainNull(exprValue) && !isPlainScalar(exprValue))
    ctx.reportAt(ID, 'error', `"expr" must be a string, got ${plainKindOf(exprValue)}`, at('expr'), {}, ctxName);
  else if (!expr?.trim()) {
    const p = exprValue !== undefined ? at('expr') : 'record' in r ? at('record') : 'alert' in r ? at('alert') : rp;
    ctx.reportAt(
      ID,
      'error',
      "field 'expr' must be set in rule",
      p,
      exprValue === undefined && p !== rp ? KEY : {},
      ctxName,
    );
  }
  const forMs = durationField(ctx, r, 'for', rp, ctxName);
  const keepMs = durationField(ctx, r, 'keep_firing_for', rp, ctxName);
  if (record !== undefined && !alert) {
    const verdict = metricNameVerdict(record);
    if (verdict === 'invalid')
      ctx.reportAt(
        'schema/recording-name',
        'error',
        `invalid recording rule name: ${JSON.stringify(record)}${/[{}]/.test(record) ? ' (braces: should it be in expr?)' : ''}`,
        at('record'),
        {},
        ctxName,
      );
    else if (verdict === 'utf8-only') utf8Name(ctx, 'recording rule name', record, at('record'), {}, ctxName);
    // rulefmt refuses only values that would matter: `for: 0s` or `annotations: {}` load.
    const annotationsValue = field(r, 'annotations');
    if (isPlainMap(annotationsValue) && Object.keys(annotationsValue).length > 0)
      ctx.reportAt(
        REC_FIELD,
        'error',
        "invalid field 'annotations' in recording rule",
        at('annotations'),
        KEY,
        ctxName,
      );
    if (forMs) ctx.reportAt(REC_FIELD, 'error', "invalid field 'for' in recording rule", at('for'), KEY, ctxName);
    if (keepMs)
      ctx.reportAt(
        ID,
        'error',
        "invalid field 'keep_firing_for' in recording rule",
        at('keep_firing_for'),
        KEY,
        ctxName,
      );
  }
  const labels = stringMap(ctx, r, rp, 'labels', 'label', ctxName);
  const annotations = stringMap(ctx, r, rp, 'annotations', 'annotation', ctxName);

  let analysis: PromQLAnalysis | undefined;
  let exprOk = false;
  if (expr?.trim() && exprValue !== undefined) {
    const exprPath = at('expr');
    analysis = checkPromQL(expr, { scrapeIntervalMs: ctx.opts.scrapeIntervalMs, metricKind: ctx.opts.metricKind });
    for (const is of analysis.issues)
      ctx.reportAt(is.id, is.severity, is.message, exprPath, { offset: is.from, length: is.to - is.from }, ctxName);
    exprOk = !analysis.issues.some((i) => i.severity === 'error');
    if (exprOk && (analysis.type === 'matrix' || analysis.type === 'string')) {
      ctx.reportAt(
        'promql/rule-type',
        'warning',
        `rule expression must evaluate to an instant vector or scalar, got ${analysis.type === 'matrix' ? 'range vector' : 'string'}: Prometheus fails this rule at every evaluation`,
        exprPath,
        { offset: 0, length: expr.length },
        ctxName,
      );
    }
    for (const m of analysis.metrics)
      ctx.facts.metricUses.push({
        name: m.name,
        from: m.from,
        to: m.to,
        file: ctx.file,
        locate: ctx.locator(exprPath, { offset: m.from, length: m.to - m.from }),
      });
  }
  if (record && !alert) ctx.facts.recordings.add(record);

  if (alert) {
    for (const [kind, map] of [
      ['label', labels],
      ['annotation', annotations],
    ] as const) {
      for (const [k, { value, path }] of map) {
        if (!value.includes('{{')) continue;
        const t = checkGoTemplate(value);
        for (const is of t.issues)
          ctx.reportAt(
            'template/syntax',
            'error',
            `${kind} ${JSON.stringify(k)}: template: ${is.message}`,
            path,
            { offset: is.from, length: is.to - is.from },
            ctxName,
          );
        if (analysis && exprOk) {
          for (const ref of t.labelRefs) {
            if (!hasLabel(analysis.labels, ref.name)) {
              ctx.reportAt(
                'template/dropped-label',
                'warning',
                `${kind} ${JSON.stringify(k)} uses $labels.${ref.name}, but the expression's result has no "${ref.name}" label (an aggregation or vector matching drops it): it renders empty`,
                path,
                { offset: ref.from, length: ref.to - ref.from },
                ctxName,
              );
            }
          }
        }
      }
    }
    for (const [k, { value, path }] of annotations)
      if (k.endsWith('_url') && value)
        ctx.facts.urls.push({ url: value, file: ctx.file, label: k, locate: ctx.locator(path) });
  }
  const info: RuleInfo = {
    kind: alert ? 'alert' : 'record',
    name: alert ?? record ?? '',
    path: alert ? (alertValue !== undefined ? at('alert') : rp) : recordValue !== undefined ? at('record') : rp,
    labels,
    annotations,
    forMs,
    hasFor: 'for' in r,
    analysis,
    context: ctxName,
    file: ctx.file,
  };
  lintRule(ctx, info, seen);
}

function durationField(ctx: FileContext, map: PlainMap, key: string, at: Path, context?: string): number | undefined {
  const v = field(map, key);
  if (v === undefined || isPlainNull(v)) return undefined;
  const s = plainString(v);
  if (s === undefined) {
    ctx.reportAt(
      'schema/duration',
      'error',
      `"${key}" must be a duration string, got ${plainKindOf(v)}`,
      [...at, key],
      {},
      context,
    );
    return undefined;
  }
  const ms = parseDuration(s);
  if (ms === undefined)
    ctx.reportAt('schema/duration', 'error', `"${key}": ${durationError(s)}`, [...at, key], {}, context);
  return ms;
}

const EMPTY: ReadonlyMap<string, StringEntry> = new Map();

function stringMap(
  ctx: FileContext,
  r: PlainMap,
  rp: Path,
  key: string,
  what: string,
  context: string,
): ReadonlyMap<string, StringEntry> {
  const n = field(r, key);
  if (n === undefined || isPlainNull(n)) return EMPTY;
  const mp = [...rp, key];
  if (!isPlainMap(n)) {
    ctx.reportAt(
      ID,
      'error',
      `"${key}" must be a mapping of ${what} names to strings, got ${plainKindOf(n)}`,
      mp,
      {},
      context,
    );
    return EMPTY;
  }
  const out = new Map<string, StringEntry>();
  for (const k in n) {
    const v = field(n, k);
    const verdict = labelNameVerdict(k);
    if (verdict === 'invalid' || (what === 'label' && k === '__name__'))
      ctx.reportAt(
        'schema/label-name',
        'error',
        `invalid ${what} name: ${JSON.stringify(k)}${k ? ' (__name__ is the metric name, not a label)' : ''}`,
        [...mp, k],
        KEY,
        context,
      );
    else if (verdict === 'utf8-only') utf8Name(ctx, `${what} name`, k, [...mp, k], KEY, context);
    if (!isPlainNull(v) && !isPlainScalar(v)) {
      ctx.reportAt(
        ID,
        'error',
        `${what} ${JSON.stringify(k)} must be a string, got ${plainKindOf(v)}`,
        [...mp, k],
        {},
        context,
      );
      continue;
    }
    out.set(k, { value: plainString(v) ?? '', path: [...mp, k] });
  }
  return out;
}

function utf8Name(ctx: FileContext, what: string, name: string, path: Path, spot: PathSpot, context?: string): void {
  ctx.reportAt(
    'lint/utf8-name',
    'warning',
    `${what} ${JSON.stringify(name)} is valid only under UTF-8 name validation (Prometheus 3 default): Prometheus 2 and servers in legacy mode refuse the file`,
    path,
    spot,
    context,
  );
}

export function kindOf(n: unknown): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return n.value === null ? 'null' : `${typeof n.value} ${JSON.stringify(n.value)}`;
  return 'nothing';
}
