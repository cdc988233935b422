/**
 * Go text/template syntax as Prometheus parses alert labels and annotations: unclosed actions,
 * unknown functions, undefined variables, unbalanced if/range/with/end. Also returns which
 * `$labels.x` (and `index $labels "x"`) the template reads, so the rule check can warn about
 * labels the expression drops. Prometheus declares `$labels`, `$value`, `$externalLabels` and
 * `$externalURL` in a header before the text, and so does this checker.
 */
import { SIMPLE as GO_ESCAPES } from './promql/literals.js';

export interface TemplateIssue {
  message: string;
  from: number;
  to: number;
}

export interface TemplateAnalysis {
  issues: TemplateIssue[];
  labelRefs: { name: string; from: number; to: number }[];
}

const GO_FUNCS = [
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
];
const PROM_FUNCS = [
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'pathPrefix',
  'externalURL',
  'parseDuration',
  'stripPort',
  'stripDomain',
  'toTime',
  'toDuration',
  'now',
];
export const templateFunctions: ReadonlySet<string> = new Set([...GO_FUNCS, ...PROM_FUNCS]);
const PREDECLARED = ['$', '$labels', '$value', '$externalLabels', '$externalURL'];

type Kind =
  | 'ident'
  | 'keyword'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'field'
  | 'var'
  | 'string'
  | 'rawstring'
  | 'char'
  | 'number'
  | 'lparen'
  | 'rparen'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'other'
  | 'end';

