/**
 * The metric families of a Prometheus text exposition (format 0.0.4, what both exporters serve):
 * name, TYPE and the label names its samples carry. Written here rather than taken from the
 * exporter's own code so the comparison cannot share a bug with what it checks.
 */

export interface Family {
  name: string;
  /** `counter`, `gauge`, `summary`, `histogram` or `untyped` (no TYPE line). */
  type: string;
  /** Every label name seen on any sample of the family (`quantile`/`le` included). */
  labels: Set<string>;
  samples: number;
  /** Value of each sample, keyed `name{a="x",b="y"}` (labels sorted), for the value checks. */
  values: Map<string, number>;
}

const SUFFIXES: Record<string, readonly string[]> = {
  summary: ['_sum', '_count'],
  histogram: ['_bucket', '_sum', '_count'],
};

/** Labels of `{a="x",b="y\"z"}` as [name, raw value] pairs; throws on a malformed label set. */
export function labelPairs(block: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let at = 0;
  while (at < block.length) {
    re.lastIndex = at;
    const m = re.exec(block);
    if (!m) throw new Error(`malformed label set {${block}} at offset ${at}`);
    pairs.push([m[1]!, m[2]!]);
    at = re.lastIndex;
  }
  return pairs;
}

/** Parses an exposition into its families, keyed by name. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string, type = 'untyped'): Family => {
    let f = families.get(name);
    if (!f) {
      f = { name, type, labels: new Set(), samples: 0, values: new Map() };
      families.set(name, f);
    }
    return f;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (m) family(m[1]!).type = m[2]!;
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) throw new Error(`malformed sample line: ${line}`);
    const f = family(owner(families, m[1]!));
    const pairs = labelPairs(m[2] ?? '').sort(([a], [b]) => a.localeCompare(b));
    for (const [l] of pairs) f.labels.add(l);
    f.samples++;
    f.values.set(`${m[1]}{${pairs.map(([k, v]) => `${k}="${v}"`).join(',')}}`, sampleValue(m[3]!));
  }
  return families;
}

/** A sample value: a Go float or Inf/NaN as the exposition writes them. */
function sampleValue(text: string): number {
  if (/^\+?Inf$/.test(text)) return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** The family a sample belongs to: `x_sum` of a declared summary `x` is `x`'s. */
function owner(families: Map<string, Family>, sample: string): string {
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const s of suffixes) {
      if (!sample.endsWith(s)) continue;
      const base = sample.slice(0, -s.length);
      if (families.get(base)?.type === type) return base;
    }
  }
  return sample;
}

/** Merges several expositions of one exporter (families some scrapes show and others not). */
export function mergeFamilies(all: ReadonlyArray<Map<string, Family>>): Map<string, Family> {
  const out = new Map<string, Family>();
  for (const fams of all) {
    for (const f of fams.values()) {
      const o = out.get(f.name);
      if (!o) {
        out.set(f.name, { ...f, labels: new Set(f.labels), values: new Map(f.values) });
        continue;
      }
      // A family whose TYPE changes between scrapes is reported as both, so the diff shows it.
      if (o.type !== f.type && !o.type.split('|').includes(f.type)) o.type = `${o.type}|${f.type}`;
      for (const l of f.labels) o.labels.add(l);
      for (const [k, v] of f.values) o.values.set(k, v);
      o.samples = Math.max(o.samples, f.samples);
    }
  }
  return out;
}
