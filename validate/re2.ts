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
      .replace(/\\[pP](\{[A-Za-z_]+\}|[A-Za-z])/g, 'a')
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
    if (/[0-7]/.test(c) || /[afnrtvdDsSwWbBAzpP]/.test(c)) continue;
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
