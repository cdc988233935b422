// Alerting and recording rules, Alertmanager config, promtool tests and runbooks: pure builders.

export type { AlertSpec, InputSeries, Probe, RunbookContent } from './alert-spec.js';
export { alertmanagerConfig, RECEIVERS } from './alertmanager.js';
export { alertArtifacts, checkAlertArtifacts } from './artifacts.js';
export { applyForOverrides, dashboardUrl, runbookUrl, toAlertingRule } from './conventions.js';
export { exporterAlerts } from './exporter.js';
export { type AlertComponent, alertGroups, alertSpecs, alertSpecsByComponent, ruleGroups } from './groups.js';
export { alertmanagerSecret, prometheusRule } from './kubernetes.js';
export { prometheusConfig } from './prometheus-config.js';
export { queueAlerts } from './queue.js';
export { healthScoreExpr, recordingGroups, recordingRules } from './recording.js';
export { redisAlerts } from './redis.js';
export type { AlertingRule, AlertSeverity, RecordingRule, Rule, RuleGroup } from './rule-types.js';
export { runbooks } from './runbooks.js';
export { scenarioSuites } from './scenarios.js';
export { burnFactor, PAGE_WINDOWS, sloAlerts, TICKET_WINDOWS } from './slo.js';
export { generatedSuites } from './tests.js';
export { voteAlerts } from './vote.js';
export { workerAlerts } from './worker.js';