interface Tok {
  kind: Kind;
  text: string;
  from: number;
  to: number;
  /** Whitespace precedes it (Go emits a space item the parser sees). */
  space: boolean;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

class TemplateError extends Error {
  constructor(
    message: string,
    readonly from: number,
    readonly to: number,
  ) {
    super(message);
  }
}

const cache = new Map<string, TemplateAnalysis>();

/**
 * Go's text/template parse package (lex.go, parse.go) as Prometheus runs it: the first error
 * stops the parse, as in Go, so at most one issue is returned.
 */
export function checkGoTemplate(src: string): TemplateAnalysis {
  if (!src.includes('{{')) return { issues: [], labelRefs: [] };
  const hit = cache.get(src);
  if (hit) return hit;
  const result = analyse(src);
  if (cache.size > 5000) cache.clear();
  cache.set(src, result);
  return result;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

interface Frame {
  kind: 'if' | 'with' | 'range' | 'define' | 'block';
  from: number;
  /** An {{else}} was seen (a second one is an error; break/continue no longer in range). */
  elsed: boolean;
  /** Number of variables in scope when the frame opened (popped at {{end}}). */
  vars: number;
  /** For define/block: the name, and the variables of the enclosing tree. */
  name?: string;
  outer?: string[];
  empty?: boolean;
}

function analyse(src: string): TemplateAnalysis {
  const labelRefs: TemplateAnalysis['labelRefs'] = [];
  try {
    parseTemplate(src, labelRefs);
    return { issues: [], labelRefs };
  } catch (e) {
    if (e instanceof TemplateError) return { issues: [{ message: e.message, from: e.from, to: e.to }], labelRefs };
    throw e;
  }
}

function parseTemplate(src: string, labelRefs: TemplateAnalysis['labelRefs']): void {
  let vars: string[] = [...PREDECLARED];
  const stack: Frame[] = [];
  /** Template names defined with a non-empty body. */
  const defined = new Set<string>();
  const fail: (message: string, from: number, to?: number) => never = (message, from, to = from + 1) => {
    throw new TemplateError(message, from, to);
  };
  const markNonEmpty = () => {
    for (const f of stack) f.empty = false;
  };
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      if (src.slice(i).trim()) markNonEmpty();
      break;
    }
    if (src.slice(i, open).trim()) markNonEmpty();
    let p = open + 2;
    if (src[p] === '-' && isSpace(src[p + 1])) p += 2;
    if (src.startsWith('/*', p)) {
      const endComment = src.indexOf('*/', p + 2);
      if (endComment < 0) fail('unclosed comment', open, src.length);
      const q = endComment + 2;
      if (src.startsWith('}}', q)) i = q + 2;
      else if (src.startsWith(' -}}', q)) i = q + 4;
      else fail('comment ends before closing delimiter', open, q);
      continue;
    }
    const toks = lexAction(src, p, fail);
    i = toks[toks.length - 1]!.to;
    const parser = new ActionParser(toks, () => vars, labelRefs, fail, open, i);
    const first = toks[0]!;
    const top = stack[stack.length - 1];
    const kw = first.kind === 'keyword' ? first.text : '';
    switch (kw) {
      case 'if':
      case 'with':
      case 'range': {
        markNonEmpty();
        const frame: Frame = { kind: kw, from: open, elsed: false, vars: vars.length };
        parser.pos = 1;
        parser.pipeline(kw, 'end');
        stack.push(frame);
        break;
      }
      case 'else': {
        parser.pos = 1;
        const next = parser.peekNonSpace();
        if (!top || top.kind === 'define' || top.kind === 'block') fail('unexpected {{else}}', open, i);
        if (top.elsed) fail('expected end; found {{else}}', open, i);
        if (next.kind === 'keyword' && next.text === 'if') {
          if (top.kind !== 'if') fail(`unexpected <if> in else`, next.from, next.to);
          parser.pos++;
          parser.pipeline('if', 'end');
        } else {
          parser.expect('end', 'else');
          top.elsed = true;
        }
        break;
      }
      case 'end': {
        parser.pos = 1;
        parser.expect('end', 'end');
        const f = stack.pop();
        if (!f) fail('unexpected {{end}}', open, i);
        if (f.kind === 'define' || f.kind === 'block') {
          if (defined.has(f.name!) && !f.empty)
            fail(`template: multiple definition of template ${JSON.stringify(f.name)}`, f.from, f.from + 2);
          if (!f.empty) defined.add(f.name!);
          vars = f.outer!;
        } else vars.length = f.vars;
        break;
      }
      case 'define':
      case 'block': {
        if (kw === 'define' && stack.length) fail('unexpected <define> in command', first.from, first.to);
        if (kw === 'block') markNonEmpty();
        parser.pos = 1;
        const name = parser.templateName(`${kw} clause`);
        if (kw === 'define') parser.expect('end', 'define clause');
        else parser.pipeline('block clause', 'end');
        stack.push({ kind: kw, from: open, elsed: false, vars: 0, name, outer: vars, empty: true });
        vars = ['$'];
        break;
      }
      case 'template': {
        markNonEmpty();
        parser.pos = 1;
        parser.templateName('template clause');
        if (parser.peekNonSpace().kind !== 'end') parser.pipeline('template clause', 'end');
        break;
      }
      case 'break':
      case 'continue': {
        parser.pos = 1;
        const t = parser.nextNonSpace();
        if (t.kind !== 'end') fail(`unexpected ${describe(t)} in {{${kw}}}`, t.from, t.to);
        if (!stack.some((f) => f.kind === 'range' && !f.elsed)) fail(`{{${kw}}} outside {{range}}`, open, i);
        break;
      }
      default:
        markNonEmpty();
        parser.pipeline('command', 'end');
    }
  }
  const last = stack[stack.length - 1];
  if (last) fail(`unexpected EOF: {{${last.kind}}} is never closed with {{end}}`, last.from, last.from + 2);
}

function describe(t: Tok): string {
  if (t.kind === 'end') return '<end of action>';
  if (t.kind === 'keyword') return `<${t.text}>`;
  return JSON.stringify(t.text);
}

