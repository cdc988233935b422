import { describe, expect, it } from 'vitest';
import { parseLogQL } from '../logql.js';
import { VARIABLES } from './example.js';
import { analyseDashboard, DASHBOARD_RULES, lintDashboard, locateJsonPath, substituteVariables } from './index.js';

const ds = { type: 'prometheus', uid: '${datasource}' };

/** A small dashboard that passes every rule; each test breaks one thing. */
function good(): Record<string, any> {
  return {
    __inputs: [{ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }],
    uid: 'test',
    title: 'Test',
    schemaVersion: 39,
    templating: {
      list: [
        // Copies: tests change the dashboard they get.
        structuredClone(VARIABLES[0]),
        { type: 'datasource', name: 'loki', query: 'loki' },
        ...structuredClone(VARIABLES.slice(1)),
      ],
    },
    panels: [
      { type: 'row', title: 'Row', id: 1, gridPos: { h: 1, w: 24, x: 0, y: 0 }, panels: [], collapsed: false },
      {
        type: 'timeseries',
        id: 2,
        title: 'Requests/s',
        description: 'Requests per second.',
        datasource: ds,
        fieldConfig: { defaults: { unit: 'reqps' }, overrides: [] },
        targets: [
          {
            refId: 'A',
            datasource: ds,
            expr: 'sum by (status) (rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))',
          },
        ],
      },
      {
        type: 'logs',
        id: 3,
        title: 'Errors',
        description: 'Error lines.',
        datasource: { type: 'loki', uid: '${loki}' },
        targets: [{ refId: 'A', expr: '{job=~"$job"} | json | level >= 50' }],
      },
    ],
  };
}

const ids = (d: unknown) => lintDashboard(d).map((f) => f.id);
const target = (d: Record<string, any>) => d.panels[1].targets[0];

