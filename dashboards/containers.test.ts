// The overview's containers row, checked statically (no Docker, no cAdvisor here): collapsed, its
// queries parse, read only catalogued cAdvisor families through the Compose service label and the
// dashboard's variables, and are all marked as possibly empty, so `verify` stays quiet on the
// demo, which runs no cAdvisor.
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { metrics, seriesIndex } from '../config/metrics.js';
import { CADVISOR_ONLY, COMPOSE_SERVICE_LABEL, containerMetrics } from '../config/metrics-containers.js';
import { lintDashboard } from '../validate/dashboard/index.js';
import { substituteVariables } from '../validate/dashboard/variables.js';
import { parsePromQL } from '../validate/promql.js';
import { CONTAINERS_ROW, NO_CADVISOR } from './containers.js';
import { overviewDashboard } from './overview.js';

type P = Record<string, any>;

describe('the containers row of the overview', () => {
  const cfg = defineConfig({ selectors: { cadvisor: { job: 'cadvisor-compose' } } });
  const d = overviewDashboard(cfg) as unknown as P;
  const row = (d.panels as P[]).find((p) => p.type === 'row' && p.title === CONTAINERS_ROW)!;
  const targets: P[] = (row.panels as P[]).flatMap((p) => (p.targets as P[]).map((t) => ({ panel: p.title, ...t })));

  it('is the last row, collapsed, with CPU, memory and restarts inside', () => {
    expect(row).toBeDefined();
    expect((d.panels as P[]).at(-1)).toBe(row);
    expect(row.collapsed).toBe(true);
    expect((row.panels as P[]).map((p) => p.title)).toEqual([
      'Container CPU (cores)',
      'Container memory (working set)',
      'Container restarts',
    ]);
    for (const p of row.panels as P[]) expect(p.description, p.title).toContain('cAdvisor');
  });

  it('has queries that parse and read catalogued cAdvisor families by Compose service, $job and $instance', () => {
    expect(targets).toHaveLength(3);
    for (const t of targets) {
      expect(parsePromQL(substituteVariables(t.expr).text).errors, t.expr).toEqual([]);
      const selectors = [...(t.expr as string).matchAll(/\b([a-z_]+)\{([^}]*)\}/g)];
      expect(selectors.length, t.expr).toBeGreaterThan(0);
      for (const [, name, matchers] of selectors) {
        expect(seriesIndex.get(name!)?.sources, name).toEqual(['cadvisor']);
        expect(matchers).toContain(`${COMPOSE_SERVICE_LABEL}!=""`);
        expect(matchers).toContain('job=~"$job"');
        expect(matchers).toContain('instance=~"$instance"');
      }
      expect(t.expr).toContain(`by (${COMPOSE_SERVICE_LABEL}, name)`);
    }
    // The overview's $job offers the configured cAdvisor job beside the others.
    const job = (d.templating.list as P[]).find((v) => v.name === 'job')!;
    expect(job.query.query).toContain('cadvisor-compose');
  });

  it('marks every target as possibly empty (no cAdvisor outside Compose), and the catalog says when the series exist', () => {
    for (const t of targets) expect(t.mayBeEmpty, t.panel).toBe(NO_CADVISOR);
    for (const m of Object.values(containerMetrics)) {
      expect(m.onlyWhen, m.name).toBe(CADVISOR_ONLY);
      expect(m.labels, m.name).toEqual(expect.arrayContaining(['name', 'image', 'id', COMPOSE_SERVICE_LABEL]));
    }
    expect(metrics.containerCpuUsageSecondsTotal.type).toBe('counter');
    expect(metrics.containerCpuUsageSecondsTotal.labels).toContain('cpu');
  });

  it('keeps the overview lint-clean', () => {
    expect(lintDashboard(d as never)).toEqual([]);
  });
});
