/**
 * Concrete label values for a config's matchers: what a synthesised promtool series or a generated
 * scrape job carries so that the config's selector provably selects it.
 *
 * Prometheus anchors every regex matcher (`^(?:…)$`) and treats a missing label as the empty
 * string, so "does this series match" is one full match per label. A regex's value comes from the
 * matcher's `example`, else it is derived from the regex for the common shapes (literals,
 * alternation → first branch, classes, quantifiers at their minimum) and then *verified* with a
 * full match — a derivation that is wrong is never used. Pure; errors are returned, not thrown, so
 * config-check.ts (which owns ConfigError) and the builders can both use it without a cycle.
 */
import { re2Error, re2MatchesEmpty } from '../validate/re2.js';
import type { LabelMatcher, Matcher, Scope } from './promql.js';

export const asMatcher = (m: Matcher): LabelMatcher => (typeof m === 'string' ? { op: '=', value: m } : m);

/** RE2 spellings JavaScript lacks but reads the same once rewritten: `\Q…\E` literals, `(?P<name>` groups. */
function toJs(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\' && p[i + 1] === 'Q') {
      const end = p.indexOf('\\E', i + 2);
      const lit = p.slice(i + 2, end < 0 ? p.length : end);
      out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      i = end < 0 ? p.length : end + 1;
    } else if (p[i] === '\\') {
      out += p.slice(i, i + 2);
      i++;
    } else {
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(p.slice(i));
      if (named) {
        out += '(?:';
        i += named[0].length - 1;
      } else out += p[i];
    }
  }
  return out;
}

const compiled = new Map<string, RegExp | null>();

/**
 * The JavaScript equivalent of Prometheus's anchored RE2 matcher, or null when the pattern uses RE2
 * syntax JavaScript reads differently (inline flags other than a leading `(?i)`/`(?s)`, `\z`, POSIX
 * and Unicode classes): then nothing can be verified here.
 */
function anchored(pattern: string): RegExp | null {
  const hit = compiled.get(pattern);
  if (hit !== undefined) return hit;
  let body = pattern;
  let flags = '';
  const lead = /^\(\?([is]+)\)/.exec(body);
  if (lead) {
    flags = [...new Set(lead[1])].join('');
    body = body.slice(lead[0].length);
  }
  let out: RegExp | null = null;
  body = toJs(body);
  if (re2Error(pattern) === undefined && !/\(\?[a-zA-Z]|\\[zQEpPAC]|\[:/.test(body)) {
    try {
      out = new RegExp(`^(?:${body})$`, flags);
    } catch {
      out = null;
    }
  }
  compiled.set(pattern, out);
  return out;
}

/**
 * Does the matcher select a series whose label is `value` (undefined: the series has no such
 * label, which Prometheus reads as "")? Undefined when the regex cannot be evaluated here.
 */
export function labelMatches(m: LabelMatcher, value: string | undefined): boolean | undefined {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    default: {
      const rx = anchored(m.value);
      if (!rx) return undefined;
      const hit = rx.test(v);
      return m.op === '=~' ? hit : !hit;
    }
  }
}

// ——— deriving a value from a regex ———

type Node =
  | { t: 'lit'; s: string }
  | { t: 'alt'; branches: Node[][] }
  | { t: 'rep'; node: Node; min: number; max: number };

class Unsupported extends Error {}

/** Characters tried, in order, when a class or `.` needs one: readable first. */
const PREFERRED = 'abcxyz0123456789-_.ABCXYZ';

const ESCAPE_CLASS: Record<string, string> = {
  d: '0123456789',
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  s: ' \t',
};
const SINGLE_ESCAPE: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };

/** A recursive-descent reader of the RE2 subset worth deriving from; anything else is Unsupported. */
class Parser {
  i = 0;
  constructor(private readonly p: string) {}

  parse(): Node[][] {
    const out = this.alt();
    if (this.i < this.p.length) throw new Unsupported(`unexpected ${this.p[this.i]}`);
    return out;
  }

