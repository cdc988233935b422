/**
 * The output folder `build` may replace folders in. A build swaps whole top-level folders
 * (`dashboards/`, `tests/`, ...) into it, so pointed at a folder of the user's own (`--out .`, or
 * `--out "$UNSET"`) it would replace their folders of the same names. It therefore writes only
 * into a folder that is new, empty, or marked as its own by an earlier build.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../runtime/errors.js';

/** The file every build leaves in its output folder. */
export const OUT_MARKER = '.voting-mixin-build';
export const OUT_MARKER_TEXT =
  'Written by `voting-mixin build`: the folders next to this file are replaced on every build.\n';

const isBuildFolder = async (dir: string): Promise<boolean> =>
  (await stat(join(dir, OUT_MARKER)).catch(() => undefined))?.isFile() ?? false;

/** @throws UsageError when `out` is a file, or a folder with content no build of ours wrote. */
export async function checkOutDir(out: string, shown: string): Promise<void> {
  const s = await stat(out).catch(() => undefined);
  if (!s) return;
  if (!s.isDirectory()) throw new UsageError(`--out ${shown}: exists and is not a directory`);
  if (await isBuildFolder(out)) return;
  const foreign: string[] = [];
  for (const e of await readdir(out, { withFileTypes: true })) {
    // A nested build (`dist/compose` from `npm run build:compose`) is ours too.
    if (!(e.isDirectory() && (await isBuildFolder(join(out, e.name))))) foreign.push(e.name);
  }
  if (foreign.length === 0) return;
  const list = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ', ...' : '');
  throw new UsageError(
    `--out ${shown}: the folder holds files a build did not write (${list}), and a build replaces whole folders there. ` +
      'Choose a new or empty folder; if it is the output of a build older than 0.2.0, delete it once.',
  );
}
