/**
 * Maps a finding's JSON path (and offset inside a string value) to a line and column in the JSON
 * text, so `file:line:col` points at the character in the query that is wrong. A small scanner
 * rather than a full parser: it only descends along the requested path.
 */
import { type Finding, type Position, positionAt } from '../finding.js';

function skipWs(t: string, i: number): number {
  while (i < t.length && /\s/.test(t[i]!)) i++;
  return i;
}

/** End (exclusive) of the JSON value starting at `i`. */
function skipValue(t: string, i: number): number {
  const c = t[i];
  if (c === '"') {
    for (let j = i + 1; j < t.length; j++) {
      if (t[j] === '\\') j++;
      else if (t[j] === '"') return j + 1;
    }
    return t.length;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const d = t[j];
      if (d === '"') j = skipValue(t, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') if (--depth === 0) return j + 1;
    }
    return t.length;
  }
  let j = i;
  while (j < t.length && !/[\s,}\]]/.test(t[j]!)) j++;
  return j;
}

/** Offset of the value at `path`, or of the deepest ancestor found. */
function valueOffset(t: string, path: ReadonlyArray<string | number>): number {
  let i = skipWs(t, 0);
  for (const seg of path) {
    const c = t[i];
    let found = -1;
    if (c === '{' && typeof seg === 'string') {
      let j = skipWs(t, i + 1);
      while (j < t.length && t[j] === '"') {
        const keyEnd = skipValue(t, j);
        const key = JSON.parse(t.slice(j, keyEnd)) as string;
        const v = skipWs(t, skipWs(t, keyEnd) + 1);
        if (key === seg) {
          found = v;
          break;
        }
        j = skipWs(t, skipValue(t, v));
        if (t[j] === ',') j = skipWs(t, j + 1);
      }
    } else if (c === '[' && typeof seg === 'number') {
      let j = skipWs(t, i + 1);
      for (let n = 0; j < t.length && t[j] !== ']'; n++) {
        if (n === seg) {
          found = j;
          break;
        }
        j = skipWs(t, skipValue(t, j));
        if (t[j] === ',') j = skipWs(t, j + 1);
      }
    }
    if (found < 0) return i;
    i = found;
  }
  return i;
}

/** Line and column of `path` (plus `offset` characters into its string value) in `text`. */
export function locateJsonPath(text: string, path: ReadonlyArray<string | number>, offset?: number): Position {
  const at = valueOffset(text, path);
  if (offset === undefined || text[at] !== '"') return positionAt(text, at);
  const raw = text.slice(at, skipValue(text, at));
  let value: string;
  try {
    value = JSON.parse(raw) as string;
  } catch {
    return positionAt(text, at);
  }
  // Escapes make the text longer than the value: measure the escaped prefix.
  const prefix = JSON.stringify(value.slice(0, offset)).length - 1;
  return positionAt(text, at + prefix);
}

/** Adds `position` (and the source line) to findings that carry a path into `text`. */
export function withPositions(findings: Finding[], text: string): Finding[] {
  const lines = text.split('\n');
  return findings.map((f) => {
    if (!f.path || f.position) return f;
    const position = locateJsonPath(text, f.path, f.offset);
    return { ...f, position, sourceLine: lines[position.line - 1] };
  });
}
