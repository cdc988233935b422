// A partial build (`--only`) replaces only what its targets write: `build` then
// `build --only dashboards` once deleted dist/k8s/prometheus-rule.yaml and the Alertmanager
// Secret (both targets write k8s/, and the atomic swap replaced the whole folder).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vm-partial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `build --quiet`: what it prints (nothing on a clean build) is returned. */
async function build(...args: string[]): Promise<string> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await main(['build', '--quiet', '--out', 'dist', ...args], {
    stdout: new PassThrough(),
    stderr,
    cwd: dir,
    env: {},
  });
  if (code !== 0) throw new Error(`build ${args.join(' ')} exited ${code}: ${err}`);
  return err;
}

function tree(): Map<string, string> {
  const root = join(dir, 'dist');
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

describe('partial builds', () => {
  it('leave every file of a full build in place, for each --only target', async () => {
    expect(await build()).toBe('');
    const full = tree();
    expect(full.has('k8s/prometheus-rule.yaml')).toBe(true);
    expect(full.has('k8s/alertmanager-config.yaml')).toBe(true);
    // Nested below k8s/ (one folder per autoscaling engine): the carry-over walks subfolders too.
    expect(full.has('k8s/autoscaling/keda/worker-scaledobject.yaml')).toBe(true);
    expect(full.has('k8s/autoscaling/hpa/worker-hpa.yaml')).toBe(true);
    expect([...full.keys()].some((f) => f.startsWith('k8s/') && f.includes('dashboard'))).toBe(true);
    // The k8s target's Kustomize base lists the other targets' k8s files: all three share k8s/.
    expect(full.has('k8s/kustomization.yaml')).toBe(true);
    expect(full.has('k8s/app/vote.yaml')).toBe(true);
    for (const only of ['dashboards', 'alerts', 'k8s']) {
      // No findings either: a dashboards-only build once warned about every recording its panels
      // use, which the alerts target writes (cross/undefined-recording).
      expect(await build('--only', only), `printed by --only ${only}`).toBe('');
      const after = tree();
      expect(
        [...full.keys()].filter((f) => !after.has(f)),
        `removed by --only ${only}`,
      ).toEqual([]);
      expect(
        [...after.keys()].filter((f) => after.get(f) !== full.get(f)),
        `changed by --only ${only}`,
      ).toEqual([]);
    }
  }, 120_000);

  it('refuses --only k8s into a folder without the files its kustomization lists: exit 2, nothing written', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await main(['build', '--quiet', '--out', 'out', '--only', 'k8s'], {
      stdout: new PassThrough(),
      stderr,
      cwd: empty,
      env: {},
    });
    expect(code).toBe(2);
    expect(err).toMatch(/--only k8s: its output refers to k8s\/prometheus-rule\.yaml, .*which out\/ does not have/);
    expect(err).toMatch(/build dashboards and alerts too \(--only k8s,dashboards,alerts\)/);
    expect(readdirSync(empty)).toEqual([]);
  });
});
