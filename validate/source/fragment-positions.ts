/**
 * File positions for the fast path's findings without parsing the whole file a second time.
 * js-yaml's event stream (kept from the fast parse) says where each node starts; a finding in
 * rule 37 of group 5 needs only that rule's lines. Those lines, cut at line starts, are parsed
 * with `yaml` alone, and the finding is placed on that small tree exactly as the positioned path
 * would place it on the whole file's (same node ranges, shifted by where the cut starts). Where
 * the cut cannot be trusted (a flow collection, an anchor, a document that is not the last, the
 * piece parsing differently) `locate` answers `undefined` and the caller parses the whole file.
 */
import { EVENT_ID, type Event, getScalarValue, parseEvents, type ScalarEvent } from 'js-yaml';
import { type Document, isMap, isSeq, type Node, parseDocument } from 'yaml';
import type { ItemSpans } from './quick-yaml.js';
import {
  countLines,
  type Lines,
  type Located,
  locateOffset,
  nodeRange,
  type PathSpot,
  spotNode,
} from './yaml-source.js';

type Path = ReadonlyArray<string | number>;

const BLOCK = 1;

export class FragmentLocator {
  private docStarts: number[] = [];
  private lines?: Lines;
  private readonly pieces = new Map<string, Piece | null>();
  private events: readonly Event[] = [];
  private ready = false;

  /**
   * `events`: js-yaml's, when the file was read with it; else they are made on first use.
   * `quick`: the documents quick-yaml read and where their list items lie, tried first.
   */
  constructor(
    private readonly text: string,
    private readonly given?: readonly Event[],
    private readonly quick?: { docs: readonly unknown[]; spans: ItemSpans },
  ) {}

  /** The events and where each document starts; false when js-yaml cannot read the text. */
  private prepare(): boolean {
    if (!this.ready) {
      this.ready = true;
      try {
        this.events = this.given ?? parseEvents(this.text, {});
      } catch {
        this.events = [];
      }
      this.docStarts = [];
      this.events.forEach((e, i) => {
        if (e.type === EVENT_ID.DOCUMENT) this.docStarts.push(i);
      });
    }
    return this.events.length > 0;
  }

  /** Where the positioned path would place this finding, or undefined: parse the whole file. */
  locate(docIndex: number, path: Path, spot: PathSpot = {}): Located | undefined {
    return this.fromQuick(docIndex, path, spot) ?? this.fromEvents(docIndex, path, spot);
  }

  /** The same cut, found from quick-yaml's item spans: no events to make at all. */
  private fromQuick(docIndex: number, path: Path, spot: PathSpot): Located | undefined {
    if (!this.quick) return undefined;
    const chain: unknown[] = [this.quick.docs[docIndex]];
    let v = chain[0];
    for (const seg of path) {
      if (Array.isArray(v)) v = Number.isInteger(Number(seg)) && Number(seg) >= 0 ? v[Number(seg)] : undefined;
      else if (v !== null && typeof v === 'object' && Object.hasOwn(v, String(seg)))
        v = (v as Record<string, unknown>)[String(seg)];
      else v = undefined;
      if (v === undefined) break;
      chain.push(v);
    }
    const limit = spot.key ? path.length - 1 : path.length;
    for (let k = Math.min(chain.length - 1, limit); k > 0; k--) {
      const item = chain[k];
      const span = item !== null && typeof item === 'object' ? this.quick.spans.get(item) : undefined;
      if (!span) continue;
      const piece = this.piece(docIndex, path.slice(0, k).join('\u0000'), () => this.cutAt(span.start, span.end));
      return piece ? this.place(piece, k, path, spot) : undefined;
    }
    return undefined;
  }

  private fromEvents(docIndex: number, path: Path, spot: PathSpot): Located | undefined {
    if (!this.prepare()) return undefined;
    const chain = this.descend(docIndex, path);
    if (!chain) return undefined;
    // The deepest block mapping that is an item of a block list, at or above what is pointed at.
    const limit = spot.key ? path.length - 1 : path.length;
    let pick = -1;
    for (let k = chain.length - 1; k > 0; k--) {
      const e = this.events[chain[k]!]!;
      const parent = this.events[chain[k - 1]!]!;
      if (
        k <= limit &&
        e.type === EVENT_ID.MAPPING &&
        e.style === BLOCK &&
        e.anchorStart < 0 &&
        e.tagStart < 0 &&
        parent.type === EVENT_ID.SEQUENCE &&
        parent.style === BLOCK
      ) {
        pick = k;
        break;
      }
    }
    if (pick < 0) return undefined;
    const item = chain[pick]!;
    const piece = this.piece(docIndex, path.slice(0, pick).join('\u0000'), () => this.cut(docIndex, item));
    return piece ? this.place(piece, pick, path, spot) : undefined;
  }

