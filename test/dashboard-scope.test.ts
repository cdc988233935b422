// The dashboards' $job/$instance variables and the overview's targets-down panels select by `up`
// of every target: they must carry the selectors' matchers besides job (namespace: prod…) that
// the dashboard's components share, or a job running in prod and staging offers staging's
// instances and counts its down targets. The build must still validate with zero findings.
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import type { ConfigOverrides, MixinConfig } from '../config/mixin-config.js';
import { allDashboards, overviewDashboard } from '../dashboards/index.js';
import { targetNames, targets } from '../scripts/lib/artifacts.js';
import { validateOutput } from '../scripts/lib/validate-output.js';

type P = Record<string, any>;

const PROD = { namespace: 'prod' };
const ALL_PROD = {
  selectors: {
    vote: { job: 'vote', ...PROD },
    result: { job: 'result', ...PROD },
    worker: { job: 'worker', ...PROD },
    postgres: { job: 'postgres', ...PROD },
    cadvisor: { job: 'cadvisor', ...PROD },
    exporter: { job: { op: '=~', value: 'redis-queue-exporter(-prod)?', example: 'redis-queue-exporter' }, ...PROD },
    prometheus: { job: 'prometheus', ...PROD },
    alertmanager: { job: 'alertmanager', ...PROD },
  },
  queues: [
    { name: 'votes', key: 'votes', processingPattern: 'votes:processing:*' },
    { name: 'audit', key: 'audit', type: 'stream' },
  ],
} as ConfigOverrides;
/** vote and worker in prod (plus a cluster for vote only), the rest with no namespace at all. */
const MIXED = {
  selectors: {
    vote: { job: 'vote', ...PROD, cluster: 'eu-1' },
    result: { job: 'result', ...PROD, cluster: 'eu-1' },
    worker: { job: 'worker', ...PROD },
    // The worker dashboard's PostgreSQL row: postgres_exporter beside the workers, in prod too.
    postgres: { job: 'postgres', ...PROD },
    exporter: { job: 'redis-queue-exporter' },
    prometheus: { job: 'prometheus-k8s' },
    alertmanager: { job: 'alertmanager-main' },
  },
} as ConfigOverrides;

const variable = (d: P, name: string): string => (d.templating.list as P[]).find((v) => v.name === name)!.definition;
const panels = (d: P): P[] => (d.panels as P[]).flatMap((p) => [p, ...((p.panels as P[] | undefined) ?? [])]);
const targetsDownExprs = (d: P): string[] =>
  panels(d)
    .filter((p) => /^Targets down/.test(p.title))
    .flatMap((p) => (p.targets as P[]).map((t) => t.expr as string));

async function findings(cfg: MixinConfig): Promise<string[]> {
  const files = new Map<string, string>();
  for (const t of targetNames) for (const [p, c] of targets[t].produce(cfg)) files.set(p, c);
  return (await validateOutput(files, cfg, 'dist')).map((f) => `${f.id} ${f.file} ${f.message}`);
}

describe('template variables and targets-down panels carry the shared selector matchers', () => {
  it('every selector in namespace prod: every variable and targets-down query says so', async () => {
    const cfg = defineConfig(ALL_PROD);
    for (const d of allDashboards(cfg) as unknown as P[]) {
      expect(variable(d, 'instance'), d.title).toBe('label_values(up{namespace="prod", job=~"$job"}, instance)');
      expect(variable(d, 'job'), d.title).toMatch(/^label_values\(up\{namespace="prod", job=~".*"\}, job\)$/);
    }
    const down = targetsDownExprs(overviewDashboard(cfg) as unknown as P);
    expect(down.length).toBeGreaterThan(0);
    for (const e of down) expect(e).toContain('up{namespace="prod", job=~"$job", instance=~"$instance"}');
    expect(await findings(cfg)).toEqual([]);
  }, 120_000);

  it('mixed labels: each dashboard takes only what all of its components share', async () => {
    const cfg = defineConfig(MIXED);
    const byKey = Object.fromEntries(
      (allDashboards(cfg) as unknown as P[]).map((d) => [d.uid.replace(`${cfg.grafana.uidPrefix}-`, ''), d]),
    );
    expect(variable(byKey.vote!, 'instance')).toBe(
      'label_values(up{namespace="prod", cluster="eu-1", job=~"$job"}, instance)',
    );
    expect(variable(byKey.worker!, 'instance')).toBe('label_values(up{namespace="prod", job=~"$job"}, instance)');
    // The exporter has no namespace: a namespace matcher would hide its targets.
    expect(variable(byKey['redis-queue']!, 'instance')).toBe('label_values(up{job=~"$job"}, instance)');
    expect(variable(byKey.overview!, 'instance')).toBe('label_values(up{job=~"$job"}, instance)');
    for (const e of targetsDownExprs(byKey.overview!)) expect(e).toContain('up{job=~"$job", instance=~"$instance"}');
    expect(await findings(cfg)).toEqual([]);
  }, 120_000);
});
