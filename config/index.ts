// The contract every other folder builds on: config, metric catalog, recording names, PromQL helpers.

export { ConfigError, checkConfig, formatPath, parsePath } from './config-check.js';
export { parseConfigText } from './config-file.js';
export { configSchema } from './config-schema.js';
export { defineConfig } from './define-config.js';
export * from './matchers.js';
export * from './metrics.js';
export * from './mixin-config.js';
export * from './promql.js';
export * from './recordings.js';
