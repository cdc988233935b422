/**
 * Finds and loads the user's config: `--config FILE`, else the one `voting-mixin.config.*` in the
 * working directory (two of them is a usage error: which one counts must not depend on a list
 * order the user never sees), else the defaults. YAML/JSON go through the JSON Schema; JS and
 * TypeScript modules export overrides (or a `defineConfig` result) as default, which go through the
 * same schema and checks.
 *
 * TypeScript configs are loaded with jiti (the TypeScript loader vite, nuxt and eslint use for
 * their config files), imported only when one is used: it and its Babel are most of a megabyte
 * that `validate` and every YAML config never need.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, parsePath } from '../config/config-check.js';
import { parseConfigText, parseConfigValue } from '../config/config-file.js';
import { defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { UsageError } from './errors.js';

const DATA_EXTENSIONS = ['.yaml', '.yml', '.json'];
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];
const EXTENSIONS = [...DATA_EXTENSIONS, ...JS_EXTENSIONS, ...TS_EXTENSIONS];

/** The file names looked for in the working directory; at most one may exist. */
export const CONFIG_CANDIDATES: readonly string[] = EXTENSIONS.map((ext) => `voting-mixin.config${ext}`);

export interface LoadedConfig {
  config: MixinConfig;
  /** The file it came from, or undefined for the defaults. */
  source?: string;
}

export async function loadConfig(path: string | undefined, cwd: string): Promise<LoadedConfig> {
  const file = path ? resolve(cwd, path) : findCandidate(cwd);
  if (!file) return { config: defaultConfig };
  if (!existsSync(file)) throw new UsageError(`config file not found: ${path}`);
  const shown = path ?? file;
  const ext = extname(file);
  if (JS_EXTENSIONS.includes(ext) || TS_EXTENSIONS.includes(ext)) {
    return { config: await loadModule(file, shown, TS_EXTENSIONS.includes(ext)), source: file };
  }
  if (!DATA_EXTENSIONS.includes(ext)) {
    throw new UsageError(`${shown}: unsupported config format "${ext}" (use ${EXTENSIONS.join(', ')})`);
  }
  return { config: parseConfigText(await readFile(file, 'utf8'), shown), source: file };
}

function findCandidate(cwd: string): string | undefined {
  const found = CONFIG_CANDIDATES.filter((c) => existsSync(resolve(cwd, c)));
  if (found.length > 1) {
    throw new UsageError(
      `${found.length} config files in ${cwd}: ${found.join(', ')}; keep one, or choose with --config FILE`,
    );
  }
  return found[0] && resolve(cwd, found[0]);
}

async function loadModule(file: string, shown: string, typescript: boolean): Promise<MixinConfig> {
  let exported: unknown;
  try {
    exported = typescript ? await importTypeScript(file) : (await import(pathToFileURL(file).href)).default;
  } catch (e) {
    // defineConfig() inside the module found a mistake: report it as a config error. Its class may
    // be another copy's (the config imports the installed 'voting-mixin', the CLI is a bundle).
    const foreign = asConfigError(e);
    if (foreign) {
      const source = sourceOf(file);
      foreign.location = `${shown}${locateKey(source, foreign.path) ?? where(e as Error, file, source)}`;
      throw foreign;
    }
    throw new UsageError(importFailure(e, file, shown));
  }
  if (!exported || typeof exported !== 'object') {
    throw new UsageError(`${shown}: expected a default export with the config overrides (or a defineConfig() result)`);
  }
  try {
    // The same schema as a YAML file's: a misspelt key in plain overrides is reported, not ignored.
    return parseConfigValue(exported);
  } catch (e) {
    if (e instanceof ConfigError) e.location = `${shown}${locateKey(sourceOf(file), e.path) ?? ''}`;
    throw e;
  }
}

/** The default export of a TypeScript config module (module.exports for a CommonJS `.cts` without one). */
async function importTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // No module cache: a long-running caller (a test, a watch) loading the file again sees its edits.
  // No default-interop proxy: a module without a default export must not pass for its namespace.
  // fsCache off: jiti would otherwise keep a transpiled copy of the team's config (and of what it
  // imports) in a shared temp folder after every run; a config is transpiled once per run anyway.
  const jiti = createJiti(pathToFileURL(file).href, { moduleCache: false, interopDefault: false, fsCache: false });
  const mod = (await jiti.import(file)) as Record<string, unknown> | undefined;
  if (mod && 'default' in mod) return mod.default;
  return extname(file) === '.cts' ? mod : undefined;
}

function asConfigError(e: unknown): ConfigError | undefined {
  if (e instanceof ConfigError) return e;
  if (!(e instanceof Error) || e.name !== 'ConfigError') return undefined;
  const path = (e as { path?: unknown }).path;
  if (typeof path !== 'string') return undefined;
  const message = path && e.message.startsWith(`${path} `) ? e.message.slice(path.length + 1) : e.message;
  return new ConfigError(path, message);
}

/**
 * `file:line:col: cannot load the config module: <error>` for a config module that failed to load:
 * one line (Node's messages go on with a require stack), at a position that exists in the file.
 */
function importFailure(e: unknown, file: string, shown: string): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const source = sourceOf(file);
  // jiti reports a TypeScript syntax error as `ParseError: <what>\n <file>:<line>:<col>`.
  const parse = /^ParseError: ([^\n]*?)\s*\n\s*(.+):(\d+):(\d+)\s*$/.exec(err.message);
  if (parse && parse[2] === file) {
    const at = position(source, Number(parse[3]), Number(parse[4]));
    return `${shown}${at}: cannot load the config module: SyntaxError: ${parse[1]}`;
  }
  const missing = missingModule(err, file, source);
  if (missing) return `${shown}${missing.at}: cannot load the config module: ${missing.message}`;
  const name = err.name === 'Error' ? '' : `${err.name}: `;
  return `${shown}${where(err, file, source)}: cannot load the config module: ${name}${err.message.split('\n')[0]}`;
}

