/**
 * Human-readable findings: grouped by file, `file:line:col severity id message`, the source line
 * and a caret under the column when known, colour only on a TTY.
 */
import { type Finding, formatLocation } from '../finding.js';

const colours = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function formatHuman(findings: readonly Finding[], opts: { colour?: boolean } = {}): string {
  const c = (k: keyof typeof colours, s: string) => (opts.colour ? `${colours[k]}${s}${colours.reset}` : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.file ?? '';
    const list = byFile.get(key);
    if (list) list.push(f);
    else byFile.set(key, [f]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    if (file) out.push(c('dim', file));
    for (const f of list) {
      const loc = formatLocation(f);
      out.push(`${loc ? `${loc}: ` : ''}${c(f.severity, f.severity)} ${printable(f.message)} ${c('dim', `[${f.id}]`)}`);
      if (f.context) out.push(`  ${c('dim', `in ${f.context}`)}`);
      if (f.sourceLine !== undefined && f.position) {
        // Tabs keep their width in the caret line so the caret stays under the column.
        // Control characters (binary junk in a .yml) would drive the terminal: shown as `?`, one
        // for one, so the caret keeps its column.
        const line = (f.sourceLine.length > 200 ? f.sourceLine.slice(0, 200) : f.sourceLine).replace(CONTROL, '?');
        out.push(`  ${line}`);
        const room = Math.max(1, line.length - f.position.column + 1);
        const width = Math.min(
          room,
          Math.max(1, f.endPosition?.line === f.position.line ? f.endPosition.column - f.position.column : 1),
        );
        const pad = line.slice(0, Math.max(0, f.position.column - 1)).replace(/[^\t]/g, ' ');
        out.push(`  ${pad}${c(f.severity, '^'.repeat(width))}`);
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

/** `2 errors, 1 warning in 3 of 12 files`, coloured when asked. */
export function summarizeRun(findings: readonly Finding[], files: number, opts: { colour?: boolean } = {}): string {
  const withFindings = new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.file)).size;
  // "12 files checked: 2 errors in 1 file" — never "in 0 of 12 files", which reads as nothing checked.
  const checked = `${files} file${files === 1 ? '' : 's'} checked`;
  const text = withFindings
    ? `${checked}: ${summarizeFindings(findings)} in ${withFindings} file${withFindings === 1 ? '' : 's'}`
    : `${checked}: ${summarizeFindings(findings)}`;
  if (!opts.colour) return text;
  const colour = findings.some((f) => f.severity === 'error')
    ? colours.error
    : findings.some((f) => f.severity === 'warning')
      ? colours.warning
      : '\x1b[32m';
  return `${colour}${text}${colours.reset}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is escaped.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A message quoting the user's bytes, with control characters made visible. */
const printable = (s: string): string =>
  s.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
