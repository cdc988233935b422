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
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/config-check.js';
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
      foreign.location = `${shown}${where(e as Error, file)}`;
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
    if (e instanceof ConfigError) e.location = shown;
    throw e;
  }
}

/** The default export of a TypeScript config module (module.exports for a CommonJS `.cts` without one). */
async function importTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // No module cache: a long-running caller (a test, a watch) loading the file again sees its edits.
  // No default-interop proxy: a module without a default export must not pass for its namespace.
  const jiti = createJiti(pathToFileURL(file).href, { moduleCache: false, interopDefault: false });
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

/** `file:line:col: cannot load the config module: <error>` for a config module that failed to load. */
function importFailure(e: unknown, file: string, shown: string): string {
  const err = e instanceof Error ? e : new Error(String(e));
  // jiti reports a TypeScript syntax error as `ParseError: <what>\n <file>:<line>:<col>`.
  const parse = /^ParseError: ([^\n]*?)\s*\n\s*(.+):(\d+):(\d+)\s*$/.exec(err.message);
  if (parse && parse[2] === file) {
    return `${shown}:${parse[3]}:${parse[4]}: cannot load the config module: SyntaxError: ${parse[1]}`;
  }
  const name = err.name === 'Error' ? '' : `${err.name}: `;
  return `${shown}${where(err, file)}: cannot load the config module: ${name}${err.message}`;
}

/**
 * `:3:9`: from the stack of a throw (file URLs for native modules, paths for jiti's), or (Node
 * gives no position for an ES module's syntax error) from `node --check`.
 */
function where(err: Error, file: string): string {
  const url = pathToFileURL(file).href;
  const inFile = (l: string) => l.includes(`${url}:`) || l.includes(`${file}:`);
  let at = (err.stack ?? '').split('\n').find(inFile);
  if (!at && err instanceof SyntaxError && !TS_EXTENSIONS.includes(extname(file))) {
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 5_000 });
    at = check.stderr?.split('\n').find((l) => l.startsWith(file) || l.startsWith(url));
  }
  const m = at ? /:(\d+)(?::(\d+))?\)?\s*$/.exec(at.trim()) : null;
  return m ? `:${m[1]}${m[2] ? `:${m[2]}` : ''}` : '';
}
