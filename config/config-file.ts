/**
 * Config files: YAML or JSON text → checked `MixinConfig`. Pure (takes text, not a path), so
 * the CLI does the reading and tests can feed strings. Errors carry the config path and, when the
 * path exists in the file, `file:line:col`.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfigError, checkConfig, formatPath, parsePath } from './config-check.js';
import { configSchema } from './config-schema.js';
import { type ConfigOverrides, type MixinConfig, mergeConfig } from './mixin-config.js';

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

function messageOf(err: ErrorObject): string {
  switch (err.keyword) {
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
  validate ??= ajv.compile(configSchema);
  if (!validate(data)) {
    const first = validate.errors![0]!;
    const path = pathOf(first);
    const err = new ConfigError(path || '(top level)', messageOf(first));
    err.location = locate(doc, lc, fileName, path);
    throw err;
  }
  const cfg = mergeConfig(data as ConfigOverrides);
  try {
    checkConfig(cfg);
  } catch (e) {
    if (e instanceof ConfigError) e.location = locate(doc, lc, fileName, e.path);
    throw e;
  }
  return cfg;
}
