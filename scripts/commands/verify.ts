/**
 * `voting-mixin verify --prometheus URL`: runs the generated dashboards' queries and rule
 * expressions against a live Prometheus (see validate/live/verify.ts for what counts as a finding).
 */

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../runtime/errors.js';
import { type FlagSpecs, parseFlags } from '../../runtime/flags.js';
import { redactUrl } from '../../runtime/redact.js';
import type { DashboardDoc } from '../../validate/live/collect.js';
import { PrometheusApi, PrometheusApiError } from '../../validate/live/prometheus-api.js';
import { type VerifyInput, verifyLive } from '../../validate/live/verify.js';
import { formatHuman, summarizeFindings } from '../../validate/reporters/human.js';
import type { Command } from '../lib/io.js';

const help = `
Usage: voting-mixin verify --prometheus URL [--dist DIR] [--format human|json] [options]

Runs every Prometheus query of dist/dashboards/*.json (template variables expanded:
label_values() variables resolved against the Prometheus, $__rate_interval = 4 × its scrape
interval) and every expression of dist/prometheus/rules/*.yml against a live Prometheus.

Findings (exit 1):
  verify/query-error       the query errors
  verify/empty-panel       a panel target returns no series, now or within --lookback, and is not
                           quiet (below); the message names the selectors that match nothing
  verify/empty-rule        a recording rule returns no series and is not quiet
  verify/unknown-metric    a metric a query uses has no series in Prometheus
  verify/unscraped-metric  a metric of the catalog (config/metrics.ts) is exposed by no target
  verify/empty-variable    a template variable has no values
  verify/unknown-variable  a query uses a variable its dashboard does not define

Quiet (not findings; listed on stderr and in the JSON's stats.quiet): what is empty only because
nothing is wrong. An empty query is quiet when, relaxed, it has data: matchers on labels the
catalog marks absentUntil dropped (status=~"5.." before the first 5xx) and comparison filters
made bool (up == 0 while nothing is down), every selector still matching series. A metric that
exists only after an event (ALERTS before an alert is pending), a recording rule that is quiet,
and what reads it, are quiet too, as are catalog metrics only some set-ups expose (onlyWhen).
A selector that matches nothing even relaxed (a metric no target exposes, a wrong job), or a
relaxed query that is still empty (a join on the wrong labels), stays a finding.
Alerting rules returning nothing is normal (they are quiet); only their errors are reported.
Loki queries are listed as skipped.

Options:
  --prometheus URL        Prometheus base URL (http://user:pass@host:9090 works; credentials are
                          never printed)
  --dist DIR              generated files (default: dist)
  --format human|json     output on stdout (default: human)
  --lookback DURATION     how far back an empty query may find data (default: 15m)
  --scrape-interval DUR   override the scrape interval read from Prometheus's config
  --no-catalog            skip the catalog check (unscraped metrics)
  --timeout DURATION      per-request timeout (default: 15s)
  -h, --help              show this help

Progress goes to stderr. Exit codes: 0 clean, 1 findings, 2 usage error or Prometheus unreachable.
`;

const flags = {
  prometheus: { kind: 'string', help: 'Prometheus base URL' },
  dist: { kind: 'string', default: 'dist', help: 'generated files' },
  format: { kind: 'string', default: 'human', choices: ['human', 'json'], help: 'output format' },
  lookback: { kind: 'duration', default: 15 * 60_000, help: 'how far back an empty query may find data' },
  scrapeInterval: { kind: 'duration', min: 1, help: "override the Prometheus's scrape interval" },
  catalog: { kind: 'bool', default: true, help: 'check that every catalog metric is scraped' },
  timeout: { kind: 'duration', default: 15_000, min: 1, help: 'per-request timeout' },
} satisfies FlagSpecs;