class ActionParser {
  pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly vars: () => string[],
    private readonly labelRefs: TemplateAnalysis['labelRefs'],
    private readonly fail: (message: string, from: number, to?: number) => never,
    private readonly from: number,
    private readonly to: number,
  ) {}

  peekNonSpace(): Tok {
    return this.toks[this.pos]!;
  }
  nextNonSpace(): Tok {
    const t = this.toks[this.pos]!;
    if (t.kind !== 'end') this.pos++;
    return t;
  }
  expect(kind: Kind, context: string): Tok {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.fail(`unexpected ${describe(t)} in ${context}`, t.from, t.to);
    return t;
  }
  templateName(context: string): string {
    const t = this.nextNonSpace();
    if (t.kind !== 'string' && t.kind !== 'rawstring')
      this.fail(`unexpected ${describe(t)} in ${context}`, t.from, t.to);
    return this.unquote(t);
  }
  unquote(t: Tok): string {
    if (t.kind === 'rawstring') return t.text.slice(1, -1);
    const r = unquoteGo(t.text);
    if (r === undefined) this.fail('invalid syntax', t.from, t.to);
    return r;
  }

  /** parse.go pipeline(): declarations, then commands separated by |, up to `end`. */
  pipeline(context: string, end: 'end' | 'rparen'): void {
    const vars = this.vars();
    const decl: Tok[] = [];
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'var') break;
      const next = this.toks[this.pos + 1]!;
      if (next.kind === 'declare' || next.kind === 'assign') {
        this.pos += 2;
        decl.push(v);
        vars.push(v.text);
        break;
      }
      if (next.kind === 'comma') {
        this.pos += 2;
        decl.push(v);
        vars.push(v.text);
        if (context === 'range' && decl.length < 2) {
          const k = this.peekNonSpace().kind;
          if (k === 'var' || k === 'end' || k === 'rparen') continue;
          this.fail('range can only initialize variables', v.from, next.to);
        }
        this.fail(`too many declarations in ${context}`, v.from, next.to);
      }
      break;
    }
    const stages: Tok[] = [];
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === end) {
        this.pos++;
        if (!stages.length) this.fail(`missing value for ${context}`, this.from, this.to);
        for (let k = 1; k < stages.length; k++) {
          const s = stages[k]!;
          if (['bool', 'dot', 'nil', 'number', 'char', 'string', 'rawstring'].includes(s.kind))
            this.fail(`non executable command in pipeline stage ${k + 1}`, s.from, s.to);
        }
        return;
      }
      if (
        ['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'rawstring', 'string', 'var', 'lparen'].includes(
          t.kind,
        )
      ) {
        stages.push(t);
        this.command();
      } else this.fail(`unexpected ${describe(t)} in ${context}`, t.from, t.to);
    }
  }

  /** parse.go command(): operands separated by spaces, ended by |, ) or the right delimiter. */
  command(): void {
    const args: Tok[] = [];
    for (;;) {
      const start = this.pos;
      if (this.operand()) args.push(this.toks[start]!);
      const t = this.toks[this.pos]!;
      if (t.kind === 'end' || t.kind === 'rparen') break;
      if (t.kind === 'pipe') {
        this.pos++;
        break;
      }
      if (t.space && this.pos > start) continue;
      this.fail(`unexpected ${describe(t)} in operand`, t.from, t.to);
    }
    if (!args.length) this.fail('empty command', this.from, this.to);
    const [a0, a1, a2] = args;
    if (a0?.kind === 'ident' && a0.text === 'index' && a1?.kind === 'var' && a1.text === '$labels') {
      const after = this.toks[this.toks.indexOf(a1) + 1];
      if (after?.kind !== 'field' && a2?.kind === 'string') {
        const name = unquoteGo(a2.text);
        if (name !== undefined) this.labelRefs.push({ name, from: a2.from, to: a2.to });
      }
    }
  }

  /** parse.go operand(): a term and the .field chain glued to it. */
  operand(): boolean {
    const t = this.term();
    if (!t) return false;
    let next = this.toks[this.pos]!;
    if (next.kind === 'field' && !next.space) {
      if (['bool', 'string', 'rawstring', 'number', 'char', 'nil', 'dot'].includes(t.kind))
        this.fail(`unexpected . after term ${JSON.stringify(t.text)}`, next.from, next.to);
      if (t.kind === 'var' && t.text === '$labels')
        this.labelRefs.push({ name: next.text.slice(1), from: t.from, to: next.to });
      while (next.kind === 'field' && !next.space) {
        this.pos++;
        next = this.toks[this.pos]!;
      }
    }
    return true;
  }

  term(): Tok | undefined {
    const t = this.peekNonSpace();
    switch (t.kind) {
      case 'ident':
        if (!templateFunctions.has(t.text)) this.fail(`function ${JSON.stringify(t.text)} not defined`, t.from, t.to);
        break;
      case 'var':
        if (!this.vars().includes(t.text)) this.fail(`undefined variable ${JSON.stringify(t.text)}`, t.from, t.to);
        break;
      case 'number':
      case 'char': {
        const err = t.kind === 'char' ? charError(t.text) : numberError(t.text);
        if (err) this.fail(err, t.from, t.to);
        break;
      }
      case 'string':
        this.unquote(t);
        break;
      case 'lparen':
        this.pos++;
        this.pipeline('parenthesized pipeline', 'rparen');
        return t;
      case 'dot':
      case 'nil':
      case 'field':
      case 'bool':
      case 'rawstring':
        break;
      default:
        return undefined;
    }
    this.pos++;
    return t;
  }
}

