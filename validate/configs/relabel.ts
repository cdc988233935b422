/**
 * Prometheus relabelling (model/relabel) on one label set, enough to know what a static target's
 * `__address__` becomes: promtool check config refuses a target whose address, after the
 * job's relabel_configs, still holds a URL ("http://x" is not a valid hostname). Returns
 * undefined when the outcome cannot be known here (hashmod, a regex JavaScript cannot read).
 */
import { createHash } from 'node:crypto';
import { field, isPlainMap, isPlainSeq, type PlainMap, plainString } from '../plain.js';

export type Labels = Map<string, string>;
export type RelabelResult = { kept: true; labels: Labels } | { kept: false } | undefined;

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function relabel(input: Labels, configs: unknown): RelabelResult {
  const labels = new Map(input);
  if (!isPlainSeq(configs)) return { kept: true, labels };
  for (const c of configs) {
    if (!isPlainMap(c)) continue;
    const r = step(labels, c);
    if (r !== 'ok') return r === 'drop' ? { kept: false } : undefined;
  }
  return { kept: true, labels };
}

function step(labels: Labels, c: PlainMap): 'ok' | 'drop' | 'unknown' {
  const action = (plainString(field(c, 'action')) ?? 'replace').toLowerCase();
  const source = field(c, 'source_labels');
  const sep = plainString(field(c, 'separator')) ?? ';';
  const val = (isPlainSeq(source) ? source.map((s) => labels.get(plainString(s) ?? '') ?? '') : []).join(sep);
  const target = plainString(field(c, 'target_label')) ?? '';
  const replacement = plainString(field(c, 'replacement')) ?? '$1';
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${plainString(field(c, 'regex')) ?? '(.*)'})$`, 's');
  } catch {
    return 'unknown';
  }
  switch (action) {
    case 'replace': {
      const m = re.exec(val);
      if (!m) return 'ok';
      const name = expand(target, m);
      if (!LABEL.test(name)) {
        labels.delete(target);
        return 'ok';
      }
      const res = expand(replacement, m);
      if (res) labels.set(name, res);
      else labels.delete(name);
      return 'ok';
    }
    case 'keep':
      return re.test(val) ? 'ok' : 'drop';
    case 'drop':
      return re.test(val) ? 'drop' : 'ok';
    case 'keepequal':
      return val === (labels.get(target) ?? '') ? 'ok' : 'drop';
    case 'dropequal':
      return val === (labels.get(target) ?? '') ? 'drop' : 'ok';
    case 'lowercase':
      labels.set(target, val.toLowerCase());
      return 'ok';
    case 'uppercase':
      labels.set(target, val.toUpperCase());
      return 'ok';
    case 'hashmod': {
      const mod = Number(field(c, 'modulus'));
      if (!Number.isInteger(mod) || mod <= 0) return 'unknown';
      const sum = createHash('md5').update(val).digest();
      labels.set(target, String(sum.readBigUInt64BE(8) % BigInt(mod)));
      return 'ok';
    }
    case 'labelmap':
      for (const [k, v] of [...labels]) {
        const m = re.exec(k);
        if (m) labels.set(expand(replacement, m), v);
      }
      return 'ok';
    case 'labeldrop':
      for (const k of [...labels.keys()]) if (re.test(k)) labels.delete(k);
      return 'ok';
    case 'labelkeep':
      for (const k of [...labels.keys()]) if (!re.test(k)) labels.delete(k);
      return 'ok';
    default:
      return 'unknown';
  }
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; a missing group is empty. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_, all: string, braced?: string, bare?: string) => {
    if (all === '$') return '$';
    const name = braced ?? bare ?? '';
    const v = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
    return v ?? '';
  });
}