/** The config module's text, for positions; undefined when it cannot be read. */
function sourceOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * An import that does not resolve, at the import's specifier in the config (the stack's position
 * is in jiti's transpiled code), with what to do: most often the config imports `voting-mixin`
 * in a folder where it is not installed (`npx voting-mixin` ran a global or cached copy).
 */
function missingModule(
  err: Error & { code?: unknown },
  file: string,
  source: string | undefined,
): { at: string; message: string } | undefined {
  if (err.code !== 'MODULE_NOT_FOUND' && err.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const lines = err.message.split('\n');
  const named = /Cannot find (?:module|package) '([^']+)'/.exec(lines[0]!)?.[1];
  if (!named) return undefined;
  // Who imports it: CommonJS (jiti) lists a require stack, ES modules say `imported from`.
  const importer =
    (lines[1] === 'Require stack:' ? lines[2]?.replace(/^- /, '') : undefined) ??
    / imported from (.+)$/.exec(lines[0]!)?.[1];
  // Node's ES loader names a missing relative file by its resolved path: find the import that resolves to it.
  const spec =
    named.startsWith('/') && source
      ? (importSpecifiers(source).find((s) => s.startsWith('.') && resolve(dirname(file), s) === named) ?? named)
      : named;
  const relativeSpec = /^(\.|\/|file:)/.test(spec);
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  const hint = relativeSpec
    ? 'no such file: check the path'
    : pkg === 'voting-mixin'
      ? 'install it in this project: npm i -D voting-mixin'
      : `is ${pkg} installed in this project?`;
  if (importer && resolve(importer) !== file) {
    // Imported by a module the config imports: the import to fix is in that one.
    const by = relative(dirname(file), importer) || importer;
    return { at: '', message: `Cannot find module '${spec}' imported by ${by} (${hint})` };
  }
  return { at: locateImport(source, spec), message: `Cannot find module '${spec}' (${hint})` };
}

const IMPORT = /(?<![\w$.])(?:from|import|require)\s*\(?\s*(['"])([^'"\n]+)\1/g;

function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[2]!);
}

/** `:line:col` of the quoted specifier in the first import of `spec`, or '' if none is found. */
function locateImport(source: string | undefined, spec: string): string {
  if (!source) return '';
  for (const m of source.matchAll(IMPORT)) {
    // The match ends with the quoted specifier: point at its opening quote.
    if (m[2] === spec) return lineCol(source, m.index + m[0].length - spec.length - 2);
  }
  return '';
}

/**
 * `:line:col` of the key a config path names, found in the module's text: defineConfig() throws
 * at its call, and a stack cannot say which property of the object it was given is wrong. A text
 * search, not a parse: each key of the path in turn (`queues`, then `critical` after it), and the
 * last one must occur only once after its parent's, else undefined (keep the call's position).
 */
function locateKey(source: string | undefined, path: string): string | undefined {
  if (!source) return undefined;
  const keys = parsePath(path).filter((k): k is string => typeof k === 'string');
  if (!keys.length || path === '(top level)') return undefined;
  const esc = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const keyRe = (k: string) => new RegExp(`(?<![\\w$.'"])(?:${esc(k)}|(['"])${esc(k)}\\1)\\s*:(?!:)`, 'g');
  let from = 0;
  for (const k of keys.slice(0, -1)) {
    const re = keyRe(k);
    re.lastIndex = from;
    const m = re.exec(source);
    if (!m) return undefined;
    from = m.index + m[0].length;
  }
  const re = keyRe(keys.at(-1)!);
  re.lastIndex = from;
  const first = re.exec(source);
  if (!first || re.exec(source)) return undefined;
  return lineCol(source, first.index);
}

/** `:line:col` (1-based) of an offset. */
function lineCol(source: string, offset: number): string {
  const before = source.slice(0, offset);
  return `:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
}

/**
 * `:line:col` if both exist in the file, `:line` if the column lies past its line's end, '' if the
 * line is not in the file: a position from a stack or a parser is not always the source's.
 */
function position(source: string | undefined, line: number, col?: number): string {
  if (source === undefined) return `:${line}${col ? `:${col}` : ''}`;
  const lines = source.split('\n');
  if (line < 1 || line > lines.length) return '';
  return col && col <= lines[line - 1]!.replace(/\r$/, '').length + 1 ? `:${line}:${col}` : `:${line}`;
}

/**
 * `:3:9`: from the stack of a throw (file URLs for native modules, paths for jiti's), or (Node
 * gives no position for an ES module's syntax error) from `node --check`. jiti keeps a TypeScript
 * module's lines but its columns are the transpiled code's (`1:222` on a 44-character line):
 * for TypeScript the line only.
 */
function where(err: Error, file: string, source: string | undefined): string {
  const url = pathToFileURL(file).href;
  const inFile = (l: string) => l.includes(`${url}:`) || l.includes(`${file}:`);
  const typescript = TS_EXTENSIONS.includes(extname(file));
  let at = (err.stack ?? '').split('\n').find(inFile);
  if (!at && err instanceof SyntaxError && !typescript) {
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 5_000 });
    at = check.stderr?.split('\n').find((l) => l.startsWith(file) || l.startsWith(url));
  }
  const m = at ? /:(\d+)(?::(\d+))?\)?\s*$/.exec(at.trim()) : null;
  if (!m) return '';
  return position(source, Number(m[1]), m[2] && !typescript ? Number(m[2]) : undefined);
}
