#!/usr/bin/env node
/**
 * Bundles the compiled CLI (build/scripts/cli.js and everything it imports, dependencies
 * included) into build/cli/: the package's `bin`. Start-up is most of a CI run of `validate` on
 * a tree of small files, and most of start-up was Node resolving and loading some 300 modules one
 * by one; one file (plus a chunk per command, loaded only when that command runs) is read and
 * compiled once. The library exports stay the plain compiled modules under build/.
 * Runs after tsc as part of `npm run compile` (plain JS so it needs no compiling itself).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '../..');
const out = join(root, 'build/cli');

rmSync(out, { recursive: true, force: true });
await build({
  input: join(root, 'build/scripts/cli.js'),
  platform: 'node',
  // Grafana's builders are only for `build` (not the validate start-up this bundle is for) and are
  // most of the bundle's size: the installed package is imported as it is. jiti (with its Babel,
  // 1.7 MB) loads only for a TypeScript config, by a dynamic import of the installed package.
  external: [/^@grafana\/grafana-foundation-sdk(\/|$)/, /^jiti(\/|$)/],
  logLevel: 'warn',
  // A dynamic import() that is also imported statically elsewhere is simply not split off.
  checks: { ineffectiveDynamicImport: false, circularDependency: false },
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: 'voting-mixin.js',
    chunkFileNames: '[name]-[hash].js',
    // Stack traces of a bug report still name our functions.
    keepNames: true,
  },
});
