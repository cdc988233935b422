// Every shape of config the type allows goes through the pure builders: the only exception that may
// escape is a ConfigError (the CLI prints it with file:line:col and exits 2); anything else would be
// a stack trace in a user's terminal. What builds must pass our own validator with zero findings.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertSpecs } from '../alerts/groups.js';
import { prometheusConfig } from '../alerts/prometheus-config.js';
import { selects } from '../alerts/scope-labels.js';
import { ConfigError, checkConfig } from '../config/config-check.js';
import { defineConfig } from '../config/define-config.js';
import { type ConfigOverrides, defaultConfig, type MixinConfig, mergeConfig } from '../config/mixin-config.js';
import { targetNames, targets } from '../scripts/lib/artifacts.js';
import { validateOutput } from '../scripts/lib/validate-output.js';
import { randomConfig, TEAM_CONFIGS } from './config-shapes.js';

const ALERT_NAMES = [...new Set(alertSpecs(defaultConfig).map((s) => s.alert))];

function produce(cfg: MixinConfig): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of targetNames) for (const [p, c] of targets[t].produce(cfg)) files.set(p, c);
  return files;
}

/** The build as the CLI runs it, minus the disk: check, produce, validate. */
async function build(
  overrides: ConfigOverrides,
): Promise<{ error: ConfigError } | { cfg: MixinConfig; files: Map<string, string> }> {
  try {
    const cfg = defineConfig(overrides);
    return { cfg, files: produce(cfg) };
  } catch (e) {
    if (e instanceof ConfigError) return { error: e };
    throw new Error(`not a ConfigError for ${JSON.stringify(overrides)}: ${(e as Error).stack}`);
  }
}

const short = (fs: { id: string; file?: string; position?: { line: number }; message: string }[]) =>
  fs.map((f) => `${f.id} ${f.file}:${f.position?.line ?? ''} ${f.message}`);

type PromYaml = {
  scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels?: Record<string, string> }> }>;
};
type Component = keyof MixinConfig['selectors'];

/** Each component's scrape job in prometheus.yml and the labels its targets get (job_name or a job target label). */
function scrapeLabels(cfg: MixinConfig, prom: PromYaml): Array<[Component, Record<string, string>]> {
  // Components without targets (cAdvisor by default) get no scrape job.
  const components = (Object.keys(cfg.prometheus.targets) as Component[]).filter(
    (c) => cfg.prometheus.targets[c as keyof typeof cfg.prometheus.targets].length > 0,
  );
  expect(new Set(prom.scrape_configs.map((j) => j.job_name)).size).toBe(prom.scrape_configs.length);
  return components.map((c, i) => {
    const job = prom.scrape_configs[i]!;
    return [c, { job: job.job_name, ...(job.static_configs[0]?.labels ?? {}) }];
  });
}

/** Each scrape job of prometheus.yml is selected by its component's selector. */
function scrapeJobsSelected(cfg: MixinConfig, files: Map<string, string>): string[] {
  const prom = parse(files.get('prometheus/prometheus.yml')!) as PromYaml;
  // undefined: a regex JavaScript cannot evaluate (\\pL…), whose configured example was taken on trust.
  return scrapeLabels(cfg, prom).flatMap(([c, labels]) =>
    selects(cfg.selectors[c], labels) === false ? [`${c}: ${JSON.stringify(labels)}`] : [],
  );
}

/** `a→b` for every component whose selector surely selects another component's scrape job in prometheus.yml. */
function crossSelected(cfg: MixinConfig, prom: PromYaml): string[] {
  const jobs = scrapeLabels(cfg, prom);
  // Every selector, also one whose component has no scrape job (cAdvisor without targets).
  return (Object.keys(cfg.selectors) as Component[]).flatMap((a) =>
    jobs.filter(([b, labels]) => a !== b && selects(cfg.selectors[a], labels) === true).map(([b]) => `${a}→${b}`),
  );
}

