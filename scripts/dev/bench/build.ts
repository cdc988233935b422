#!/usr/bin/env node
/**
 * `npm run bench:build`: how long `voting-mixin build --only dashboards` takes as a whole cold
 * process (Node start, imports, four dashboards built, schema + PromQL/LogQL + lint checks,
 * atomic write), N runs into fresh temp dirs; median/min/max against the 2 s target of issue 2.
 * There is no peer tool for this, so the ratio is to the target. Also times one
 * `npm run build:dashboards` end to end (tsc included), as a newcomer would run it.
 * Prints one markdown section; `--out FILE` also writes it to FILE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.js';
import { benchMain } from './lib/bench-main.js';
import { timedRun } from './lib/processes.js';
import { median } from './lib/stats.js';

const HELP = `Usage: npm run bench:build [-- --runs N] [--out FILE]

Times N cold runs (default 7) of \`node build/scripts/cli.js build --only dashboards\` into temp
dirs, and one \`npm run build:dashboards\` (tsc included).
`;

const ROOT = repoRoot();
const CLI = join(ROOT, 'build/scripts/cli.js');
const TARGET_S = 2;

const timed = async (cmd: string, args: string[], cwd: string): Promise<number> =>
  (await timedRun(cmd, args, cwd)).ms / 1000;

const fmt = (s: number) => `${s.toFixed(2)} s`;

benchMain({
  name: 'bench:build',
  help: HELP,
  flags: { runs: { kind: 'int', default: 7, min: 1, help: 'cold runs' } },
  run: ({ runs }) => measure(runs),
});

async function measure(runs: number): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      times.push(
        await timed(
          process.execPath,
          [CLI, 'build', '--only', 'dashboards', '--quiet', '--out', join(tmp, `run-${i}`)],
          tmp,
        ),
      );
    }
    // The npm script writes into the repository's dist/, as a user's run would.
    const whole = await timed('npm', ['run', '--silent', 'build:dashboards'], ROOT);
    const med = median(times);
    const section = [
      '### Dashboard build time',
      '',
      '| measure | ours | peer | ratio to target | target |',
      '|---|---|---|---|---|',
      `| \`build --only dashboards\`, cold process, median of ${runs} | ${fmt(med)} | — (no peer tool) | ${(med / TARGET_S).toFixed(2)}× | < ${TARGET_S} s |`,
      `| same, min / max | ${fmt(Math.min(...times))} / ${fmt(Math.max(...times))} | — | ${(Math.max(...times) / TARGET_S).toFixed(2)}× (max) | < ${TARGET_S} s |`,
      `| \`npm run build:dashboards\` once (tsc incremental + build) | ${fmt(whole)} | — | — | — |`,
      '',
      `Setup: Node ${process.version}, \`node build/scripts/cli.js build --only dashboards\` spawned ${runs} times into fresh temp dirs ` +
        '(whole process: start-up, imports, 4 dashboards, JSON Schema + PromQL/LogQL + lint checks, atomic write). ' +
        'The `npm run build:dashboards` row adds npm and an incremental `tsc` on an already-compiled tree. ' +
        "Other work shares this machine, so figures are noisy; the ratio is to the issue's 2 s target.",
      '',
    ].join('\n');
    return section;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
