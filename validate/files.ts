/**
 * Turns command-line paths and globs into files: directories are walked for .yml/.yaml/.json,
 * globs (`*`, `**`, `?`, `{a,b}`, `[ab]`) are matched with a small translator because Node 20
 * has no fs.glob. Named files are taken whatever their extension.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const EXT = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);
const GLOB = /[*?[{]/;

export interface Expanded {
  files: string[];
  /** Files given by their own name (not found by walking a directory or matching a glob). */
  named: Set<string>;
  /** Arguments that matched nothing. */
  missing: string[];
}

export async function expandInputs(args: readonly string[], cwd: string): Promise<Expanded> {
  const files = new Set<string>();
  const named = new Set<string>();
  const missing: string[] = [];
  for (const arg of args) {
    const before = files.size;
    // A file whose name has glob characters (`rules[1].yml`) is that file, when it exists.
    const literal = GLOB.test(arg) ? await stat(resolve(cwd, arg)).catch(() => undefined) : undefined;
    if (GLOB.test(arg) && !literal) {
      const parts = arg.split('/');
      const firstGlob = parts.findIndex((p) => GLOB.test(p));
      const base = parts.slice(0, firstGlob).join('/') || (arg.startsWith('/') ? '/' : '.');
      const re = globToRegExp(parts.slice(firstGlob).join('/'));
      const root = resolve(cwd, base);
      for (const f of await walk(root, () => true)) {
        if (re.test(relative(root, f).split(sep).join('/'))) files.add(display(cwd, f));
      }
    } else {
      const abs = resolve(cwd, arg);
      const st = await stat(abs).catch(() => undefined);
      if (st?.isDirectory()) for (const f of await walk(abs, (n) => EXT.test(n))) files.add(display(cwd, f));
      else if (st?.isFile()) {
        files.add(display(cwd, abs));
        named.add(display(cwd, abs));
      }
    }
    if (files.size === before) missing.push(arg);
  }
  return { files: [...files].sort(), named, missing };
}

export const relativeToCwd = (cwd: string, abs: string): string => display(cwd, abs);

function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

async function walk(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...(await walk(p, keep)));
    } else if (e.isFile() && keep(e.name)) out.push(p);
  }
  return out;
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * What a promtool unit-test file's `rule_files` entry loads: paths relative to the test file,
 * globs as Go's filepath.Glob reads them (no `**`), as promtool resolves them.
 */
export function resolveRuleFilesFromDisk(fromFile: string, pattern: string): { file: string; text: string }[] {
  const base = dirname(fromFile);
  const full = isAbsolute(pattern) ? pattern : join(base, pattern);
  const read = (f: string) => {
    try {
      return statSync(f).isFile() ? [{ file: f, text: readFileSync(f, 'utf8') }] : [];
    } catch {
      return [];
    }
  };
  if (!GLOB.test(pattern)) return read(full);
  const parts = full.split('/');
  const first = parts.findIndex((p) => GLOB.test(p));
  const root = parts.slice(0, first).join('/') || '/';
  const re = globToRegExp(parts.slice(first).join('/'));
  const out: { file: string; text: string }[] = [];
  const visit = (dir: string, depth: number) => {
    let entries: import('node:fs').Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < parts.length - first - 1) visit(p, depth + 1);
      else if (e.isFile() && re.test(relative(root, p).split(sep).join('/'))) out.push(...read(p));
    }
  };
  visit(root, 0);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}
