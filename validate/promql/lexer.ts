/**
 * PromQL's lexer as promql/parser/lex.go (Prometheus 2) has it: the same token classes, the same number and
 * duration scanning (`5.`, `.5`, `0x1f`, `1e3`, `1h30m`, `Inf`/`NaN` in any case), keywords
 * recognised case-insensitively, identifiers inside `{...}` never keywords, and the lexer's own
 * errors (bad escapes, unterminated strings, stray characters) as an `error` token where the
 * scan stopped. Positions are offsets in the JavaScript string.
 */

export type TokenType =
  | 'ident' // IDENTIFIER: [a-zA-Z_][a-zA-Z0-9_]*
  | 'metric' // METRIC_IDENTIFIER: an identifier with a colon
  | 'kw' // a keyword; `val` is lower-cased
  | 'number'
  | 'duration'
  | 'string'
  | 'op' // + - * / % ^ == != < <= > >= = =~ !~ @
  | 'punct' // ( ) { } [ ] , :
  | 'error'
  | 'eof';

export interface Token {
  type: TokenType;
  /** The token's text; lower-cased for keywords; the message for `error`. */
  val: string;
  from: number;
  to: number;
}

/**
 * Keywords (lex.go `key`), lower case. `inf` and `nan` lex as numbers. Experimental aggregations
 * (limitk, limit_ratio) are keywords upstream; `step`/`range`/`smoothed`/`anchored`/`fill*` belong
 * to feature-flagged syntax and stay identifiers here, so using them is a plain parse error.
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'unless',
  'atan2',
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'start',
  'end',
]);

/** Character classes of ASCII codes, looked up by char code (the lexer's hot loops). */
const SPACE = 1;
const DIGIT = 2;
const ALPHA = 4;
const HEX = 8;
const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r') CLASS[c.charCodeAt(0)] = SPACE;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT | HEX;
for (let c = 65; c <= 90; c++) CLASS[c] = ALPHA | (c <= 70 ? HEX : 0);
for (let c = 97; c <= 122; c++) CLASS[c] = ALPHA | (c <= 102 ? HEX : 0);
CLASS[95] = ALPHA; // `_`