describe('lintDashboard', () => {
  it('passes a well-formed dashboard', () => {
    expect(lintDashboard(good())).toEqual([]);
  });

  it('catches each rule on a deliberately broken dashboard', () => {
    const cases: Array<[string, (d: Record<string, any>) => void]> = [
      ['dashboard/schema', (d) => delete d.panels[1].type],
      ['dashboard/template-datasource', (d) => d.templating.list.splice(0, 1)],
      ['dashboard/template-job', (d) => d.templating.list.splice(2, 1)],
      [
        'dashboard/template-job',
        (d) => (target(d).expr = 'sum(rate(http_requests_total{instance=~"$instance"}[$__rate_interval]))'),
      ],
      ['dashboard/template-instance', (d) => d.templating.list.splice(3, 1)],
      [
        'dashboard/template-instance',
        (d) => (target(d).expr = 'sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'),
      ],
      [
        'dashboard/panel-datasource',
        (d) => (d.panels[1].datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' }),
      ],
      ['dashboard/panel-description', (d) => delete d.panels[1].description],
      ['dashboard/panel-title', (d) => (d.panels[1].title = '')],
      ['dashboard/datasource-variable', (d) => (d.panels[1].datasource = { type: 'prometheus', uid: '${prom}' })],
      ['dashboard/grid', (d) => (d.panels[1].gridPos = { x: 20, y: 1, w: 8, h: 8 })],
      [
        'dashboard/overlap',
        (d) => {
          d.panels[1].gridPos = { x: 0, y: 1, w: 12, h: 8 };
          d.panels[2].gridPos = { x: 6, y: 1, w: 12, h: 8 };
        },
      ],
      ['dashboard/panel-units', (d) => delete d.panels[1].fieldConfig.defaults.unit],
      ['dashboard/panel-units', (d) => (d.panels[1].fieldConfig.defaults.unit = 'requests')],
      ['dashboard/rate-interval', (d) => (target(d).expr = target(d).expr.replace('$__rate_interval', '5m'))],
      [
        'dashboard/counter-rate',
        (d) => (target(d).expr = 'sum(http_requests_total{job=~"$job", instance=~"$instance"})'),
      ],
      ['logql/syntax', (d) => (d.panels[2].targets[0].expr = '{job=~"$job"} | json | level >= ')],
      ['dashboard/no-targets', (d) => (d.panels[1].targets = [])],
      [
        'dashboard/unknown-metric',
        (d) => (target(d).expr = 'sum(rate(http_request_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))'),
      ],
    ];
    const covered = new Set<string>();
    for (const [id, breakIt] of cases) {
      const d = good();
      breakIt(d);
      expect(ids(d), id).toContain(id);
      covered.add(id);
    }
    expect([...covered].sort()).toEqual([...DASHBOARD_RULES].sort());
  });

  it('gives dashboard queries the semantic PromQL checks rules get, as errors', () => {
    const cases: Array<[string, string]> = [
      ['promql/syntax', 'sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval])'],
      ['promql/arg-type', 'rate(http_requests_total{job=~"$job", instance=~"$instance"})'],
      ['promql/arity', 'histogram_quantile(http_request_duration_seconds_bucket{job=~"$job", instance=~"$instance"})'],
      ['promql/regex', 'http_requests_total{job=~"[", instance=~"$instance"}'],
    ];
    for (const [id, expr] of cases) {
      const d = good();
      target(d).expr = expr;
      const f = lintDashboard(d).find((x) => x.id === id);
      expect(f, `${id}: ${expr}`).toMatchObject({ severity: 'error', path: ['panels', 1, 'targets', 0, 'expr'] });
    }
  });

  it('reports errors only where Grafana cannot work; advice is a warning', () => {
    const d = good();
    delete d.panels[1].description;
    delete d.panels[1].fieldConfig;
    target(d).expr = 'rate(http_requests_total[5m])';
    d.templating.list.splice(2, 2);
    const found = lintDashboard(d);
    expect(found.length).toBeGreaterThan(3);
    expect(found.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('points at the position in the original query, variables included', () => {
    const d = good();
    // The error is after two variables whose stand-ins have other lengths.
    target(d).expr = 'sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval])) +';
    const [f] = lintDashboard(d);
    expect(f).toMatchObject({
      id: 'promql/syntax',
      path: ['panels', 1, 'targets', 0, 'expr'],
      context: 'dashboard "Test" › panel "Requests/s" (id 2) › target A',
    });
    // At the dangling `+` or just after it, in the text the user wrote.
    expect(f!.offset).toBeGreaterThanOrEqual(target(d).expr.length - 1);

    target(d).expr = 'rate(http_requests_total{job=~"$job", instance=~"$instance"}[1m])';
    const rate = lintDashboard(d).find((x) => x.id === 'dashboard/rate-interval')!;
    expect(target(d).expr.slice(rate.offset)).toBe('1m])');

    target(d).expr = 'sum(rate(nope_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))';
    const unknown = lintDashboard(d).find((x) => x.id === 'dashboard/unknown-metric')!;
    expect(target(d).expr.slice(unknown.offset).startsWith('nope_total')).toBe(true);

    // Mapped to file:line:col in the pretty-printed JSON.
    const text = JSON.stringify(d, null, 2);
    const pos = locateJsonPath(text, unknown.path!, unknown.offset);
    const line = text.split('\n')[pos.line - 1]!;
    expect(line.slice(pos.column - 1).startsWith('nope_total')).toBe(true);
  });

  it('accepts recording rules and ALERTS without $instance, and names known-but-raw counters only', () => {
    const d = good();
    target(d).expr = 'max(job:http_request_errors:ratio_rate5m{job=~"$job"}) + count(ALERTS{alertstate="firing"})';
    expect(lintDashboard(d)).toEqual([]);
    target(d).expr =
      'sum(rate(http_request_duration_seconds_bucket{job=~"$job", instance=~"$instance"}[$__rate_interval]))';
    expect(lintDashboard(d)).toEqual([]);
  });

  it('honours disable, file and extra known metrics', () => {
    const d = good();
    target(d).expr = 'my_gauge{job=~"$job", instance=~"$instance"}';
    expect(ids(d)).toEqual(['dashboard/unknown-metric']);
    expect(lintDashboard(d, { knownMetrics: ['my_gauge'] })).toEqual([]);
    expect(lintDashboard(d, { disable: ['dashboard/unknown-metric'] })).toEqual([]);
    expect(lintDashboard(d, { file: 'x.json' })[0]!.file).toBe('x.json');
  });
});

describe('what Grafana loads, not only what it writes today', () => {
  const promTarget = (expr: string) => ({ refId: 'A', datasource: ds, expr });
  const legacyPanel = (expr: string) => ({
    type: 'graph',
    id: 20,
    title: 'Old requests',
    description: 'Requests per second.',
    span: 6,
    datasource: ds,
    yaxes: [{ format: 'reqps' }, { format: 'short' }],
    targets: [promTarget(expr)],
  });

  it('accepts a library panel reference (no type, the model in __elements) and checks only its gridPos', () => {
    const d = good();
    d.panels.push({
      gridPos: { x: 0, y: 9, w: 12, h: 8 },
      id: 6,
      libraryPanel: { uid: 'lib1', name: 'Shared errors' },
    });
    expect(lintDashboard(d)).toEqual([]);
    d.panels.push({ gridPos: { x: 6, y: 9, w: 12, h: 8 }, id: 7, libraryPanel: { uid: 'lib2', name: 'Other' } });
    expect(ids(d)).toEqual(['dashboard/overlap']);
    d.panels[4].gridPos = { x: 20, y: 17, w: 8, h: 8 };
    expect(ids(d)).toEqual(['dashboard/grid']);
    // Without libraryPanel, a panel still needs its type.
    delete d.panels[4].libraryPanel;
    expect(lintDashboard(d).find((x) => x.id === 'dashboard/schema')?.message).toMatch(/panels\/4: .*"type"/);
  });

  it('checks the panels of the legacy rows layout (schemaVersion < 16), without grid checks', () => {
    const d = good();
    d.schemaVersion = 14;
    d.rows = [{ title: 'Old', height: '250px', panels: [legacyPanel('sum(rate(x[5m]) +')] }];
    const f = lintDashboard(d);
    expect(f.map((x) => x.id)).toEqual(['promql/syntax']);
    expect(f[0]).toMatchObject({
      severity: 'error',
      path: ['rows', 0, 'panels', 0, 'targets', 0, 'expr'],
      context: 'dashboard "Test" › row "Old" › panel "Old requests" (id 20) › target A',
    });
    // Advice reaches them too; a gridPos there is not Grafana's layout (it derives one from span).
    d.rows[0].panels[0] = {
      ...legacyPanel('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[5m]))'),
      gridPos: { x: 20, y: 0, w: 8, h: 8 },
    };
    expect(ids(d)).toEqual(['dashboard/rate-interval']);
    // Grafana reads `rows` only below schemaVersion 16 (a missing one counts as 0).
    delete d.schemaVersion;
    expect(ids(d)).toEqual(['dashboard/rate-interval']);
    d.schemaVersion = 16;
    expect(ids(d)).toEqual([]);
  });

  it('accepts $__range windows, the "over the whole time range" idiom', () => {
    const d = good();
    for (const w of ['$__range', '${__range}']) {
      target(d).expr = `sum(increase(http_requests_total{job=~"$job", instance=~"$instance"}[${w}]))`;
      expect(lintDashboard(d), w).toEqual([]);
    }
    target(d).expr = 'sum(increase(http_requests_total{job=~"$job", instance=~"$instance"}[$__interval]))';
    expect(ids(d)).toEqual(['dashboard/rate-interval']);
  });

  it("does not ask Grafana's built-in datasources (expressions, -- Dashboard --, -- Grafana --) for a variable", () => {
    const d = good();
    d.panels[1].datasource = { type: 'datasource', uid: '-- Mixed --' };
    d.panels[1].targets.push(
      {
        refId: 'B',
        datasource: { type: '__expr__', uid: '__expr__', name: 'Expression' },
        type: 'math',
        expression: '$A * 2',
      },
      {
        refId: 'C',
        datasource: { type: '__expr__', uid: '__expr__' },
        type: 'reduce',
        expression: 'B',
        reducer: 'last',
      },
      { refId: 'D', datasource: '__expr__', type: 'math', expression: '$A' },
    );
    expect(lintDashboard(d)).toEqual([]);
    expect(analyseDashboard(d).datasources).toEqual([]);
    const shared = good();
    shared.panels[1].datasource = { type: 'datasource', uid: '-- Dashboard --' };
    shared.panels[1].targets = [{ refId: 'A', datasource: { type: 'datasource', uid: '-- Dashboard --' }, panelId: 3 }];
    expect(lintDashboard(shared)).toEqual([]);
    shared.panels[1].datasource = { type: 'datasource', uid: 'grafana' };
    shared.panels[1].targets = [{ refId: 'A', datasource: '-- Grafana --', queryType: 'randomWalk' }];
    expect(lintDashboard(shared)).toEqual([]);
  });

  it('reads a unit where heatmaps and pre-fieldConfig panels keep it', () => {
    const d = good();
    d.panels[1].type = 'heatmap';
    delete d.panels[1].fieldConfig;
    expect(ids(d)).toEqual(['dashboard/panel-units']);
    d.panels[1].options = { yAxis: { unit: 's' } };
    expect(lintDashboard(d)).toEqual([]);
    delete d.panels[1].options;
    d.panels[1].yAxis = { format: 's' };
    expect(lintDashboard(d)).toEqual([]);
    d.panels[1].yAxis = { format: 'requests' };
    expect(lintDashboard(d).find((x) => x.id === 'dashboard/panel-units')?.path).toEqual([
      'panels',
      1,
      'yAxis',
      'format',
    ]);
    const single = good();
    single.panels[1].type = 'singlestat';
    delete single.panels[1].fieldConfig;
    single.panels[1].format = 'reqps';
    expect(lintDashboard(single)).toEqual([]);
  });
});

describe('schema derived from Grafana types', () => {
  it('rejects an invalid panel and says where', () => {
    const d = good();
    d.panels[1].gridPos = { h: 8, w: 'wide', x: 0, y: 0 };
    const f = lintDashboard(d).filter((x) => x.id === 'dashboard/schema');
    expect(f.length).toBeGreaterThan(0);
    expect(f.some((x) => JSON.stringify(x.path).startsWith('["panels",1'))).toBe(true);
  });

  it('rejects a non-object and a panel without a type, names the wrong type of a row', () => {
    expect(ids([])).toEqual(['dashboard/schema']);
    const d = good();
    delete d.panels[1].type;
    expect(lintDashboard(d).find((x) => x.id === 'dashboard/schema')?.message).toMatch(/panels\/1: .*"type"/);
    const r = good();
    r.panels[0].panels = 'none';
    expect(lintDashboard(r).find((x) => x.id === 'dashboard/schema')?.message).toMatch(
      /panels\/0\/panels: must be array/,
    );
  });
});

describe('substituteVariables', () => {
  it('puts a duration in range brackets, a name elsewhere, and maps offsets back', () => {
    const q = 'rate(x{job=~"${job:regex}"}[$__rate_interval]) > $thresh';
    const s = substituteVariables(q);
    expect(s.text).toBe('rate(x{job=~"job"}[5m]) > thresh');
    expect(s.toOriginal(s.text.indexOf('> thresh'))).toBe(q.indexOf('> $thresh'));
    expect(s.toOriginal(s.text.indexOf('5m'))).toBe(q.indexOf('$__rate_interval'));
  });
});

describe('parseLogQL', () => {
  it('parses valid queries and reports the offset of an error', () => {
    expect(parseLogQL('sum(rate({job="a"} |= "error" [5m]))').errors).toEqual([]);
    const bad = parseLogQL('{job="a"} | json | level >= ');
    expect(bad.errors[0]!.from).toBeGreaterThanOrEqual(26);
  });
});
