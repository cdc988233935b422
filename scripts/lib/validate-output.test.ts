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

  it("a team's config: zero findings", async () => {
    const cfg = mergeConfig({
      selectors: { vote: { job: 'ballot-api' }, worker: { job: 'ballot-worker', namespace: 'prod' } },
      prometheus: { scrapeInterval: '30s', evaluationInterval: '1m' },
      queues: [{ name: 'ballots', key: 'q:ballots' }],
    } as never);
    expect(short(await validateOutput(produce(cfg), cfg, 'out'))).toEqual([]);
  });
});