  private alt(): Node[][] {
    const branches: Node[][] = [this.concat()];
    while (this.p[this.i] === '|') {
      this.i++;
      branches.push(this.concat());
    }
    return branches;
  }

  private concat(): Node[] {
    const out: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const atom = this.atom();
      out.push(this.quantified(atom));
    }
    return out;
  }

  private quantified(node: Node): Node {
    const q = /^(\*|\+|\?|\{(\d+)(,(\d*))?\})\??/.exec(this.p.slice(this.i));
    if (!q) return node;
    this.i += q[0].length;
    const [min, max] =
      q[1] === '*'
        ? [0, Infinity]
        : q[1] === '+'
          ? [1, Infinity]
          : q[1] === '?'
            ? [0, 1]
            : [Number(q[2]), q[3] === undefined ? Number(q[2]) : q[4] === '' ? Infinity : Number(q[4])];
    return { t: 'rep', node, min, max };
  }

  private atom(): Node {
    const c = this.p[this.i]!;
    if (c === '(') {
      this.i++;
      if (this.p.startsWith('?:', this.i)) this.i += 2;
      else if (this.p[this.i] === '?') throw new Unsupported('group flags');
      const branches = this.alt();
      if (this.p[this.i] !== ')') throw new Unsupported('unclosed group');
      this.i++;
      return { t: 'alt', branches };
    }
    if (c === '[') return this.cls();
    if (c === '.') {
      this.i++;
      return this.charOf(PREFERRED, false);
    }
    if (c === '^' || c === '$') {
      // Prometheus anchors the whole regex anyway; an anchor inside is checked by the verification.
      this.i++;
      return { t: 'lit', s: '' };
    }
    if (c === '\\') {
      const e = this.p[this.i + 1];
      if (e === undefined) throw new Unsupported('trailing backslash');
      this.i += 2;
      const cls = ESCAPE_CLASS[e.toLowerCase()];
      if (cls) return this.charOf(cls, e !== e.toLowerCase());
      if (e in SINGLE_ESCAPE) return { t: 'lit', s: SINGLE_ESCAPE[e]! };
      if (e === 'b' || e === 'B' || e === 'A' || e === 'z') return { t: 'lit', s: '' };
      if (/[^a-zA-Z0-9]/.test(e)) return { t: 'lit', s: e };
      throw new Unsupported(`escape \\${e}`);
    }
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')') throw new Unsupported(`stray ${c}`);
    this.i++;
    return { t: 'lit', s: c };
  }

  /** One character from `set` (or, negated, one not in it). */
  private charOf(set: string, negated: boolean): Node {
    const pick = negated
      ? [...PREFERRED].find((ch) => !set.includes(ch))
      : ([...PREFERRED].find((ch) => set.includes(ch)) ?? set[0]);
    if (pick === undefined) throw new Unsupported('empty class');
    return { t: 'lit', s: pick };
  }

  /** `[...]`: ranges, single characters, escapes; a leading `^` negates. */
  private cls(): Node {
    this.i++;
    let negated = false;
    if (this.p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let set = '';
    let first = true;
    while (this.i < this.p.length && (this.p[this.i] !== ']' || first)) {
      first = false;
      let ch = this.p[this.i]!;
      if (ch === '[') throw new Unsupported('POSIX class');
      if (ch === '\\') {
        const e = this.p[this.i + 1];
        if (e === undefined) throw new Unsupported('trailing backslash');
        this.i += 2;
        const c = ESCAPE_CLASS[e.toLowerCase()];
        if (c && e === e.toLowerCase()) {
          set += c;
          continue;
        }
        if (c || /[a-zA-Z0-9]/.test(e)) {
          if (!(e in SINGLE_ESCAPE)) throw new Unsupported(`class escape \\${e}`);
          ch = SINGLE_ESCAPE[e]!;
        } else ch = e;
      } else this.i++;
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        let hi = this.p[this.i + 1]!;
        this.i += 2;
        if (hi === '\\') {
          hi = this.p[this.i] ?? '';
          this.i++;
          if (/[a-zA-Z0-9]/.test(hi)) throw new Unsupported('escaped range end');
        }
        const lo = ch.charCodeAt(0);
        const top = hi.charCodeAt(0);
        if (!(top >= lo)) throw new Unsupported('range');
        for (let k = lo; k <= Math.min(top, lo + 200); k++) set += String.fromCharCode(k);
      } else set += ch;
    }
    if (this.p[this.i] !== ']') throw new Unsupported('unclosed class');
    this.i++;
    return this.charOf(set, negated);
  }
}

