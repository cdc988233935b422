/**
 * Switching checks off: `--disable ID` (an id, an area such as `lint`, or `all`) and inline
 * `# voting-mixin-disable ID[,ID]` comments on the finding's line or the line above.
 */
import type { Finding } from './finding.js';
import type { LazySource } from './source/yaml-source.js';

const COMMENT = /#\s*voting-mixin-disable(?:-line|-next-line)?\s+([A-Za-z0-9_/,\s-]+)/;

export function idMatches(id: string, pattern: string): boolean {
  return pattern === 'all' || id === pattern || id.startsWith(`${pattern}/`);
}

export function applyDisables(
  findings: Finding[],
  disabled: readonly string[],
  sources: ReadonlyMap<string, LazySource>,
): Finding[] {
  const starts = new Map<string, number[]>();
  return findings.filter((f) => {
    if (disabled.some((d) => idMatches(f.id, d))) return false;
    const src = f.file ? sources.get(f.file) : undefined;
    if (!src || !f.position) return true;
    let ls = starts.get(src.file);
    if (!ls) {
      ls = lineStarts(src.text);
      starts.set(src.file, ls);
    }
    for (const line of [f.position.line, f.position.line - 1]) {
      const text = lineText(src.text, ls, line);
      const m = text && COMMENT.exec(text);
      if (m?.[1]?.split(/[\s,]+/).some((d) => d && idMatches(f.id, d))) return false;
    }
    return true;
  });
}

/** Offsets where lines start, as yaml's LineCounter counts them (after each \n). */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function lineText(text: string, starts: number[], line: number): string | undefined {
  const s = starts[line - 1];
  if (s === undefined || line < 1) return undefined;
  const e = starts[line] ?? text.length;
  return text.slice(s, e);
}
