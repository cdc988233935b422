/**
 * Is a matcher's regex valid for Go's RE2 (what Prometheus compiles)? JavaScript's engine differs:
 * RE2 has no lookaround or backreferences but has `(?i)` flag groups, `(?P<name>…)`, POSIX classes
 * and `\z`, so the pattern is translated before JavaScript compiles it. Results are cached: rule
 * files repeat the same few regexes thousands of times.
 */
const cache = new Map<string, string | undefined>();

/** An error message, or undefined when the regex is valid. */
export function re2Error(pattern: string): string | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  const err = check(pattern);
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, err);
  return err;
}

/** RE2 syntax JavaScript lacks, rewritten to an equivalent (or, for classes, a stand-in) JS pattern. */
function translate(p: string): string {
  const scanned = scan(p);
  if (scanned.error !== undefined) throw new Error(scanned.error);
  return scanned.js
    .replace(/\(\?[imsU]*(-[imsU]+)?\)/g, '')
    .replace(/\(\?[imsU]*(-[imsU]+)?:/g, '(?:')
    .replace(/\[:\^?(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit):\]/g, 'a-z')
    .replace(/\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/g, 'a')
    .replace(/\\z/g, '$');
}

const hex4 = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;

/**
 * One pass over the pattern as Go's regexp/syntax parser reads it: escapes (octal `\101`,
 * `\x{…}`, which escapes a class takes), `\Q…\E`, `(?P<name>` names, bracket expressions and
 * their ranges. Returns Go's error, or the pattern rewritten for JavaScript: octal and `\x{…}`
 * escapes as `\uHHHH` (code points past U+FFFF as U+FFFF), `\Q…\E` as escaped literals, named
 * groups as plain groups (Go allows duplicate and digit-first names), `[]…]`'s first `]` escaped.
 */
function scan(p: string): { error?: string; js: string } {
  let js = '';
  let inClass = false;
  // In a class: the last item was a single character (so `-x` after it makes a range), and
  // whether the next item is a range's upper end (which must be a single character too).
  let lastChar = false;
  let rangeEnd = false;
  const err = (error: string) => ({ error, js });
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '\\') {
      const c = p[i + 1];
      if (c === undefined) return err('trailing backslash at end of expression');
      const isRangeEnd = rangeEnd;
      rangeEnd = false;
      // Escapes only the top level takes (`\Q` quotes; `\b`, `\A`, `\z` are assertions).
      if (!inClass && c === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        // Prometheus and Alertmanager anchor a matcher as ^(?:…)$: an unclosed \Q eats the `)`.
        if (end < 0) return err('missing closing ): unclosed \\Q in an anchored regex');
        js += p.slice(i + 2, end).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end + 1;
        continue;
      }
      if (!inClass && /[bBAz]/.test(c)) {
        js += `\\${c}`;
        i++;
        continue;
      }
      // Class escapes: a class item, never a range's end.
      if (/[dDsSwWpP]/.test(c)) {
        if (isRangeEnd) return err(`invalid escape sequence: \`\\${c}\``);
        if (c === 'p' || c === 'P') {
          const e = unicodeClass(p, i + 2);
          if (e) return err(e);
        }
        js += `\\${c}`;
        i++;
        lastChar = false;
        continue;
      }
      // Single characters (parseEscape): octal, hex, control letters, ASCII punctuation.
      let n = i + 2;
      if (/[0-7]/.test(c)) {
        // `\1`–`\7` alone would be a backreference, which Go refuses; `\0` or a digit followed
        // by another octal digit starts an octal escape of up to three digits.
        if (c !== '0' && !/[0-7]/.test(p[n] ?? ''))
          return err(`invalid escape sequence: \`\\${c}\` (RE2 does not support backreferences)`);
        while (n < i + 4 && /[0-7]/.test(p[n] ?? '')) n++;
        js += hex4(Number.parseInt(p.slice(i + 1, n), 8));
      } else if (c === 'x') {
        const braced = /^\{([0-9a-fA-F]*)\}/.exec(p.slice(n));
        if (braced) {
          const v = braced[1] === '' ? Number.NaN : Number.parseInt(braced[1]!, 16);
          if (!(v <= 0x10ffff)) return err(`invalid escape sequence: \`${p.slice(i, n + braced[0].length)}\``);
          js += hex4(Math.min(v, 0xffff));
          n += braced[0].length;
        } else if (/^[0-9a-fA-F]{2}/.test(p.slice(n))) {
          js += `\\x${p.slice(n, n + 2)}`;
          n += 2;
        } else return err(`invalid escape sequence: \`\\x${p.slice(n, n + 2)}\``);
      } else if (/[afnrtv]/.test(c) || (c.charCodeAt(0) < 128 && !/[0-9A-Za-z]/.test(c))) {
        js += `\\${c}`;
      } else return err(`invalid escape sequence: \`\\${c}\``);
      i = n - 1;
      lastChar = inClass && !isRangeEnd;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false;
        js += ch;
        continue;
      }
      if (ch === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        if (end >= 0) {
          const name = p.slice(i + 2, end).replace(/^\^/, '');
          if (!POSIX.has(name)) return err(`invalid character class range: \`${p.slice(i, end + 2)}\``);
          if (rangeEnd) return err(`invalid character class range: \`[\``);
          js += p.slice(i, end + 2);
          i = end + 1;
          lastChar = false;
          continue;
        }
      }
      if (ch === '-' && lastChar && p[i + 1] !== ']' && p[i + 1] !== undefined) {
        rangeEnd = true;
        lastChar = false;
        js += ch;
        continue;
      }
      lastChar = !rangeEnd;
      rangeEnd = false;
      js += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      lastChar = false;
      rangeEnd = false;
      js += ch;
      if (p[i + 1] === '^') js += p[++i];
      // Go: a `]` right after `[` or `[^` is a literal, where JavaScript would end the class.
      if (p[i + 1] === ']') {
        js += '\\]';
        i++;
        lastChar = true;
      }
      continue;
    }
    if (ch === '(' && p[i + 1] === '?' && (p.startsWith('(?P<', i) || /^\(\?<[^=!]/.test(p.slice(i)))) {
      const at = p.indexOf('<', i) + 1;
      const close = p.indexOf('>', at);
      if (close < 0) return err(`invalid named capture: \`${p.slice(i)}\``);
      const name = p.slice(at, close);
      if (!/^[A-Za-z0-9_]+$/.test(name)) return err(`invalid named capture: \`${p.slice(i, close + 1)}\``);
      js += '(';
      i = close;
      continue;
    }
    js += ch;
  }
  return { js };
}

