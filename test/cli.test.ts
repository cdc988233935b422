// The bin as npm installs it: a symlink in node_modules/.bin to package.json's bin (the bundled
// CLI). Running through the link must still run the CLI (an entry check on argv[1] alone would
// silently exit 0).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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
