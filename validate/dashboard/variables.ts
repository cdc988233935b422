/**
 * Grafana template variables in query text (`$job`, `${job}`, `${job:regex}`, `[[job]]`,
 * `$__rate_interval`) are not PromQL or LogQL. Before parsing they are replaced by a stand-in of
 * the right kind — a duration inside `[...]` or for Grafana's interval variables, a number for
 * `*_ms`/`*_s` variables, otherwise the variable's name — and offsets in the substituted text are
 * mapped back to the original so errors point at what the user wrote.
 */

export interface Substituted {
  text: string;
  /** Offset in `text` → offset in the original query. */
  toOriginal(offset: number): number;
  /** The variables found, with their original spans. */
  variables: Array<{ name: string; from: number; to: number }>;
}

const VARIABLE = /\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]|\$([A-Za-z0-9_]+)/g;
const DURATION_VARS = new Set(['__rate_interval', '__interval', '__range', '__auto', '__auto_interval']);
const NUMBER_VARS = /^__(interval|range|rate_interval)_(ms|s)$|^__range_s$/;

function standIn(name: string, before: string): string {
  if (DURATION_VARS.has(name) || /\[\s*$/.test(before) || /\boffset\s+$/.test(before)) return '5m';
  if (NUMBER_VARS.test(name) || name === '__from' || name === '__to') return '300';
  return name.replace(/^_+/, '') || 'v';
}

export function substituteVariables(query: string): Substituted {
  const segments: Array<{ subFrom: number; subTo: number; origFrom: number; origTo: number }> = [];
  const variables: Substituted['variables'] = [];
  let text = '';
  let last = 0;
  for (const m of query.matchAll(VARIABLE)) {
    const name = (m[1] ?? m[2] ?? m[3])!;
    const from = m.index;
    const to = from + m[0].length;
    text += query.slice(last, from);
    const rep = standIn(name, query.slice(0, from));
    segments.push({ subFrom: text.length, subTo: text.length + rep.length, origFrom: from, origTo: to });
    variables.push({ name, from, to });
    text += rep;
    last = to;
  }
  text += query.slice(last);
  const toOriginal = (offset: number): number => {
    let shift = 0;
    for (const s of segments) {
      if (offset < s.subFrom) break;
      // Inside a stand-in: point at the variable's start.
      if (offset < s.subTo) return s.origFrom;
      shift = s.origTo - s.subTo;
    }
    return offset + shift;
  };
  return { text, toOriginal, variables };
}
