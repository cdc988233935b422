/**
 * Small dashboards for the registry's examples (validate/checks/dashboard/*): a dashboard with the
 * template variables the advice asks for, a datasource variable, and the given panels, as the
 * `{ file, text }` a check's bad or good example is.
 */
type Json = Record<string, unknown>;

const ds = { type: 'prometheus', uid: '${datasource}' };

/** Datasource, job and instance variables as the advice checks want them (tests reuse them). */
export const VARIABLES = [
  { type: 'datasource', name: 'datasource', query: 'prometheus' },
  { type: 'query', name: 'job', datasource: ds, query: 'label_values(up, job)', multi: true, includeAll: true },
  {
    type: 'query',
    name: 'instance',
    datasource: ds,
    query: 'label_values(up{job=~"$job"}, instance)',
    multi: true,
    includeAll: true,
  },
];

/** A timeseries panel that draws no advice; `over` replaces or adds fields. */
export function examplePanel(over: Json = {}): Json {
  return {
    type: 'timeseries',
    id: 1,
    title: 'Requests/s',
    description: 'Requests per second.',
    datasource: ds,
    gridPos: { x: 0, y: 0, w: 12, h: 8 },
    fieldConfig: { defaults: { unit: 'reqps' }, overrides: [] },
    targets: [
      { refId: 'A', expr: 'sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))' },
    ],
    ...over,
  };
}

/** A target expression in an otherwise clean panel. */
export const exampleQuery = (expr: string, over: Json = {}): Json =>
  examplePanel({ targets: [{ refId: 'A', expr }], ...over });

export function exampleDashboard(
  panels: Json[],
  over: Json = {},
  file = 'dashboard.json',
): { file: string; text: string } {
  const d = { uid: 'example', title: 'Example', schemaVersion: 39, templating: { list: VARIABLES }, panels, ...over };
  return { file, text: `${JSON.stringify(d, null, 2)}\n` };
}