async function readInputs(dist: string, shown: string, cwd: string): Promise<VerifyInput> {
  const dashDir = join(dist, 'dashboards');
  const rulesDir = join(dist, 'prometheus', 'rules');
  if (!existsSync(dashDir) && !existsSync(rulesDir)) {
    throw new UsageError(
      `${shown} has neither dashboards/ nor prometheus/rules/ (run \`voting-mixin build\` first, or pass --dist)`,
    );
  }
  const list = async (dir: string, re: RegExp) =>
    existsSync(dir) ? (await readdir(dir)).filter((f) => re.test(f)).sort() : [];
  const input: VerifyInput = { dashboards: [], ruleFiles: [] };
  for (const f of await list(dashDir, /\.json$/)) {
    const path = join(dashDir, f);
    try {
      input.dashboards.push({
        file: relative(cwd, path),
        doc: JSON.parse(await readFile(path, 'utf8')) as DashboardDoc,
      });
    } catch (e) {
      throw new UsageError(`${path}: not valid JSON (${(e as Error).message}); run \`voting-mixin validate\``);
    }
  }
  for (const f of await list(rulesDir, /\.ya?ml$/)) {
    const path = join(rulesDir, f);
    try {
      input.ruleFiles.push({ file: relative(cwd, path), doc: parseYaml(await readFile(path, 'utf8')) });
    } catch (e) {
      throw new UsageError(`${path}: not valid YAML (${(e as Error).message}); run \`voting-mixin validate\``);
    }
  }
  return input;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run every dashboard query and rule against a live Prometheus; report errors, empty panels, unknown metrics',
  help,
  async run(argv, io) {
    const { values: opts } = parseFlags(flags, argv);
    if (!opts.prometheus)
      throw new UsageError('--prometheus URL is required (e.g. --prometheus http://localhost:9090)');
    const lookbackSeconds = opts.lookback / 1000;
    const scrapeIntervalSeconds = opts.scrapeInterval === undefined ? undefined : opts.scrapeInterval / 1000;
    let api: PrometheusApi;
    try {
      api = new PrometheusApi(opts.prometheus, opts.timeout);
    } catch (e) {
      throw new UsageError(`--prometheus: ${(e as Error).message}`);
    }
    const input = await readInputs(resolve(io.cwd, opts.dist), opts.dist, io.cwd);
    const shownUrl = redactUrl(opts.prometheus);
    io.stderr.write(
      `verify: ${input.dashboards.length} dashboards, ${input.ruleFiles.length} rule files against ${shownUrl}\n`,
    );
    let result: Awaited<ReturnType<typeof verifyLive>>;
    try {
      result = await verifyLive(api, input, {
        lookbackSeconds,
        scrapeIntervalSeconds,
        catalog: opts.catalog,
        progress: (l) => io.stderr.write(`${l}\n`),
      });
    } catch (e) {
      // Not reachable, or not answering as a Prometheus API (HTML 404, an auth proxy's 401): the
      // run proved nothing, so it is a usage-level failure with one line, not a stack trace.
      if (e instanceof PrometheusApiError && (e.errorType === 'network' || e.errorType === 'http')) {
        io.stderr.write(`voting-mixin verify: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    const { findings, stats } = result;
    const summary = `${stats.queries} queries (${stats.panelTargets} panel targets, ${stats.rules} rules; $__rate_interval=${stats.rateInterval}), ${stats.skipped.length} skipped, ${stats.errors} errors, ${stats.emptyPanels} empty, ${stats.unknownMetrics} unknown metrics, ${stats.quiet.length} quiet`;
    if (opts.format === 'json') {
      io.stdout.write(`${JSON.stringify({ prometheus: shownUrl, stats, findings }, null, 2)}\n`);
    } else {
      if (findings.length) io.stdout.write(`${formatHuman(findings, { colour: Boolean(io.stdout.isTTY) })}\n`);
      for (const s of stats.skipped) io.stderr.write(`verify: skipped ${s.context}: ${s.reason}\n`);
      for (const q of stats.quiet) io.stderr.write(`verify: quiet ${q.context}: ${q.reason}\n`);
    }
    io.stderr.write(`verify: ${summary}; ${findings.length ? summarizeFindings(findings) : 'clean'}\n`);
    // Info findings are shown but do not fail the run.
    return findings.some((f) => f.severity !== 'info') ? 1 : 0;
  },
};
