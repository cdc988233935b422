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
  return (
    p
      .replace(/\\Q(.*?)(\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
      .replace(/\(\?[imsU]*(-[imsU]+)?\)/g, '')
      .replace(/\(\?[imsU]*(-[imsU]+)?:/g, '(?:')
      .replace(/\(\?P</g, '(?<')
      .replace(/\[:\^?(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit):\]/g, 'a-z')
      .replace(/\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/g, 'a')
      .replace(/\\z/g, '$')
      // Go: a `]` right after `[` or `[^` is a literal, where JavaScript would end the class.
      .replace(/(^|[^\\])\[(\^?)\]/g, '$1[$2\\]')
  );
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

/**
 * Escapes Go's regexp/syntax refuses but JavaScript takes as literals (`\e`, `\Z`, `\u0041`,
 * `\x4`, `\C`, `\8`), and unknown POSIX classes. Returns the message or undefined.
 */
function badEscape(p: string): string | undefined {
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== '\\') continue;
    const c = p[i + 1];
    if (c === undefined) return 'trailing backslash at end of expression';
    if (c === 'Q') {
      const end = p.indexOf('\\E', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    i++;
    if (c === 'p' || c === 'P') {
      const err = unicodeClass(p, i + 1);
      if (err) return err;
      continue;
    }
    if (/[0-7]/.test(c) || /[afnrtvdDsSwWbBAz]/.test(c)) continue;
    if (c === 'x') {
      if (/^\{[0-9a-fA-F]+\}|^[0-9a-fA-F]{2}/.test(p.slice(i + 1))) continue;
      return `invalid escape sequence: \`\\x${p.slice(i + 1, i + 3)}\``;
    }
    // Any other ASCII punctuation is a literal; letters, digits 8-9 and non-ASCII are not.
    if (c.charCodeAt(0) < 128 && !/[0-9A-Za-z]/.test(c)) continue;
    return `invalid escape sequence: \`\\${c}\``;
  }
  // A `[:name:]` inside a bracket expression is a POSIX class (`[:x:]` on its own is a plain class).
  for (const m of p.matchAll(/\[\^?[^\]]*?\[:\^?([A-Za-z]*):\]/g))
    if (!POSIX.has(m[1]!)) return `invalid character class range: \`[:${m[1]}:]\``;
  return undefined;
}

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
  const badEsc = badEscape(p);
  if (badEsc) return badEsc;
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(p)) return 'RE2 does not support backreferences';
  const translated = translate(p);
  const bad = /\{(\d+)(,(\d*))?\}/g;
  for (let m = bad.exec(translated); m; m = bad.exec(translated)) {
    if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000))
      return `invalid repeat count ${m[0]} (RE2 allows at most 1000)`;
  }
  if (/(\*|\+|\?|\})(\*|\+)/.test(translated.replace(/\\./g, 'x').replace(/\[\^?\]?[^\]]*\]/g, 'x')))
    return 'invalid nested repetition operator';
  try {
    new RegExp(translated);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
  }
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