/** lex.go's lexInsideAction, for one action; the last token is the right delimiter ('end'). */
function lexAction(src: string, start: number, fail: (m: string, from: number, to?: number) => never): Tok[] {
  const tokens: Tok[] = [];
  let p = start;
  let space = false;
  let parens = 0;
  const atTerminator = (q: number) => {
    const c = src[q];
    return c === undefined || isSpace(c) || '.,|:()'.includes(c) || src.startsWith('}}', q);
  };
  for (;;) {
    if (src.startsWith('}}', p) || (src.startsWith(' -}}', p) && p > start)) {
      if (parens > 0) fail('unclosed left paren', p, p + 2);
      const to = src.startsWith('}}', p) ? p + 2 : p + 4;
      tokens.push({ kind: 'end', text: '}}', from: p, to, space });
      return tokens;
    }
    if (p >= src.length) fail('unclosed action', start - 2, src.length);
    const c = src[p]!;
    if (isSpace(c)) {
      space = true;
      p++;
      continue;
    }
    const from = p;
    const push = (kind: Kind, to: number) => {
      tokens.push({ kind, text: src.slice(from, to), from, to, space });
      space = false;
      p = to;
    };
    if (c === '"' || c === "'") {
      let q = p + 1;
      for (;;) {
        const d = src[q];
        if (d === '\\') {
          q++;
          if (src[q] === undefined || src[q] === '\n')
            fail(`unterminated ${c === '"' ? 'quoted string' : 'character constant'}`, from);
        } else if (d === undefined || d === '\n')
          fail(`unterminated ${c === '"' ? 'quoted string' : 'character constant'}`, from);
        else if (d === c) break;
        q++;
      }
      push(c === '"' ? 'string' : 'char', q + 1);
      continue;
    }
    if (c === '`') {
      const q = src.indexOf('`', p + 1);
      if (q < 0) fail('unterminated raw quoted string', from);
      push('rawstring', q + 1);
      continue;
    }
    if (c === ':') {
      if (src[p + 1] !== '=') fail('expected :=', from);
      push('declare', p + 2);
      continue;
    }
    if (c === '|' || c === '=' || c === ',' || c === '(' || c === ')') {
      if (c === '(') parens++;
      if (c === ')' && --parens < 0) fail(`unexpected right paren`, from);
      push(c === '|' ? 'pipe' : c === '=' ? 'assign' : c === ',' ? 'comma' : c === '(' ? 'lparen' : 'rparen', p + 1);
      continue;
    }
    if (c === '$' || (c === '.' && !/[0-9]/.test(src[p + 1] ?? ''))) {
      // lexFieldOrVariable: "$" or "." alone, else alphanumerics up to a terminator.
      let q = p + 1;
      if (atTerminator(q)) {
        push(c === '$' ? 'var' : 'dot', q);
        continue;
      }
      while (isAlnum(src[q])) q++;
      if (!atTerminator(q)) fail(`bad character ${goRune(src, q)}`, q);
      push(c === '$' ? 'var' : 'field', q);
      continue;
    }
    if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
      const q = scanNumber(src, p);
      if (q < 0) {
        const bad = -q;
        fail(`bad number syntax: ${JSON.stringify(src.slice(from, bad))}`, from, bad);
      }
      push('number', q);
      continue;
    }
    if (isAlnum(c)) {
      let q = p;
      while (isAlnum(src[q])) q++;
      if (!atTerminator(q)) fail(`bad character ${goRune(src, q)}`, q);
      const w = src.slice(p, q);
      push(KEYWORDS.has(w) ? 'keyword' : w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident', q);
      continue;
    }
    push('other', p + (c.codePointAt(0)! > 0xffff ? 2 : 1));
  }
}

function goRune(src: string, q: number): string {
  const cp = src.codePointAt(q) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(cp)}'`;
}

