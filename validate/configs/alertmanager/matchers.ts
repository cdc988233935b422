/**
 * Alertmanager matchers as pkg/labels parses them: `matchers:` lists of `name=value` strings
 * (several per string, comma separated, optional braces, values quoted or not), the deprecated
 * `match`/`match_re` maps, and inhibit rules' `equal` lists. Regexes are Go RE2, anchored.
 */
import { isScalar, type Node } from 'yaml';
import { isNull, LABEL_NAME } from '../../context.js';
import { re2Error } from '../../re2.js';
import type { View } from './view.js';

const ID = 'alertmanager/matcher';
// pkg/labels's classic form; a quoted name is what the newer UTF-8 parser also takes.
const MATCHER = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*|"(?:[^"\\]|\\.)*")\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;
/**
 * A label name the classic parser refuses but Alertmanager 0.27+ takes (UTF-8 matchers, its
 * default fallback mode: `foo.bar="x"`): loads upstream, refused by older Alertmanagers.
 */
const UTF8_MATCHER = /^\s*([^\s"=!~,{}]+)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/** Splits `a="x,y", b=~"z"` on the commas outside quotes, as ParseMatchers does. */
function tokens(s: string): string[] {
  const body = s.replace(/^\{/, '').replace(/\}$/, '');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let escaped = false;
  for (const ch of body) {
    if (!quoted && ch === ',') {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '"') quoted = !quoted;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

/** The matcher's value unescaped, or why it cannot be read (unbalanced or stray quotes). */
function unquote(raw: string): { value: string } | { error: string } {
  let rest = raw;
  let expectQuote = false;
  if (rest.startsWith('"')) {
    rest = rest.slice(1);
    expectQuote = true;
  }
  let value = '';
  const chars = [...rest];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i < chars.length - 1) {
      const n = chars[++i]!;
      value += n === 'n' ? '\n' : n === '"' || n === '\\' ? n : `\\${n}`;
    } else if (c === '"') {
      if (!expectQuote || i < chars.length - 1) return { error: 'matcher value contains unescaped double quote' };
      expectQuote = false;
    } else value += c;
  }
  if (expectQuote) return { error: 'matcher value contains unescaped double quote' };
  return { value };
}

/** A `matchers:` list (routes, inhibit rules' source/target). */
export function checkMatcherList(v: View, list: Node | null | undefined): void {
  if (list === undefined || isNull(list)) return;
  for (const m of v.items(list)) {
    const s = v.str(m);
    if (s === undefined || !isScalar(m)) continue; // the schema walk reports a non-string
    for (const part of tokens(s)) {
      let mm = MATCHER.exec(part);
      if (!mm) {
        mm = UTF8_MATCHER.exec(part);
        if (mm)
          v.report(
            'lint/utf8-name',
            `label name ${JSON.stringify(mm[1])} is a UTF-8 name: Alertmanager 0.27+ takes it (UTF-8 matchers), older versions refuse the config`,
            m,
          );
      }
      if (!mm) {
        v.report(ID, `bad matcher format: ${JSON.stringify(part.trim())} (want label="value", =~, != or !~)`, m);
        continue;
      }
      const u = unquote(mm[3] ?? '');
      if ('error' in u) {
        v.report(ID, `${u.error}: ${JSON.stringify(part.trim())}`, m);
        continue;
      }
      if (mm[2] === '=~' || mm[2] === '!~') {
        const e = re2Error(u.value);
        if (e) v.report(ID, `invalid regular expression ${JSON.stringify(u.value)} in matcher: ${e}`, m);
      }
    }
  }
}

/** `match:` — label names that are not Prometheus label names are refused. */
export function checkMatchMap(v: View, map: Node | null | undefined): void {
  const m = v.map(map);
  if (!m) return;
  for (const f of v.fields(m))
    if (!LABEL_NAME.test(f.key)) v.report(ID, `invalid label name ${JSON.stringify(f.key)} in match`, f.keyNode);
}

/** `match_re:` and the inhibit rules' `*_match_re`: a label name and a regex each; null is refused. */
export function checkMatchRe(v: View, map: Node | null | undefined, key: string): void {
  if (map === undefined || isNull(map)) return;
  const m = v.map(map);
  if (!m) {
    v.report('alertmanager/field-type', `"${key}" must be a mapping of label name to regular expression`, map);
    return;
  }
  for (const f of v.fields(m)) {
    if (!LABEL_NAME.test(f.key)) v.report(ID, `invalid label name ${JSON.stringify(f.key)} in ${key}`, f.keyNode);
    if (f.value === null || isNull(f.value)) {
      v.report(ID, `invalid regexp value for ${JSON.stringify(f.key)} in ${key}: null`, f.keyNode);
      continue;
    }
    const s = v.str(f.value);
    if (s === undefined) {
      v.report('alertmanager/field-type', `${key}.${f.key} must be a string`, f.value);
      continue;
    }
    const e = re2Error(s);
    if (e) v.report(ID, `invalid regular expression ${JSON.stringify(s)} for ${f.key} in ${key}: ${e}`, f.value);
  }
}
