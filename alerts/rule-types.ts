/**
 * The Prometheus rule model, typed. Builders return these objects; only artifacts.ts turns them
 * into YAML, so a rule can never be an untyped string blob.
 */
import type { Duration } from '../config/promql.js';

export type AlertSeverity = 'critical' | 'warning' | 'info';

export interface AlertingRule {
  alert: string;
  expr: string;
  for: Duration;
  keep_firing_for?: Duration;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup<R extends Rule = Rule> {
  name: string;
  interval?: Duration;
  rules: R[];
}

export const isAlertingRule = (r: Rule): r is AlertingRule => 'alert' in r;
