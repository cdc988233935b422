/**
 * The series notation of promtool unit tests, as promql/parser's ParseSeriesDesc and ParseMetric
 * read it: a series is `name{label="value", ...}` (only `=`, values quoted), its values a
 * space-separated list of `1`, `-2.5`, `Inf`, `NaN`, `stale`, `_`, `_x3`, `1x3`, `1+2x3`, `1-2x3`
 * or a native histogram `{{...}}` (optionally `x3`, `+{{...}}x3`). promtool cannot load a test
 * group whose input series do not parse, so every mistake here is an error.
 */

export interface NotationError {
  message: string;
  from: number;
  to: number;
}

const SPACE = /\s/;
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const NUMBER = String.raw`(?:[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN]))`;
const UINT = String.raw`\d+`;
/** One value item other than a histogram. */
const ITEM = new RegExp(
  String.raw`^(?:_(?:x${UINT})?|stale|${NUMBER}(?:x${UINT})?|${NUMBER}[+-](?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?x${UINT})$`,
);

/** A series descriptor or a sample's labels: `name`, `name{a="b"}` or `{__name__="x", a="b"}`. */
export function seriesSelectorError(text: string, allowEmpty = false): NotationError | undefined {
  let p = 0;
  const skip = () => {
    while (p < text.length && SPACE.test(text[p]!)) p++;
  };
  const err = (message: string, at = p): NotationError => ({ message, from: at, to: Math.min(at + 1, text.length) });
  skip();
  if (p >= text.length) return allowEmpty ? undefined : err('empty series: expected a metric name or {labels}', 0);
  IDENT.lastIndex = p;
  let named = false;
  if (IDENT.test(text)) {
    p = IDENT.lastIndex;
    named = true;
  }
  skip();
  if (text[p] === '{') {
    p++;
    for (;;) {
      skip();
      if (text[p] === '}') {
        p++;
        break;
      }
      if (p >= text.length) return err('unclosed "{": expected "}"', text.lastIndexOf('{'));
      const name = labelName();
      if (typeof name !== 'string') return name;
      skip();
      const op = /^(=~|!=|!~)/.exec(text.slice(p))?.[0];
      if (op) return err(`unexpected ${JSON.stringify(op)}: a series is given with "=" only`);
      if (text[p] !== '=')
        return err(`unexpected ${JSON.stringify(text[p] ?? 'end')} after label ${JSON.stringify(name)}: expected "="`);
      p++;
      skip();
      const value = quoted();
      if (value) return value;
      skip();
      if (text[p] === ',') p++;
      else if (text[p] !== '}')
        return p >= text.length
          ? err('unclosed "{": expected "}"', text.lastIndexOf('{'))
          : err(`unexpected ${JSON.stringify(text[p])} in label set: expected "," or "}"`);
    }
  } else if (!named) return err(`unexpected ${JSON.stringify(text[p])}: expected a metric name or "{"`);
  skip();
  return p < text.length ? err(`unexpected ${JSON.stringify(text.slice(p, p + 10))} after the series`) : undefined;

  function labelName(): string | NotationError {
    if (text[p] === '"' || text[p] === "'" || text[p] === '`') {
      const start = p;
      const e = quoted();
      return e ?? text.slice(start + 1, p - 1);
    }
    LABEL.lastIndex = p;
    if (!LABEL.test(text)) return err(`unexpected ${JSON.stringify(text[p])}: expected a label name`);
    const name = text.slice(p, LABEL.lastIndex);
    p = LABEL.lastIndex;
    return name;
  }
  function quoted(): NotationError | undefined {
    const q = text[p];
    if (q !== '"' && q !== "'" && q !== '`')
      return err(`expected a quoted label value, got ${JSON.stringify(text[p] ?? 'end')}`);
    const start = p++;
    while (p < text.length && text[p] !== q) {
      if (q !== '`' && text[p] === '\\') p++;
      else if (q !== '`' && text[p] === '\n') break;
      p++;
    }
    if (text[p] !== q) return err('unterminated quoted string', start);
    p++;
    return undefined;
  }
}

/** The `values` of an input series. */
export function seriesValuesError(text: string): NotationError | undefined {
  let p = 0;
  while (p < text.length) {
    while (p < text.length && SPACE.test(text[p]!)) p++;
    if (p >= text.length) break;
    const start = p;
    if (text.startsWith('{{', p)) {
      const e = histogram();
      if (e) return e;
      continue;
    }
    while (p < text.length && !SPACE.test(text[p]!)) p++;
    const item = text.slice(start, p);
    if (!ITEM.test(item))
      return {
        message: `invalid value ${JSON.stringify(item)}: expected a number, Inf, NaN, stale, _, "axN", "a+bxN" or "a-bxN"`,
        from: start,
        to: p,
      };
  }
  return undefined;

  /** `{{...}}`, `{{...}}xN` or `{{...}}+{{...}}xN` (the fields are promql's to judge). */
  function histogram(): NotationError | undefined {
    const one = (): NotationError | undefined => {
      const end = text.indexOf('}}', p + 2);
      if (end < 0) return { message: 'unclosed histogram "{{": expected "}}"', from: p, to: p + 2 };
      p = end + 2;
      return undefined;
    };
    const start = p;
    const e = one();
    if (e) return e;
    if ((text[p] === '+' || text[p] === '-') && text.startsWith('{{', p + 1)) {
      p++;
      const e2 = one();
      if (e2) return e2;
      if (!/^x\d+/.test(text.slice(p)))
        return { message: 'a histogram increment needs a count: {{...}}+{{...}}xN', from: start, to: p };
    }
    const times = /^x\d+/.exec(text.slice(p));
    if (times) p += times[0].length;
    if (p < text.length && !SPACE.test(text[p]!))
      return { message: `unexpected ${JSON.stringify(text[p])} after a histogram`, from: p, to: p + 1 };
    return undefined;
  }
}
