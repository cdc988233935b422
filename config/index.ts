// The contract every other folder builds on: config, metric catalog, recording names, PromQL helpers.

export { ConfigError, checkConfig, formatPath, parsePath } from './config-check.js';
export { checkConfigShape, configSchema, parseConfigText, parseConfigValue } from './config-file.js';
export { defineConfig } from './define-config.js';
export * from './matchers.js';
// The catalog, without `def`: entries are made here only (instrumentation accepts nothing else).
export {
  type AnyMetric,
  allMetrics,
  BATCH_SIZE_BUCKETS,
  type CatalogMetric,
  type CatalogMetricName,
  type CatalogMetricNamed,
  DB_BUCKETS,
  HTTP_DURATION_BUCKETS,
  type MetricDef,
  type MetricKey,
  type MetricSource,
  type Metrics,
  type MetricType,
  MIXIN_LABEL,
  metrics,
  metricsFor,
  PROCESSING_BUCKETS,
  seriesIndex,
  seriesNames,
  type Unit,
} from './metrics.js';
export { REDIS_EXPORTER_NAMES } from './metrics-redis.js';
export * from './mixin-config.js';
export * from './promql.js';
export * from './recordings.js';
