/**
 * The library API: `import { defineConfig, voteDashboard } from 'voting-mixin'`.
 * Re-exports only; each folder's index says what it offers.
 */
export * from './config/index.js';
export * from './dashboards/index.js';
export * from './alerts/index.js';
export { lintDashboard, DASHBOARD_RULES, type LintOptions } from './validate/dashboard/index.js';
export type { Finding, Severity, Position } from './validate/finding.js';
