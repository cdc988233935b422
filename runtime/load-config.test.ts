// Finding and loading a team's config file, TypeScript modules included (through jiti). The
// modules import defineConfig from the sources here; test/package/ covers `import from
// 'voting-mixin'` in an installed project.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-check.js';
import { defaultConfig } from '../config/mixin-config.js';
import { UsageError } from './errors.js';
import { CONFIG_CANDIDATES, loadConfig } from './load-config.js';

const DEFINE_CONFIG = JSON.stringify(join(import.meta.dirname, '../config/define-config.ts'));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

async function failure(path: string | undefined): Promise<Error> {
  try {
    await loadConfig(path, dir);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected loadConfig to fail');
}

// A team's config: its own jobs (one a regex), two queues, Slack and email instead of the demo webhook.
const TEAM_TS = `import type { ConfigOverrides } from ${JSON.stringify(join(import.meta.dirname, '../config/mixin-config.ts'))};

const prod = (service: string): string => \`\${service}-prod\`;
const overrides: ConfigOverrides = {
  selectors: { vote: { job: prod('vote') }, worker: { job: { op: '=~', value: 'worker-prod-.*', example: 'worker-prod-1' } } },
  queues: [
    { name: 'votes', key: 'votes', critical: 800 },
    { name: 'emails', key: 'mail:*', warning: 50, critical: 100 },
  ],
  alertmanager: {
    receivers: {
      slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-url', channel: '#voting-alerts' },
      email: { to: 'oncall@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587' },
    },
  },
};
export default overrides;
`;

describe('loadConfig', () => {
  it('uses the defaults when the working directory has no config file', async () => {
    expect(await loadConfig(undefined, dir)).toEqual({ config: defaultConfig });
  });

  it('finds voting-mixin.config.ts in the working directory and loads its typed overrides', async () => {
    const file = write('voting-mixin.config.ts', TEAM_TS);
    const { config, source } = await loadConfig(undefined, dir);
    expect(source).toBe(file);
    expect(config.selectors.vote).toEqual({ job: 'vote-prod' });
    expect(config.selectors.worker.job).toEqual({ op: '=~', value: 'worker-prod-.*', example: 'worker-prod-1' });
    expect(config.queues.map((q) => [q.name, q.critical])).toEqual([
      ['votes', 800],
      ['emails', 100],
    ]);
    // The team's receivers replace the demo webhook.
    expect(Object.keys(config.alertmanager.receivers).sort()).toEqual(['email', 'slack']);
  });

  it('loads a defineConfig() result from .mts and CommonJS overrides from .cts', async () => {
    write(
      'voting-mixin.config.mts',
      `import { defineConfig } from ${DEFINE_CONFIG};\nexport default defineConfig({ grafana: { folder: 'Team' as string } });\n`,
    );
    expect((await loadConfig(undefined, dir)).config.grafana.folder).toBe('Team');
    write('team.cts', `const tags: string[] = ['team'];\nmodule.exports = { grafana: { tags } };\n`);
    expect((await loadConfig('team.cts', dir)).config.grafana.tags).toEqual(['team']);
  });

  it('looks for every config format, YAML first', () => {
    expect(CONFIG_CANDIDATES[0]).toBe('voting-mixin.config.yaml');
    for (const ext of ['yml', 'json', 'js', 'mjs', 'ts', 'mts', 'cts'])
      expect(CONFIG_CANDIDATES).toContain(`voting-mixin.config.${ext}`);
  });

  it('refuses to choose between two config files in one directory, naming both', async () => {
    write('voting-mixin.config.yaml', 'grafana:\n  folder: A\n');
    write('voting-mixin.config.ts', 'export default { grafana: { folder: "B" } };\n');
    const e = await failure(undefined);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain('voting-mixin.config.yaml, voting-mixin.config.ts');
    expect(e.message).toContain('--config');
    // --config settles it.
    expect((await loadConfig('voting-mixin.config.ts', dir)).config.grafana.folder).toBe('B');
  });

  it('reports a TypeScript syntax error as file:line:col, without a stack', async () => {
    write('bad.ts', 'const folder: string = "x";\nexport default {\n  grafana: { tags: [ },\n};\n');
    const e = await failure('bad.ts');
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/^bad\.ts:3:\d+: cannot load the config module: SyntaxError: /);
    expect(e.message).not.toContain('\n');
  });

  it("reports an error thrown while the module runs with its line (not jiti's column: it is the transpiled code's)", async () => {
    write('throws.ts', 'type T = { x: number };\nconst t = undefined as unknown as T;\nexport default { n: t.x };\n');
    const e = await failure('throws.ts');
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(
      /^throws\.ts:3: cannot load the config module: TypeError: Cannot read properties of undefined \(reading 'x'\)$/,
    );
  });

  it('places an import that does not resolve at its specifier, on one line, with what to do', async () => {
    // The stranger's report: no voting-mixin installed where the config is (jiti said `:1:222` on a
    // 44-character line, then a require stack).
    write(
      'voting-mixin.config.ts',
      "import { defineConfig } from 'voting-mixin';\n\nexport default defineConfig({ grafana: { folder: 'Team' } });\n",
    );
    let e = await failure(undefined);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(
      `${join(dir, 'voting-mixin.config.ts')}:1:30: cannot load the config module: Cannot find module 'voting-mixin' (install it in this project: npm i -D voting-mixin)`,
    );
    // Another package (a subpath of a scoped one), after a comment line; a file that is not there.
    write(
      'pkg.ts',
      "// team helpers\nimport { pad } from '@acme/strings/pad';\nexport default { grafana: { folder: pad('x') } };\n",
    );
    expect((await failure('pkg.ts')).message).toBe(
      "pkg.ts:2:21: cannot load the config module: Cannot find module '@acme/strings/pad' (is @acme/strings installed in this project?)",
    );
    write('rel.ts', 'import { folder } from "./team-settings";\nexport default { grafana: { folder } };\n');
    expect((await failure('rel.ts')).message).toBe(
      "rel.ts:1:24: cannot load the config module: Cannot find module './team-settings' (no such file: check the path)",
    );
    // Missing in a module the config imports: that module is named, there is no position in the config.
    write('helper.ts', "import { pad } from 'left-pad-missing';\nexport const folder = pad('x');\n");
    write('nested.ts', "import { folder } from './helper';\nexport default { grafana: { folder } };\n");
    e = await failure('nested.ts');
    expect(e.message).toBe(
      "nested.ts: cannot load the config module: Cannot find module 'left-pad-missing' imported by helper.ts (is left-pad-missing installed in this project?)",
    );
  });

  it('reports a mistake defineConfig() finds inside the module as a config error at the property', async () => {
    const file = write(
      'voting-mixin.config.ts',
      `import { defineConfig } from ${DEFINE_CONFIG};\n\nexport default defineConfig({\n  queues: [{ name: 'votes', key: 'votes', warning: 900, critical: 500 }],\n});\n`,
    );
    let e = await failure(undefined);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).path).toBe('queues[0].critical');
    expect(e.message).toBe('queues[0].critical must be greater than queues[0].warning (got 500 <= 900)');
    // `critical:` (the one after `queues:`), not the defineConfig( call.
    expect((e as ConfigError).location).toBe(`${file}:4:57`);
    // Two queues, each with a `critical:`: which one the text alone cannot say, so the call's line.
    write(
      'two.ts',
      `import { defineConfig } from ${DEFINE_CONFIG};\n\nexport default defineConfig({\n  queues: [\n    { name: 'votes', key: 'votes', critical: 800 },\n    { name: 'mail', key: 'mail', warning: 900, critical: 500 },\n  ],\n});\n`,
    );
    e = await failure('two.ts');
    expect((e as ConfigError).path).toBe('queues[1].critical');
    expect((e as ConfigError).location).toBe('two.ts:3');
  });

  it('checks plain overrides from a module against the file schema: a typo is reported, not ignored', async () => {
    write('typo.ts', 'export default { grafana: { tagz: ["x"] } };\n');
    const e = await failure('typo.ts');
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).path).toBe('grafana.tagz');
    expect(e.message).toContain('is not a known setting (check its spelling; valid here: uidPrefix, titlePrefix, tags');
    expect((e as ConfigError).location).toBe('typo.ts:1:29');
  });

  it('wants a default export', async () => {
    write('named.ts', 'export const config = {};\n');
    const e = await failure('named.ts');
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(
      'named.ts: expected a default export with the config overrides (or a defineConfig() result)',
    );
  });

  it('still loads .mjs natively, and places its syntax error', async () => {
    write('team.mjs', 'export default { grafana: { folder: "M" } };\n');
    expect((await loadConfig('team.mjs', dir)).config.grafana.folder).toBe('M');
    write('bad.mjs', 'export default {\n  grafana: { folder: "M" ]\n};\n');
    const e = await failure('bad.mjs');
    // (Under vitest, import() goes through Vite's parser: test/cli.test.ts checks Node's own SyntaxError.)
    expect(e.message).toMatch(/^bad\.mjs:2(:\d+)?: cannot load the config module: /);
  });

  it('accepts a $schema line for editors in a YAML or JSON file and leaves it out of the config', async () => {
    write(
      'team.json',
      '{ "$schema": "./node_modules/voting-mixin/build/config/config.schema.json", "grafana": { "folder": "J" } }',
    );
    const { config } = await loadConfig('team.json', dir);
    expect(config.grafana.folder).toBe('J');
    expect(config).not.toHaveProperty('$schema');
  });

  it('names the formats it knows for an unknown one', async () => {
    write('team.toml', '');
    expect((await failure('team.toml')).message).toContain(
      'unsupported config format ".toml" (use .yaml, .yml, .json, .js',
    );
  });
});
