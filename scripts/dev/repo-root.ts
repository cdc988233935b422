/** The repository root: the directory of the package.json named voting-mixin, from source or from build/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function repoRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'voting-mixin') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no voting-mixin package.json above ${from}`);
  }
}
