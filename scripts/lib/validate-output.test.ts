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
});
