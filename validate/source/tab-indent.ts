/**
 * A tab where a block scalar's indentation is: `yaml` and js-yaml read it as content, but libyaml
 * (go-yaml, which Prometheus and Alertmanager load with) refuses the file: "found a tab character
 * where an indentation space is expected". Typically an expression pasted under `expr: |` with a
 * tab. Checked only in files that have a tab at all.
 */
import { type Finding, positionAt } from '../finding.js';

/** A block scalar header at the end of a line: `key: |`, `- >-`, `key: |2 # note`. */
const HEADER = /(?:^|:\s+|-\s+)[|>]([1-9])?[+-]?([1-9])?\s*(?:#.*)?$/;

export function tabIndentFindings(file: string, text: string): Finding[] {
  if (!text.includes('\t')) return [];
  const lines = text.split('\n');
  const out: Finding[] = [];
  let offset = 0;
  const starts = lines.map((l) => {
    const s = offset;
    offset += l.length + 1;
    return s;
  });
  for (let i = 0; i < lines.length; i++) {
    const header = HEADER.exec(lines[i]!.replace(/\r$/, ''));
    if (!header) continue;
    const parent = /^ */.exec(lines[i]!)![0].length;
    const digit = Number(header[1] ?? header[2] ?? 0);
    let indent = digit ? parent + digit : 0;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!.replace(/\r$/, '');
      const sp = /^ */.exec(line)![0].length;
      const next = line[sp];
      const blank = line.trim() === '';
      if ((indent === 0 || sp < indent) && next === '\t') {
        out.push({
          id: 'syntax/yaml',
          severity: 'error',
          file,
          message:
            'found a tab character where an indentation space is expected: Prometheus and Alertmanager refuse the file (indent block scalars with spaces)',
          position: positionAt(text, starts[j]! + sp),
          sourceLine: line,
        });
        break;
      }
      if (blank) continue;
      if (indent === 0) {
        if (sp <= parent) break;
        indent = sp;
      } else if (sp < indent) break;
    }
  }
  return out;
}
