/**
 * `.voting-mixin-validate.yaml`: what a team sets once instead of on every command line, in the
 * spirit of pint's config. Parsing only (no I/O): the CLI finds and reads the file. Every mistake
 * is a `ValidateConfigError` carrying `file:line:col`, which the CLI turns into exit 2.
 *
 * ```yaml
 * scrape_interval: 30s             # what the range-window lints assume
 * severities: [critical, warning]  # allowed values of an alert's severity label
 * exclude: [dist/compose]          # paths or globs left out
 * disable: [lint/alert-name]       # ids or areas, everywhere
 * severity:                        # a check's severity, over the registry's default
 *   lint/range-window: error
 * paths:                           # per path or glob, in order; later entries add to earlier
 *   - path: vendor/**
 *     disable: [lint]
 *     severity: { dashboard/panel-units: info }
 * ```
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { parseDuration } from '../runtime/duration.js';
import type { Check } from './checks/check.js';
import { idMatches } from './disable.js';
import { globToRegExp } from './files.js';
import type { Finding, Severity } from './finding.js';

export const VALIDATE_CONFIG_FILE = '.voting-mixin-validate.yaml';

export interface PathRule {
  path: string;
  matches: (file: string) => boolean;
  disable: string[];
  severity: Map<string, Severity>;
}

export interface ValidateConfig {
  scrapeIntervalMs?: number;
  severities?: string[];
  exclude: string[];
  disable: string[];
  severity: Map<string, Severity>;
  paths: PathRule[];
}

export class ValidateConfigError extends Error {}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const TOP = ['scrape_interval', 'severities', 'exclude', 'disable', 'severity', 'paths'];
const PATH_KEYS = ['path', 'disable', 'severity'];

/** A `--disable`/`disable:` entry names a check id, an area that has checks, or `all`. */
export function unknownCheckRef(ref: string, checks: readonly Check[]): string | undefined {
  if (ref === 'all' || checks.some((c) => idMatches(c.id, ref))) return undefined;
  const area = ref.split('/')[0]!;
  const near = checks.filter((c) => c.area === area).map((c) => c.id);
  const areas = [...new Set(checks.map((c) => c.area))];
  return near.length
    ? `no check "${ref}" (checks in ${area}: ${near.join(', ')})`
    : `no check or area "${ref}" (areas: ${areas.join(', ')}, or all)`;
}

