// Alerting and recording rules, Alertmanager config, promtool tests and runbooks: pure builders.
export type { AlertingRule, RecordingRule, Rule, RuleGroup, AlertSeverity } from './rule-types.js';
export type { AlertSpec, Probe, InputSeries, RunbookContent } from './alert-spec.js';
export { voteAlerts } from './vote.js';
export { sloAlerts, burnFactor, PAGE_WINDOWS, TICKET_WINDOWS } from './slo.js';
export { redisAlerts } from './redis.js';
export { queueAlerts } from './queue.js';
export { workerAlerts } from './worker.js';
export { exporterAlerts } from './exporter.js';
export { recordingRules, recordingGroups, healthScoreExpr } from './recording.js';
export { alertSpecs, alertSpecsByComponent, alertGroups, ruleGroups, type AlertComponent } from './groups.js';
export { applyForOverrides, toAlertingRule, runbookUrl, dashboardUrl } from './conventions.js';
export { alertmanagerConfig, RECEIVERS } from './alertmanager.js';
export { prometheusConfig } from './prometheus-config.js';
export { prometheusRule, alertmanagerSecret } from './kubernetes.js';
export { runbooks } from './runbooks.js';
export { generatedSuites } from './tests.js';
export { scenarioSuites } from './scenarios.js';
export { alertArtifacts, checkAlertArtifacts } from './artifacts.js';
