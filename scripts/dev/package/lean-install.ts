/**
 * What a library user gets: `npm pack` of the compiled library, installed into an empty project
 * exactly as `npm i voting-mixin` would. Shared by the package test (which asserts the targets)
 * and `npm run bench:install` (which reports the figures beside the pre-workspace install).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../repo-root.js';

const run = promisify(execFile);

/** Packages a library user must never install: they belong to the apps and the benchmarks. */
export const APP_ONLY_PACKAGES = ['express', 'pg', 'ioredis', 'pino', 'autocannon'] as const;

/** Tarball paths that are not the library: tests, results, build caches, dev tools. */
export const FORBIDDEN_IN_TARBALL = [
  /\.test\.(js|d\.ts|js\.map)$/,
  /test-results\.json$/,
  /\.tsbuildinfo$/,
  /(^|\/)build\/scripts\/dev\//,
  /(^|\/)build\/test\//,
  /(^|\/)bench\//,
  /(^|\/)(exporters|reference-app)\//,
];

export interface Packed {
  tarball: string;
  bytes: number;
  unpackedBytes: number;
  files: string[];
}

export interface Installed {
  dir: string;
  /** Every installed package (nested copies counted), the root project excluded. */
  packages: string[];
  /** Bytes on disk under node_modules. */
  bytes: number;
  seconds: number;
}

/** `npm pack` into a fresh temp folder; the caller removes `dirname(tarball)`. */
export async function packLibrary(root = repoRoot()): Promise<Packed> {
  const dest = await mkdtemp(join(tmpdir(), 'vm-pack-'));
  // --ignore-scripts: prepack would compile again and rewrite build/cli/ and the exporter bundle
  // under the tests running them in parallel (a chunk went missing mid-run in CI); `npm test`
  // and `npm run bench` compile first.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
    cwd: root,
    maxBuffer: 1 << 26,
  });
  const [info] = JSON.parse(stdout) as Array<{
    filename: string;
    size: number;
    unpackedSize: number;
    files: Array<{ path: string }>;
  }>;
  if (!info) throw new Error('npm pack printed no result');
  return {
    tarball: join(dest, info.filename),
    bytes: info.size,
    unpackedBytes: info.unpackedSize,
    files: info.files.map((f) => f.path),
  };
}

async function duBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await duBytes(p);
    else if (e.isFile()) total += (await stat(p)).size;
  }
  return total;
}

/** An empty project with `specs` installed (a tarball path, package names); the caller removes `dir`. */
export async function installInEmptyProject(specs: readonly string[]): Promise<Installed> {
  const dir = await mkdtemp(join(tmpdir(), 'vm-user-'));
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'user-project', private: true, type: 'module' })}\n`,
  );
  const started = performance.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], {
    cwd: dir,
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  const { stdout } = await run('npm', ['ls', '--all', '--parseable'], { cwd: dir, maxBuffer: 1 << 26 });
  const packages = stdout
    .split('\n')
    .filter((l) => l.includes('/node_modules/'))
    .map((l) => l.slice(l.lastIndexOf('/node_modules/') + '/node_modules/'.length));
  return { dir, packages, bytes: await duBytes(join(dir, 'node_modules')), seconds };
}

export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
