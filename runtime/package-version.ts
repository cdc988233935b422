/**
 * A program's version, read at run time from its own package.json (from build/ when compiled,
 * from the sources under vitest), so `--version` never drifts from what was released.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version of the nearest package.json named `name` at or above `from`; 'unknown' when there is none. */
export function packageVersion(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no (readable) package.json here: keep walking up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