/** A path rule's test: a glob (`*`, `**`, `?`, `{a,b}`), else a file or a directory prefix. */
export function pathMatcher(pattern: string): (file: string) => boolean {
  const p = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const re = /[*?[{]/.test(p) ? globToRegExp(p) : undefined;
  return (file) => {
    const f = file.replace(/\\/g, '/').replace(/^\.\//, '');
    return re ? re.test(f) : f === p || f.startsWith(`${p}/`);
  };
}

export function parseValidateConfig(file: string, text: string, checks: readonly Check[]): ValidateConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: false });
  const fail = (node: Node | null | undefined, message: string): never => {
    const at = node?.range ? lines.linePos(node.range[0]) : undefined;
    throw new ValidateConfigError(`${file}${at ? `:${at.line}:${at.col}` : ''}: ${message}`);
  };
  const bad = doc.errors[0];
  if (bad) {
    const at = lines.linePos(bad.pos[0]);
    throw new ValidateConfigError(`${file}:${at.line}:${at.col}: ${bad.message.split('\n')[0]}`);
  }
  const config: ValidateConfig = { exclude: [], disable: [], severity: new Map(), paths: [] };
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root))
    return fail(root, 'must be a mapping (scrape_interval, severities, exclude, disable, severity, paths)');

  const strings = (n: Node | null, key: string): string[] => {
    const items = isSeq(n) ? n.items : [n];
    return items.map((i) => {
      if (!isScalar(i) || typeof i.value !== 'string' || !i.value.trim())
        return fail(i as Node, `${key}: every entry must be a non-empty string`);
      return i.value.trim();
    });
  };
  const checkRefs = (n: Node | null, key: string): string[] => {
    const refs = strings(n, key);
    const list = isSeq(n) ? (n.items as Node[]) : [n];
    refs.forEach((r, i) => {
      const problem = unknownCheckRef(r, checks);
      if (problem) fail(list[i], `${key}: ${problem}`);
    });
    return refs;
  };
  const severityMap = (n: Node | null, key: string): Map<string, Severity> => {
    if (!isMap(n)) return fail(n, `${key} must map check ids to error, warning or info`);
    const out = new Map<string, Severity>();
    for (const pair of n.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!checks.some((c) => c.id === id))
        fail(pair.key as Node, `${key}: ${unknownCheckRef(id, checks) ?? `"${id}" is an area: name one check id`}`);
      const v = isScalar(pair.value) ? String(pair.value.value) : '';
      if (!SEVERITIES.includes(v as Severity))
        fail(pair.value as Node, `${key}.${id}: must be error, warning or info, got ${JSON.stringify(v)}`);
      out.set(id, v as Severity);
    }
    return out;
  };
  const unknownKeys = (map: YAMLMap, valid: readonly string[], where: string) => {
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!valid.includes(k)) fail(pair.key as Node, `unknown key "${k}" in ${where} (valid: ${valid.join(', ')})`);
    }
  };

  unknownKeys(root, TOP, 'the validate config');
  for (const pair of root.items) {
    const key = String((pair.key as { value: unknown }).value);
    const value = (pair.value ?? null) as Node | null;
    switch (key) {
      case 'scrape_interval': {
        const s = isScalar(value) ? String(value.value) : '';
        const ms = parseDuration(s);
        if (ms === undefined || ms <= 0)
          fail(value, `scrape_interval: not a duration such as 15s or 1m: ${JSON.stringify(s)}`);
        config.scrapeIntervalMs = ms;
        break;
      }
      case 'severities':
        config.severities = strings(value, key);
        break;
      case 'exclude':
        config.exclude = strings(value, key);
        break;
      case 'disable':
        config.disable = checkRefs(value, key);
        break;
      case 'severity':
        config.severity = severityMap(value, key);
        break;
      case 'paths': {
        if (!isSeq(value)) fail(value, 'paths must be a list of { path, disable, severity }');
        for (const [i, item] of (value as { items: Node[] }).items.entries()) {
          const where = `paths[${i}]`;
          if (!isMap(item)) fail(item, `${where} must be a mapping with path, disable and/or severity`);
          const map = item as YAMLMap;
          unknownKeys(map, PATH_KEYS, where);
          const path = map.get('path', true) as Node | undefined;
          if (!isScalar(path) || typeof path.value !== 'string' || !path.value.trim())
            fail(path ?? item, `${where}.path: a file, directory or glob is required`);
          const pattern = String((path as { value: string }).value);
          const disable = map.has('disable') ? checkRefs(map.get('disable', true) as Node, `${where}.disable`) : [];
          const severity = map.has('severity')
            ? severityMap(map.get('severity', true) as Node, `${where}.severity`)
            : new Map<string, Severity>();
          config.paths.push({ path: pattern, matches: pathMatcher(pattern), disable, severity });
        }
        break;
      }
    }
  }
  return config;
}

/** Per-path rules on findings: severities set, then matching findings dropped. */
export function applyPathRules(findings: Finding[], rules: readonly PathRule[]): Finding[] {
  if (!rules.length) return findings;
  return findings.filter((f) => {
    if (!f.file) return true;
    for (const r of rules) {
      if (!r.matches(f.file)) continue;
      if (r.disable.some((d) => idMatches(f.id, d))) return false;
      const s = r.severity.get(f.id);
      if (s) f.severity = s;
    }
    return true;
  });
}
