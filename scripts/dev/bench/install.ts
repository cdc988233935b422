#!/usr/bin/env node
/**
 * `npm run bench:install`: what `npm i voting-mixin` costs a library user, beside what it cost
 * before the apps became workspaces (0.1.0 shipped them inside: the same library plus express,
 * pg, ioredis, pino and prom-client), measured in the same run from the same packed tarball.
 */
import { dirname } from 'node:path';
import { packageVersion } from '../../lib/version.js';
import { APP_ONLY_PACKAGES, installInEmptyProject, packLibrary, removeDir } from '../package/lean-install.js';
import { benchMain } from './lib/bench-main.js';
import { f1, f2 } from './lib/stats.js';

const HELP = `Usage: npm run bench:install [-- --out FILE]

Packs the library (build/ must be compiled), installs it into an empty project, and beside it
the same tarball plus the apps' runtime dependencies (what 0.1.0 installed). Prints one
markdown section.
`;

const PEER_EXTRA = ['express@^5.3.0', 'pg@^8.23.1', 'ioredis@^6.0.0', 'pino@^10.4.0', 'prom-client@^15.1.3'];
const TARGET_PACKAGES = 60;
const mib = (b: number) => b / 1024 / 1024;

benchMain({
  name: 'bench:install',
  help: HELP,
  flags: {},
  async run() {
    const packed = await packLibrary();
    try {
      const ours = await installInEmptyProject([packed.tarball]);
      const peer = await installInEmptyProject([packed.tarball, ...PEER_EXTRA]);
      await removeDir(ours.dir);
      await removeDir(peer.dir);
      const appDeps = APP_ONLY_PACKAGES.filter((p) => ours.packages.includes(p));
      const testish = packed.files.filter((f) => /\.test\.|tsbuildinfo|test-results|\/dev\/|\/test\//.test(f));
      const rows = [
        '| measure | ours: voting-mixin now | peer: library + the apps’ deps (what 0.1.0 installed) | ratio | target |',
        '|---|---|---|---|---|',
        `| packages installed in an empty project | ${ours.packages.length} | ${peer.packages.length} | ${f2(ours.packages.length / peer.packages.length)} | ≤ ${TARGET_PACKAGES} ${ours.packages.length <= TARGET_PACKAGES ? '✓' : '✗'} |`,
        `| node_modules on disk (MiB) | ${f1(mib(ours.bytes))} | ${f1(mib(peer.bytes))} | ${f2(ours.bytes / peer.bytes)} | — |`,
        `| \`npm install\` wall time, warm cache (s) | ${f1(ours.seconds)} | ${f1(peer.seconds)} | ${f2(ours.seconds / peer.seconds)} | — |`,
        `| express, pg, ioredis, pino, autocannon installed | ${appDeps.length ? appDeps.join(', ') : 'none'} | ${APP_ONLY_PACKAGES.filter((p) => peer.packages.includes(p)).join(', ')} | — | none ${appDeps.length ? '✗' : '✓'} |`,
        `| tarball: size (kB) / files | ${f1(packed.bytes / 1000)} / ${packed.files.length} | — | — | no tests, results, tsbuildinfo, dev tools: ${testish.length ? `✗ ${testish.slice(0, 3).join(', ')}` : '✓'} |`,
      ];
      return [
        '### Library install (what `npm i voting-mixin` pulls)',
        '',
        ...rows,
        '',
        `voting-mixin ${packageVersion()} packed with \`npm pack\` (${f1(packed.unpackedBytes / 1000)} kB unpacked) and installed with \`npm install --prefer-offline <tarball>\` into a fresh empty project; the peer column installs the same tarball plus ${PEER_EXTRA.join(', ')} — the runtime dependencies 0.1.0 declared for its bundled apps (measured before this release: 121–125 packages, 38 MB). Packages counted with \`npm ls --all --parseable\`; prom-client is an optional peer dependency of \`voting-mixin/instrument\`, so it is not in the first column.`,
        '',
      ].join('\n');
    } finally {
      await removeDir(dirname(packed.tarball));
    }
  },
});
