// The bin as npm installs it: a symlink in node_modules/.bin to package.json's bin (the bundled
// CLI). Running through the link must still run the CLI (an entry check on argv[1] alone would
// silently exit 0).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const cli = join(root, pkg.bin['voting-mixin']!);
const dir = mkdtempSync(join(tmpdir(), 'bin-'));
const link = join(dir, 'voting-mixin');
symlinkSync(cli, link);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [link, ...args], { encoding: 'utf8', cwd: dir });

describe('voting-mixin bin', () => {
  it('is executable as compiled, so `npx voting-mixin` runs it in this repository too', () => {
    expect(statSync(cli).mode & 0o111).not.toBe(0);
    const direct = spawnSync(link, ['--version'], { encoding: 'utf8', cwd: dir });
    expect(direct.stdout).toMatch(/^voting-mixin \d/);
  });

  it('runs through the npm bin symlink: --help lists the commands, exit 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: voting-mixin <command>/);
    expect(r.stdout).toMatch(/build .*\n.*validate .*\n.*verify /);
  });

  it('exits 2 with usage for no command or an unknown one', () => {
    expect(run().status).toBe(2);
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it("shows each command's own help", () => {
    for (const c of ['build', 'validate', 'verify']) {
      const r = run(c, '--help');
      expect(r.status, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: voting-mixin ${c}`);
    }
  });
});

// A team's config in each format the CLI finds on its own, through both entry points: the bundle
// (package.json's bin) and the plain compiled CLI (build/scripts/cli.js, what `npm run build` runs).
describe('voting-mixin config files', () => {
  const entryPoints = { bundle: cli, compiled: join(root, 'build/scripts/cli.js') };
  const project = (files: Record<string, string>): string => {
    const d = mkdtempSync(join(dir, 'project-'));
    // `import … from 'voting-mixin'` resolves as in a team's project with the package installed.
    mkdirSync(join(d, 'node_modules'));
    symlinkSync(root, join(d, 'node_modules/voting-mixin'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return d;
  };
  const cliIn = (d: string, entry: string, ...args: string[]) =>
    spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', cwd: d });
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

  const TEAM_YAML = `# yaml-language-server: $schema=./node_modules/voting-mixin/build/config/config.schema.json
selectors:
  vote: { job: vote-prod }
  worker: { job: { op: "=~", value: "worker-prod-.*", example: worker-prod-1 } }
queues:
  - { name: votes, key: votes, critical: 800 }
  - { name: emails, key: "mail:*", warning: 50, critical: 100 }
alertmanager:
  receivers:
    slack: { apiUrlFile: /etc/alertmanager/secrets/slack-url, channel: "#voting-alerts" }
    email: { to: oncall@example.com, from: alertmanager@example.com, smarthost: "smtp.example.com:587" }
`;

  it.each(Object.entries(entryPoints))('%s: builds from --config team.yaml', (_name, entry) => {
    const d = project({ 'team.yaml': TEAM_YAML });
    const r = cliIn(d, entry, 'build', '--config', 'team.yaml', '--only', 'dashboards', '--out', 'out', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(d, 'out/dashboards/voting-vote.json'), 'utf8')).toContain('vote-prod');
  });

  it.each(Object.entries(entryPoints))(
    '%s: reports a misspelt key with file:line:col and the valid keys',
    (_n, entry) => {
      const d = project({ 'team.yaml': 'queues:\n  - name: votes\n    key: votes\n    critcal: 5\n' });
      const r = cliIn(d, entry, 'build', '--config', 'team.yaml', '--out', 'out');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        'config error: team.yaml:4:5: queues[0].critcal is not a known setting (check its spelling; valid here: name, key, type,',
      );
    },
  );

  it('finds voting-mixin.config.ts in the working directory, importing defineConfig from the package', () => {
    const d = project({
      'voting-mixin.config.ts': `import { defineConfig } from 'voting-mixin/config';
const env: string = 'prod';
export default defineConfig({ selectors: { vote: { job: \`vote-\${env}\` } } });
`,
    });
    const r = cliIn(d, cli, 'build', '--only', 'dashboards', '--out', 'out');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`voting-mixin build: config ${join(d, 'voting-mixin.config.ts')};`);
    expect(readFileSync(join(d, 'out/dashboards/voting-vote.json'), 'utf8')).toContain('vote-prod');
  });

  it("reports defineConfig's finding inside a TS config as a config error naming the path, exit 2", () => {
    const d = project({
      'voting-mixin.config.mts': `import { defineConfig } from 'voting-mixin';

export default defineConfig({ queues: [{ name: 'votes', key: 'votes', warning: 900, critical: 500 }] });
`,
    });
    const r = cliIn(d, cli, 'build', '--out', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /config error: .*voting-mixin\.config\.mts:3:\d+: queues\[0\]\.critical must be greater than queues\[0\]\.warning/,
    );
    noStack(r.stderr);
  });

  it('reports a syntax error in a TS or JS config as file:line:col, exit 2, no stack trace', () => {
    const d = project({
      'bad.ts': 'const a: number = 1;\nexport default {\n  grafana: { tags: [ },\n};\n',
      'bad.mjs': 'export default {\n  grafana: { folder: "M" ]\n};\n',
    });
    let r = cliIn(d, cli, 'build', '--config', 'bad.ts', '--out', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^voting-mixin build: bad\.ts:3:\d+: cannot load the config module: SyntaxError: /);
    noStack(r.stderr);
    r = cliIn(d, cli, 'build', '--config', 'bad.mjs', '--out', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^voting-mixin build: bad\.mjs:2(:\d+)?: cannot load the config module: SyntaxError: /);
    noStack(r.stderr);
  });

  it('refuses two config files in one directory, naming both', () => {
    const d = project({ 'voting-mixin.config.yaml': TEAM_YAML, 'voting-mixin.config.ts': 'export default {};\n' });
    const r = cliIn(d, cli, 'build', '--out', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'voting-mixin.config.yaml, voting-mixin.config.ts; keep one, or choose with --config FILE',
    );
  });
});

// `--only` mistakes are usage errors on one line (exit 2, no stack trace); a repeated target is
// built once.
describe('voting-mixin build --only', () => {
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

  it('builds a repeated target once', () => {
    for (const args of [
      ['--only', 'alerts,alerts'],
      ['--only', 'alerts', '--only', 'alerts'],
    ]) {
      const out = mkdtempSync(join(dir, 'only-'));
      const r = run('build', ...args, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('; targets alerts\n');
      expect(readFileSync(join(out, 'prometheus/rules/voting-recording.yml'), 'utf8')).toContain('groups:');
    }
  });

  it.each([[''], [','], [' , ']])('refuses --only %j: exit 2, one line naming the targets', (value) => {
    const r = run('build', '--only', value, '--out', join(dir, 'never'));
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('voting-mixin build: --only needs one or more of: dashboards, alerts, k8s');
    noStack(r.stderr);
  });

  it('refuses an unknown target: exit 2, one line listing the valid ones', () => {
    const r = run('build', '--only', 'alerts,runbooks', '--out', join(dir, 'never'));
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'voting-mixin build: unknown target "runbooks" for --only (valid: dashboards, alerts, k8s)',
    );
    noStack(r.stderr);
  });
});
