/**
 * The single post-passes every alert goes through (kubernetes-mixin style): the config's `for`
 * overrides, the severity, component and mixin labels, summary/description, runbook_url and
 * dashboard_url. Builders never set these by hand, so no alert can miss one.
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

/** The `component` label: what an alert is about, whichever target's series the expression reads. */
export const COMPONENT_LABEL = 'component';

/** Alert name prefixes (`<Component><Condition>`) and the component each names. */
const COMPONENTS: ReadonlyArray<readonly [prefix: string, component: string]> = [
  ['Vote', 'vote'],
  ['Result', 'result'],
  ['Queue', 'queue'],
  ['Worker', 'worker'],
  ['Redis', 'redis'],
  ['Postgres', 'postgres'],
  ['Exporter', 'exporter'],
  ['Monitoring', 'monitoring'],
];

/** A static label of the spec wins; otherwise the alert name's prefix decides. */
export function alertComponent(spec: Pick<AlertSpec, 'alert' | 'labels'>): string {
  const own = spec.labels?.[COMPONENT_LABEL];
  if (own) return own;
  const hit = COMPONENTS.find(([p]) => spec.alert.startsWith(p) && /^[A-Z]/.test(spec.alert.charAt(p.length)));
  // A programming error in a builder, not a user mistake: every alert name starts with its component.
  if (!hit)
    throw new Error(
      `alert ${spec.alert}: name it <Component><Condition> (${COMPONENTS.map(([p]) => p).join(', ')}) or give it labels.${COMPONENT_LABEL}`,
    );
  return hit[1];
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
    labels: {
      ...spec.labels,
      severity: spec.severity,
      [COMPONENT_LABEL]: alertComponent(spec),
      [MIXIN_LABEL.name]: MIXIN_LABEL.value,
    },
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
