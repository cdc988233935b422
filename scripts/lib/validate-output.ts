/**
 * The build's last gate: the full validate engine over everything it is about to write, as a
 * user's CI would run it on dist/. Every metric a rule or dashboard uses must be in the catalog
 * or be a recording rule the mixin writes (metrics/unknown), with the config's scrape interval.
 * The generated files are expected to have zero findings, warnings included (validate-output.test.ts).
 *
 * A partial build (`--only`) passes the other targets' files as `context`: validated with the rest
 * (a dashboards-only build's panels use recording rules the alerts target writes: without them in
 * the set, every one was a false cross/undefined-recording warning) but not reported on, since
 * they are not what this build writes.
 */
import type { MixinConfig } from '../../config/mixin-config.js';
import { parseDuration } from '../../runtime/duration.js';
import { catalogMetricList, validateFiles } from '../../validate/engine.js';
import type { Finding } from '../../validate/finding.js';

/** Files validate knows by shape; the compose build (Dockerfile, app configs) is not its business. */
const CHECKED = /\.(ya?ml|json)$/i;
const NOT_MONITORING = /^compose\//;
/** A Prometheus rule file that records something (recording rules come first in ours). */
const RULES_WITH_RECORDS = (i: { file: string; text: string }) =>
  /\/prometheus\/rules\/[^/]+\.ya?ml$/.test(i.file) && /^\s*-?\s*record:/m.test(i.text);

export async function validateOutput(
  files: ReadonlyMap<string, string>,
  cfg: MixinConfig,
  outName: string,
  context: ReadonlyMap<string, string> = new Map(),
): Promise<Finding[]> {
  const checked = (all: ReadonlyMap<string, string>) =>
    [...all]
      .filter(([path]) => CHECKED.test(path) && !NOT_MONITORING.test(path))
      .map(([path, text]) => ({ file: `${outName}/${path}`, text, named: true }));
  const own = checked(files);
  const ownNames = new Set(own.map((i) => i.file));
  // Only the other targets' recording rules: they are all a reference from this build's files can
  // need (a panel reading a recorded series). Validating their whole output made `--only dashboards`
  // re-check every alert, test and k8s file — five times slower.
  const extra = checked(context).filter((i) => !ownNames.has(i.file) && RULES_WITH_RECORDS(i));
  const contextOnly = new Set(extra.map((i) => i.file));
  const inputs = [...own, ...extra];
  const { findings } = await validateFiles(inputs, {
    metrics: catalogMetricList(),
    scrapeIntervalMs: parseDuration(cfg.prometheus.scrapeInterval) ?? 15_000,
    resolveRuleFiles: (from, pattern) => {
      // Unit-test files name rule files relative to themselves, inside the same output.
      const dir = from.slice(0, from.lastIndexOf('/') + 1);
      const want = normalise(`${dir}${pattern}`);
      return inputs.filter((i) => i.file === want);
    },
  });
  // Set-wide findings (no file) stay: they may concern this build's files.
  return findings.filter((f) => !f.file || !contextOnly.has(f.file));
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  // An absolute --out keeps its leading slash.
  return (path.startsWith('/') ? '/' : '') + out.join('/');
}