const POSIX = new Set([
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
]);

/** Go's unicode.Categories: the one-letter general categories and their two-letter subcategories. */
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);
/** Script long names of four letters; every other four-letter name JavaScript takes is an ISO alias (`Grek`). */
const FOUR_LETTER_SCRIPTS = new Set(['Cham', 'Kawi', 'Lisu', 'Miao', 'Modi', 'Newa', 'Thai', 'Toto']);

/**
 * Go's unicode.Scripts names (`Greek`, `Old_Italic`): the long Unicode names, case-sensitive,
 * which JavaScript knows as `Script=` values too. JavaScript also takes the four-letter ISO
 * 15924 aliases (`Grek`, `Zyyy`) that Go does not.
 */
function isScript(name: string): boolean {
  if (!/^[A-Z][A-Za-z]*(_[A-Z][a-z]*)*$/.test(name)) return false;
  if (name.length === 4 && !FOUR_LETTER_SCRIPTS.has(name)) return false;
  // Script values JavaScript takes that Go's table lacks.
  if (name === 'Unknown' || name === 'Katakana_Or_Hiragana') return false;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * `\p{Name}`, `\p{^Name}` or `\pX` starting at `at` (just after the `p`/`P`), as Go's
 * parseUnicodeClass takes it: `Any`, a general category or a script, nothing else.
 */
function unicodeClass(p: string, at: number): string | undefined {
  let name: string;
  let seq: string;
  if (p[at] === '{') {
    const end = p.indexOf('}', at);
    if (end < 0) return `invalid character class range: \`${p.slice(at - 2)}\``;
    seq = p.slice(at - 2, end + 1);
    name = p.slice(at + 1, end).replace(/^\^/, '');
  } else {
    const c = p.codePointAt(at);
    if (c === undefined) return `invalid character class range: \`${p.slice(at - 2)}\``;
    name = String.fromCodePoint(c);
    seq = p.slice(at - 2, at + name.length);
  }
  if (name === 'Any' || CATEGORIES.has(name) || isScript(name)) return undefined;
  return `invalid character class range: \`${seq}\``;
}

function check(p: string): string | undefined {
  if (/\(\?<?[=!]/.test(p)) return 'RE2 does not support lookahead or lookbehind';
  const scanned = scan(p);
  if (scanned.error !== undefined) return scanned.error;
  const translated = translate(p);
  // Escapes and classes are single atoms from here on.
  const flat = translated.replace(/\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\./g, 'x').replace(/\[\^?[^\]]*\]/g, 'x');
  const repeatErr = repeatError(flat);
  if (repeatErr) return repeatErr;
  if (/(\*|\+|\?|\})(\*|\+)/.test(flat)) return 'invalid nested repetition operator';
  try {
    new RegExp(translated);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
  }
}

