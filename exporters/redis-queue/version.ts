/**
 * The exporter's version, read at run time from its workspace package.json (from build/ when
 * compiled, from the sources under vitest), so `--version` and the landing page never drift from
 * what was released.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PACKAGE_NAME = '@voting-mixin/redis-queue-exporter';

/** The version of the nearest package.json named PACKAGE_NAME at or above `from`; 'unknown' when there is none. */
export function exporterVersion(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
    } catch {
      // no (readable) package.json here: keep walking up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
