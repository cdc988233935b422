/**
 * Prometheus rule files (and PrometheusRule CRDs' spec.groups): structure as promtool's rulefmt
 * checks it, every expression through the PromQL checker, label/annotation templates through the
 * Go-template checker, then the rule lints. One pass per rule; the expression is parsed once.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { checkGoTemplate } from '../go-template.js';
import { checkPromQL, type PromQLAnalysis } from '../promql-check.js';
import { parseDuration, durationError } from '../duration.js';
import { hasLabel } from '../label-set.js';
import { entries, get, isNull, keyNode, LABEL_NAME, METRIC_NAME, scalarString, type FileContext } from '../context.js';
import { lintRule, type RuleInfo } from './lint-rules.js';

const GROUP_KEYS = new Set(['name', 'interval', 'limit', 'rules', 'query_offset', 'labels', 'partial_response_strategy']);
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
const ID = 'schema/rules';

/** Checks `groups:` (the node holding the list). */
export function checkRuleGroups(ctx: FileContext, groups: Node | null | undefined, seen: Map<string, RuleInfo>): number {
  if (isNull(groups)) return 0;
  if (!isSeq(groups)) {
    ctx.report(ID, 'error', `"groups" must be a list of rule groups, got ${kindOf(groups)}`, groups);
    return 0;
  }
  const names = new Set<string>();
  let count = 0;
  for (const g of groups.items) {
    if (!isMap(g)) {
      if (!isNull(g)) ctx.report(ID, 'error', `a rule group must be a mapping with name and rules, got ${kindOf(g)}`, g as Node);
      continue;
    }
    for (const e of entries(g)) if (!GROUP_KEYS.has(e.key)) ctx.report(ID, 'error', `unknown field "${e.key}" in rule group (valid: name, interval, limit, rules)`, e.keyNode);
    const nameNode = get(g, 'name');
    const name = scalarString(nameNode) ?? '';
    if (nameNode !== undefined && !isNull(nameNode) && !isScalar(nameNode)) ctx.report(ID, 'error', 'group "name" must be a string', nameNode);
    else if (!name) ctx.report(ID, 'error', 'group name must not be empty', nameNode ?? g);
    else if (names.has(name)) ctx.report(ID, 'error', `group name ${JSON.stringify(name)} is repeated in the same file`, nameNode);
    names.add(name);
    for (const k of ['interval', 'query_offset']) durationField(ctx, g, k);
    const limit = get(g, 'limit');
    if (limit !== undefined && !isNull(limit) && !(isScalar(limit) && Number.isInteger(limit.value))) ctx.report(ID, 'error', '"limit" must be an integer', limit);
    const rules = get(g, 'rules');
    if (isNull(rules)) continue;
    if (!isSeq(rules)) {
      ctx.report(ID, 'error', `"rules" must be a list, got ${kindOf(rules)}`, rules);
      continue;
    }
    rules.items.forEach((r, i) => {
      if (isNull(r)) return;
      if (!isMap(r)) {
        ctx.report(ID, 'error', `a rule must be a mapping with record or alert and expr, got ${kindOf(r)}`, r as Node);
        return;
      }
      count++;
      checkRule(ctx, r, `group ${JSON.stringify(name)}, rule ${i + 1}`, seen);
    });
  }
  return count;
}

