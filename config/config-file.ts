/**
 * Config files: YAML or JSON text → checked `MixinConfig`. Pure (takes text, not a path), so
 * the CLI does the reading and tests can feed strings. Errors carry the config path and, when the
 * path exists in the file, `file:line:col`.
 *
 * The shape is checked against config.schema.json, generated from the `MixinConfig` type by
 * `npm run gen:schemas` (scripts/dev/gen-schemas.ts) — the same file editors use through
 * `$schema` — and then the semantics by `checkConfig` (config-check.ts).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
// A JSON import (not a read relative to this file): tsc copies it into build/config/ for the
// library, and the CLI bundle inlines it.
import schema from './config.schema.json' with { type: 'json' };
import { ConfigError, checkConfig, formatPath, parsePath } from './config-check.js';
import { type ConfigOverrides, type MixinConfig, mergeConfig } from './mixin-config.js';

/** JSON Schema of a config file (YAML or JSON): every setting optional, objects closed, `$schema` allowed. */
export const configSchema: Readonly<Record<string, unknown>> = schema;

// verbose: errors carry their schema, so an unknown key's message can list the known ones.
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
let validate: ReturnType<typeof ajv.compile> | undefined;

function pathOf(err: ErrorObject): string {
  const segs: Array<string | number> = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (err.keyword === 'additionalProperties')
    segs.push((err.params as { additionalProperty: string }).additionalProperty);
  if (err.keyword === 'required') segs.push((err.params as { missingProperty: string }).missingProperty);
  return formatPath(segs);
}

/**
 * The error to report. A value that fits no alternative (a matcher is a string or `{op, value}`)
 * gives one error per alternative: the one for the alternative of the value's own kind is the
 * useful one (`valu` is not a known setting), not "must be string".
 */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const at = errors.findIndex((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (at < 0) return errors[0]!;
  const alt = errors[at]!;
  return branchErrors(errors, alt).find((e) => !(e.keyword === 'type' && e.instancePath === alt.instancePath)) ?? alt;
}

/** The alternatives' own errors: Ajv lists them just before the anyOf/oneOf error, at or under its path. */
function branchErrors(errors: readonly ErrorObject[], alt: ErrorObject): ErrorObject[] {
  return errors
    .slice(0, errors.indexOf(alt))
    .filter((e) => e.instancePath === alt.instancePath || e.instancePath.startsWith(`${alt.instancePath}/`));
}

/** `must be string or object` from the alternatives' own `type` errors (`a string or an object` for `sentence`). */
function alternativesOf(errors: readonly ErrorObject[], alt: ErrorObject, sentence = false): string {
  const kinds = branchErrors(errors, alt)
    .filter((e) => e.keyword === 'type')
    .flatMap((e) => (e.params as { type: string | string[] }).type);
  if (!kinds.length) return 'matches none of the forms allowed here';
  return `must be ${sentence ? kindsOf([...new Set(kinds)]) : [...new Set(kinds)].join(' or ')}`;
}

/** `an object`, `a string or a number`: a type error's kinds as a sentence says them. */
function kindsOf(type: unknown): string {
  const article = (t: string) => (t === 'array' ? 'a list' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`);
  return (Array.isArray(type) ? type : [type]).map((t) => article(String(t))).join(' or ');
}

/**
 * What to do instead of a null (YAML's `key:` with nothing after it, or `key: null`, often meant
 * as "none"): a setting is unset by leaving it out. A receiver left out is one not sent to, since
 * a config's receivers replace the defaults as a whole.
 */
function nullHint(path: string): string {
  const receiver = /^alertmanager\.receivers\.([A-Za-z_$][\w$]*)$/.exec(path)?.[1];
  if (receiver) return `to configure no ${receiver}, leave it out (a config's receivers replace the defaults)`;
  if (/\]$/.test(path)) return 'to have no entry here, remove it from the list (null is not a value here)';
  return 'to leave it unset, omit the key (null is not a value here)';
}

function messageOf(err: ErrorObject, all: readonly ErrorObject[]): string {
  const isNull = err.data === null;
  switch (err.keyword) {
    case 'type':
      if (isNull) return `must be ${kindsOf((err.params as { type: unknown }).type)}; ${nullHint(pathOf(err))}`;
      return err.message ?? 'is invalid';
    case 'anyOf':
    case 'oneOf':
      return isNull ? `${alternativesOf(all, err, true)}; ${nullHint(pathOf(err))}` : alternativesOf(all, err);
    case 'additionalProperties': {
      const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return known.length
        ? `is not a known setting (check its spelling; valid here: ${known.join(', ')})`
        : 'is not a known setting (check its spelling)';
    }
    case 'required':
      return 'is required';
    case 'pattern':
      return 'must be a Prometheus duration with one unit such as 30s, 5m or 1h';
    case 'enum':
      return `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return err.message ?? 'is invalid';
  }
}

/** Position of the key (for a map entry) or the item (for a list entry) a config path names. */
function locate(doc: Document, lc: LineCounter, fileName: string, path: string): string | undefined {
  const segs = parsePath(path);
  // Walk up until a node exists: a missing key is reported at its parent object.
  for (let n = segs.length; n >= 0; n--) {
    const parent = n <= 1 ? doc.contents : doc.getIn(segs.slice(0, n - 1), true);
    const last = segs[n - 1];
    let start: number | undefined;
    if (n === 0) start = isNode(doc.contents) ? doc.contents.range?.[0] : undefined;
    else if (isMap(parent)) {
      const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
      if (pair && isNode(pair.key)) start = pair.key.range?.[0];
    } else if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      if (isNode(item)) start = item.range?.[0];
    }
    if (start !== undefined) {
      const { line, col } = lc.linePos(start);
      return `${fileName}:${line}:${col}`;
    }
  }
  return undefined;
}

/**
 * Checks that `data` has the shape of a config file (the generated JSON Schema).
 * @throws ConfigError naming the config path of the first problem.
 */
export function checkConfigShape(data: unknown): asserts data is ConfigOverrides {
  validate ??= ajv.compile(configSchema);
  if (validate(data)) return;
  const errors = validate.errors ?? [];
  const err = pickError(errors);
  throw new ConfigError(pathOf(err) || '(top level)', messageOf(err, errors));
}

/** A config value (a file's contents, a config module's default export) → checked `MixinConfig`. */
export function parseConfigValue(data: unknown): MixinConfig {
  checkConfigShape(data);
  const { $schema: _editorsOnly, ...overrides } = data as ConfigOverrides & { $schema?: string };
  const cfg = mergeConfig(overrides);
  checkConfig(cfg);
  return cfg;
}

/**
 * Parses and checks a config file's text.
 * @throws ConfigError with `.path` and `.location` (file:line:col) set.
 */
export function parseConfigText(text: string, fileName = '<config>'): MixinConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const { line, col } = lc.linePos(e.pos[0]);
    const err = new ConfigError('', `${e.message.split('\n')[0]}`);
    err.location = `${fileName}:${line}:${col}`;
    throw err;
  }
  const data: unknown = doc.toJS() ?? {};
  try {
    return parseConfigValue(data);
  } catch (e) {
    if (e instanceof ConfigError) e.location = locate(doc, lc, fileName, e.path === '(top level)' ? '' : e.path);
    throw e;
  }
}
