// The `$job` variable offers exactly the jobs the dashboard's components select — negative job
// matchers included (a Grafana option filter, since the label_values regex cannot say "not x").
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { asMatcher, labelMatches } from '../config/label-values.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { dashboardArtifacts } from './artifacts.js';

type Variable = { name: string; query: { query: string } | string; regex?: string };
type Dashboard = { title: string; templating: { list: Variable[] } };

const JOBS = ['vote', 'vote-eu', 'worker', 'worker-2', 'redis-a', 'redis-queue-exporter', 'staging', 'prometheus'];

/** What Grafana offers: label_values' selector regex, then the option filter (group 1 is the value). */
function offered(v: Variable): string[] {
  const q = typeof v.query === 'string' ? v.query : v.query.query;
  const sel = /job=~"((?:[^"\\]|\\.)*)"/.exec(q);
  const inQuery = sel ? new RegExp(`^(?:${JSON.parse(`"${sel[1]}"`)})$`) : /.*/;
  const filter = v.regex ? new RegExp(/^\/(.*)\/$/.exec(v.regex)![1]!) : undefined;
  return JOBS.filter((j) => inQuery.test(j)).flatMap((j) => {
    if (!filter) return [j];
    const hit = filter.exec(j);
    return hit ? [hit[1] ?? j] : [];
  });
}

function jobVariables(cfg: MixinConfig): Map<string, Variable> {
  const out = new Map<string, Variable>();
  for (const [path, text] of dashboardArtifacts(cfg)) {
    if (!path.endsWith('.json') || !path.includes('dashboards/')) continue;
    const d = JSON.parse(text) as Dashboard;
    const job = d.templating?.list.find((v) => v.name === 'job');
    if (job) out.set(d.title, job);
  }
  return out;
}

describe('$job options', () => {
  it('follow equality, regex and negative job matchers', () => {
    const cfg = defineConfig({
      selectors: {
        vote: { job: { op: '=~', value: 'vote-(eu|us)' } },
        worker: { job: { op: '!~', value: 'vote.*|redis.*|staging|prometheus' }, app: 'worker' },
        exporter: { job: 'redis-a' },
        // A label beside the negative job: alone, job!="staging" would also select the other components' targets.
        prometheus: { job: { op: '!=', value: 'staging' }, app: 'prometheus' },
      },
    });
    const vars = jobVariables(cfg);
    expect(vars.size).toBeGreaterThan(2);
    for (const [title, v] of vars) {
      const got = offered(v);
      // Every offered job is selected by some component's job matcher; no excluded job is offered.
      for (const j of got)
        expect(
          Object.values(cfg.selectors).some((s) => s.job === undefined || labelMatches(asMatcher(s.job), j)),
          `${title}: ${j}`,
        ).toBe(true);
      expect(got, title).not.toContain('staging');
    }
    expect(offered([...vars].find(([t]) => t.endsWith('Worker'))![1]).sort()).toEqual(['worker', 'worker-2']);
    expect(offered([...vars].find(([t]) => t.endsWith('Vote service'))![1])).toEqual(['vote-eu']);
  });

  it('keep the plain label_values query without a filter when no job matcher is negative', () => {
    for (const v of jobVariables(defineConfig()).values()) expect(v.regex ?? '').toBe('');
  });
});
