import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { defineConfig } from '../config/define-config.js';
import { main } from '../scripts/cli.js';
import { targets } from '../scripts/lib/artifacts.js';
import { checkDashboardArtifacts, dashboardArtifacts } from './artifacts.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'dash-artifacts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('dashboard artifacts', () => {
  it('a rebuild with the CLI is byte-identical', async () => {
    const cli = join(root, 'build/scripts/cli.js');
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    await run(process.execPath, [cli, 'build', '--only', 'dashboards', '--out', a, '--quiet'], { cwd: tmp });
    await run(process.execPath, [cli, 'build', '--only', 'dashboards', '--out', b, '--quiet'], { cwd: tmp });
    const ta = tree(a);
    const tb = tree(b);
    expect([...ta.keys()].sort()).toEqual([
      '.voting-mixin-build',
      'dashboards/voting-overview.json',
      'dashboards/voting-redis-queue.json',
      'dashboards/voting-vote.json',
      'dashboards/voting-worker.json',
      'grafana/provisioning/dashboards/voting-mixin.yaml',
      'grafana/provisioning/datasources/voting-mixin.yaml',
      'k8s/dashboards-configmaps.yaml',
    ]);
    for (const [k, v] of ta) expect(v.equals(tb.get(k)!), k).toBe(true);
    const vote = ta.get('dashboards/voting-vote.json')!.toString();
    expect(vote.endsWith('}\n')).toBe(true);
    expect(vote.split('\n')[1]).toBe('  "__inputs": [');
  });

  it('wraps each dashboard, byte for byte, in a ConfigMap the Grafana sidecar picks up', () => {
    const cfg = defineConfig({ kubernetes: { namespace: 'obs', dashboardLabel: 'grafana_dashboard' } });
    const files = dashboardArtifacts(cfg);
    const maps = parseAllDocuments(files.get('k8s/dashboards-configmaps.yaml')!).map((d) => d.toJS());
    expect(maps.map((m) => m.metadata.name)).toEqual([
      'voting-overview-dashboard',
      'voting-vote-dashboard',
      'voting-redis-queue-dashboard',
      'voting-worker-dashboard',
    ]);
    for (const m of maps) {
      expect(m).toMatchObject({
        kind: 'ConfigMap',
        metadata: { namespace: 'obs', labels: { grafana_dashboard: '1' } },
      });
      const [key, json] = Object.entries(m.data as Record<string, string>)[0]!;
      expect(json).toBe(files.get(`dashboards/${key}`));
    }
  });

  it('provisions the dashboards folder and both datasources with the configured uids', () => {
    const cfg = defineConfig({
      datasources: {
        prometheus: { name: 'Prom', uid: 'prom-1', url: 'https://prom.internal' },
        loki: { name: 'Logs', uid: 'loki-1' },
      },
    });
    const files = dashboardArtifacts(cfg);
    const ds = parse(files.get('grafana/provisioning/datasources/voting-mixin.yaml')!);
    expect(
      ds.datasources.map((d: { type: string; uid: string; name: string; url: string }) => [
        d.type,
        d.uid,
        d.name,
        d.url,
      ]),
    ).toEqual([
      ['prometheus', 'prom-1', 'Prom', 'https://prom.internal'],
      ['loki', 'loki-1', 'Logs', 'http://loki:3100'],
    ]);
    const dash = parse(files.get('grafana/provisioning/dashboards/voting-mixin.yaml')!);
    expect(dash.providers[0]).toMatchObject({
      type: 'file',
      folder: 'Voting',
      options: { path: '/var/lib/grafana/dashboards' },
    });
  });

  it('a broken dashboard fails the build naming dashboard, panel and query position; nothing is written', async () => {
    const original = targets.dashboards.produce;
    targets.dashboards.produce = (cfg) => {
      const files = original(cfg);
      const path = 'dashboards/voting-vote.json';
      // An error (PromQL Prometheus refuses), not advice: only errors fail the build.
      files.set(path, files.get(path)!.replace('(rate(', '(rate_('));
      return files;
    };
    let err = '';
    const sink = (onData?: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, cb) {
          onData?.(String(chunk));
          cb();
        },
      });
    const out = join(tmp, 'broken');
    try {
      const code = await main(['build', '--only', 'dashboards', '--out', out], {
        stdout: sink(),
        stderr: sink((s) => (err += s)),
        cwd: tmp,
        env: {},
      });
      expect(code).toBe(1);
    } finally {
      targets.dashboards.produce = original;
    }
    expect(existsSync(out)).toBe(false);
    expect(err).toMatch(/dist\/dashboards\/voting-vote\.json:\d+:\d+: error unknown function with name "rate_"/);
    expect(err).toContain(
      'in dashboard "Voting / Vote service" › panel "Requests/s by route and status" (id 2) › target A',
    );
    expect(err).toContain('[promql/unknown-function]');
    // The caret sits under the function name in the JSON line.
    const lines = err.split('\n');
    const caret = lines.findIndex((l) => /^\s+\^$/.test(l));
    expect(lines[caret - 1]!.slice(lines[caret]!.indexOf('^')).startsWith('rate_(')).toBe(true);
  });

  it('checks only dashboards and reports nothing on the generated ones', () => {
    const cfg = defineConfig();
    expect(checkDashboardArtifacts(dashboardArtifacts(cfg), cfg)).toEqual([]);
  });
});
