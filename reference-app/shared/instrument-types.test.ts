/**
 * What voting-mixin/instrument promises a team instrumenting its own service: it cannot emit a
 * metric name or a label the catalog lacks — the dashboards and alerts would query nothing. The
 * `@ts-expect-error` lines are the proof (`tsc -p tsconfig.check.json` fails if one of them stops
 * being an error); the assertions check what happens at run time, for a caller without types.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metrics } from 'voting-mixin/config';
import { createMetric, metricByName } from 'voting-mixin/instrument';

describe('instrumenting from the catalog', () => {
  it('compiles only catalog names and labels', async () => {
    const registry = new Registry();

    // A definition written by hand looks like a catalog entry but is not one: only the catalog's
    // def() brands an entry.
    const handWritten = {
      name: 'my_votes_total',
      type: 'counter',
      help: 'Votes, by option.',
      labels: ['option'],
      unit: 'ops',
      sources: ['vote'],
    } as const;
    // @ts-expect-error a hand-written definition is not a catalog entry
    const rogue = () => createMetric(handWritten, registry);

    // @ts-expect-error a misspelt name is not a catalog name
    expect(() => metricByName('vote_total', registry)).toThrow(/"vote_total": it is not in the voting-mixin catalog/);

    const votes = createMetric(metrics.votesTotal, registry);
    // @ts-expect-error a misspelt label is not one of the entry's labels
    expect(() => votes.inc({ optoin: 'cats' })).toThrow(/optoin/);

    votes.inc({ option: 'cats' });
    metricByName('worker_db_pool_max_connections', registry).set(4);
    const text = await registry.metrics();
    expect(text).toContain('votes_total{option="cats"} 1');
    expect(text).toContain('worker_db_pool_max_connections 4');
    expect(text).not.toMatch(/optoin|vote_total\b/);
    // A caller without types is stopped at run time too: only catalog entries are accepted.
    expect(() => rogue()).toThrow(/is not an entry of the voting-mixin catalog/);
  });
});
