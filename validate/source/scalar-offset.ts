/**
 * Maps an offset in a YAML scalar's decoded value back to the file: exact for plain and
 * block-literal scalars, best effort (greedy alignment over folding and escapes) for folded and
 * quoted ones.
 */
import { Scalar } from 'yaml';

export function scalarSourceOffset(text: string, node: Scalar, offset: number): number {
  const [start, end] = node.range ?? [0, 0];
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const off = Math.max(0, Math.min(offset, value.length));
  if (node.type === Scalar.BLOCK_LITERAL) return blockLiteralOffset(text, start, end, value, off);
  let s = start;
  if (node.type === Scalar.BLOCK_FOLDED) s = text.indexOf('\n', start) + 1 || end;
  else if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) s = start + 1;
  const quote = node.type === Scalar.QUOTE_DOUBLE ? 'd' : node.type === Scalar.QUOTE_SINGLE ? 's' : '';
  let i = 0;
  while (i < off && s < end) {
    const sc = text[s];
    if (quote === 'd' && sc === '\\') {
      s += escapeLength(text, s);
      i++;
      continue;
    }
    if (quote === 's' && sc === "'" && text[s + 1] === "'") {
      s += 2;
      i++;
      continue;
    }
    if (sc === value[i]) {
      s++;
      i++;
    } else if (sc === ' ' || sc === '\t' || sc === '\n' || sc === '\r') {
      s++;
    } else {
      // Out of step (an escape we do not model): keep both moving.
      s++;
      i++;
    }
  }
  // Skip folding whitespace so the caret lands on the character itself.
  while (
    s < end &&
    (text[s] === '\n' || text[s] === '\r' || ((text[s] === ' ' || text[s] === '\t') && value[i] !== text[s]))
  )
    s++;
  return s;
}

function escapeLength(text: string, s: number): number {
  const c = text[s + 1];
  if (c === 'x') return 4;
  if (c === 'u') return 6;
  if (c === 'U') return 10;
  if (c === '\n' || c === '\r') {
    let n = 2;
    while (text[s + n] === ' ' || text[s + n] === '\t') n++;
    return n;
  }
  return 2;
}

/** `|` blocks: every content line is the value line plus a fixed indentation. */
function blockLiteralOffset(text: string, start: number, end: number, value: string, off: number): number {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return start;
  const header = text.slice(start, headerEnd);
  void header; // explicit indentation indicators are rare; the first content line's indent is the rule
  let lineStart = headerEnd + 1;
  const indent = firstIndent(text, lineStart, end);
  const before = value.slice(0, off);
  const line = before.split('\n').length - 1;
  const col = off - (before.lastIndexOf('\n') + 1);
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', lineStart);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return Math.min(lineStart + indent + col, text.length);
}

function firstIndent(text: string, from: number, end: number): number {
  let s = from;
  while (s < end) {
    let n = 0;
    while (text[s + n] === ' ') n++;
    if (text[s + n] !== '\n' && text[s + n] !== '\r') return n;
    s += n + 1;
  }
  return 0;
}