/**
 * Go's repeat limits (regexp/syntax `repeat`/`repeatIsValid`): a count above 1000, or nested
 * `{n,m}` counts whose product exceeds 1000 (a count is its max, or its min when unbounded; a
 * `{0}`/`{n,0}` resets). `*`, `+` and `?` do not count. `flat` has escapes and classes as atoms.
 */
function repeatError(flat: string): string | undefined {
  // Per open group: the largest product needed by its finished atoms.
  const groups: number[] = [];
  let inner = 0; // the current group's need, not counting its last atom
  let last = 0; // the need of the last atom, which a following repeat multiplies
  for (let i = 0; i < flat.length; i++) {
    const ch = flat[i]!;
    if (ch === '*' || ch === '+' || ch === '?') continue;
    if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(flat.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (min > 1000 || max > 1000) return `invalid repeat count: \`${m[0]}\` (RE2 allows at most 1000)`;
        const count = max === 0 ? 0 : max < 0 ? min : max;
        last = count * Math.max(1, last);
        if (last > 1000) return `invalid repeat count: \`${m[0]}\` (nested repeat counts multiply past RE2's 1000)`;
        i += m[0].length - 1;
        continue;
      }
    }
    inner = Math.max(inner, last);
    if (ch === '(') {
      groups.push(inner);
      inner = 0;
      last = 0;
      if (flat.startsWith('(?:', i)) i += 2;
    } else if (ch === ')') {
      last = inner;
      inner = groups.pop() ?? 0;
    } else last = ch === '|' ? 0 : 1;
  }
  return undefined;
}

/** True when a regex matcher could be a plain `=` matcher (no metacharacters at all). */
export function needsNoRegex(pattern: string): boolean {
  return pattern.length > 0 && !/[.*+?^${}()|[\]\\]/.test(pattern);
}

const emptyCache = new Map<string, boolean>();

/** Whether the (fully anchored) regex matches the empty string; errs on "yes" when unsure. */
export function re2MatchesEmpty(pattern: string): boolean {
  if (pattern === '') return true;
  let hit = emptyCache.get(pattern);
  if (hit === undefined) {
    try {
      hit = new RegExp(`^(?:${translate(pattern)})$`).test('');
    } catch {
      hit = true;
    }
    if (emptyCache.size > 10_000) emptyCache.clear();
    emptyCache.set(pattern, hit);
  }
  return hit;
}
