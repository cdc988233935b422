// Dashboards Grafana loads every day (../shared/corpus: kube-prometheus and redis_exporter's),
// through the whole engine: not one error-level finding. Advice (units, descriptions, rate
// windows, template variables) may be reported as warnings; their counts by id are printed. Then
// each class of false error the validator once made, as a small case of its own.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../engine.js';
import { exampleDashboard, examplePanel, exampleQuery } from './example.js';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
const FOLDERS = ['kube-prometheus/dashboards', 'redis-exporter-dashboards'];

function read(folder: string) {
  const dir = join(corpus, folder);
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: join(folder, f), text: readFileSync(join(dir, f), 'utf8') }));
}

describe.skipIf(!existsSync(corpus))('real-world dashboards', () => {
  it.each(FOLDERS)('%s: no error-level finding', async (folder) => {
    const files = read(folder);
    expect(files.length).toBeGreaterThan(2);
    const { findings } = await validateFiles(files);
    const errors = findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.file}:${f.position?.line} [${f.id}] ${f.message}`)).toEqual([]);
    const warnings = new Map<string, number>();
    for (const f of findings) warnings.set(f.id, (warnings.get(f.id) ?? 0) + 1);
    console.log(`${folder}: ${files.length} dashboards, warnings by id`, Object.fromEntries([...warnings].sort()));
  });
});

async function errorsOf(text: string) {
  const { findings } = await validateFiles([{ file: 'dashboard.json', text }]);
  return findings.filter((f) => f.severity === 'error');
}
const json = (d: unknown) => JSON.stringify(d, null, 2);
const base = () => JSON.parse(exampleDashboard([examplePanel()]).text) as Record<string, any>;

describe('what Grafana loads is not an error', () => {
  it('defaults Grafana fills in: fieldConfig.overrides, gridPos x/y, a threshold step without value, current {}', async () => {
    const d = base();
    d.panels[0].fieldConfig = { defaults: { thresholds: { steps: [{ color: 'green' }] } } };
    d.panels[0].gridPos = { w: 12, h: 8 };
    d.panels[0].transformations = [{ id: 'merge' }];
    d.templating.list[1].current = {};
    delete d.schemaVersion;
    expect(await errorsOf(json(d))).toEqual([]);
  });

  it('legacy string datasources: a variable, a name, null, and an import input', async () => {
    const d = base();
    d.__inputs = [{ name: 'DS_PROM', type: 'datasource', pluginId: 'prometheus' }];
    d.annotations = { list: [{ name: 'a', datasource: '-- Grafana --', enable: true }] };
    d.panels = [
      examplePanel({ id: 1, datasource: '$datasource', gridPos: { x: 0, y: 0, w: 6, h: 4 } }),
      examplePanel({ id: 2, datasource: 'Prometheus', gridPos: { x: 6, y: 0, w: 6, h: 4 } }),
      examplePanel({ id: 3, datasource: null, gridPos: { x: 12, y: 0, w: 6, h: 4 } }),
      examplePanel({ id: 4, datasource: '${DS_PROM}', gridPos: { x: 18, y: 0, w: 6, h: 4 } }),
    ];
    expect(await errorsOf(json(d))).toEqual([]);
  });

  it('nulls Grafana exports: gnetId, id, interval, timeFrom, timeShift, cacheTimeout; refresh false', async () => {
    const d = base();
    Object.assign(d, { gnetId: null, id: null, refresh: false, description: null });
    Object.assign(d.panels[0], {
      interval: null,
      timeFrom: null,
      timeShift: null,
      cacheTimeout: null,
      maxDataPoints: null,
    });
    d.templating.list[1].refresh = true;
    expect(await errorsOf(json(d))).toEqual([]);
  });

  it('advice only: no unit, no description, a fixed rate window, no job/instance variables', async () => {
    const d = base();
    d.templating.list = [];
    d.panels[0] = exampleQuery('sum(rate(http_requests_total[5m]))', {
      description: '',
      fieldConfig: { defaults: {}, overrides: [] },
      datasource: { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' },
    });
    const { findings } = await validateFiles([{ file: 'dashboard.json', text: json(d) }]);
    expect(findings.map((f) => f.id).sort()).toEqual(
      expect.arrayContaining([
        'dashboard/panel-description',
        'dashboard/panel-units',
        'dashboard/rate-interval',
        'dashboard/template-job',
        'dashboard/panel-datasource',
      ]),
    );
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('queries of other datasources are not parsed as PromQL', async () => {
    const d = base();
    d.panels = [
      examplePanel({
        datasource: { type: 'elasticsearch', uid: 'es' },
        targets: [{ refId: 'A', expr: 'status:500 AND service:"api"' }],
      }),
    ];
    expect(await errorsOf(json(d))).toEqual([]);
  });
});

describe('what cannot work is an error, with the rules ids', () => {
  it.each([
    ['promql/arg-type', 'rate(http_requests_total{job=~"$job", instance=~"$instance"})'],
    ['promql/arity', 'histogram_quantile(http_request_duration_seconds_bucket{job=~"$job"})'],
    ['promql/regex', 'http_requests_total{job=~"["}'],
  ])('%s: %s', async (id, expr) => {
    const errors = await errorsOf(exampleDashboard([exampleQuery(expr)]).text);
    expect(errors.map((f) => f.id)).toContain(id);
    expect(errors.find((f) => f.id === id)?.position?.line).toBeGreaterThan(1);
  });

  it('a target datasource variable that does not exist', async () => {
    const d = base();
    d.panels[0].targets[0].datasource = { type: 'prometheus', uid: '${prom}' };
    expect((await errorsOf(json(d))).map((f) => f.id)).toEqual(['dashboard/datasource-variable']);
  });
});
