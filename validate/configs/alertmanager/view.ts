/**
 * Reading an Alertmanager config the way Go's yaml.v2 does: aliases resolve to their anchor and
 * `<<: *anchor` merge keys splice the anchor's fields in (the `yaml` package leaves both as they
 * are written). Findings still point at the text the user wrote: a merged field is reported at
 * its anchor.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { type FileContext, isNull, scalarString } from '../../context.js';

export interface Field {
  key: string;
  keyNode: Node;
  /** The value with aliases resolved; null for `key:` with nothing after it. */
  value: Node | null;
}

/** Where the report goes: an id of the alertmanager area, a message, a node. */
export type Report = (id: string, message: string, node: Node | null | undefined) => void;

export class View {
  constructor(
    readonly ctx: FileContext,
    readonly doc: Document | undefined,
    readonly root: YAMLMap,
  ) {}

  readonly report: Report = (id, message, node) => this.ctx.report(id, 'error', message, node ?? this.root);

  deref(n: unknown): Node | null {
    let cur = n as Node | null | undefined;
    for (let i = 0; i < 20 && cur && isAlias(cur); i++)
      cur = this.doc ? ((cur.resolve(this.doc) as Node | undefined) ?? null) : null;
    return cur ?? null;
  }

  /** The fields of a mapping, merge keys expanded (own fields win over merged ones, as in yaml.v2). */
  fields(map: YAMLMap): Field[] {
    const own: Field[] = [];
    const merged: Field[] = [];
    for (const pair of map.items) {
      const k = pair.key as Node;
      const key = isScalar(k) ? String(k.value) : String(k);
      if (key === '<<' && !(isScalar(k) && k.type && k.type !== 'PLAIN')) {
        const v = this.deref(pair.value);
        const sources = isSeq(v) ? v.items.map((i) => this.deref(i)) : [v];
        for (const s of sources) if (isMap(s)) merged.push(...this.fields(s));
        continue;
      }
      own.push({ key, keyNode: k, value: this.deref(pair.value) });
    }
    const seen = new Set(own.map((f) => f.key));
    for (const f of merged) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      own.push(f);
    }
    return own;
  }

  get(map: Node | null | undefined, key: string): Node | null | undefined {
    if (!isMap(map)) return undefined;
    return this.fields(map).find((f) => f.key === key)?.value;
  }

  /** The key node of a field (for positions), or the map. */
  keyOf(map: YAMLMap, key: string): Node {
    return this.fields(map).find((f) => f.key === key)?.keyNode ?? map;
  }

  str(n: Node | null | undefined): string | undefined {
    return scalarString(this.deref(n));
  }

  /** Set to something other than null or an empty string (Go's zero value). */
  has(map: Node | null | undefined, key: string): boolean {
    const v = this.get(map, key);
    if (v === undefined || isNull(v)) return false;
    if (isScalar(v)) return String(v.value) !== '';
    return true;
  }

  map(n: Node | null | undefined): YAMLMap | undefined {
    const d = this.deref(n);
    return isMap(d) ? d : undefined;
  }

  seq(n: Node | null | undefined): YAMLSeq | undefined {
    const d = this.deref(n);
    return isSeq(d) ? d : undefined;
  }

  items(n: Node | null | undefined): (Node | null)[] {
    return this.seq(n)?.items.map((i) => this.deref(i)) ?? [];
  }
}
