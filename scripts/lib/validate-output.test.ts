// The build's own output passes the full validate engine with zero findings — warnings included —
// for the default config and for a team's config that changes names, selectors and intervals.
import { describe, expect, it } from 'vitest';
import { defaultConfig, type MixinConfig, mergeConfig } from '../../config/mixin-config.js';
import { targetNames, targets } from './artifacts.js';
import { validateOutput } from './validate-output.js';

function produce(cfg: MixinConfig): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of targetNames) for (const [p, c] of targets[t].produce(cfg)) files.set(p, c);
  return files;
}

const short = (fs: { id: string; file?: string; position?: { line: number }; message: string }[]) =>
  fs.map((f) => `${f.id} ${f.file}:${f.position?.line ?? ''} ${f.message}`);

describe('build output through validate', () => {
  it('the default config: zero findings', async () => {
    const files = produce(defaultConfig);
    expect(files.size).toBeGreaterThan(10);
    expect(short(await validateOutput(files, defaultConfig, 'dist'))).toEqual([]);
  });

  it('flags a metric that is neither in the catalog nor recorded, at its line', async () => {
    const files = produce(defaultConfig);
    const path = 'prometheus/rules/voting-redis-alerts.yml';
    files.set(path, files.get(path)!.replace('redis_up{', 'redis_upp{'));
    const found = await validateOutput(files, defaultConfig, 'dist');
    const unknown = found.filter((f) => f.id === 'metrics/unknown' && f.file === `dist/${path}`);
    expect(unknown.length, JSON.stringify(found)).toBeGreaterThan(0);
    expect(unknown.map((f) => [f.severity, (f.position?.line ?? 0) > 1])).toEqual(unknown.map(() => ['error', true]));
  });

  it('the same with an absolute --out (unit tests find their rule files there)', async () => {
    expect(short(await validateOutput(produce(defaultConfig), defaultConfig, '/tmp/out/dist'))).toEqual([]);
  });

  it("a team's config: zero findings", async () => {
    const cfg = mergeConfig({
      selectors: { vote: { job: 'ballot-api' }, worker: { job: 'ballot-worker', namespace: 'prod' } },
      prometheus: { scrapeInterval: '30s', evaluationInterval: '1m' },
      queues: [{ name: 'ballots', key: 'q:ballots' }],
    } as never);
    expect(short(await validateOutput(produce(cfg), cfg, 'out'))).toEqual([]);
  });

  describe('a partial build (--only), the other targets as context', () => {
    const only = (cfg: MixinConfig, t: 'dashboards' | 'alerts') => targets[t].produce(cfg);
    const other = (cfg: MixinConfig, t: 'dashboards' | 'alerts') =>
      targets[t === 'dashboards' ? 'alerts' : 'dashboards'].produce(cfg);

    it('--only dashboards: zero findings, warnings included (its panels use recordings the alerts target writes)', async () => {
      // Without the context, every recording a panel uses was a false cross/undefined-recording warning.
      const alone = await validateOutput(only(defaultConfig, 'dashboards'), defaultConfig, 'dist');
      expect(new Set(alone.map((f) => f.id))).toEqual(new Set(['cross/undefined-recording']));
      const found = await validateOutput(
        only(defaultConfig, 'dashboards'),
        defaultConfig,
        'dist',
        other(defaultConfig, 'dashboards'),
      );
      expect(short(found)).toEqual([]);
    });

    it('--only alerts: zero findings', async () => {
      const found = await validateOutput(
        only(defaultConfig, 'alerts'),
        defaultConfig,
        'dist',
        other(defaultConfig, 'alerts'),
      );
      expect(short(found)).toEqual([]);
    });

    it('a dashboard that uses a recording no rule writes is still flagged; the context files are not reported on', async () => {
      const files = only(defaultConfig, 'dashboards');
      const path = 'dashboards/voting-overview.json';
      const recording = 'system:voting_health:score';
      expect(files.get(path)).toContain(recording);
      files.set(path, files.get(path)!.replaceAll(recording, 'system:voting_health:scor'));
      // A broken context file (a rule on an unknown metric) does not surface: it is not this build's.
      const context = other(defaultConfig, 'dashboards');
      const rules = 'prometheus/rules/voting-redis-alerts.yml';
      context.set(rules, context.get(rules)!.replace('redis_up{', 'redis_upp{'));
      const found = await validateOutput(files, defaultConfig, 'dist', context);
      const undefinedRecording = found.filter((f) => f.id === 'cross/undefined-recording');
      expect(undefinedRecording.length, JSON.stringify(found)).toBeGreaterThan(0);
      expect(undefinedRecording.map((f) => [f.file, f.severity, f.message.split(' ')[0]])).toEqual(
        undefinedRecording.map(() => [`dist/${path}`, 'warning', 'system:voting_health:scor']),
      );
      expect(found.filter((f) => f.file && !f.file.startsWith('dist/dashboards/'))).toEqual([]);
    });
  });
});
