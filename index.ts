/**
 * The library API: `import { defineConfig, voteDashboard } from 'voting-mixin'`.
 * Re-exports only; each folder's index says what it offers.
 */

export * from './alerts/index.js';
export * from './config/index.js';
export * from './dashboards/index.js';
export { DASHBOARD_RULES, type LintOptions, lintDashboard } from './validate/dashboard/index.js';
export type { Finding, Position, Severity } from './validate/finding.js';
