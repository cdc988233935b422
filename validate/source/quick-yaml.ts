/**
 * A loader for the YAML rule files are made of, and nothing else: block mappings and lists,
 * one-line plain and quoted scalars, `|` and `>` blocks, comments, `---` between documents. A
 * validate run over a CI tree spends most of its time in js-yaml's tokenizer, and in a short
 * process that code never gets past V8's interpreter; this one walks lines with native string
 * search and regexes, several times faster cold. Whatever it is not sure of (anchors, tags, flow
 * collections, quoted keys, multi-line plain or quoted scalars, odd numbers, tabs, control
 * characters) makes it return undefined, and the caller loads the file with js-yaml as before.
 * When it answers, the answer is what js-yaml's loadAll returns (quick-yaml.test.ts compares
 * both on real and mutated files).
 */

/** Not in the subset: the caller falls back to js-yaml. */
class Unsure extends Error {}
const unsure = (): never => {
  throw new Unsure();
};

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +(.*))?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const BAD_CHARS = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]|\r(?!\n)/;
/** Numbers the core schema would resolve (int, float, octal, hex, inf, nan). */
const NUMERIC =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const SIMPLE_NUMBER = /^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;
/** How a plain scalar in this subset may not start: an indicator (`-`, `?`, `:` only before a space). */
const INDICATOR = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?: |$))/;

/**
 * Where each mapping that is an item of a list starts (its first key) and where the lines that
 * belong to it end (the start of the next line with content, or the end of the text): what
 * fragment-positions.ts cuts out to place a finding.
 */
export type ItemSpans = WeakMap<object, { start: number; end: number }>;

