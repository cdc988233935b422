#!/usr/bin/env node
/**
 * Bundles the compiled programs into one file each (dependencies included), after tsc, as part of
 * `npm run compile` (plain JS so it needs no compiling itself). `node scripts/dev/bundle.mjs
 * [cli] [exporter]` (both when none is named; the Dockerfile bundles only the exporter).
 *
 * - cli: build/scripts/cli.js → build/cli/voting-mixin.js, the package's `bin`. Start-up is most
 *   of a CI run of `validate` on a tree of small files, and most of start-up was Node resolving
 *   and loading some 300 modules one by one; one file (plus a chunk per command, loaded only when
 *   that command runs) is read and compiled once. The library exports stay the plain modules.
 * - exporter: exporters/redis-queue/build/main.js → exporters/redis-queue/build/redis-queue-exporter.js,
 *   the exporter's `bin` and what every launcher runs. A long-running process pays for every
 *   module it loaded for as long as it runs: ~190 modules kept ~10 MiB more RSS than one minified
 *   file, a tenth of its memory budget (issue 13: ≤ 80 MiB at 10,000 keys).
 */
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '../..');
// jiti (with its Babel, 1.7 MB) loads only for a TypeScript config, by a dynamic import of the
// installed package.
const JITI = /^jiti(\/|$)/;
// A dynamic import() that is also imported statically elsewhere is simply not split off.
const checks = { ineffectiveDynamicImport: false, circularDependency: false };

const targets = {
  async cli() {
    const out = join(root, 'build/cli');
    // Built beside, then swapped in: a program running the old bundle meanwhile (a test, `npm pack`
    // in another shell) never finds its chunks half-written.
    const next = `${out}.next-${process.pid}`;
    rmSync(next, { recursive: true, force: true });
    await build({
      input: join(root, 'build/scripts/cli.js'),
      platform: 'node',
      // Grafana's builders are only for `build` (not the validate start-up this bundle is for) and
      // are most of the bundle's size: the installed package is imported as it is.
      external: [/^@grafana\/grafana-foundation-sdk(\/|$)/, JITI],
      logLevel: 'warn',
      checks,
      output: {
        dir: next,
        format: 'esm',
        entryFileNames: 'voting-mixin.js',
        chunkFileNames: '[name]-[hash].js',
        // Stack traces of a bug report still name our functions.
        keepNames: true,
      },
    });
    // The package's bin: `npx voting-mixin` in this repository runs it through node_modules/.bin,
    // which needs it executable (npm sets that only when it installs a package).
    chmodSync(join(next, 'voting-mixin.js'), 0o755);
    rmSync(out, { recursive: true, force: true });
    renameSync(next, out);
  },
  async exporter() {
    const dir = join(root, 'exporters/redis-queue/build');
    await build({
      input: join(dir, 'main.js'),
      platform: 'node',
      external: [JITI],
      logLevel: 'warn',
      checks,
      output: {
        file: join(dir, `redis-queue-exporter.js.next-${process.pid}`),
        format: 'esm',
        // One file: no chunk for the dynamic imports (config loading), nothing else to ship.
        codeSplitting: false,
        minify: true,
        keepNames: true,
      },
    });
    // The bin runs by its shebang (which carries the memory flags): it must be executable in a
    // clone too, not only once npm links it.
    chmodSync(join(dir, `redis-queue-exporter.js.next-${process.pid}`), 0o755);
    // Written beside, then renamed over the old one (atomic): a running exporter test never reads
    // a half-written bundle.
    renameSync(join(dir, `redis-queue-exporter.js.next-${process.pid}`), join(dir, 'redis-queue-exporter.js'));
  },
};

const asked = process.argv.slice(2);
for (const name of asked.length ? asked : Object.keys(targets)) {
  const target = targets[name];
  if (!target) {
    console.error(`bundle: unknown target '${name}' (cli, exporter)`);
    process.exit(2);
  }
  await target();
}
