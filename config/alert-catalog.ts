/**
 * The names a config may refer to in `alertmanager.policies`: every alert the mixin generates (with
 * the severities its rules carry as written in alerts/*.ts) and the receivers the generated
 * Alertmanager config defines. It lives here, not in alerts/, so `checkConfig` can name the valid
 * alerts without importing the builders (which import the config); alerts/policies.test.ts proves
 * it equals what the builders generate.
 */

export type CatalogSeverity = 'critical' | 'warning' | 'info';

export const ALERT_SEVERITIES: Readonly<Record<string, readonly CatalogSeverity[]>> = {
  VoteHighErrorRatio: ['warning', 'critical'],
  VoteHighLatency: ['warning', 'critical'],
  VoteNoTraffic: ['warning'],
  VoteInstanceDown: ['warning'],
  VoteAvailabilityErrorBudgetBurn: ['critical', 'warning'],
  VoteLatencyErrorBudgetBurn: ['critical', 'warning'],
  ResultInstanceDown: ['warning'],
  ResultDatabaseUnavailable: ['warning'],
  RedisDown: ['critical'],
  RedisMemoryHigh: ['warning', 'critical'],
  RedisRejectedConnections: ['warning'],
  RedisTooManyClients: ['warning'],
  RedisRestarted: ['info'],
  RedisKeysEvicted: ['critical'],
  RedisMemoryFragmentationHigh: ['warning'],
  RedisRdbBgsaveFailed: ['critical'],
  RedisAofWriteFailed: ['critical'],
  RedisReplicationBroken: ['warning'],
  RedisReplicaLagHigh: ['warning'],
  QueueBacklogHigh: ['warning', 'critical'],
  QueueBacklogHighAveraged: ['critical'],
  QueueGrowing: ['warning'],
  QueueOldestItemTooOld: ['warning', 'critical'],
  QueueProcessingStuck: ['warning'],
  WorkerDown: ['critical'],
  WorkerAbsent: ['critical'],
  WorkerStalled: ['critical'],
  WorkerHighFailureRatio: ['warning', 'critical'],
  WorkerSlowProcessing: ['warning'],
  WorkerDbPoolExhausted: ['warning'],
  PostgresDown: ['critical'],
  PostgresTooManyConnections: ['warning'],
  PostgresDatabaseGrowingFast: ['warning'],
  ExporterScrapeErrors: ['warning'],
  ExporterSlowScrape: ['warning'],
  MonitoringTargetDown: ['warning'],
};

/** The receiver each severity routes to by default. */
export const SEVERITY_RECEIVERS = {
  critical: 'critical-pager',
  warning: 'warning-chat',
  info: 'null',
} as const satisfies Record<CatalogSeverity, string>;

/**
 * A receiver per configured integration, for a policy that wants exactly one (e.g. failed jobs by
 * email only); generated only when a policy names it, valid only when that integration is configured.
 */
export const INTEGRATION_RECEIVERS = ['webhook', 'slack', 'email'] as const;
export type IntegrationReceiver = (typeof INTEGRATION_RECEIVERS)[number];

/** The no-op receiver: routes end there when no integration is configured. */
export const NULL_RECEIVER = SEVERITY_RECEIVERS.info;
