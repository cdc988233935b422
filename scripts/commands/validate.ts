/**
 * `voting-mixin validate [paths or globs...]`: the CI validator for any rule file, PrometheusRule,
 * Prometheus or Alertmanager config and Grafana dashboard. Reads the files, runs validate/engine,
 * prints one of the reporters. I/O (files, --metrics URL) happens here, not in validate/.
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../runtime/errors.js';
import { type FlagSpecs, parseFlags } from '../../runtime/flags.js';
import { redactUrl } from '../../runtime/redact.js';
import { checks } from '../../validate/checks/registry.js';
import { type InputFile, validateFiles } from '../../validate/engine.js';
import { type MetricList, parseExposition, parseLabelValues } from '../../validate/exposition.js';
import { expandInputs, globToRegExp, relativeToCwd, resolveRuleFilesFromDisk } from '../../validate/files.js';
import { type Severity, severityRank } from '../../validate/finding.js';
import { formatGithub } from '../../validate/reporters/github.js';
import { formatHuman, summarizeRun } from '../../validate/reporters/human.js';
import { formatJson } from '../../validate/reporters/json.js';
import { formatJunit } from '../../validate/reporters/junit.js';
import {
  parseValidateConfig,
  unknownCheckRef,
  VALIDATE_CONFIG_FILE,
  type ValidateConfig,
  ValidateConfigError,
} from '../../validate/validate-config.js';
import type { Command } from '../lib/io.js';

const FORMATS = ['human', 'json', 'github', 'junit'] as const;

const help = `
Usage: voting-mixin validate [options] <path|glob>...

Checks Prometheus rule files and PrometheusRule CRDs, promtool unit-test files (and the rule
files they load), Prometheus configs and file_sd lists, Alertmanager configs and Grafana dashboards
(also inside ConfigMaps, Secrets and kind: List), as promtool, amtool and Grafana would judge them.
Directories are searched for .yml/.yaml/.json; globs such as 'rules/**/*.yml' are expanded (quote
them). A file named here that is none of these kinds is an error.

Options:
  --format FMT          human (default), json, github (workflow annotations), junit
  --fail-on LEVEL       exit 1 when a finding is at or above LEVEL: error (default), warning, info
  --strict              lint warnings count as errors
  --disable ID          switch off a check id (e.g. lint/alert-name), an area (lint) or all;
                        repeatable or comma-separated. Inline: # voting-mixin-disable ID
  --config FILE         validate settings (default: .voting-mixin-validate.yaml in the current
                        directory, if there): scrape_interval, severities, exclude, disable,
                        severity overrides per check, and per-path disable/severity
  --list-checks         print every check with its id, severity and what it finds, and exit
  --exclude PATH|GLOB   leave out a directory, file or glob (e.g. dist/compose); repeatable
  --metrics FILE|URL    every metric used must exist: a /metrics exposition file or URL, a file
                        with one name per line, or a Prometheus base URL (asks
                        /api/v1/label/__name__/values)
  --scrape-interval D   scrape interval the range-window lint assumes (default 15s)
  --severities LIST     allowed severity label values (default critical,warning,info)
  --no-color            no colours even on a terminal
  -h, --help            show this help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error (bad flag, no such file).
`;

const flags = {
  format: { kind: 'string', default: 'human', choices: FORMATS, help: 'output format' },
  failOn: { kind: 'string', default: 'error', choices: ['error', 'warning', 'info'], help: 'exit 1 at or above' },
  strict: { kind: 'bool', help: 'lint warnings count as errors' },
  disable: { kind: 'strings', help: 'check ids or areas to switch off' },
  exclude: { kind: 'strings', help: 'paths or globs to leave out' },
  metrics: { kind: 'string', help: 'metric list file or URL' },
  scrapeInterval: { kind: 'duration', min: 1, help: 'scrape interval the lints assume (default 15s)' },
  severities: { kind: 'list', help: 'allowed severity label values' },
  color: { kind: 'bool', default: true, help: 'colours on a terminal' },
  config: { kind: 'string', help: 'validate settings file' },
  listChecks: { kind: 'bool', help: 'print the checks and exit' },
} satisfies FlagSpecs;

/** The settings file: --config FILE (must exist), else .voting-mixin-validate.yaml when present. */
async function loadSettings(path: string | undefined, cwd: string): Promise<ValidateConfig | undefined> {
  const file = path ?? VALIDATE_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    if (!path && (e as { code?: string }).code === 'ENOENT') return undefined;
    throw new UsageError(`--config ${file}: ${(e as Error).message}`);
  }
  try {
    return parseValidateConfig(file, text, checks);
  } catch (e) {
    if (e instanceof ValidateConfigError) throw new UsageError(e.message);
    throw e;
  }
}

function listChecks(): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  return checks.map((c) => `${c.id.padEnd(width)}  ${c.severity.padEnd(7)}  ${c.summary}`).join('\n');
}

async function loadMetrics(spec: string, cwd: string): Promise<MetricList> {
  let body: string;
  let isApi = false;
  if (/^https?:\/\//i.test(spec)) {
    // fetch refuses URLs with credentials: they become a Basic auth header, and every message
    // shows the URL redacted (the password never reaches the terminal or CI logs).
    const shown = redactUrl(spec);
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new UsageError(`--metrics ${shown}: not a valid URL`);
    }
    const headers: Record<string, string> = {};
    if (url.username || url.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    isApi = !/\/metrics\/?$/.test(url.pathname);
    if (isApi && !url.pathname.includes('/api/v1/'))
      url.pathname = `${url.pathname.replace(/\/$/, '')}/api/v1/label/__name__/values`;
    const where = redactUrl(url.href);
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new UsageError(
        `--metrics ${shown}: cannot fetch ${where}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
      );
    }
    if (!res.ok) throw new UsageError(`--metrics ${shown}: ${where} answered HTTP ${res.status}`);
    body = await res.text();
  } else {
    try {
      body = await readFile(resolve(cwd, spec), 'utf8');
    } catch (e) {
      throw new UsageError(`--metrics ${spec}: ${(e as Error).message}`);
    }
    isApi = body.trimStart().startsWith('{');
  }
  try {
    return isApi ? parseLabelValues(body) : parseExposition(body);
  } catch (e) {
    throw new UsageError(`--metrics ${redactUrl(spec)}: ${(e as Error).message}`);
  }
}

