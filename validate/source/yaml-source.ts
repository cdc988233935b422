/**
 * One parse of a YAML (or JSON) file with positions, shared by every check. Nodes keep their
 * byte ranges; line:col is computed only when a finding needs it (LineCounter is a binary
 * search), so a clean 10,000-rule file pays nothing for positions it never prints.
 */
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseAllDocuments,
  visit,
  type YAMLMap,
} from 'yaml';
import type { Finding, Position } from '../finding.js';
import { expandMerges } from './merge-keys.js';
import { scalarSourceOffset } from './scalar-offset.js';

export interface SourceFile {
  file: string;
  text: string;
  lineCounter: LineCounter;
  docs: Document.Parsed[];
  /** The `syntax/yaml` findings of each document (same order as `docs`). */
  docFindings: Finding[][];
}

export interface Located {
  position: Position;
  endPosition?: Position;
  sourceLine: string;
}

/**
 * Parses every document in `text` (never throws). YAML errors become `syntax/yaml` findings, kept
 * per document too (`docFindings`): Prometheus never reads the documents after the first of a
 * rule file, so an error there is not an error to it. Merge keys are applied as go-yaml applies
 * them (merge-keys.ts).
 */
export function parseSource(file: string, text: string): { source: SourceFile; findings: Finding[] } {
  const lineCounter = new LineCounter();
  const findings: Finding[] = [];
  let docs: Document.Parsed[] = [];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      logLevel: 'error',
      merge: true,
    }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [];
  } catch (e) {
    findings.push({ id: 'syntax/yaml', severity: 'error', file, message: `cannot parse: ${(e as Error).message}` });
  }
  const source: SourceFile = { file, text, lineCounter, docs, docFindings: [] };
  for (const doc of docs) {
    const own: Finding[] = [];
    const add = (message: string, from: number, to: number) =>
      own.push({ id: 'syntax/yaml', severity: 'error', file, message, ...locateOffset(source, from, to) });
    for (const err of doc.errors) add(err.message.split('\n')[0] ?? err.message, err.pos[0], err.pos[1]);
    if (!doc.errors.length) for (const err of expandMerges(doc)) add(err.message, err.from, err.to);
    // An alias to an anchor never set: every YAML loader refuses the file (go-yaml: "unknown anchor
    // 'x' referenced"); `yaml` parses it and fails only when values are read. Only files with `*`.
    if (!doc.errors.length && text.includes('*'))
      visit(doc, {
        Alias(_, node) {
          if (node.resolve(doc) === undefined)
            add(`unknown anchor '${node.source}' referenced`, node.range?.[0] ?? 0, node.range?.[1] ?? 0);
        },
      });
    source.docFindings.push(own);
    findings.push(...own);
  }
  return { source, findings };
}

/** What placing an offset needs: the text and its line starts. */
export type Lines = Pick<SourceFile, 'text' | 'lineCounter'>;

