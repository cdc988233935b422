/**
 * What labels an expression's result can carry, as far as the expression says: "any label but
 * these" for selectors and label-preserving operations, "only these" after `by (...)`.
 */
export type LabelSet = { open: true; except: ReadonlySet<string> } | { open: false; only: ReadonlySet<string> };

export const anyLabels: LabelSet = { open: true, except: new Set() };
export const noLabels: LabelSet = { open: false, only: new Set() };

export function hasLabel(l: LabelSet, name: string): boolean {
  return l.open ? !l.except.has(name) : l.only.has(name);
}

export function dropLabels(l: LabelSet, names: Iterable<string>): LabelSet {
  if (l.open) return { open: true, except: new Set([...l.except, ...names]) };
  const only = new Set(l.only);
  for (const n of names) only.delete(n);
  return { open: false, only };
}

export function keepLabels(l: LabelSet, names: Iterable<string>): LabelSet {
  return { open: false, only: new Set([...names].filter((n) => hasLabel(l, n))) };
}

export function addLabels(l: LabelSet, names: Iterable<string>): LabelSet {
  if (l.open) {
    const except = new Set(l.except);
    for (const n of names) except.delete(n);
    return { open: true, except };
  }
  return { open: false, only: new Set([...l.only, ...names]) };
}

export function unionLabels(a: LabelSet, b: LabelSet): LabelSet {
  if (a.open || b.open) {
    const ex = new Set<string>();
    for (const n of a.open ? a.except : []) if (!hasLabel(b, n)) ex.add(n);
    for (const n of b.open ? b.except : []) if (!hasLabel(a, n)) ex.add(n);
    return { open: true, except: ex };
  }
  return { open: false, only: new Set([...a.only, ...b.only]) };
}
