/**
 * YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`, `<<: {inline}`) applied to the parsed
 * document the way go-yaml (Prometheus's and Alertmanager's loader) applies them, so every check
 * sees ordinary mappings: a key written in the mapping itself wins over a merged one wherever it
 * stands, and in a list of merges the earlier mapping wins. The merged pairs are the anchor's own
 * nodes, not copies: a finding inside merged content points at the anchor's text.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';

/** A merge that go-yaml refuses, with the offsets of the offending node. */
export interface MergeError {
  message: string;
  from: number;
  to: number;
}

const isMergeKey = (key: unknown): boolean =>
  isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

/** A key's identity for "already present": collections (never a field name) are only themselves. */
const keyName = (key: unknown): unknown => (isScalar(key) ? String(key.value) : key);

/** Expands every merge key of `doc` in place (document order, so anchors are expanded first). */
export function expandMerges(doc: Document.Parsed): MergeError[] {
  const errors: MergeError[] = [];
  // Own walk rather than yaml's visit: merged pairs are shared nodes, and a merge of an
  // ancestor (`a: &a {b: {<<: *a}}`) would otherwise be walked forever.
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (isMap(node)) {
      if (node.items.some((p) => isMergeKey(p.key))) expandMap(doc, node, errors);
      for (const p of node.items) if (isPair(p)) walk(p.value);
    } else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);
  return errors;
}

function expandMap(doc: Document.Parsed, map: YAMLMap, errors: MergeError[]): void {
  const own = map.items.filter((p) => !isMergeKey(p.key));
  const merges = map.items.filter((p) => isMergeKey(p.key));
  const present = new Set<unknown>(own.map((p) => keyName(p.key)));
  const added: Pair[] = [];
  if (merges.length > 1) {
    const k = merges[1]!.key as Node;
    errors.push({ message: 'mapping key "<<" already defined', from: k.range?.[0] ?? 0, to: k.range?.[1] ?? 0 });
  }
  for (const m of merges) {
    for (const source of mergeSources(doc, m.value as Node | null, errors)) {
      for (const p of source.items) {
        // A source whose own merges were not expanded yet (an alias to a later anchor cannot
        // exist; a nested inline merge can): its merged keys come after its own, as go-yaml reads.
        if (isMergeKey(p.key)) continue;
        const name = keyName(p.key);
        if (present.has(name)) continue;
        present.add(name);
        added.push(p as Pair);
      }
    }
  }
  map.items = [...own, ...added] as typeof map.items;
}

function mergeSources(doc: Document.Parsed, value: Node | null, errors: MergeError[]): YAMLMap[] {
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  const target = resolve(value);
  const list = isSeq(target) && !isAlias(value) ? target.items : [value];
  const out: YAMLMap[] = [];
  for (const item of list) {
    const m = resolve(item);
    if (isMap(m)) {
      // An inline source may carry merges of its own (visit reaches it only after its parent).
      if (m.items.some((p) => isMergeKey(p.key))) expandMap(doc, m, errors);
      out.push(m);
    } else {
      const at = (item as Node | null)?.range ?? (value as Node | null)?.range ?? [0, 0];
      errors.push({ message: 'map merge requires map or sequence of maps as the value', from: at[0], to: at[1] });
    }
  }
  return out;
}
