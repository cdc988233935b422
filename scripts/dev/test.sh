#!/usr/bin/env bash
# `npm test`: the real tools, the type-check, the linter, the build, then every test. One line per
# phase on stderr so a long run (the e2e files take minutes) shows where it is; the last line is
# vitest's totals (`Tests: N passed, N failed, N skipped`), which CI reads.
set -euo pipefail
cd "$(dirname "$0")/../.."
step() { printf 'npm test: [%s] %s\n' "$1" "$2" >&2; }
step 1/5 'Debian tools (promtool, Prometheus, Alertmanager, redis-server, ...) and the shared PostgreSQL/Redis'
bash scripts/dev/ensure-tools.sh
step 2/5 'type-check of everything, tests included (tsc -p tsconfig.check.json)'
npx tsc -p tsconfig.check.json
step 3/5 'lint: biome and the house rules'
npm run --silent lint
step 4/5 'compile: library, exporter, reference app, dev tools (tsc -b)'
npm run --silent compile
step 5/5 'tests (vitest; test/e2e and test/package take a few minutes)'
npx vitest run
node scripts/dev/test-summary.mjs
