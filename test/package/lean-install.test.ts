// The package as a library user gets it: packed, installed in an empty project, then used there
// through its CLI (npx voting-mixin), its API (import 'voting-mixin') and its instrumentation
// subpath (with prom-client, the peer dependency, installed beside it).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ONLY_PACKAGES,
  FORBIDDEN_IN_TARBALL,
  type Installed,
  installInEmptyProject,
  type Packed,
  packLibrary,
  removeDir,
} from '../../scripts/dev/package/lean-install.js';

const run = promisify(execFile);
let packed: Packed;
let user: Installed;

beforeAll(async () => {
  packed = await packLibrary();
  user = await installInEmptyProject([packed.tarball]);
}, 180_000);

afterAll(async () => {
  if (user) await removeDir(user.dir);
  if (packed) await removeDir(dirname(packed.tarball));
});

describe('the published package', () => {
  it('ships the compiled library and nothing else: no tests, results, build caches or dev tools', () => {
    const bad = packed.files.filter((f) => FORBIDDEN_IN_TARBALL.some((re) => re.test(f)));
    expect(bad).toEqual([]);
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'build/index.js',
      'build/scripts/cli.js',
    ]) {
      expect(packed.files, f).toContain(f);
    }
    expect(packed.files).toContain('build/instrument/index.js');
    expect(packed.files).toContain('build/runtime/index.js');
    // The config file's JSON Schema, for editors ($schema) and for the CLI's own check.
    expect(packed.files).toContain('build/config/config.schema.json');
  });

  it('installs lean: none of the apps’ dependencies, at most 60 packages', () => {
    const names = new Set(user.packages);
    for (const p of APP_ONLY_PACKAGES) expect(names.has(p), p).toBe(false);
    expect(user.packages.length).toBeLessThanOrEqual(60);
    expect(names.has('voting-mixin')).toBe(true);
  });

  it('runs its CLI there: --version, build and validate of what it built', async () => {
    const npx = (...args: string[]) => run('npx', ['--no-install', 'voting-mixin', ...args], { cwd: user.dir });
    expect((await npx('--version')).stdout).toMatch(/^voting-mixin \d+\.\d+\.\d+/);
    await npx('build', '--quiet', '--out', 'dist');
    const dashboards = readdirSync(join(user.dir, 'dist/dashboards')).filter((f) => f.endsWith('.json'));
    expect(dashboards.length).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(user.dir, 'dist/prometheus/rules'))).toBe(true);
    const v = JSON.parse((await npx('validate', 'dist/', '--format', 'json')).stdout) as {
      files: number;
      errors: number;
    };
    expect(v.files).toBeGreaterThan(10);
    expect(v.errors).toBe(0);
    // A whole build (now with the k8s target) and a validate of it: about 20 s on a quiet 2-core
    // machine, past the default 60 s when the machine is busy.
  }, 120_000);

  it('serves its API there: a team config, a dashboard and rule groups from import "voting-mixin"', async () => {
    const script = join(user.dir, 'api.mjs');
    await writeFile(
      script,
      `import { defineConfig, voteDashboard, allDashboards } from 'voting-mixin';
const cfg = defineConfig({ selectors: { vote: { job: 'team-vote' } } });
const d = voteDashboard(cfg);
const text = JSON.stringify(d);
if (!text.includes('team-vote')) throw new Error('selector not used');
console.log(allDashboards(cfg).length);
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: user.dir });
    expect(Number(stdout.trim())).toBeGreaterThanOrEqual(4);
  });

  it('instruments a team service with voting-mixin/instrument once prom-client is installed', async () => {
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', 'prom-client@^15'], { cwd: user.dir });
    const script = join(user.dir, 'instrument.mjs');
    await writeFile(
      script,
      `import { serviceRegistry, httpMetrics, queueProducerMetrics, metricByName } from 'voting-mixin/instrument';
const registry = serviceRegistry();
httpMetrics(registry);
queueProducerMetrics(registry, { queue: 'votes' }).enqueued();
try { metricByName('not_in_the_catalog_total', registry); } catch (e) { console.error(e.message); }
console.log(await registry.metrics());
`,
    );
    const { stdout, stderr } = await run(process.execPath, [script], { cwd: user.dir });
    expect(stdout).toContain('queue_enqueued_total{queue="votes"} 1');
    expect(stdout).toContain('# TYPE http_request_duration_seconds histogram');
    expect(stderr).toContain('not in the voting-mixin catalog');
  });

  it('ships the config JSON Schema where the docs point editors, and as voting-mixin/config.schema.json', async () => {
    const documented = join(user.dir, 'node_modules/voting-mixin/build/config/config.schema.json');
    const schema = JSON.parse(readFileSync(documented, 'utf8')) as { $ref: string; definitions: object };
    expect(schema.$ref).toBe('#/definitions/MixinConfig');
    const script = join(user.dir, 'schema.mjs');
    await writeFile(
      script,
      `import { createRequire } from 'node:module';
console.log(createRequire(import.meta.url).resolve('voting-mixin/config.schema.json'));
`,
    );
    expect((await run(process.execPath, [script], { cwd: user.dir })).stdout.trim()).toBe(documented);
  });

  it('builds from a TypeScript config in the project: defineConfig from "voting-mixin", or plain overrides', async () => {
    // A folder of the project (the package resolves from its node_modules above) with a team's config.
    const team = join(user.dir, 'team');
    await mkdir(team);
    await writeFile(
      join(team, 'voting-mixin.config.ts'),
      `import { defineConfig, type ConfigOverrides } from 'voting-mixin';

const env: string = 'prod';
const overrides: ConfigOverrides = {
  selectors: { vote: { job: \`vote-\${env}\` } },
  queues: [{ name: 'votes', key: 'votes', critical: 800 }, { name: 'emails', key: 'mail:*', warning: 50, critical: 100 }],
  alertmanager: { receivers: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-url', channel: '#voting' } } },
};
export default defineConfig(overrides);
`,
    );
    await writeFile(
      join(team, 'plain.mts'),
      `import type { ConfigOverrides } from 'voting-mixin/config';
export default { selectors: { worker: { job: 'worker-prod' } } } satisfies ConfigOverrides;
`,
    );
    const npx = (...args: string[]) => run('npx', ['--no-install', 'voting-mixin', ...args], { cwd: team });
    const found = await npx('build', '--only', 'dashboards', '--out', 'dist');
    expect(found.stderr).toContain(`config ${join(team, 'voting-mixin.config.ts')}`);
    expect(readFileSync(join(team, 'dist/dashboards/voting-vote.json'), 'utf8')).toContain('vote-prod');
    await npx('build', '--config', 'plain.mts', '--only', 'dashboards', '--out', 'dist-plain', '--quiet');
    expect(readFileSync(join(team, 'dist-plain/dashboards/voting-worker.json'), 'utf8')).toContain('worker-prod');
    // A mistake defineConfig finds is a config error naming the path, exit 2, no stack trace.
    await writeFile(
      join(team, 'bad.ts'),
      `import { defineConfig } from 'voting-mixin';\nexport default defineConfig({ thresholds: { vote: { errorRatioWarning: 2 } } });\n`,
    );
    const bad = await npx('build', '--config', 'bad.ts', '--out', 'dist-bad').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in bad && bad.code).toBe(2);
    expect(bad.stderr).toMatch(/config error: bad\.ts:2:\d+: thresholds\.vote\.errorRatioWarning must be a ratio/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