// --exclude dist/compose drops that directory (or file); a pattern with * ? [ { is a glob.
function excludeFilter(patterns: readonly string[]): (file: string) => boolean {
  const tests = patterns
    .flatMap((p) => p.split(','))
    .map((p) => p.trim().replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter(Boolean)
    .map((p) => {
      const re = /[*?[{]/.test(p) ? globToRegExp(p) : undefined;
      return (f: string) => (re ? re.test(f) : f === p || f.startsWith(`${p}/`));
    });
  return (file) => tests.some((t) => t(file.replace(/\\/g, '/')));
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check rule files, Prometheus/Alertmanager configs and dashboards (yours or generated)',
  help,
  async run(argv, io) {
    const { values: opts, positionals } = parseFlags(flags, argv, { positionals: true });
    if (opts.listChecks) {
      io.stdout.write(`${listChecks()}\n`);
      return 0;
    }
    const format = opts.format as (typeof FORMATS)[number];
    const failOn = opts.failOn as Severity;
    if (!positionals.length) throw new UsageError('give at least one file, directory or glob to validate');
    const settings = await loadSettings(opts.config, io.cwd);
    // A flag given on the command line wins over the settings file.
    const scrape = opts.scrapeInterval ?? settings?.scrapeIntervalMs ?? 15_000;
    const severities = opts.severities ?? settings?.severities;
    const { files, missing, named } = await expandInputs(positionals, io.cwd);
    if (missing.length) {
      const isDir = async (p: string) =>
        (await stat(resolve(io.cwd, p)).catch(() => undefined))?.isDirectory() ?? false;
      const empty = [];
      for (const m of missing) if (await isDir(m)) empty.push(m);
      if (empty.length) throw new UsageError(`no .yml, .yaml or .json file in directory ${empty.join(', ')}`);
      throw new UsageError(`no such file, directory or matching glob: ${missing.join(', ')}`);
    }
    const excluded = excludeFilter([...opts.exclude, ...(settings?.exclude ?? [])]);
    const kept = files.filter((f) => !excluded(f));
    if (files.length && !kept.length)
      throw new UsageError(
        `${settings?.exclude.length ? `--exclude and exclude: in ${opts.config ?? VALIDATE_CONFIG_FILE}` : '--exclude'} left no file to validate (of ${files.length})`,
      );
    files.splice(0, files.length, ...kept);
    const metrics = opts.metrics ? await loadMetrics(opts.metrics, io.cwd) : undefined;

    const inputs: InputFile[] = [];
    for (const file of files) {
      try {
        // Synchronously: one read each, none of fs/promises' file-handle round trips (per-file
        // cost is what a CI tree of many small files pays).
        inputs.push({ file, text: readFileSync(resolve(io.cwd, file), 'utf8'), named: named.has(file) });
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
      }
    }
    const tty = Boolean(io.stderr.isTTY);
    const progress = tty && inputs.length >= 20;
    const disable = opts.disable
      .flatMap((d) => d.split(','))
      .map((d) => d.trim())
      .filter(Boolean);
    // A misspelt id would silently switch nothing off.
    for (const d of disable) {
      const problem = unknownCheckRef(d, checks);
      if (problem) throw new UsageError(`--disable ${d}: ${problem} (see --list-checks)`);
    }
    const result = await validateFiles(inputs, {
      scrapeIntervalMs: scrape,
      strict: opts.strict,
      disable: [...disable, ...(settings?.disable ?? [])],
      ...(settings?.severity.size ? { severityOverrides: settings.severity } : {}),
      ...(settings?.paths.length ? { pathRules: settings.paths } : {}),
      resolveRuleFiles: (from, pattern) =>
        resolveRuleFilesFromDisk(resolve(io.cwd, from), pattern).map((f) => ({
          file: relativeToCwd(io.cwd, f.file),
          text: f.text,
        })),
      ...(severities ? { severities } : {}),
      ...(metrics ? { metrics } : {}),
      onFile: progress
        ? (done, total) => (done % 10 === 0 || done === total) && io.stderr.write(`\rvalidating ${done}/${total} files`)
        : undefined,
    });
    if (progress) io.stderr.write('\r\x1b[K');
    const colour = Boolean(io.stdout.isTTY) && opts.color && !io.env.NO_COLOR;
    const { findings } = result;
    const names = result.files.map((f) => f.file);
    const rules = result.files.reduce((n, f) => n + f.rules, 0);
    if (format === 'human') {
      if (findings.length) io.stdout.write(`${formatHuman(findings, { colour })}\n\n`);
      io.stdout.write(
        `${summarizeRun(findings, names.length, { colour })} (${rules} rule${rules === 1 ? '' : 's'} checked)\n`,
      );
    } else {
      const text =
        format === 'json'
          ? formatJson(findings, names)
          : format === 'github'
            ? formatGithub(findings)
            : formatJunit(findings, names, failOn);
      if (text) io.stdout.write(`${text}\n`);
      io.stderr.write(`voting-mixin validate: ${summarizeRun(findings, names.length)}\n`);
    }
    return findings.some((f) => severityRank[f.severity] >= severityRank[failOn]) ? 1 : 0;
  },
};