describe('the build over every config shape', () => {
  it.each(Object.entries(TEAM_CONFIGS))(
    'team config %s builds, validates clean, and its scrape jobs feed its selectors',
    async (_name, overrides) => {
      const out = await build(overrides);
      if ('error' in out) throw out.error;
      expect(short(await validateOutput(out.files, out.cfg, 'dist'))).toEqual([]);
      expect(scrapeJobsSelected(out.cfg, out.files)).toEqual([]);
      expect(crossSelected(out.cfg, parse(out.files.get('prometheus/prometheus.yml')!) as PromYaml)).toEqual([]);
    },
  );

  it('seeded random configs: only ConfigErrors escape; what builds validates with zero findings', async () => {
    const seeds = Array.from({ length: 200 }, (_, i) => 1000 + i);
    let built = 0;
    let refused = 0;
    let overlapping = 0;
    for (const seed of seeds) {
      const overrides = randomConfig(seed, ALERT_NAMES);
      const out = await build(overrides);
      if ('error' in out) {
        refused++;
        expect(out.error.path, `seed ${seed}: ${out.error.message}`).not.toBe('');
        const overlap = / also selects the (\w+)'s targets/.exec(out.error.message);
        const merged = mergeConfig(overrides);
        // A component without targets has no scrape job to compare against; the check still applies to it.
        if (overlap && merged.prometheus.targets[overlap[1] as keyof typeof merged.prometheus.targets]?.length) {
          // The refusal is real: prometheus.yml built past the check gives the other targets labels the selector selects.
          overlapping++;
          const a = out.error.path.split('.')[1];
          const prom = prometheusConfig(merged) as PromYaml;
          expect(crossSelected(merged, prom), `seed ${seed}: ${out.error.message}`).toContain(`${a}→${overlap[1]}`);
        }
        continue;
      }
      built++;
      // The validator over every file is the slow part: every third build is enough for its shapes.
      if (seed % 3 === 0) expect(short(await validateOutput(out.files, out.cfg, 'dist')), `seed ${seed}`).toEqual([]);
      expect(scrapeJobsSelected(out.cfg, out.files), `seed ${seed}`).toEqual([]);
      const prom = parse(out.files.get('prometheus/prometheus.yml')!) as PromYaml;
      expect(crossSelected(out.cfg, prom), `seed ${seed}`).toEqual([]);
    }
    if (process.env.MATRIX_STATS) console.log({ built, refused, overlapping });
    // Both branches exercised: most shapes build, the broken and the overlapping ones are refused.
    expect(built).toBeGreaterThan(seeds.length / 3);
    expect(refused).toBeGreaterThan(0);
    expect(overlapping).toBeGreaterThan(0);
  }, 120_000);

  it('an empty scope (a MixinConfig built by hand, past the merge that keeps default jobs) is a ConfigError', () => {
    for (const c of ['vote', 'worker', 'exporter', 'prometheus', 'alertmanager'] as const) {
      const cfg: MixinConfig = { ...defaultConfig, selectors: { ...defaultConfig.selectors, [c]: {} } };
      let error: unknown;
      try {
        checkConfig(cfg);
        produce(cfg);
      } catch (e) {
        error = e;
      }
      expect(error, c).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).path).toBe(`selectors.${c}`);
    }
  });

  it('a PromQL-looking value and an underivable regex are ConfigErrors with the path, not builds', async () => {
    const cases: Array<[ConfigOverrides, string]> = [
      [{ selectors: { vote: { job: '=~"vote.*"' } } }, 'selectors.vote.job'],
      [{ selectors: { vote: { job: { op: '=~', value: 'vote-\\pL+' } } } }, 'selectors.vote.job'],
      [{ selectors: { worker: { job: { op: '!~', value: '.+' } } } }, 'selectors.worker.job'],
    ];
    for (const [overrides, path] of cases) {
      const out = await build(overrides);
      expect('error' in out && out.error.path).toBe(path);
    }
  });
});
