/**
 * Grafana template variables in query text (`$job`, `${job}`, `${job:regex}`, `[[job]]`,
 * `$__rate_interval`, `${__to:date:seconds}`) are not PromQL or LogQL. Before parsing they are
 * replaced by a stand-in of the kind Grafana would put there, so that a query that works in
 * Grafana also passes the PromQL checks:
 *  - inside a string: the variable's name (a literal, so also a valid regex in `=~"$var"`);
 *  - inside `[...]`, after `offset`, or Grafana's interval variables: a duration (`5m`; a bare
 *    `5` when the query writes the unit itself, `[${window}m]`);
 *  - after `@`, for the `*_ms`/`*_s` variables and `$__from`/`$__to`: a number;
 *  - elsewhere the variable's name (a selector), or a number where the expression needs a scalar
 *    there (`topk($n, x)`, `histogram_quantile($q / 100, ...)`, `predict_linear(x[1h], 86400 *
 *    $days)`), as PromQL's type check tells: every variable of a scalar-wanted argument.
 * Offsets in the substituted text map back to the original so findings point at what the user
 * wrote; an offset inside a stand-in maps to the variable's start.
 */

import { KEYWORDS } from '../promql/lexer.js';
import { checkPromQL } from '../promql-check.js';

export interface Substituted {
  text: string;
  /** Offset in `text` → offset in the original query. */
  toOriginal(offset: number): number;
  /** The variables found, with their original spans and the text that stands in for each. */
  variables: Array<{ name: string; from: number; to: number; standIn: string }>;
  /**
   * Whether a span of `text` overlaps a stand-in: a metric name there (`$metric`,
   * `${prefix}_total`) is the variable's doing, not a name the query selects.
   */
  fromVariable(from: number, to: number): boolean;
}

const VARIABLE = /\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]|\$([A-Za-z0-9_]+)/g;
const DURATION_VARS = new Set(['__rate_interval', '__interval', '__range', '__auto', '__auto_interval']);
const NUMBER_VARS = /^__(interval|range|rate_interval)_(ms|s)$|^__range_s$|^__from$|^__to$/;
/**
 * The first argument of these is always a number, in PromQL and LogQL alike (`topk($k, …)`,
 * `quantile_over_time($q, {…} | unwrap x [5m])`): LogQL has no type check to find it otherwise.
 */
const PARAM_FIRST = /\b(?:topk|bottomk|limitk|quantile|quantile_over_time)\s*\(\s*$/;

/** A number where a scalar is needed: any value does for the type check. */
const NUMBER = '1';

interface Found {
  name: string;
  from: number;
  to: number;
  /** Where the variable sits in the query. */
  where: 'string' | 'duration' | 'number' | 'scalar' | 'expr';
}

/** Finds the variables and the context each sits in (string, range brackets, after offset or @). */
function scan(query: string): Found[] {
  const found: Found[] = [];
  let quote: string | undefined;
  let bracket = false;
  let pos = 0;
  const matches = [...query.matchAll(VARIABLE)];
  let next = 0;
  while (pos < query.length && next < matches.length) {
    const m = matches[next]!;
    if (pos === m.index) {
      const name = (m[1] ?? m[2] ?? m[3])!;
      const to = pos + m[0].length;
      const before = query.slice(0, pos);
      let where: Found['where'] = 'expr';
      if (quote) where = 'string';
      else if (bracket || /\boffset\s*-?\s*$/i.test(before)) where = 'duration';
      else if (/@\s*[-+]?\s*$/.test(before) || NUMBER_VARS.test(name)) where = 'number';
      else if (PARAM_FIRST.test(before)) where = 'scalar';
      else if (DURATION_VARS.has(name)) where = 'duration';
      found.push({ name, from: pos, to, where });
      pos = to;
      next++;
      continue;
    }
    if (pos > m.index) {
      // Inside a string skipped past the match: not a variable position we can map.
      next++;
      continue;
    }
    const c = query[pos]!;
    if (quote) {
      if (c === '\\' && quote !== '`') pos++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '[') bracket = true;
    else if (c === ']') bracket = false;
    pos++;
  }
  return found;
}

function standIn(v: Found, after: string, asNumber: boolean): string {
  switch (v.where) {
    case 'string':
      return DURATION_VARS.has(v.name) ? '5m' : v.name.replace(/^_+/, '') || 'v';
    case 'duration':
      // `[${window}m]`: the query supplies the unit.
      return NUMBER_VARS.test(v.name) || /^[smhdwy]/.test(after) ? '5' : '5m';
    case 'number':
      return '300';
    case 'scalar':
      return NUMBER;
    default: {
      if (asNumber) return NUMBER;
      const name = v.name.replace(/^_+/, '') || 'v';
      // A name that lexes as a keyword, number or Inf/NaN would change the expression's shape.
      return /^[0-9]/.test(name) || KEYWORDS.has(name.toLowerCase()) || /^(inf|nan)$/i.test(name) ? `v_${name}` : name;
    }
  }
}

function build(query: string, found: Found[], numbers: ReadonlySet<number>): Substituted & { spans: number[][] } {
  const standIns: string[] = [];
  const segments: Array<{ subFrom: number; subTo: number; origFrom: number; origTo: number }> = [];
  let text = '';
  let last = 0;
  found.forEach((v, i) => {
    text += query.slice(last, v.from);
    const rep = standIn(v, query.slice(v.to), numbers.has(i));
    standIns.push(rep);
    segments.push({ subFrom: text.length, subTo: text.length + rep.length, origFrom: v.from, origTo: v.to });
    text += rep;
    last = v.to;
  });
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
  return {
    text,
    toOriginal,
    variables: found.map(({ name, from, to }, i) => ({ name, from, to, standIn: standIns[i]! })),
    fromVariable: (from, to) => segments.some((s) => from < s.subTo && to > s.subFrom),
    spans: segments.map((s) => [s.subFrom, s.subTo]),
  };
}

export function substituteVariables(query: string): Substituted {
  const found = scan(query);
  if (!found.length) return { text: query, toOriginal: (o) => o, variables: [], fromVariable: () => false };
  const first = build(query, found, new Set());
  // Where the type check wants a scalar exactly at a variable's stand-in, Grafana's value is a
  // number there (`topk($n, ...)`): substitute a number instead. checkPromQL caches, so the
  // caller's own check of the final text costs nothing extra.
  // The scalar-wanted argument may hold the variable inside arithmetic or parentheses
  // (`86400 * $days`, `$k + 1`, `($q) / 100`): every variable in that argument is a number.
  // Each round fixes the arguments it finds; a variable that is still in a scalar-wanted
  // argument after that is left as is (the error is real: `topk(count(x), y)`).
  const numbers = new Set<number>();
  let current = first;
  for (let round = 0; round < 4 && found.some((v) => v.where === 'expr'); round++) {
    const before = numbers.size;
    for (const is of checkPromQL(current.text, { lint: false }).issues) {
      if (is.id !== 'promql/arg-type' || !/expected type scalar/.test(is.message)) continue;
      current.spans.forEach(([f, t], i) => {
        if (f! >= is.from && t! <= is.to && found[i]?.where === 'expr') numbers.add(i);
      });
    }
    if (numbers.size === before) break;
    current = build(query, found, numbers);
  }
  const { text, toOriginal, variables, fromVariable } = current;
  return { text, toOriginal, variables, fromVariable };
}
