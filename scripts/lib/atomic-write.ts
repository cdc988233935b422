/**
 * Writes a set of generated files so that a reader never sees a half-written dist/: everything
 * goes to a staging folder first, then each top-level output folder is swapped in with rename().
 * If anything fails before the swap, the previous outputs are untouched.
 */
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type Outputs = ReadonlyMap<string, string>;

export interface WriteOptions {
  /**
   * Files already in the output that this write must carry over (paths relative to it): what
   * the targets a partial build (`--only`) did not run wrote into a folder it shares (k8s/).
   */
  keep?: (rel: string) => boolean;
}

export async function writeOutputsAtomically(outDir: string, files: Outputs, opts: WriteOptions = {}): Promise<void> {
  const root = resolve(outDir);
  const stage = `${root}.staging-${process.pid}`;
  await rm(stage, { recursive: true, force: true });
  const tops = new Set<string>();
  try {
    for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = resolve(stage, rel);
      if (relative(stage, target).startsWith('..')) throw new Error(`refusing to write outside ${outDir}: ${rel}`);
      tops.add(rel.split(/[\\/]/)[0]!);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await mkdir(root, { recursive: true });
    if (opts.keep) await carryOver(root, stage, tops, files, opts.keep);
    for (const top of [...tops].sort()) {
      const live = join(root, top);
      const old = `${live}.old-${process.pid}`;
      await rm(old, { recursive: true, force: true });
      await rename(live, old).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await rename(join(stage, top), live);
      await rm(old, { recursive: true, force: true });
    }
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Copies the kept files of the live folders about to be replaced into the staging folder. */
async function carryOver(
  root: string,
  stage: string,
  tops: ReadonlySet<string>,
  files: Outputs,
  keep: (rel: string) => boolean,
): Promise<void> {
  for (const top of tops) {
    const entries = await readdir(join(root, top), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isFile()) continue;
      const abs = join(e.parentPath, e.name);
      const rel = relative(root, abs).split(sep).join('/');
      if (files.has(rel) || !keep(rel)) continue;
      await mkdir(dirname(join(stage, rel)), { recursive: true });
      await copyFile(abs, join(stage, rel));
    }
  }
}

/** Files under a top-level output folder, for messages ("wrote 4 files to dist/dashboards"). */
export function summarize(files: Outputs): string[] {
  const counts = new Map<string, number>();
  for (const rel of files.keys()) {
    const top =
      rel
        .split(sep === '\\' ? /[\\/]/ : /\//)
        .slice(0, -1)
        .join('/') || '.';
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  return [...counts].sort().map(([dir, n]) => `${String(n).padStart(4)} ${dir}/`);
}