/** All tokens up to and including `eof` or the first `error`. Comments are dropped. */
export function lex(input: string): Token[] {
  const out: Token[] = [];
  /** The class bits of the character at p (0 past the end and for non-ASCII). */
  const cls = (p: number): number => CLASS[input.charCodeAt(p)] ?? 0;
  const isDigit = (p: number) => (cls(p) & DIGIT) !== 0;
  const isAlnum = (p: number) => (cls(p) & (ALPHA | DIGIT)) !== 0;
  let pos = 0;
  let parenDepth = 0;
  let braceOpen = false;
  let bracketOpen = false;
  let gotColon = false;
  const push = (type: TokenType, from: number, to: number, val = input.slice(from, to)) =>
    out.push({ type, val, from, to });
  const fail = (from: number, message: string, to = from + 1) => {
    push('error', from, Math.max(to, from + 1), message);
    return out;
  };

  /**
   * lex.go scanNumber as Prometheus 2 has it: digits (hex after `0x`), one `.`, an exponent.
   * Digit separators (`1_000`) are Prometheus 3 only and end in an error here. Returns the end or -1.
   */
  function scanNumber(start: number): number {
    let p = start;
    let digits = DIGIT;
    if (input[p] === '0' && (input[p + 1] === 'x' || input[p + 1] === 'X')) {
      p += 2;
      digits = HEX;
    }
    while (cls(p) & digits) p++;
    if (input[p] === '.') {
      p++;
      while (cls(p) & digits) p++;
    }
    if (input[p] === 'e' || input[p] === 'E') {
      p++;
      if (input[p] === '+' || input[p] === '-') p++;
      while (isDigit(p)) p++;
    }
    return isAlnum(p) ? -1 : p;
  }

  /** After a number that ran into a letter: the rest of a duration (`5m`, `1h30m`, `250ms`). */
  function scanDuration(start: number): number {
    let p = start;
    while (isDigit(p) || input[p] === '.') p++;
    if (!'smhdwy'.includes(input[p] ?? '!')) return -1;
    p++;
    if (input[p] === 's') p++;
    while (isDigit(p)) {
      while (isDigit(p)) p++;
      if (!'smhdw'.includes(input[p] ?? '!')) return -1;
      p++;
      if (input[p] === 's') p++;
    }
    return isAlnum(p) ? -1 : p;
  }

  /** A quoted string from `start` (the quote); returns the end or an error message. */
  function scanString(start: number): number | string {
    const q = input[start]!;
    let p = start + 1;
    if (q === '`') {
      const end = input.indexOf('`', p);
      return end < 0 ? 'unterminated raw string' : end + 1;
    }
    for (;;) {
      const c = input[p];
      if (c === undefined || c === '\n') return 'unterminated quoted string';
      p++;
      if (c === q) return p;
      if (c !== '\\') continue;
      const e = input[p++];
      if (e === undefined) return 'escape sequence not terminated';
      if ('abfnrtv\\'.includes(e) || e === q) continue;
      let n: number;
      let base: number;
      let max: number;
      let first: string | undefined = e;
      if (e >= '0' && e <= '7') [n, base, max] = [3, 8, 255];
      else if (e === 'x') [n, base, max, first] = [2, 16, 255, input[p++]];
      else if (e === 'u') [n, base, max, first] = [4, 16, 0x10ffff, input[p++]];
      else if (e === 'U') [n, base, max, first] = [8, 16, 0x10ffff, input[p++]];
      else return `unknown escape sequence ${JSON.stringify(`\\${e}`)}`;
      let x = 0;
      let ch = first;
      for (;;) {
        const d = ch === undefined ? 16 : Number.parseInt(ch, 16);
        if (Number.isNaN(d) || d >= base)
          return ch === undefined ? 'escape sequence not terminated' : `illegal character ${ch} in escape sequence`;
        x = x * base + d;
        if (--n === 0) break;
        ch = input[p++];
      }
      if (x > max || (x >= 0xd800 && x < 0xe000)) return 'escape sequence is an invalid Unicode code point';
    }
  }

  while (pos <= input.length) {
    const c = input[pos];
    if (c === '#') {
      const nl = input.slice(pos).search(/[\r\n]/);
      pos = nl < 0 ? input.length : pos + nl;
      continue;
    }
    if (cls(pos) & SPACE) {
      pos++;
      continue;
    }
    const start = pos;
    if (braceOpen) {
      if (c === undefined) return fail(start, 'unexpected end of input inside braces', start);
      if (cls(pos) & ALPHA) {
        while (isAlnum(pos)) pos++;
        push('ident', start, pos);
      } else if (c === ',') {
        pos++;
        push('punct', start, pos);
      } else if (c === '"' || c === "'" || c === '`') {
        const end = scanString(start);
        if (typeof end === 'string') return fail(start, end, input.length);
        pos = end;
        push('string', start, pos);
      } else if (c === '=') {
        pos += input[pos + 1] === '~' ? 2 : 1;
        push('op', start, pos);
      } else if (c === '!') {
        const n = input[pos + 1];
        if (n !== '~' && n !== '=')
          return fail(start, `unexpected character after '!' inside braces: ${JSON.stringify(n ?? '')}`);
        pos += 2;
        push('op', start, pos);
      } else if (c === '}') {
        pos++;
        push('punct', start, pos);
        braceOpen = false;
      } else if (c === '{') return fail(start, "unexpected left brace '{'");
      else return fail(start, `unexpected character inside braces: ${JSON.stringify(c)}`);
      continue;
    }
    if (c === undefined) {
      if (parenDepth > 0) return fail(start, 'unclosed left parenthesis', start);
      if (bracketOpen) return fail(start, 'unclosed left bracket', start);
      push('eof', start, start, '');
      return out;
    }
    if (isDigit(pos) || (c === '.' && isDigit(pos + 1))) {
      const end = scanNumber(start);
      if (end >= 0) {
        pos = end;
        push('number', start, pos);
        continue;
      }
      const dur = scanDuration(start);
      if (dur < 0) {
        let bad = start;
        while (isAlnum(bad) || input[bad] === '.') bad++;
        const text = input.slice(start, bad);
        const hint = text.includes('_') ? ' (digit separators need Prometheus 3)' : '';
        return fail(start, `bad number or duration syntax: ${JSON.stringify(text)}${hint}`, bad);
      }
      pos = dur;
      push('duration', start, pos);
      continue;
    }
    if (cls(pos) & ALPHA || c === ':') {
      if (bracketOpen) {
        if (c !== ':') return fail(start, `unexpected character: ${JSON.stringify(c)}, expected ":"`);
        if (gotColon) return fail(start, `unexpected colon ":"`);
        gotColon = true;
        pos++;
        push('punct', start, pos);
        continue;
      }
      while (isAlnum(pos) || input[pos] === ':') pos++;
      const word = input.slice(start, pos);
      const lower = word.toLowerCase();
      if (lower === 'inf' || lower === 'nan') push('number', start, pos);
      else if (KEYWORDS.has(lower)) push('kw', start, pos, lower);
      else push(word.includes(':') ? 'metric' : 'ident', start, pos);
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const end = scanString(start);
      if (typeof end === 'string') return fail(start, end, input.length);
      pos = end;
      push('string', start, pos);
      continue;
    }
    const two = input[pos + 1] === '=' || input[pos + 1] === '~' ? input.slice(pos, pos + 2) : '';
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      pos += 2;
      push('op', start, pos);
      continue;
    }
    if (two === '=~') return fail(start, `unexpected character after '=': "~"`);
    if (c === '!') return fail(start, `unexpected character after '!': ${JSON.stringify(input[pos + 1] ?? '')}`);
    pos++;
    if ('+-*/%^=<>@'.includes(c)) push('op', start, pos);
    else if (c === '(') {
      parenDepth++;
      push('punct', start, pos);
    } else if (c === ')') {
      push('punct', start, pos);
      if (--parenDepth < 0) return fail(start, "unexpected right parenthesis ')'");
    } else if (c === '{') {
      braceOpen = true;
      push('punct', start, pos);
    } else if (c === '[') {
      if (bracketOpen) return fail(start, "unexpected left bracket '['");
      bracketOpen = true;
      gotColon = false;
      push('punct', start, pos);
    } else if (c === ']') {
      if (!bracketOpen) return fail(start, "unexpected right bracket ']'");
      bracketOpen = false;
      push('punct', start, pos);
    } else if (c === ',') push('punct', start, pos);
    else return fail(start, `unexpected character: ${JSON.stringify(c)}`);
  }
  return out;
}