function checkRule(ctx: FileContext, r: YAMLMap, where: string, seen: Map<string, RuleInfo>): void {
  for (const e of entries(r)) if (!RULE_KEYS.has(e.key)) ctx.report(ID, 'error', `unknown field "${e.key}" in rule (valid: ${[...RULE_KEYS].join(', ')})`, e.keyNode, undefined, undefined, where);
  const recordNode = get(r, 'record');
  const alertNode = get(r, 'alert');
  const record = scalarString(recordNode);
  const alert = scalarString(alertNode);
  const ctxName = `${where}, ${JSON.stringify(alert ?? record ?? '')}`;
  for (const [k, n] of [['record', recordNode], ['alert', alertNode]] as const) {
    if (n !== undefined && !isNull(n) && !isScalar(n)) ctx.report(ID, 'error', `"${k}" must be a string, got ${kindOf(n)}`, n, undefined, undefined, ctxName);
  }
  if (record && alert) ctx.report(ID, 'error', "only one of 'record' and 'alert' must be set", recordNode, undefined, undefined, ctxName);
  if (!record && !alert) ctx.report(ID, 'error', "one of 'record' or 'alert' must be set", r, undefined, undefined, ctxName);
  const exprNode = get(r, 'expr');
  const expr = scalarString(exprNode);
  if (exprNode !== undefined && !isNull(exprNode) && !isScalar(exprNode)) ctx.report(ID, 'error', `"expr" must be a string, got ${kindOf(exprNode)}`, exprNode, undefined, undefined, ctxName);
  else if (!expr || !expr.trim()) ctx.report(ID, 'error', "field 'expr' must be set in rule", exprNode ?? keyNode(r, 'record') ?? keyNode(r, 'alert') ?? r, undefined, undefined, ctxName);
  if (record !== undefined && !alert) {
    if (!METRIC_NAME.test(record)) ctx.report(ID, 'error', `invalid recording rule name: ${JSON.stringify(record)}`, recordNode, undefined, undefined, ctxName);
    for (const k of ['annotations', 'for', 'keep_firing_for']) {
      const kn = keyNode(r, k);
      if (kn) ctx.report(ID, 'error', `invalid field '${k}' in recording rule`, kn, undefined, undefined, ctxName);
    }
  }
  const forMs = durationField(ctx, r, 'for', ctxName);
  durationField(ctx, r, 'keep_firing_for', ctxName);
  const labels = stringMap(ctx, r, 'labels', 'label', ctxName);
  const annotations = stringMap(ctx, r, 'annotations', 'annotation', ctxName);

  let analysis: PromQLAnalysis | undefined;
  if (expr && expr.trim() && exprNode) {
    analysis = checkPromQL(expr, { scrapeIntervalMs: ctx.opts.scrapeIntervalMs, metricKind: ctx.opts.metricKind });
    for (const is of analysis.issues) ctx.report(is.id, is.severity, is.message, exprNode, is.from, is.to - is.from, ctxName);
    const hasError = analysis.issues.some((i) => i.severity === 'error');
    if (!hasError && (analysis.type === 'matrix' || analysis.type === 'string')) {
      ctx.report('promql/rule-type', 'warning', `rule expression must evaluate to an instant vector or scalar, got ${analysis.type === 'matrix' ? 'range vector' : 'string'}: Prometheus fails this rule at every evaluation`, exprNode, 0, expr.length, ctxName);
    }
    for (const m of analysis.metrics) ctx.facts.metricUses.push({ ...m, file: ctx.file, source: ctx.source, node: exprNode });
  }
  if (record && !alert) ctx.facts.recordings.add(record);

  if (alert) {
    for (const [kind, map] of [['label', labels], ['annotation', annotations]] as const) {
      for (const [k, { value, node }] of map) {
        const t = checkGoTemplate(value);
        for (const is of t.issues) ctx.report('template/syntax', 'error', `${kind} ${JSON.stringify(k)}: template: ${is.message}`, node, is.from, is.to - is.from, ctxName);
        if (analysis && !analysis.issues.some((i) => i.severity === 'error')) {
          for (const ref of t.labelRefs) {
            if (!hasLabel(analysis.labels, ref.name)) {
              ctx.report('template/dropped-label', 'warning', `${kind} ${JSON.stringify(k)} uses $labels.${ref.name}, but the expression's result has no "${ref.name}" label (an aggregation or vector matching drops it): it renders empty`, node, ref.from, ref.to - ref.from, ctxName);
            }
          }
        }
      }
    }
    for (const [k, { value, node }] of annotations) if (k.endsWith('_url') && value) ctx.facts.urls.push({ url: value, file: ctx.file, node, source: ctx.source, label: k });
  }
  const info: RuleInfo = { kind: alert ? 'alert' : 'record', name: alert ?? record ?? '', node: (alert ? alertNode : recordNode) ?? r, labels, annotations, forMs, hasFor: get(r, 'for') !== undefined, analysis, context: ctxName, file: ctx.file };
  lintRule(ctx, info, seen);
}

function durationField(ctx: FileContext, map: YAMLMap, key: string, context?: string): number | undefined {
  const n = get(map, key);
  if (n === undefined || isNull(n)) return undefined;
  const s = scalarString(n);
  if (s === undefined || !isScalar(n)) {
    ctx.report('schema/duration', 'error', `"${key}" must be a duration string, got ${kindOf(n)}`, n, undefined, undefined, context);
    return undefined;
  }
  const ms = parseDuration(s);
  if (ms === undefined) ctx.report('schema/duration', 'error', `"${key}": ${durationError(s)}`, n, undefined, undefined, context);
  return ms;
}

function stringMap(ctx: FileContext, r: YAMLMap, key: string, what: string, context: string): Map<string, { value: string; node: Node }> {
  const out = new Map<string, { value: string; node: Node }>();
  const n = get(r, key);
  if (n === undefined || isNull(n)) return out;
  if (!isMap(n)) {
    ctx.report(ID, 'error', `"${key}" must be a mapping of ${what} names to strings, got ${kindOf(n)}`, n, undefined, undefined, context);
    return out;
  }
  for (const e of entries(n)) {
    if (!LABEL_NAME.test(e.key) || (what === 'label' && e.key === '__name__')) ctx.report('schema/label-name', 'error', `invalid ${what} name: ${JSON.stringify(e.key)} (must match [a-zA-Z_][a-zA-Z0-9_]*${what === 'label' ? ' and not be __name__' : ''})`, e.keyNode, undefined, undefined, context);
    if (e.value && !isScalar(e.value)) {
      ctx.report(ID, 'error', `${what} ${JSON.stringify(e.key)} must be a string, got ${kindOf(e.value)}`, e.value, undefined, undefined, context);
      continue;
    }
    out.set(e.key, { value: scalarString(e.value) ?? '', node: e.value ?? e.keyNode });
  }
  return out;
}

export function kindOf(n: unknown): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return n.value === null ? 'null' : `${typeof n.value} ${JSON.stringify(n.value)}`;
  return 'nothing';
}
