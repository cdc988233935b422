// Every shape of config the type allows goes through the pure builders: the only exception that may
// escape is a ConfigError (the CLI prints it with file:line:col and exits 2); anything else would be
// a stack trace in a user's terminal. What builds must pass our own validator with zero findings.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertSpecs } from '../alerts/groups.js';
import { selects } from '../alerts/scope-labels.js';
import { ConfigError, checkConfig } from '../config/config-check.js';
import { defineConfig } from '../config/define-config.js';
import { type ConfigOverrides, defaultConfig, type MixinConfig } from '../config/mixin-config.js';
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

/** Each scrape job of prometheus.yml is selected by its component's selector (job_name or a job target label). */
function scrapeJobsSelected(cfg: MixinConfig, files: Map<string, string>): string[] {
  const prom = parse(files.get('prometheus/prometheus.yml')!) as {
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels?: Record<string, string> }> }>;
  };
  const components = Object.keys(cfg.prometheus.targets) as Array<keyof MixinConfig['selectors']>;
  expect(new Set(prom.scrape_configs.map((j) => j.job_name)).size).toBe(prom.scrape_configs.length);
  return components.flatMap((c, i) => {
    const job = prom.scrape_configs[i]!;
    const labels = { job: job.job_name, ...(job.static_configs[0]?.labels ?? {}) };
    // undefined: a regex JavaScript cannot evaluate (\\pL…), whose configured example was taken on trust.
    return selects(cfg.selectors[c], labels) === false ? [`${c}: ${JSON.stringify(labels)}`] : [];
  });
}

describe('the build over every config shape', () => {
  it.each(Object.entries(TEAM_CONFIGS))(
    'team config %s builds, validates clean, and its scrape jobs feed its selectors',
    async (_name, overrides) => {
      const out = await build(overrides);
      if ('error' in out) throw out.error;
      expect(short(await validateOutput(out.files, out.cfg, 'dist'))).toEqual([]);
      expect(scrapeJobsSelected(out.cfg, out.files)).toEqual([]);
    },
  );

  it('seeded random configs: only ConfigErrors escape; what builds validates with zero findings', async () => {
    const seeds = Array.from({ length: 200 }, (_, i) => 1000 + i);
    let built = 0;
    let refused = 0;
    for (const seed of seeds) {
      const overrides = randomConfig(seed, ALERT_NAMES);
      const out = await build(overrides);
      if ('error' in out) {
        refused++;
        expect(out.error.path, `seed ${seed}: ${out.error.message}`).not.toBe('');
        continue;
      }
      built++;
      // The validator over every file is the slow part: every third build is enough for its shapes.
      if (seed % 3 === 0) expect(short(await validateOutput(out.files, out.cfg, 'dist')), `seed ${seed}`).toEqual([]);
      expect(scrapeJobsSelected(out.cfg, out.files), `seed ${seed}`).toEqual([]);
    }
    if (process.env.MATRIX_STATS) console.log({ built, refused });
    // Both branches exercised: most shapes build, the broken ones are refused.
    expect(built).toBeGreaterThan(seeds.length / 3);
    expect(refused).toBeGreaterThan(0);
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
