/**
 * Turns command-line paths and globs into files: directories are walked for .yml/.yaml/.json,
 * globs (`*`, `**`, `?`, `{a,b}`, `[ab]`) are matched with a small translator because Node 20
 * has no fs.glob. Named files are taken whatever their extension.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

const EXT = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);
const GLOB = /[*?[{]/;

export interface Expanded {
  files: string[];
  /** Arguments that matched nothing. */
  missing: string[];
}

export async function expandInputs(args: readonly string[], cwd: string): Promise<Expanded> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const arg of args) {
    const before = files.size;
    if (GLOB.test(arg)) {
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
      else if (st?.isFile()) files.add(display(cwd, abs));
    }
    if (files.size === before) missing.push(arg);
  }
  return { files: [...files].sort(), missing };
}

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
