/**
 * The single post-passes every alert goes through (kubernetes-mixin style): the config's `for`
 * overrides, the severity and mixin labels, summary/description, runbook_url and dashboard_url. Builders
 * never set these by hand, so no alert can miss one.
 */

import { MIXIN_LABEL } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { dashboardUid } from '../dashboards/defaults.js';
import type { AlertSpec } from './alert-spec.js';
import type { AlertingRule } from './rule-types.js';

/** `cfg.alerts.forOverrides[alert]` replaces `for` on every severity of that alert. */
export function applyForOverrides(cfg: MixinConfig, specs: AlertSpec[]): AlertSpec[] {
  return specs.map((s) => {
    const over = cfg.alerts.forOverrides[s.alert];
    return over ? { ...s, for: over } : s;
  });
}

export function runbookUrl(cfg: MixinConfig, alert: string): string {
  return `${cfg.runbookBaseUrl}${alert}.md`;
}

/** Panel ids by dashboard and panel title, read from the generated dashboards (see dashboard-links.ts). */
export type PanelIds = Partial<Record<string, Partial<Record<string, number>>>>;

export function dashboardUrl(cfg: MixinConfig, spec: AlertSpec, panels: PanelIds = {}): string {
  const base = `${cfg.grafana.url.replace(/\/$/, '')}/d/${dashboardUid(cfg, spec.dashboard.key)}`;
  const id = spec.dashboard.panel ? panels[spec.dashboard.key]?.[spec.dashboard.panel] : undefined;
  return id === undefined ? base : `${base}?viewPanel=${id}`;
}

/** The typed spec as a Prometheus alerting rule, with every convention applied. */
export function toAlertingRule(cfg: MixinConfig, spec: AlertSpec, panels: PanelIds = {}): AlertingRule {
  const rule: AlertingRule = {
    alert: spec.alert,
    expr: spec.expr,
    for: spec.for,
    labels: { ...spec.labels, severity: spec.severity, [MIXIN_LABEL.name]: MIXIN_LABEL.value },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: runbookUrl(cfg, spec.alert),
      dashboard_url: dashboardUrl(cfg, spec, panels),
    },
  };
  const keep = spec.keepFiringFor ?? (cfg.alerts.keepFiringFor !== '0s' ? cfg.alerts.keepFiringFor : undefined);
  if (keep) rule.keep_firing_for = keep;
  return rule;
}
