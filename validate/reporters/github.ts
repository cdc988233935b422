/** `--format github`: workflow commands, so findings show as annotations on the pull request diff. */
import type { Finding } from '../finding.js';

const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        f.file && `file=${escProp(f.file)}`,
        f.position && `line=${f.position.line}`,
        f.position && `col=${f.position.column}`,
        f.endPosition && `endLine=${f.endPosition.line}`,
        f.endPosition && f.endPosition.line === f.position?.line && `endColumn=${f.endPosition.column}`,
        `title=${escProp(f.id)}`,
      ].filter(Boolean);
      return `::${level} ${props.join(',')}::${esc(f.context ? `${f.message} (in ${f.context})` : f.message)}`;
    })
    .join('\n');
}
