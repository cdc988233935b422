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

function check(p: string): string | undefined {
  if (/\(\?<?[=!]/.test(p)) return 'RE2 does not support lookahead or lookbehind';
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(p)) return 'RE2 does not support backreferences';
  const translated = p
    .replace(/\\Q(.*?)(\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .replace(/\(\?[imsU]*(-[imsU]+)?\)/g, '')
    .replace(/\(\?[imsU]*(-[imsU]+)?:/g, '(?:')
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:\^?(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit):\]/g, 'a-z')
    .replace(/\\[pP](\{[A-Za-z_]+\}|[A-Za-z])/g, 'a')
    .replace(/\\z/g, '$')
    .replace(/\\C/g, '.');
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

/** Whether the (fully anchored) regex matches the empty string; errs on "yes" when unsure. */
export function re2MatchesEmpty(pattern: string): boolean {
  if (pattern === '') return true;
  try {
    return new RegExp(`^(?:${pattern.replace(/\(\?[imsU]*(-[imsU]+)?\)/g, '').replace(/\(\?P</g, '(?<')})$`).test('');
  } catch {
    return true;
  }
}
