/**
 * The mixin's rules assembled: every alert spec (post-passes applied) and the rule groups, one
 * per component, recording groups first.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import type { AlertSpec } from './alert-spec.js';
import { applyForOverrides, type PanelIds, toAlertingRule } from './conventions.js';
import { exporterAlerts } from './exporter.js';
import { applyPolicySeverities } from './policies.js';
import { postgresAlerts } from './postgres.js';
import { queueAlerts } from './queue.js';
import { recordingGroups } from './recording.js';
import { redisAlerts } from './redis.js';
import { resultAlerts } from './result.js';
import type { AlertingRule, RuleGroup } from './rule-types.js';
import { sloAlerts } from './slo.js';
import { voteAlerts } from './vote.js';
import { workerAlerts } from './worker.js';

export const ALERT_COMPONENTS = {
  vote: voteAlerts,
  result: resultAlerts,
  slo: sloAlerts,
  redis: redisAlerts,
  queue: queueAlerts,
  worker: workerAlerts,
  postgres: postgresAlerts,
  exporter: exporterAlerts,
} as const;
export type AlertComponent = keyof typeof ALERT_COMPONENTS;

/** Every alert the mixin defines, by component, with the config's `for` overrides and policy severities applied. */
export function alertSpecsByComponent(cfg: MixinConfig): Array<[AlertComponent, AlertSpec[]]> {
  return applyPolicySeverities(
    cfg,
    (Object.keys(ALERT_COMPONENTS) as AlertComponent[]).map((c) => [
      c,
      applyForOverrides(cfg, ALERT_COMPONENTS[c](cfg)),
    ]),
  );
}

export function alertSpecs(cfg: MixinConfig): AlertSpec[] {
  return alertSpecsByComponent(cfg).flatMap(([, s]) => s);
}

export function alertGroups(cfg: MixinConfig, panels: PanelIds = {}): RuleGroup<AlertingRule>[] {
  return alertSpecsByComponent(cfg).map(([c, specs]) => ({
    name: `voting-${c}-alerts`,
    interval: cfg.prometheus.evaluationInterval,
    rules: specs.map((s) => toAlertingRule(cfg, s, panels)),
  }));
}

/** All groups in evaluation-safe order: recording rules before the alerts that read them. */
export function ruleGroups(cfg: MixinConfig, panels: PanelIds = {}): RuleGroup[] {
  return [...recordingGroups(cfg), ...alertGroups(cfg, panels)];
}