  /** The finding placed on the piece's small tree, in file offsets. */
  private place(piece: Piece, depth: number, path: Path, spot: PathSpot): Located | undefined {
    const at = spotNode(piece.doc, piece.root, depth, path, spot);
    if (!at.node?.range) return undefined;
    const pieceText = this.text.slice(piece.base);
    const [from, to] = nodeRange(pieceText, at.node, at.offset, at.length);
    this.lines ??= { text: this.text, lineCounter: countLines(this.text) };
    return locateOffset(this.lines, from + piece.base, to === undefined ? undefined : to + piece.base);
  }

  /** Event indexes of the document's contents and of each node on `path` that exists. */
  private descend(docIndex: number, path: Path): number[] | undefined {
    const start = this.docStarts[docIndex];
    if (start === undefined) return undefined;
    const ev = this.events;
    let i = start + 1;
    if (ev[i]?.type === EVENT_ID.POP) return undefined;
    const chain = [i];
    for (const seg of path) {
      const e = ev[i]!;
      let next = -1;
      if (e.type === EVENT_ID.MAPPING) {
        for (let j = i + 1; ev[j]!.type !== EVENT_ID.POP; ) {
          const key = ev[j]!;
          const value = this.skip(j);
          if (key.type === EVENT_ID.SCALAR && getScalarValue(this.text, key as ScalarEvent) === String(seg)) {
            next = value;
            break;
          }
          j = this.skip(value);
        }
      } else if (e.type === EVENT_ID.SEQUENCE) {
        const n = Number(seg);
        let j = i + 1;
        for (let left = Number.isInteger(n) && n >= 0 ? n : -1; left > 0 && ev[j]!.type !== EVENT_ID.POP; left--)
          j = this.skip(j);
        if (Number.isInteger(n) && n >= 0 && ev[j]!.type !== EVENT_ID.POP) next = j;
      }
      if (next < 0) break;
      i = next;
      chain.push(i);
    }
    return chain;
  }

  /** The index after the node that starts at event `i`. */
  private skip(i: number): number {
    const t = this.events[i]!.type;
    if (t !== EVENT_ID.MAPPING && t !== EVENT_ID.SEQUENCE) return i + 1;
    let depth = 1;
    let j = i + 1;
    while (depth > 0) {
      const u = this.events[j++]!.type;
      if (u === EVENT_ID.MAPPING || u === EVENT_ID.SEQUENCE) depth++;
      else if (u === EVENT_ID.POP) depth--;
    }
    return j;
  }

  /** A piece, cut and parsed once per list item. */
  private piece(docIndex: number, key: string, make: () => Piece | undefined): Piece | undefined {
    const cacheKey = `${docIndex}\u0001${key}`;
    if (this.pieces.has(cacheKey)) return this.pieces.get(cacheKey) ?? undefined;
    const made = make();
    this.pieces.set(cacheKey, made ?? null);
    return made;
  }

  /** Where the list item whose mapping starts at event `i` ends: the next content's line. */
  private cut(docIndex: number, i: number): Piece | undefined {
    const text = this.text;
    let j = this.skip(i);
    while (j < this.events.length && this.events[j]!.type === EVENT_ID.POP) j++;
    let end: number;
    const next = this.events[j];
    if (!next || next.type === EVENT_ID.DOCUMENT) {
      // The cut would run into the next document: only the last one ends at the end of the text.
      if (docIndex !== this.docStarts.length - 1) return undefined;
      end = text.length;
    } else {
      const at = startOf(next);
      if (at < 0) return undefined;
      end = text.lastIndexOf('\n', at - 1) + 1;
    }
    return this.cutAt((this.events[i] as { start: number }).start, end);
  }

  /**
   * The lines from the one where a list item's mapping starts (at `mapStart`) to `end`, parsed
   * alone; undefined unless they read as that one mapping, starting where it does.
   */
  private cutAt(mapStart: number, end: number): Piece | undefined {
    const text = this.text;
    const base = text.lastIndexOf('\n', mapStart - 1) + 1;
    // Only indentation and the list's dash before the mapping on its first line.
    if (!/^ *(- +)?$/.test(text.slice(base, mapStart))) return undefined;
    if (end <= base) return undefined;
    const doc = parseDocument(text.slice(base, end), { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
    if (doc.errors.length) return undefined;
    let root = doc.contents as Node | null;
    if (isSeq(root)) root = root.items.length === 1 ? (root.items[0] as Node) : null;
    if (!isMap(root) || root.range?.[0] !== mapStart - base) return undefined;
    return { doc, root, base };
  }
}

interface Piece {
  doc: Document.Parsed;
  root: Node;
  /** File offset where the piece's text starts. */
  base: number;
}

/** Where a node's text begins (its anchor or tag, if any). */
function startOf(e: Event): number {
  const starts: number[] = [];
  // An anchor's `&` or an alias's `*` is one character before the name.
  if ('anchorStart' in e && e.anchorStart >= 0) starts.push(e.anchorStart - 1);
  if ('tagStart' in e && e.tagStart >= 0) starts.push(e.tagStart);
  if ('start' in e) starts.push(e.start);
  if ('valueStart' in e) starts.push(e.valueStart);
  return starts.length ? Math.min(...starts) : -1;
}