/** Quantifiers at their minimum (`vote.*` → `vote`) or, for a second try, at one repetition. */
function render(branches: Node[][], generous: boolean): string {
  const one = (n: Node): string => {
    if (n.t === 'lit') return n.s;
    if (n.t === 'alt') return render(n.branches, generous);
    const times = generous ? Math.max(n.min, Math.min(1, n.max)) : n.min;
    return one(n.node).repeat(times);
  };
  return branches[0]!.map(one).join('');
}

/**
 * A label value the anchored regex matches, preferring a non-empty one; undefined when the regex
 * is beyond the derivable subset or no derived candidate passes the full-match verification.
 */
export function deriveRegexValue(pattern: string): string | undefined {
  const rx = anchored(pattern);
  if (!rx) return undefined;
  const body = toJs(pattern.replace(/^\(\?[is]+\)/, ''));
  let tree: Node[][];
  try {
    tree = new Parser(body).parse();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  // Each top-level branch in turn, minimal then generous: the first verified non-empty value wins.
  const candidates = tree.flatMap((b) => [render([b], false), render([b], true)]);
  return candidates.find((c) => c !== '' && rx.test(c)) ?? candidates.find((c) => rx.test(c));
}

// ——— the value a series carries for one matcher ———

/** Values tried for a negative matcher whose label cannot simply be left off. */
const NEGATIVE_CANDIDATES = ['other', 'x', 'example', 'a', '0', 'other-1'];

export type SeriesValue =
  /** The label value a matching series carries; undefined: the series carries no such label. */
  | { ok: true; value: string | undefined }
  /** Why no value can be given, and which sub-path (`''` or `.example`) is at fault. */
  | { ok: false; message: string; at: '' | '.example' };

/**
 * The label value a synthesised series carries so that `m` selects it: the equality value; the
 * example; a value derived from the regex; for a negative matcher, no label at all when the empty
 * value passes (Prometheus's reading of a missing label), else the example or a verified stand-in.
 */
export function seriesValue(m: Matcher): SeriesValue {
  const lm = asMatcher(m);
  if (lm.example !== undefined) {
    const hit = labelMatches(lm, lm.example);
    if (hit === false)
      return {
        ok: false,
        at: '.example',
        message: `"${lm.example}" does not satisfy its own matcher ${lm.op}"${lm.value}"`,
      };
    return { ok: true, value: lm.example === '' ? undefined : lm.example };
  }
  if (lm.op === '=') return { ok: true, value: lm.value === '' ? undefined : lm.value };
  const cannot = (what: string): SeriesValue => ({
    ok: false,
    at: '',
    message: `cannot derive a label value that ${what} "${lm.value}"; add example: <value> (a value the matcher selects, used in the generated tests and scrape config)`,
  });
  if (lm.op === '=~') {
    const v = deriveRegexValue(lm.value);
    return v === undefined ? cannot('matches') : { ok: true, value: v === '' ? undefined : v };
  }
  if (labelMatches(lm, undefined) === true) return { ok: true, value: undefined };
  const v = NEGATIVE_CANDIDATES.find((c) => labelMatches(lm, c) === true);
  return v === undefined ? cannot('does not match') : { ok: true, value: v };
}

/**
 * A non-empty value the matcher selects, preferring `preferred` (a component name), then the
 * series value; for labels that must exist (a scrape job's name). Undefined when none is known.
 */
export function concreteValue(m: Matcher | undefined, preferred: string): string | undefined {
  if (m === undefined) return preferred;
  const lm = asMatcher(m);
  const sv = seriesValue(lm);
  const fromSeries = sv.ok ? sv.value : undefined;
  if (lm.op === '=' || lm.op === '=~') {
    // `voting-.*` derives "voting-": a job named after its wildcard's minimum reads like a typo;
    // "voting-worker" (the component filling the wildcard) names what the targets are.
    if (lm.op === '=~' && fromSeries !== undefined && /[-_.:/]$/.test(fromSeries)) {
      const filled = `${fromSeries}${preferred}`;
      if (labelMatches(lm, filled) === true) return filled;
    }
    if (fromSeries !== undefined) return fromSeries;
    return labelMatches(lm, preferred) === true ? preferred : undefined;
  }
  if (labelMatches(lm, preferred) === true) return preferred;
  if (fromSeries !== undefined) return fromSeries;
  return [`${preferred}-1`, ...NEGATIVE_CANDIDATES].find((c) => labelMatches(lm, c) === true);
}

/** Either the labels, or why there are none and which sub-path of the selector (`.job`, `.ns.example`) is at fault. */
export type TargetLabels =
  | { ok: true; labels: Record<string, string> & { job: string } }
  | { ok: false; at: string; message: string };

/**
 * The labels the generated scrape config gives a component's targets (before Prometheus adds
 * `instance`): a concrete job (see concreteValue) and, for every other matcher, the value a
 * selected series carries (a negative matcher's label left off when that is enough). One
 * derivation for prometheus.yml and for the check that no other component's selector selects them.
 */
export function targetLabels(scope: Scope, component: string): TargetLabels {
  const labels: Record<string, string> = {};
  for (const [label, m] of Object.entries(scope)) {
    const v = seriesValue(m);
    if (!v.ok) return { ok: false, at: `.${label}${v.at}`, message: v.message };
    if (v.value !== undefined) labels[label] = v.value;
  }
  const job = concreteValue(scope.job, component);
  if (job === undefined)
    return {
      ok: false,
      at: '.job',
      message: 'selects no job name (every scraped target has one); add example: <a job name>',
    };
  return { ok: true, labels: { job, ...labels } };
}

/**
 * Does the scope select a series with these labels (every matcher satisfied, a missing label read
 * as "")? Undefined when no matcher fails but one is a regex that cannot be evaluated here.
 */
export function scopeSelects(scope: Scope, labels: Readonly<Record<string, string>>): boolean | undefined {
  let unknown = false;
  for (const [label, m] of Object.entries(scope)) {
    const hit = labelMatches(asMatcher(m), labels[label]);
    if (hit === false) return false;
    if (hit === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

/**
 * A label set the scope does NOT select (for "absent" probes that need some other series): one
 * matcher made to fail is enough. Undefined when every value of every label passes (an empty scope).
 */
export function nonMatchingValue(m: Matcher): { ok: true; value: string | undefined } | undefined {
  const lm = asMatcher(m);
  const empty = labelMatches(lm, undefined);
  // A regex JavaScript cannot evaluate (`\pL`…): RE2's own "matches the empty string" (sure when it says no).
  if (empty === false || (empty === undefined && lm.op === '=~' && !re2MatchesEmpty(lm.value)))
    return { ok: true, value: undefined };
  const tries = lm.op === '!=' ? [lm.value] : lm.op === '!~' ? [deriveRegexValue(lm.value)] : ['unrelated', 'x'];
  for (const c of [...tries, 'unrelated', 'unrelated-1', 'x', '0'])
    if (c !== undefined && c !== '' && labelMatches(lm, c) === false) return { ok: true, value: c };
  return undefined;
}

/** Is the regex valid for Prometheus (Go RE2)? The error message, or undefined. */
export const regexError = (pattern: string): string | undefined => re2Error(pattern);
