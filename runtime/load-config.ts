/**
 * Finds and loads the user's config: `--config FILE`, else `voting-mixin.config.{yaml,yml,json,js,mjs}`
 * in the working directory, else the defaults. YAML/JSON go through the JSON Schema; JS modules
 * export overrides (or a `defineConfig` result) as default.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfigText } from '../config/config-file.js';
import { defineConfig } from '../config/define-config.js';
import { type ConfigOverrides, defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { UsageError } from './errors.js';

export const CONFIG_CANDIDATES = [
  'voting-mixin.config.yaml',
  'voting-mixin.config.yml',
  'voting-mixin.config.json',
  'voting-mixin.config.js',
  'voting-mixin.config.mjs',
];

export interface LoadedConfig {
  config: MixinConfig;
  /** The file it came from, or undefined for the defaults. */
  source?: string;
}

export async function loadConfig(path: string | undefined, cwd: string): Promise<LoadedConfig> {
  const file = path ? resolve(cwd, path) : CONFIG_CANDIDATES.map((c) => resolve(cwd, c)).find((c) => existsSync(c));
  if (!file) return { config: defaultConfig };
  if (!existsSync(file)) throw new UsageError(`config file not found: ${path}`);
  const ext = extname(file);
  if (ext === '.js' || ext === '.mjs') {
    let mod: { default?: ConfigOverrides };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: ConfigOverrides };
    } catch (e) {
      throw new UsageError(importFailure(e, file));
    }
    if (!mod.default || typeof mod.default !== 'object') {
      throw new UsageError(`${file}: expected a default export with the config overrides`);
    }
    return { config: defineConfig(mod.default), source: file };
  }
  if (!['.yaml', '.yml', '.json'].includes(ext)) {
    throw new UsageError(`${file}: unsupported config format "${ext}" (use .yaml, .yml, .json, .js or .mjs)`);
  }
  return { config: parseConfigText(await readFile(file, 'utf8'), path ?? file), source: file };
}

/** `file:line:col: cannot load the config module: <error>` for a config module that failed to load. */
function importFailure(e: unknown, file: string): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const name = err.name === 'Error' ? '' : `${err.name}: `;
  return `${file}${where(err, file)}: cannot load the config module: ${name}${err.message}`;
}

/** `:3:9`: from the stack of a throw, or (Node gives no position for an ES module's syntax error) from `node --check`. */
function where(err: Error, file: string): string {
  const url = pathToFileURL(file).href;
  let at = (err.stack ?? '').split('\n').find((l) => l.includes(url));
  if (!at && err instanceof SyntaxError) {
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 5_000 });
    at = check.stderr?.split('\n').find((l) => l.startsWith(file) || l.startsWith(url));
  }
  const m = at ? /:(\d+)(?::(\d+))?\)?\s*$/.exec(at.trim()) : null;
  return m ? `:${m[1]}${m[2] ? `:${m[2]}` : ''}` : '';
}
