/**
 * Human-readable findings: grouped by file, `file:line:col severity id message`, the source line
 * and a caret under the column when known, colour only on a TTY.
 */
import { formatLocation, type Finding } from '../finding.js';

const colours = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function formatHuman(findings: readonly Finding[], opts: { colour?: boolean } = {}): string {
  const c = (k: keyof typeof colours, s: string) => (opts.colour ? `${colours[k]}${s}${colours.reset}` : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.file ?? '';
    byFile.set(key, [...(byFile.get(key) ?? []), f]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    if (file) out.push(c('dim', file));
    for (const f of list) {
      const loc = formatLocation(f);
      out.push(`${loc ? `${loc}: ` : ''}${c(f.severity, f.severity)} ${f.message} ${c('dim', `[${f.id}]`)}`);
      if (f.context) out.push(`  ${c('dim', `in ${f.context}`)}`);
      if (f.sourceLine !== undefined && f.position) {
        out.push(`  ${f.sourceLine}`);
        const width = Math.max(1, (f.endPosition?.line === f.position.line ? f.endPosition.column - f.position.column : 1));
        out.push(`  ${' '.repeat(Math.max(0, f.position.column - 1))}${c(f.severity, '^'.repeat(width))}`);
      }
    }
  }
  return out.join('\n');
}

/** `3 errors, 1 warning` */
export function summarizeFindings(findings: readonly Finding[]): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}
