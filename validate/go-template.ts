/**
 * Go text/template syntax as Prometheus parses alert labels and annotations: unclosed actions,
 * unknown functions, undefined variables, unbalanced if/range/with/end. Also returns which
 * `$labels.x` (and `index $labels "x"`) the template reads, so the rule check can warn about
 * labels the expression drops. Prometheus declares `$labels`, `$value`, `$externalLabels` and
 * `$externalURL` in a header before the text, and so does this checker.
 */
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

interface Tok {
  kind:
    | 'ident'
    | 'field'
    | 'var'
    | 'string'
    | 'number'
    | 'char'
    | 'lparen'
    | 'rparen'
    | 'pipe'
    | 'declare'
    | 'assign'
    | 'comma'
    | 'dot'
    | 'bad';
  text: string;
  from: number;
  to: number;
}

const cache = new Map<string, TemplateAnalysis>();

export function checkGoTemplate(src: string): TemplateAnalysis {
  if (!src.includes('{{')) return { issues: [], labelRefs: [] };
  const hit = cache.get(src);
  if (hit) return hit;
  const result = analyse(src);
  if (cache.size > 5000) cache.clear();
  cache.set(src, result);
  return result;
}

function analyse(src: string): TemplateAnalysis {
  const issues: TemplateIssue[] = [];
  const labelRefs: TemplateAnalysis['labelRefs'] = [];
  const scopes: Set<string>[] = [new Set(PREDECLARED)];
  const stack: { kind: string; from: number }[] = [];
  const defined = (v: string) => scopes.some((s) => s.has(v));
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) break;
    let p = open + 2;
    if (src[p] === '-' && /\s/.test(src[p + 1] ?? '')) p += 2;
    while (/\s/.test(src[p] ?? '')) p++;
    if (src.startsWith('/*', p)) {
      const endComment = src.indexOf('*/', p + 2);
      if (endComment < 0) return fail(issues, labelRefs, 'unclosed comment', open, src.length);
      let q = endComment + 2;
      while (/\s/.test(src[q] ?? '')) q++;
      if (src[q] === '-') q++;
      if (!src.startsWith('}}', q)) return fail(issues, labelRefs, 'comment ends before closing delimiter', open, q);
      i = q + 2;
      continue;
    }
    const lexed = lexAction(src, p);
    if ('error' in lexed) return fail(issues, labelRefs, lexed.error, lexed.at, lexed.at + 1);
    i = lexed.end;
    const toks = lexed.tokens;
    const first = toks[0];
    if (!first) {
      issues.push({ message: 'missing value for command', from: open, to: i });
      continue;
    }
    const kw = first.kind === 'ident' ? first.text : '';
    const body = toks.slice(1);
    const pipeline = (ts: Tok[], ctx: string) => checkPipeline(ts, ctx, open, i);
    switch (kw) {
      case 'if':
      case 'with':
      case 'range':
        scopes.push(new Set());
        stack.push({ kind: kw, from: open });
        pipeline(body, kw);
        break;
      case 'else': {
        const top = stack[stack.length - 1];
        if (!top || !['if', 'with', 'range'].includes(top.kind))
          issues.push({ message: 'unexpected {{else}}', from: open, to: i });
        scopes.pop();
        scopes.push(new Set());
        if (body[0]?.kind === 'ident' && (body[0].text === 'if' || body[0].text === 'with'))
          pipeline(body.slice(1), body[0].text);
        else if (body.length)
          issues.push({
            message: `unexpected ${JSON.stringify(body[0]?.text)} in else`,
            from: body[0]!.from,
            to: body[0]!.to,
          });
        break;
      }
      case 'end':
        if (!stack.pop()) issues.push({ message: 'unexpected {{end}}', from: open, to: i });
        else scopes.pop();
        if (body.length) issues.push({ message: 'unexpected token in end', from: body[0]!.from, to: body[0]!.to });
        break;
      case 'define':
      case 'block':
        stack.push({ kind: kw, from: open });
        scopes.push(new Set(['$']));
        if (body[0]?.kind !== 'string')
          issues.push({ message: `${kw} clause needs a quoted name`, from: first.from, to: first.to });
        if (kw === 'block') pipeline(body.slice(1), kw);
        break;
      case 'template':
        if (body[0]?.kind !== 'string')
          issues.push({ message: 'template clause needs a quoted name', from: first.from, to: first.to });
        else if (body.length > 1) pipeline(body.slice(1), kw);
        break;
      case 'break':
      case 'continue':
        if (!stack.some((s) => s.kind === 'range'))
          issues.push({ message: `{{${kw}}} outside {{range}}`, from: open, to: i });
        break;
      default:
        pipeline(toks, 'command');
    }
  }
  for (const s of stack)
    issues.push({
      message: `unexpected EOF: {{${s.kind}}} is never closed with {{end}}`,
      from: s.from,
      to: s.from + 2,
    });
  return { issues, labelRefs };

  function checkPipeline(ts: Tok[], ctx: string, from: number, to: number): void {
    if (!ts.length) {
      issues.push({ message: `missing value for ${ctx}`, from, to });
      return;
    }
    let rest = ts;
    // Declarations: `$x :=` or `$i, $x :=` (range), `$x =` assigns an existing one.
    const declIdx = rest.findIndex((t) => t.kind === 'declare' || t.kind === 'assign');
    if (declIdx > 0 && rest.slice(0, declIdx).every((t) => t.kind === 'var' || t.kind === 'comma')) {
      const vars = rest.slice(0, declIdx).filter((t) => t.kind === 'var');
      const isDecl = rest[declIdx]!.kind === 'declare';
      for (const v of vars) {
        if (isDecl) scopes[scopes.length - 1]!.add(v.text);
        else if (!defined(v.text))
          issues.push({ message: `undefined variable ${JSON.stringify(v.text)}`, from: v.from, to: v.to });
      }
      rest = rest.slice(declIdx + 1);
      if (!rest.length) issues.push({ message: `missing value for ${ctx}`, from, to });
    }
    let depth = 0;
    let cmdLen = 0;
    for (let k = 0; k < rest.length; k++) {
      const t = rest[k]!;
      const prev = rest[k - 1];
      switch (t.kind) {
        case 'pipe':
          if (cmdLen === 0) issues.push({ message: 'missing value for command', from: t.from, to: t.to });
          cmdLen = 0;
          continue;
        case 'lparen':
          depth++;
          cmdLen = 0;
          continue;
        case 'rparen':
          depth--;
          if (depth < 0) issues.push({ message: 'unexpected right paren', from: t.from, to: t.to });
          cmdLen = 1;
          continue;
        case 'ident':
          if (['true', 'false', 'nil'].includes(t.text)) break;
          if (
            ['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue'].includes(t.text)
          ) {
            issues.push({ message: `unexpected <${t.text}> in command`, from: t.from, to: t.to });
          } else if (!templateFunctions.has(t.text))
            issues.push({ message: `function ${JSON.stringify(t.text)} not defined`, from: t.from, to: t.to });
          if (t.text === 'index' && rest[k + 1]?.text === '$labels' && rest[k + 2]?.kind === 'string') {
            const s = rest[k + 2]!;
            labelRefs.push({ name: unquoteGo(s.text), from: s.from, to: s.to });
          }
          break;
        case 'var': {
          const base = t.text.split('.')[0]!;
          if (!defined(base))
            issues.push({
              message: `undefined variable ${JSON.stringify(base)}`,
              from: t.from,
              to: t.from + base.length,
            });
          const m = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)/.exec(t.text);
          if (m) labelRefs.push({ name: m[1]!, from: t.from, to: t.to });
          break;
        }
        case 'declare':
        case 'assign':
        case 'comma':
          issues.push({ message: `unexpected ${JSON.stringify(t.text)} in operand`, from: t.from, to: t.to });
          break;
        case 'field':
          if (prev && prev.kind === 'rparen') break;
          break;
        default:
          break;
      }
      cmdLen++;
    }
    if (depth > 0) issues.push({ message: 'unclosed left paren', from, to });
    if (cmdLen === 0 && rest.length) issues.push({ message: 'missing value for command', from, to });
  }
}

