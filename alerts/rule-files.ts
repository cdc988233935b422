/** Rule groups as Prometheus rule-file documents (`groups:`), one file per group. */
import type { Rule, RuleGroup } from './rule-types.js';
import { isAlertingRule } from './rule-types.js';

/** `for: 0s` is the default: leave it out so the output reads like a hand-written file. */
function ruleDoc(r: Rule): Record<string, unknown> {
  if (!isAlertingRule(r))
    return r.labels && Object.keys(r.labels).length ? { ...r } : { record: r.record, expr: r.expr };
  const { for: f, keep_firing_for, ...rest } = r;
  return {
    alert: rest.alert,
    expr: rest.expr,
    ...(f !== '0s' ? { for: f } : {}),
    ...(keep_firing_for ? { keep_firing_for } : {}),
    labels: rest.labels,
    annotations: rest.annotations,
  };
}

export function ruleFileDoc(groups: RuleGroup[]): { groups: Array<Record<string, unknown>> } {
  return {
    groups: groups.map((g) => ({
      name: g.name,
      ...(g.interval ? { interval: g.interval } : {}),
      rules: g.rules.map(ruleDoc),
    })),
  };
}

export const ruleFilePath = (g: RuleGroup): string => `prometheus/rules/${g.name}.yml`;
