import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The package names the workspaces import, resolved to TypeScript sources (as tsconfig.check.json
 * does for the type-check): tests run without a build, and a test and the code under test share
 * one module instance (one `UsageError` class, one catalog).
 */
export const sourceAliases = [
  { find: /^voting-mixin$/, replacement: `${root}index.ts` },
  { find: /^voting-mixin\/(config|instrument|runtime)$/, replacement: `${root}$1/index.ts` },
  { find: /^@voting-mixin\/reference-app\/queue-item$/, replacement: `${root}reference-app/shared/queue-item.ts` },
  { find: /^@voting-mixin\/reference-app\/keys$/, replacement: `${root}reference-app/shared/keys.ts` },
  {
    find: /^@voting-mixin\/reference-app\/alert-receiver$/,
    replacement: `${root}reference-app/alert-receiver/webhook.ts`,
  },
];

// Tests talk to real Redis, PostgreSQL, promtool and Prometheus: generous timeouts, and
// files run in parallel only up to the two cores this machine has.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/build/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    // The JSON report feeds scripts/dev/test-summary.mjs, which prints the closing line CI reads.
    // Outside build/: that folder is what the package publishes.
    reporters: ['default', ['json', { outputFile: 'node_modules/.cache/voting-mixin/test-results.json' }]],
  },
});
