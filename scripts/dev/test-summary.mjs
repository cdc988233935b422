// Prints vitest's totals as one plain closing line (`Tests: N passed, N failed, N skipped`), which
// CI reads to know tests really ran. vitest writes the JSON report (vitest.config.ts).
import { readFileSync } from 'node:fs';

const report = JSON.parse(
  readFileSync(new URL('../../node_modules/.cache/voting-mixin/test-results.json', import.meta.url), 'utf8'),
);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
process.stdout.write(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped\n`);
process.exitCode = report.numTotalTests > 0 && report.numFailedTests === 0 ? 0 : 1;
