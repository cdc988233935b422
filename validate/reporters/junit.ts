/** `--format junit`: one testsuite per file, one failing testcase per error or warning (CI test tabs). */
import { type Finding, formatLocation, type Severity, severityRank } from '../finding.js';

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they are what this strips.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * Findings at or above `failOn` (the run's --fail-on, default error) are failing test cases; the
 * rest are listed in the suite's system-out, so a run that exits 0 shows no red tests.
 */
export function formatJunit(
  findings: readonly Finding[],
  files: readonly string[],
  failOn: Severity = 'error',
): string {
  const byFile = new Map<string, Finding[]>(files.map((f) => [f, []]));
  for (const f of findings) {
    const k = f.file ?? '(set)';
    byFile.set(k, [...(byFile.get(k) ?? []), f]);
  }
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const [file, list] of byFile) {
    const failing = list.filter((f) => severityRank[f.severity] >= severityRank[failOn]);
    const noted = list.filter((f) => severityRank[f.severity] < severityRank[failOn]);
    total += Math.max(1, failing.length);
    failures += failing.length;
    const cases = failing.length
      ? failing.map(
          (f) =>
            `    <testcase classname="${xml(file)}" name="${xml(`${f.id} ${formatLocation(f)}`)}">\n      <failure type="${xml(f.severity)}" message="${xml(f.message)}">${xml(`${formatLocation(f)}: ${f.message}${f.context ? `\nin ${f.context}` : ''}`)}</failure>\n    </testcase>`,
        )
      : [`    <testcase classname="${xml(file)}" name="valid"/>`];
    suites.push(
      `  <testsuite name="${xml(file)}" tests="${Math.max(1, failing.length)}" failures="${failing.length}">\n${cases.join('\n')}${
        noted.length
          ? `\n    <system-out>${xml(noted.map((f) => `${f.severity} ${formatLocation(f)}: ${f.message} [${f.id}]`).join('\n'))}</system-out>`
          : ''
      }\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="voting-mixin validate" tests="${total}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>`;
}
