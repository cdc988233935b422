// The contract every other folder builds on: config, metric catalog, recording names, PromQL helpers.
export * from './mixin-config.js';
export { ConfigError, checkConfig, formatPath, parsePath } from './config-check.js';
export { configSchema } from './config-schema.js';
export { parseConfigText } from './config-file.js';
export * from './metrics.js';
export * from './recordings.js';
export * from './promql.js';
export * from './matchers.js';
