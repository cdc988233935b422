import { defineConfig } from 'vitest/config';

// Tests talk to real Redis, PostgreSQL, promtool and Prometheus: generous timeouts, and
// files run in parallel only up to the two cores this machine has.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'build/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    // The JSON report feeds scripts/test-summary.mjs, which prints the closing line CI reads.
    reporters: ['default', ['json', { outputFile: 'build/test-results.json' }]],
  },
});