/** Line starts of `text` as yaml's LineCounter records them, without parsing it. */
export function countLines(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

/** Position, end and source line of a file offset range. */
export function locateOffset(source: Lines, from: number, to?: number): Located {
  const at = Math.max(0, Math.min(from, source.text.length));
  const p = source.lineCounter.linePos(at);
  const lineStart = source.lineCounter.lineStarts[p.line - 1] ?? 0;
  let lineEnd = source.text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = source.text.length;
  const out: Located = {
    position: { line: p.line, column: p.col },
    sourceLine: source.text.slice(lineStart, lineEnd).replace(/\r$/, ''),
  };
  if (to !== undefined && to > at) {
    const e = source.lineCounter.linePos(Math.min(to, source.text.length));
    out.endPosition = { line: e.line, column: e.col };
  }
  return out;
}

/** The node at a JSON-pointer-like path inside one document (map keys, seq indexes). */
export function nodeAtPath(doc: Document | undefined, path: ReadonlyArray<string | number>): Node | undefined {
  return nodeBelow(doc, doc?.contents, path);
}

/** The node at `path` below `root` (aliases resolved through `doc`). */
function nodeBelow(doc: Document | undefined, root: unknown, path: ReadonlyArray<string | number>): Node | undefined {
  let node: unknown = root;
  for (const seg of path) {
    // Values reached through an alias are the anchor's nodes: positions point at its text.
    if (isAlias(node) && doc) node = node.resolve(doc);
    if (isMap(node)) node = pairFor(node, String(seg))?.value;
    else if (isSeq(node)) node = node.items[Number(seg)];
    else return undefined;
  }
  if (isAlias(node) && doc) node = node.resolve(doc);
  return (node ?? undefined) as Node | undefined;
}

export function pairFor(map: YAMLMap, key: string): Pair | undefined {
  for (const item of map.items) {
    const k = item.key;
    // A collection as a key never names a field (and stringifying one runs yaml's toJS, which
    // throws on a broken merge inside it).
    if (isScalar(k) ? String(k.value) === key : !isNode(k) && String(k) === key) return item as Pair;
  }
  return undefined;
}

/**
 * File position of a node, or of `offset` characters into a scalar's decoded value (a PromQL
 * error column inside `expr: |`, for instance).
 */
export function locateNode(
  source: Lines,
  node: Node | undefined | null,
  offset?: number,
  length?: number,
): Located | undefined {
  if (!node?.range) return undefined;
  const [from, to] = nodeRange(source.text, node, offset, length);
  return locateOffset(source, from, to);
}

/** The offsets `locateNode` places: the node's range, or chars inside a scalar's value. */
export function nodeRange(text: string, node: Node, offset?: number, length?: number): [number, number | undefined] {
  if (offset !== undefined && isScalar(node)) {
    const from = scalarSourceOffset(text, node, offset);
    return [from, length ? scalarSourceOffset(text, node, offset + length) : undefined];
  }
  return [node.range![0], node.range![1]];
}

/**
 * A node as a plain value for the path-based checks: keys named as `pairFor` finds them again
 * (so every path maps back to its node), aliases resolved (as Prometheus's loader does) within
 * a budget that stops alias bombs.
 */
export function toPlain(node: unknown, doc: Document, budget = { aliases: 10_000 }): unknown {
  if (isScalar(node)) return node.value ?? null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const item of node.items) {
      const k = item.key;
      const key = isScalar(k) ? String(k.value) : isNode(k) ? '(a collection as key)' : String(k);
      const value = toPlain(item.value, doc, budget);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((n) => toPlain(n, doc, budget));
  if (isAlias(node)) {
    if (--budget.aliases < 0) throw new Error('too many alias expansions');
    return toPlain(node.resolve(doc), doc, budget);
  }
  return null;
}

/** What a path-based finding says about where it is: the value, its key, or chars inside it. */
export interface PathSpot {
  /** Point at the key of the last path segment instead of its value ("unknown field"). */
  key?: boolean;
  offset?: number;
  length?: number;
}

/** Position of `path` in document `docIndex` (nearest existing ancestor when it is missing). */
export function locatePath(
  source: SourceFile,
  docIndex: number,
  path: ReadonlyArray<string | number>,
  spot: PathSpot = {},
): Located | undefined {
  const doc = source.docs[docIndex];
  const at = spotNode(doc, doc?.contents as Node | undefined, 0, path, spot);
  return locateNode(source, at.node, at.offset, at.length);
}

/**
 * The node a path-based finding points at, searched below `root`, which sits at
 * `path.slice(0, rootDepth)` (the document's contents: 0): the key or value at `path`, or the
 * nearest existing ancestor when it is missing, and chars inside it.
 */
export function spotNode(
  doc: Document | undefined,
  root: Node | undefined,
  rootDepth: number,
  path: ReadonlyArray<string | number>,
  spot: PathSpot = {},
): { node: Node | undefined; offset?: number | undefined; length?: number | undefined } {
  const below = (p: ReadonlyArray<string | number>) => nodeBelow(doc, root, p.slice(rootDepth));
  if (spot.key && path.length > rootDepth) {
    const parent = below(path.slice(0, -1));
    const pair = isMap(parent) ? pairFor(parent, String(path[path.length - 1])) : undefined;
    if (pair?.key && (pair.key as Node).range) return { node: pair.key as Node };
  }
  let node = below(path);
  let at = path;
  while (!node && at.length > rootDepth) {
    at = at.slice(0, -1);
    node = at.length > rootDepth ? below(at) : root;
  }
  return { node, offset: at === path && !spot.key ? spot.offset : undefined, length: spot.length };
}

/**
 * A file's text with its positioned parse made on first use: clean files checked on the fast
 * path never pay for it; findings (and inline disables) ask for it.
 */
export class LazySource {
  private parsed?: { source: SourceFile; findings: Finding[] };
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  parse(): { source: SourceFile; findings: Finding[] } {
    this.parsed ??= parseSource(this.file, this.text);
    return this.parsed;
  }

  get source(): SourceFile {
    return this.parse().source;
  }

  /** Set by the fast path: places paths from a few lines instead of a whole-file parse. */
  pieces?: { locate(docIndex: number, path: ReadonlyArray<string | number>, spot?: PathSpot): Located | undefined };

  /** Position of a path-based finding: from a few lines when the fast path read the file, else the positioned parse. */
  locate(docIndex: number, path: ReadonlyArray<string | number>, spot: PathSpot = {}): Located | undefined {
    const quick = this.pieces?.locate(docIndex, path, spot);
    if (quick) return quick;
    const parsed = this.parse();
    return parsed.findings.length ? undefined : locatePath(parsed.source, docIndex, path, spot);
  }
}

/** Maps a Finding's `path` (+ `offset`) in document `docIndex` to position and source line. */
export function positionFinding(source: SourceFile, f: Finding, docIndex = 0): Finding {
  if (f.position || !f.path) return { ...f, file: f.file ?? source.file };
  const doc = source.docs[docIndex];
  let node = nodeAtPath(doc, f.path);
  let path = f.path;
  // Walk up to the nearest existing ancestor when the path names something missing.
  while (!node && path.length) {
    path = path.slice(0, -1);
    node = path.length ? nodeAtPath(doc, path) : (doc?.contents as Node | undefined);
  }
  const loc = locateNode(source, node, path === f.path ? f.offset : undefined);
  return { ...f, file: f.file ?? source.file, ...(loc ?? {}) };
}