/** lex.go scanNumber: the end of the number, or minus (one past) the end of a bad one. */
function scanNumber(src: string, p: number): number {
  let q = p;
  const accept = (set: string) => {
    if (src[q] !== undefined && set.includes(src[q]!)) {
      q++;
      return true;
    }
    return false;
  };
  const run = (set: string) => {
    while (accept(set));
  };
  accept('+-');
  let digits = '0123456789_';
  if (accept('0')) {
    if (accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (accept('oO')) digits = '01234567_';
    else if (accept('bB')) digits = '01_';
  }
  run(digits);
  if (accept('.')) run(digits);
  if (digits.length === 11 && accept('eE')) {
    accept('+-');
    run('0123456789_');
  }
  if (digits.length === 23 && accept('pP')) {
    accept('+-');
    run('0123456789_');
  }
  accept('i');
  if (isAlnum(src[q])) return -(q + 1);
  return q;
}

/** parse.go newNumber for a number token: strconv.ParseUint/ParseInt/ParseFloat (base 0). */
export function numberError(text: string): string | undefined {
  if (text.endsWith('i') && parseGoFloat(text.slice(0, -1)) !== undefined) return undefined;
  if (parseGoInt(text) !== undefined) return undefined;
  const f = parseGoFloat(text);
  if (f !== undefined) return /[.eEpP]/.test(text) ? undefined : `integer overflow: ${JSON.stringify(text)}`;
  return `illegal number syntax: ${JSON.stringify(text)}`;
}

function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = 'xX'.includes(s[1]!);
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt or ParseUint with base 0: a value within int64/uint64, else undefined. */
function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let body = s;
  if (s[0] === '0' && s.length > 1) {
    const b = s[1]!.toLowerCase();
    if (b === 'x' || b === 'o' || b === 'b') {
      base = b === 'x' ? 16 : b === 'o' ? 8 : 2;
      body = s.slice(2);
    } else {
      base = 8;
      body = s.slice(1);
    }
  }
  if (body.includes('_') && !underscoreOK(text)) return undefined;
  const digits = body.replace(/_/g, '');
  if (!digits) return undefined;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!valid.test(digits)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base]!;
  const v = BigInt(prefix + digits) * (neg ? -1n : 1n);
  if (v > 0xffffffffffffffffn || v < -(2n ** 63n)) return undefined;
  return v;
}

/** strconv.ParseFloat(text, 64) as far as validity goes (Inf/NaN words never reach here). */
function parseGoFloat(text: string): number | undefined {
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const s = text.replace(/_/g, '');
  const hex = /^[+-]?0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (hex) {
    const mant = (hex[1] ?? '') + (hex[2] ?? '');
    if (!mant) return undefined;
    const v =
      Number.parseInt(mant.slice(0, 15) || '0', 16) *
      2 ** (Number(hex[3]) - 4 * (hex[2] ?? '').length + 4 * Math.max(0, mant.length - 15));
    return Number.isFinite(v) ? v : undefined;
  }
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** strconv.UnquoteChar over a whole quoted literal: the unquoted text, or undefined if invalid. */
function unquoteGo(lit: string): string | undefined {
  const quote = lit[0]!;
  let out = '';
  let k = 1;
  const end = lit.length - 1;
  while (k < end) {
    const r = unquoteChar(lit, k, quote);
    if (!r) return undefined;
    out += r.value;
    k = r.next;
  }
  return out;
}

function unquoteChar(s: string, k: number, quote: string): { value: string; next: number } | undefined {
  const c = s[k]!;
  if (c === quote && (quote === "'" || quote === '"')) return undefined;
  if (c !== '\\') {
    const cp = s.codePointAt(k)!;
    return { value: String.fromCodePoint(cp), next: k + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[k + 1];
  if (e === undefined) return undefined;
  // A quote is an escape only inside its own kind of literal.
  if (e === "'" || e === '"') return e === quote ? { value: e, next: k + 2 } : undefined;
  if (e in GO_ESCAPES) return { value: GO_ESCAPES[e]!, next: k + 2 };
  const n = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (n) {
    const h = s.slice(k + 2, k + 2 + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
    const v = Number.parseInt(h, 16);
    if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))) return undefined;
    return { value: e === 'x' ? String.fromCharCode(v) : String.fromCodePoint(v), next: k + 2 + n };
  }
  if (/[0-7]/.test(e)) {
    const o = s.slice(k + 1, k + 4);
    if (!/^[0-7]{3}$/.test(o)) return undefined;
    const v = Number.parseInt(o, 8);
    if (v > 255) return undefined;
    return { value: String.fromCharCode(v), next: k + 4 };
  }
  return undefined;
}

/** parse.go newNumber for a character constant. */
function charError(text: string): string | undefined {
  if (text.length < 3) return 'invalid syntax';
  const r = unquoteChar(text, 1, "'");
  if (!r) return 'invalid syntax';
  if (text.slice(r.next) !== "'") return `malformed character constant: ${text}`;
  return undefined;
}
