// Representative team configs (regex, negative and multi-label selectors, several queues, `for`
// overrides) and a few seeded random ones, proven with the real tools: promtool checks the rules
// and prometheus.yml, and runs every generated and scenario suite — whose input series carry label
// values the selectors must select, or the suites fail.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertArtifacts } from '../alerts/artifacts.js';
import { alertSpecs } from '../alerts/groups.js';
import { ConfigError } from '../config/config-check.js';
import { defineConfig } from '../config/define-config.js';
import { type ConfigOverrides, defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { randomConfig, TEAM_CONFIGS } from './config-shapes.js';

const exec = promisify(execFile);
const run = async (args: string[]) => {
  try {
    const r = await exec('promtool', args, { maxBuffer: 64 << 20 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};

/** The team configs and the first few random seeds that build (the broken ones are config-matrix's business). */
function representative(): Array<[string, MixinConfig]> {
  const names = [...new Set(alertSpecs(defaultConfig).map((s) => s.alert))];
  const out: Array<[string, MixinConfig]> = Object.entries(TEAM_CONFIGS).map(([n, o]) => [n, defineConfig(o)]);
  for (let seed = 2000; out.length < Object.keys(TEAM_CONFIGS).length + 1; seed++) {
    try {
      out.push([`seed-${seed}`, defineConfig(randomConfig(seed, names, 0) as ConfigOverrides)]);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
  }
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'voting-selectors-'));
const dirs: string[] = [];
beforeAll(() => {
  for (const [name, cfg] of representative()) {
    const dir = join(root, name);
    for (const [p, c] of alertArtifacts(cfg)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    dirs.push(dir);
  }
});
afterAll(() => (process.env.KEEP ? undefined : rmSync(root, { recursive: true, force: true })));

const files = (sub: string) => dirs.flatMap((d) => readdirSync(join(d, sub)).map((f) => join(d, sub, f)));

describe('team selectors through promtool', () => {
  it('promtool check rules and check config', async () => {
    const rules = await run(['check', 'rules', ...files('prometheus/rules')]);
    expect(rules.code, rules.out).toBe(0);
    for (const d of dirs) {
      const r = await run(['check', 'config', join(d, 'prometheus/prometheus.yml')]);
      expect(r.code, r.out).toBe(0);
    }
  });

  it('promtool test rules: every generated and scenario suite passes', async () => {
    // One promtool per config, two at a time: each takes ~15 s of CPU.
    const results: Array<{ dir: string; suites: number; code: number; out: string }> = [];
    const queue = [...dirs];
    const worker = async () => {
      for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
        const dir = d;
        const suites = readdirSync(join(dir, 'tests')).map((f) => join(dir, 'tests', f));
        results.push({ dir, suites: suites.length, ...(await run(['test', 'rules', ...suites])) });
      }
    };
    await Promise.all([worker(), worker()]);
    for (const r of results) {
      expect(r.out, r.dir).not.toMatch(/FAILED/);
      expect(r.code, r.out).toBe(0);
      expect(r.out.match(/SUCCESS/g), r.dir).toHaveLength(r.suites);
    }
  }, 300_000);
});
