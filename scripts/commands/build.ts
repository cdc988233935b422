/**
 * `voting-mixin build`: config → every artifact in dist/, validated before anything is written.
 * A failed check or a config error leaves the previous dist/ exactly as it was.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { receiversNote } from '../../alerts/alertmanager.js';
import { UsageError } from '../../runtime/errors.js';
import { type FlagSpecs, parseFlags } from '../../runtime/flags.js';
import { loadConfig } from '../../runtime/load-config.js';
import type { Finding } from '../../validate/finding.js';
import { formatHuman, summarizeFindings } from '../../validate/reporters/human.js';
import { type Target, type TargetName, targetNames, targets } from '../lib/artifacts.js';
import { summarize, writeOutputsAtomically } from '../lib/atomic-write.js';
import type { Command } from '../lib/io.js';
import { checkOutDir, OUT_MARKER, OUT_MARKER_TEXT } from '../lib/out-dir.js';
import { validateOutput } from '../lib/validate-output.js';

const help = `
Usage: voting-mixin build [--config FILE] [--out DIR] [--only TARGET[,TARGET]]

Generates dashboards, Grafana provisioning, Prometheus rules and scrape config, Alertmanager
config, promtool tests, runbooks and Kubernetes manifests into DIR (default dist/). Everything is
validated first; on any error nothing is written and the previous DIR is left as it was.

Options:
  --config FILE   mixin config (.yaml, .yml, .json, .js, .mjs, .cjs, .ts, .mts, .cts); default: the
                  one voting-mixin.config.* in the working directory, else the built-in defaults
  --out DIR       output folder (default: dist)
  --only TARGETS  build only some targets: ${targetNames.join(', ')}
  --quiet         print nothing but errors
  -h, --help      show this help

Exit codes: 0 built, 1 validation findings (nothing written), 2 usage or config error.
`;

const flags = {
  config: { kind: 'string', help: 'mixin config file' },
  out: { kind: 'string', default: 'dist', help: 'output folder' },
  // Defaults to every target, so an explicit `--only ''` (or `--only ,`, e.g. from an unset shell
  // variable) parses to an empty list and is refused below instead of quietly building everything.
  only: { kind: 'strings', default: targetNames, help: 'targets to build' },
  quiet: { kind: 'bool', help: 'print nothing but errors' },
} satisfies FlagSpecs;

export const buildCommand: Command = {
  name: 'build',
  summary: 'generate dashboards, rules, Alertmanager config, tests and runbooks into dist/',
  help,
  async run(argv, io) {
    const { values: opts } = parseFlags(flags, argv);
    await checkOutDir(resolve(io.cwd, opts.out), opts.out);
    if (opts.only.length === 0) throw new UsageError(`--only needs one or more of: ${targetNames.join(', ')}`);
    for (const t of opts.only) {
      if (!targetNames.includes(t as TargetName))
        throw new UsageError(`unknown target "${t}" for --only (valid: ${targetNames.join(', ')})`);
    }
    // `--only alerts,alerts` (or `--only alerts --only alerts`) means alerts once: building a target
    // twice would collide with itself in the output map.
    const selected = [...new Set(opts.only as TargetName[])];
    const started = performance.now();
    const { config, source } = await loadConfig(opts.config, io.cwd);
    const log = (s: string) => opts.quiet || io.stderr.write(`${s}\n`);
    log(`voting-mixin build: config ${source ?? '(defaults)'}; targets ${selected.join(', ')}`);
    const receiversMissing = selected.includes('alerts') ? receiversNote(config) : undefined;
    if (receiversMissing) log(`voting-mixin build: ${receiversMissing}`);

    // The targets not built: their files stay in --out as the last full build left them, and the
    // validation below sees them (not reported on) so references into them resolve.
    const unselected = targetNames.filter((t) => !selected.includes(t));
    const owns = (t: TargetName): ((rel: string) => boolean) | undefined => (targets[t] as Target).owns;
    const others = new Map(unselected.filter((t) => !owns(t)).flatMap((t) => [...targets[t].produce(config)]));
    const othersOwn = (rel: string) => others.has(rel) || unselected.some((t) => owns(t)?.(rel) ?? false);
    const out = resolve(io.cwd, opts.out);
    // `--only k8s` into a folder without the alerts' and dashboards' k8s files would write a
    // kustomization listing files that are not there: `kubectl apply -k` fails. Say which to add.
    const absent = selected.flatMap((t) =>
      ((targets[t] as Target).references?.(config) ?? []).filter((p) => others.has(p) && !existsSync(join(out, p))),
    );
    if (absent.length) {
      const owners = targetNames.filter(
        (t) => !selected.includes(t) && absent.some((p) => targets[t].produce(config).has(p)),
      );
      throw new UsageError(
        `--only ${selected.join(',')}: its output refers to ${absent.join(', ')}, which ${opts.out}/ does not have; ` +
          `build ${owners.join(' and ')} too (--only ${[...selected, ...owners].join(',')}) or run a full build first`,
      );
    }
    const files = new Map<string, string>();
    const findings: Finding[] = [];
    for (const name of selected) {
      const produced = targets[name].produce(config);
      for (const [path, content] of produced) {
        if (files.has(path)) throw new Error(`two targets write ${path}`);
        files.set(path, content);
      }
      findings.push(...(await targets[name].check(produced, config)));
    }
    // Then the whole output through the same engine users run on dist/.
    findings.push(...(await validateOutput(files, config, opts.out, others)));
    const errors = findings.filter((f) => f.severity === 'error');
    if (findings.length) io.stderr.write(`${formatHuman(findings, { colour: Boolean(io.stderr.isTTY) })}\n`);
    if (errors.length) {
      io.stderr.write(`voting-mixin build: ${summarizeFindings(findings)}; nothing was written.\n`);
      return 1;
    }
    try {
      // A partial build replaces only what its targets write: the other targets' files in a folder
      // they share (k8s/) stay as the last full build left them.
      await writeOutputsAtomically(out, new Map([...files, [OUT_MARKER, OUT_MARKER_TEXT]]), {
        keep: othersOwn,
      });
    } catch (e) {
      // The file system refused (a file where the folder should be, no permission, disk full):
      // the user's to fix, and the atomic writer left the previous outputs as they were.
      const err = e as NodeJS.ErrnoException;
      if (!err.code) throw e;
      throw new UsageError(
        `--out ${opts.out}: cannot write the outputs (${err.code}${err.path ? ` ${err.path}` : ''})`,
      );
    }
    if (!opts.quiet) {
      io.stderr.write(`${summarize(files).join('\n')}\n`);
      io.stderr.write(
        `voting-mixin build: wrote ${files.size} files to ${opts.out}/ in ${Math.round(performance.now() - started)} ms\n`,
      );
    }
    return 0;
  },
};
