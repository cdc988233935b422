/** `--format json`: one object with the findings and a summary, stable for machines. */
import type { Finding } from '../finding.js';

export function formatJson(findings: readonly Finding[], files: readonly string[]): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const clean = findings.map(({ id, severity, message, file, position, endPosition, context }) => ({
    id,
    severity,
    message,
    file,
    position,
    endPosition,
    context,
  }));
  return JSON.stringify(
    { files: files.length, errors: count('error'), warnings: count('warning'), infos: count('info'), findings: clean },
    null,
    2,
  );
}