/** The documents of `text`, or undefined when the text is outside the subset. */
export function quickLoad(text: string, spans?: ItemSpans): unknown[] | undefined {
  if (BAD_CHARS.test(text) || !text.endsWith('\n')) return undefined;
  try {
    return new Reader(text, spans).documents();
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

/**
 * Lines as offsets into the text, each line's string made when asked and dropped right after:
 * a million live line strings would survive every young-generation GC of a big file.
 */
class Reader {
  private i = 0;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  readonly count: number;
  /** Lines re-read with their compact-list dash turned into indentation. */
  private readonly rewritten = new Map<number, string>();

  constructor(
    private readonly text: string,
    private readonly spans?: ItemSpans,
  ) {
    let n = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    let from = 0;
    for (let k = 0; k < n; k++) {
      const nl = text.indexOf('\n', from);
      this.starts[k] = from;
      this.ends[k] = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      from = nl + 1;
    }
    this.count = n;
  }

  private line(k: number): string {
    return this.rewritten.get(k) ?? this.text.slice(this.starts[k]!, this.ends[k]!);
  }

  documents(): unknown[] {
    const docs: unknown[] = [];
    const first = this.next();
    if (first < 0) unsure(); // empty or only comments: js-yaml's count of documents
    if (this.line(first) === '---') this.i = first + 1;
    for (;;) {
      const at = this.next();
      const line = at < 0 ? '---' : this.line(at);
      if (line === '---') unsure(); // an empty document
      const indent = indentOf(line);
      if (isDash(line, indent)) unsure(); // a top-level list: the positioned path judges
      docs.push(this.map(indent));
      const after = this.next();
      if (after < 0) return docs;
      if (this.line(after) !== '---') unsure();
      this.i = after + 1;
    }
  }

  /** Index of the next line with content (not blank, not only a comment) from the cursor; -1 at the end. */
  private next(): number {
    const t = this.text;
    for (let k = this.i; k < this.count; k++) {
      if (this.rewritten.has(k)) return k;
      let c = this.starts[k]!;
      const end = this.ends[k]!;
      while (c < end && t.charCodeAt(c) === 32) c++;
      if (c < end && t.charCodeAt(c) !== 35) return k;
    }
    return -1;
  }

  /** A block value below a key or dash at `parent` indentation: a map, a list, or nothing (null). */
  private nested(parent: number, listAtSameIndent: boolean): unknown {
    const at = this.next();
    const line = at < 0 ? '---' : this.line(at);
    if (line === '---') return null;
    const indent = indentOf(line);
    const dash = isDash(line, indent);
    if (indent > parent) return dash ? this.list(indent) : this.map(indent);
    if (indent === parent && listAtSameIndent && dash) return this.list(indent);
    return null;
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const at = this.next();
      const line = at < 0 ? '---' : this.line(at);
      if (line === '---') return out;
      const n = indentOf(line);
      if (n < indent) return out;
      // Deeper than the keys, or a list at their indentation that no key took: not ours.
      if (n > indent || line[n] === '-') unsure();
      const m = KEY.exec(line.slice(n));
      if (!m) unsure();
      const key = m![1]!;
      // js-yaml turns keys that resolve to numbers, booleans or null into strings its own way.
      if (
        key === '__proto__' ||
        Object.hasOwn(out, key) ||
        (NUMERIC.test(key) && !/^(?:0|[1-9][0-9]{0,14})$/.test(key))
      )
        unsure();
      if (/^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/.test(key)) unsure();
      this.i = at + 1;
      const rest = m![2] === undefined ? '' : m![2];
      out[key] = isEmptyRest(rest) ? this.nested(n, true) : this.inline(rest, n);
    }
  }

  private list(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const at = this.next();
      const line = at < 0 ? '---' : this.line(at);
      if (line === '---') return out;
      const n = indentOf(line);
      if (n < indent) return out;
      if (n > indent) unsure();
      if (!isDash(line, n)) {
        if (line[n] === '-') unsure();
        return out; // the parent map's next key (a list at its key's indentation)
      }
      this.i = at + 1;
      let rest = line.slice(n + 1);
      const pad = rest.length - rest.trimStart().length;
      rest = rest.slice(pad);
      if (isEmptyRest(rest)) {
        out.push(this.nested(n, false));
        continue;
      }
      const col = n + 1 + pad;
      if (KEY.test(rest) || rest.startsWith('- ') || rest === '-') {
        // A compact map or list: read it as if its first line started at its own column.
        this.i = at;
        this.rewritten.set(at, ' '.repeat(col) + rest);
        if (rest.startsWith('-')) {
          out.push(this.list(col));
          continue;
        }
        const item = this.map(col);
        if (this.spans) {
          const nx = this.next();
          const end = nx < 0 ? this.text.length : this.line(nx) === '---' ? -1 : this.starts[nx]!;
          if (end >= 0) this.spans.set(item, { start: this.starts[at]! + col, end });
        }
        out.push(item);
        continue;
      }
      out.push(this.inline(rest, n));
    }
  }

  /** A value on the key's (or dash's) own line; a block scalar reads the lines below. */
  private inline(rest: string, parent: number): unknown {
    const c = rest[0];
    let value: unknown;
    if (c === '|' || c === '>') return this.block(rest, parent);
    if (c === '"') value = doubleQuoted(rest);
    else if (c === "'") value = singleQuoted(rest);
    else if (rest === '{}' || rest.startsWith('{} #')) value = {};
    else if (rest === '[]' || rest.startsWith('[] #')) value = [];
    else value = plain(rest);
    // A line below more indented than the key would continue a multi-line scalar.
    const at = this.next();
    if (at >= 0 && indentOf(this.line(at)) > parent) unsure();
    return value;
  }

  private block(header: string, parent: number): string {
    const m = /^([|>])([-+]?)$/.exec(header);
    if (!m) unsure();
    const folded = m![1] === '>';
    const chomp = m![2];
    let k = this.i;
    // The first content line sets the indentation; leading blank lines are left to js-yaml.
    if (k >= this.count || this.line(k).trim() === '') unsure();
    const indent = indentOf(this.line(k));
    if (indent <= parent) unsure();
    const body: string[] = [];
    for (; k < this.count; k++) {
      const l = this.line(k);
      if (l.trim() === '') {
        body.push(l.length > indent ? l.slice(indent) : '');
        continue;
      }
      if (indentOf(l) < indent) break;
      body.push(l.slice(indent));
    }
    // Trailing blank lines: kept only by `+`; they may also separate the block from what follows.
    let end = body.length;
    while (end > 0 && body[end - 1] === '') end--;
    const trailing = body.length - end;
    const content = body.slice(0, end);
    if (content.some((l) => l !== '' && l.trim() === '')) unsure(); // whitespace-only lines: js-yaml's business
    this.i = k;
    let text: string;
    if (folded) {
      if (content.some((l) => l.startsWith(' '))) unsure(); // more-indented lines are not folded
      const parts: string[] = [];
      let blank = 0;
      for (const l of content) {
        if (l === '') {
          blank++;
          continue;
        }
        if (parts.length) parts.push(blank ? '\n'.repeat(blank) : ' ');
        parts.push(l);
        blank = 0;
      }
      text = parts.join('');
    } else text = content.join('\n');
    if (chomp === '-') return text;
    if (chomp === '+') return `${text}\n${'\n'.repeat(trailing)}`;
    return `${text}\n`;
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** `-` alone or followed by a space at `indent`: a list item. */
const isDash = (line: string, indent: number): boolean =>
  line[indent] === '-' && (line.length === indent + 1 || line[indent + 1] === ' ');

const isEmptyRest = (rest: string): boolean => rest === '' || rest.startsWith('#');

/** After a closing quote: nothing, or a comment. */
function endOfValue(tail: string): void {
  const t = tail.trimStart();
  if (t !== '' && !(t.startsWith('#') && t.length < tail.length)) unsure();
}

function singleQuoted(rest: string): string {
  // Whole runs are sliced, never appended char by char: that builds a rope V8 must flatten.
  let out = '';
  for (let k = 1; ; ) {
    const q = rest.indexOf("'", k);
    if (q < 0) return unsure();
    out += rest.slice(k, q);
    if (rest[q + 1] === "'") {
      out += "'";
      k = q + 2;
      continue;
    }
    endOfValue(rest.slice(q + 1));
    return out;
  }
}

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
  ' ': ' ',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

function doubleQuoted(rest: string): string {
  let out = '';
  for (let k = 1; ; ) {
    const q = rest.indexOf('"', k);
    const bs = rest.indexOf('\\', k);
    if (q < 0) return unsure();
    if (bs < 0 || q < bs) {
      out += rest.slice(k, q);
      endOfValue(rest.slice(q + 1));
      return out;
    }
    out += rest.slice(k, bs);
    const e = rest[bs + 1];
    if (e === undefined) unsure();
    const simple = ESCAPES[e!];
    if (simple !== undefined) {
      out += simple;
      k = bs + 2;
      continue;
    }
    const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = rest.slice(bs + 2, bs + 2 + len);
    if (!len || hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) unsure();
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) unsure();
    out += String.fromCodePoint(code);
    k = bs + 2 + len;
  }
}

function plain(rest: string): unknown {
  const hash = rest.indexOf(' #');
  const text = (hash >= 0 ? rest.slice(0, hash) : rest).trimEnd();
  if (INDICATOR.test(text) || text.includes(': ') || text.endsWith(':')) unsure();
  switch (text) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  if (NUMERIC.test(text)) return SIMPLE_NUMBER.test(text) ? Number(text) : unsure();
  return text;
}