function fail(
  issues: TemplateIssue[],
  labelRefs: TemplateAnalysis['labelRefs'],
  message: string,
  from: number,
  to: number,
): TemplateAnalysis {
  issues.push({ message, from, to });
  return { issues, labelRefs };
}

type Lexed = { tokens: Tok[]; end: number } | { error: string; at: number };

function lexAction(src: string, start: number): Lexed {
  const tokens: Tok[] = [];
  let p = start;
  for (;;) {
    if (p >= src.length) return { error: 'unclosed action', at: start };
    const c = src[p]!;
    if (c === '}' && src[p + 1] === '}') return { tokens, end: p + 2 };
    if (c === '-' && /\s/.test(src[p - 1] ?? '') && src.startsWith('}}', p + 1)) return { tokens, end: p + 3 };
    if (c === '\n' || c === '\r') {
      p++;
      continue; // Go 1.16+ allows newlines inside actions.
    }
    if (/\s/.test(c)) {
      p++;
      continue;
    }
    const from = p;
    const push = (kind: Tok['kind'], to: number) => {
      tokens.push({ kind, text: src.slice(from, to), from, to });
      p = to;
    };
    if (c === '"' || c === '`' || c === "'") {
      let q = p + 1;
      while (q < src.length && src[q] !== c) {
        if (c !== '`' && src[q] === '\\') q++;
        if (c !== '`' && src[q] === '\n') return { error: 'unterminated quoted string', at: from };
        q++;
      }
      if (q >= src.length)
        return { error: c === '`' ? 'unterminated raw quoted string' : 'unterminated quoted string', at: from };
      push(c === "'" ? 'char' : 'string', q + 1);
      continue;
    }
    if (c === '(') {
      push('lparen', p + 1);
      continue;
    }
    if (c === ')') {
      push('rparen', p + 1);
      continue;
    }
    if (c === '|') {
      push('pipe', p + 1);
      continue;
    }
    if (c === ',') {
      push('comma', p + 1);
      continue;
    }
    if (c === ':' && src[p + 1] === '=') {
      push('declare', p + 2);
      continue;
    }
    if (c === '=') {
      push('assign', p + 1);
      continue;
    }
    const word = /^(\$[A-Za-z0-9_]*|\.?[A-Za-z_][A-Za-z0-9_]*)((\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(
      src.slice(p, p + 200),
    );
    if (word?.[0]) {
      const w = word[0];
      push(w.startsWith('$') ? 'var' : w.startsWith('.') ? 'field' : w.includes('.') ? 'bad' : 'ident', p + w.length);
      if (tokens[tokens.length - 1]!.kind === 'bad')
        return { error: `unexpected ${JSON.stringify(w)} in operand`, at: from };
      continue;
    }
    if (c === '.') {
      push('dot', p + 1);
      continue;
    }
    const num = /^[+-]?(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*\.?[0-9_]*([eE][+-]?[0-9]+)?|\.[0-9]+)i?/.exec(
      src.slice(p, p + 100),
    );
    if (num?.[0] && num[0] !== '+' && num[0] !== '-') {
      push('number', p + num[0].length);
      continue;
    }
    return { error: `unexpected ${JSON.stringify(c)} in command`, at: from };
  }
}

function unquoteGo(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.slice(1, -1);
  }
}
