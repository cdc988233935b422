/**
 * `voting-mixin verify --format json` over a running Stack, in process, for the e2e tests that
 * judge a live stack (verify-healthy, faults): exit code, the parsed report, stderr, and the
 * findings and quiet entries as one readable block for assertion messages.
 */
import { PassThrough } from 'node:stream';
import { verifyCommand } from '../../scripts/commands/verify.js';
import type { Stack } from '../../scripts/dev/stack/stack.js';

export interface VerifyReport {
  stats: {
    emptyPanels: number;
    unknownMetrics: number;
    errors: number;
    panelTargets: number;
    rules: number;
    quiet: Array<{ context: string; reason: string }>;
  };
  findings: Array<{ id: string; severity: string; message: string; context?: string }>;
}

export async function runVerify(stack: Stack, ...extra: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d));
  err.on('data', (d: Buffer) => (stderr += d));
  const code = await verifyCommand.run(
    ['--prometheus', stack.urls.prometheus, '--dist', stack.dist, '--format', 'json', ...extra],
    { stdout: out, stderr: err, cwd: stack.root, env: {} },
  );
  const report = JSON.parse(stdout) as VerifyReport;
  const show = [
    ...report.findings.map((f) => `${f.severity} ${f.id} ${f.context ?? ''}: ${f.message}`),
    ...report.stats.quiet.map((q) => `quiet ${q.context}: ${q.reason}`),
  ].join('\n');
  return { code, report, stderr, show };
}
