import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit`: quick feedback in seconds, without the Debian tools (promtool, Prometheus,
 * Alertmanager, redis-server), the shared PostgreSQL/Redis or a build. Everything else runs in
 * `npm test`. The list below names the files that need those; a new test file is a unit test
 * unless it is added here.
 */
export const needsToolsOrServices = [
  'test/e2e/**',
  'test/package/**',
  'test/compat/redis-dashboards.test.ts',
  'test/cli.test.ts',
  'test/validate/cli-inputs.test.ts',
  'test/validate/engine.test.ts',
  'test/validate/promtool-agreement.test.ts',
  'test/zero-ratios.test.ts',
  'test/postgres-live.test.ts',
  'test/selectors-promtool.test.ts',
  'test/cli-selectors.test.ts',
  'alerts/tools.test.ts',
  'dashboards/artifacts.test.ts',
  'validate/live/**',
  'exporters/redis-queue/collector.test.ts',
  'exporters/redis-queue/list-heads.test.ts',
  'exporters/redis-queue/main.test.ts',
  'exporters/redis-queue/version.test.ts',
  'reference-app/test/**',
  'reference-app/vote/redis-outage.test.ts',
  'reference-app/vote/vote-app.test.ts',
  'reference-app/worker/**',
  'reference-app/result/result-app.test.ts',
  'reference-app/result/main.test.ts',
  'reference-app/vote/fast-vote.test.ts',
  'scripts/dev/load/load.test.ts',
];

// Spread, not mergeConfig: mergeConfig appends arrays, which would run the reporters twice.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [...(base.test?.exclude ?? []), ...needsToolsOrServices],
    reporters: ['default'],
  },
});
