/**
 * Switching checks off: `--disable ID` (an id, an area such as `lint`, or `all`) and inline
 * `# voting-mixin-disable ID[,ID]` comments on the finding's line or the line above.
 */
import type { Finding } from './finding.js';
import type { SourceFile } from './source/yaml-source.js';

const COMMENT = /#\s*voting-mixin-disable(?:-line|-next-line)?\s+([A-Za-z0-9_/,\s-]+)/;

export function idMatches(id: string, pattern: string): boolean {
  return pattern === 'all' || id === pattern || id.startsWith(`${pattern}/`);
}

export function applyDisables(findings: Finding[], disabled: readonly string[], sources: ReadonlyMap<string, SourceFile>): Finding[] {
  return findings.filter((f) => {
    if (disabled.some((d) => idMatches(f.id, d))) return false;
    const src = f.file ? sources.get(f.file) : undefined;
    if (!src || !f.position) return true;
    for (const line of [f.position.line, f.position.line - 1]) {
      const text = lineText(src, line);
      const m = text && COMMENT.exec(text);
      if (m?.[1] && m[1].split(/[\s,]+/).some((d) => d && idMatches(f.id, d))) return false;
    }
    return true;
  });
}

function lineText(src: SourceFile, line: number): string | undefined {
  const starts = src.lineCounter.lineStarts;
  const s = starts[line - 1];
  if (s === undefined || line < 1) return undefined;
  const e = starts[line] ?? src.text.length;
  return src.text.slice(s, e);
}
