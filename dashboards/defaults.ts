/**
 * The one post-pass every dashboard goes through (like kubernetes-mixin's dashboards/defaults):
 * uid, title prefix, tags, refresh, timezone and time range from the config; the datasource, job
 * and instance template variables; panel ids, refIds and `${datasource}` on every panel and
 * target; links between the dashboards; `__inputs`/`__requires` for import through the UI.
 * Dashboard files describe panels only and never repeat any of this.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { type Matcher, re, sel } from '../config/promql.js';
import { type Component, JOB_VAR, sharedScope } from './scope.js';

export type DashboardKey = 'vote' | 'redis-queue' | 'worker' | 'overview';

/** Titles (without the config's prefix) of every dashboard the mixin builds. */
export const DASHBOARD_TITLES: Record<DashboardKey, string> = {
  overview: 'Overview',
  vote: 'Vote service',
  'redis-queue': 'Redis & queue',
  worker: 'Worker',
};

export interface DashboardMeta {
  key: DashboardKey;
  description: string;
  /** Components whose jobs the `$job` variable offers. */
  components: Component[];
  /** Adds the Loki datasource variable (for logs panels). */
  logs?: boolean;
}

export const DATASOURCE_VAR = 'datasource';
export const LOKI_DATASOURCE_VAR = 'loki_datasource';
export const PROMETHEUS_INPUT = 'DS_PROMETHEUS';
export const LOKI_INPUT = 'DS_LOKI';

export interface ImportInput {
  name: string;
  label: string;
  description: string;
  type: 'datasource';
  pluginId: string;
  pluginName: string;
}
export interface Requirement {
  type: 'grafana' | 'datasource' | 'panel';
  id: string;
  name: string;
  version: string;
}

/** Classic Grafana dashboard JSON plus the import envelope. */
export type DashboardJson = dashboard.Dashboard & { __inputs: ImportInput[]; __requires: Requirement[] };

/** `<uidPrefix>-<key>`: stable across builds so links and bookmarks survive a rebuild. */
export const dashboardUid = (cfg: MixinConfig, key: DashboardKey): string => `${cfg.grafana.uidPrefix}-${key}`;
export const dashboardTitle = (cfg: MixinConfig, key: DashboardKey): string =>
  `${cfg.grafana.titlePrefix}${DASHBOARD_TITLES[key]}`;
/** Relative link that keeps the time range and the variables. */
export const dashboardUrl = (cfg: MixinConfig, key: DashboardKey): string =>
  `/d/${dashboardUid(cfg, key)}?\${__url_time_range}&\${__all_variables}`;

/** `s` as an RE2 (and JavaScript) regex matching exactly `s`. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regex a job label must match for a component, from its config selector. */
function jobRegex(m: Matcher | undefined): string {
  if (m === undefined) return '.+';
  if (typeof m === 'string') return escapeRegex(m);
  if (m.op === '=') return escapeRegex(m.value);
  if (m.op === '=~') return m.value;
  return '.+';
}

/**
 * Grafana's option filter (a JavaScript regex over the `$job` values) when a component selects its
 * jobs with `!=`/`!~`: the query's RE2 regex cannot say "not staging", a lookahead can. The whole
 * value is the one capture group (Grafana takes group 1 as the option). '' when none is negative,
 * or when a regex is RE2-only syntax JavaScript cannot read (then the options stay the wider set).
 */
function jobFilter(matchers: Array<Matcher | undefined>): string {
  const parts = matchers.map((m) => {
    if (m === undefined) return '.+';
    if (typeof m === 'string' || m.op === '=') return escapeRegex(typeof m === 'string' ? m : m.value);
    if (m.op === '=~') return `(?:${m.value})`;
    return `(?!${m.op === '!=' ? escapeRegex(m.value) : `(?:${m.value})`}$).+`;
  });
  if (!matchers.some((m) => typeof m === 'object' && (m.op === '!=' || m.op === '!~'))) return '';
  const filter = `^((?:${parts.join('|')}))$`;
  try {
    new RegExp(filter);
  } catch {
    return '';
  }
  return `/${filter}/`;
}

const PANEL_NAMES: Record<string, string> = {
  timeseries: 'Time series',
  stat: 'Stat',
  gauge: 'Gauge',
  table: 'Table',
  bargauge: 'Bar gauge',
  piechart: 'Pie chart',
  logs: 'Logs',
  row: 'Row',
};

function variables(cfg: MixinConfig, meta: DashboardMeta): dashboard.VariableModel[] {
  const promDs = { type: 'prometheus', uid: `\${${DATASOURCE_VAR}}` };
  const jobs = [...new Set(meta.components.map((c) => jobRegex(cfg.selectors[c].job)))];
  const jobMatch = jobs.length === 1 ? jobs[0]! : `(${jobs.join('|')})`;
  const all = { selected: true, text: ['All'], value: ['$__all'] } as unknown as dashboard.VariableOption;
  const vars: dashboard.VariableModel[] = [
    new dashboard.DatasourceVariableBuilder(DATASOURCE_VAR)
      .label('Data source')
      .type('prometheus')
      .regex('')
      // Replaced by the datasource picked on UI import; elsewhere Grafana falls back to the default Prometheus.
      .current({ selected: true, text: `\${${PROMETHEUS_INPUT}}`, value: `\${${PROMETHEUS_INPUT}}` })
      .build(),
  ];
  if (meta.logs) {
    vars.push(
      new dashboard.DatasourceVariableBuilder(LOKI_DATASOURCE_VAR)
        .label('Logs data source')
        .type('loki')
        .regex('')
        .current({ selected: true, text: `\${${LOKI_INPUT}}`, value: `\${${LOKI_INPUT}}` })
        .build(),
    );
  }
  // The matchers besides job that every component of the dashboard shares (namespace: prod…): so the
  // variables offer only the configured targets' jobs and instances (see sharedScope).
  const shared = sharedScope(cfg, meta.components);
  const jobQuery = `label_values(${sel(m.up, {}, { ...shared, job: re(jobMatch) })}, job)`;
  const instanceQuery = `label_values(${sel(m.up, {}, { ...shared, job: re(JOB_VAR) })}, instance)`;
  /** A multi-select "All" variable over label values of `up` (job, then instance within it). */
  const labelVariable = (name: 'job' | 'instance', query: string) =>
    new dashboard.QueryVariableBuilder(name)
      .label(name)
      .datasource(promDs)
      .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 })
      .definition(query)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .current(all);
  const filter = jobFilter(meta.components.map((c) => cfg.selectors[c].job));
  vars.push(
    (filter ? labelVariable('job', jobQuery).regex(filter) : labelVariable('job', jobQuery)).build(),
    // `.*` also matches log streams without an instance label in the Loki panel.
    labelVariable('instance', instanceQuery).allValue('.*').build(),
  );
  // The SDK fills interval-variable fields on every variable; Grafana ignores them elsewhere.
  for (const v of vars) {
    if (v.type === dashboard.VariableType.Interval) continue;
    delete v.auto;
    delete v.auto_min;
    delete v.auto_count;
  }
  return vars;
}

function links(cfg: MixinConfig, key: DashboardKey): dashboard.DashboardLink[] {
  const others = (Object.keys(DASHBOARD_TITLES) as DashboardKey[]).filter((k) => k !== key);
  return [
    ...others
      .map((k) =>
        new dashboard.DashboardLinkBuilder(DASHBOARD_TITLES[k])
          .type(dashboard.DashboardLinkType.Link)
          .url(`/d/${dashboardUid(cfg, k)}`)
          .icon('dashboard')
          .tooltip(dashboardTitle(cfg, k))
          .includeVars(true)
          .keepTime(true)
          .targetBlank(false)
          .asDropdown(false)
          .build(),
      )
      // The SDK defaults placement to Grafana 12's controls menu; older Grafanas and the default
      // placement show links in the dashboard header, which is where they should be.
      .map(({ placement: _placement, ...link }) => link as dashboard.DashboardLink),
  ];
}

type AnyPanel = Record<string, unknown> & {
  type: string;
  targets?: Array<Record<string, unknown>>;
  panels?: AnyPanel[];
};

function refId(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `${refId(Math.floor(i / 26) - 1)}${String.fromCharCode(65 + (i % 26))}`;
}

/** Panel ids in layout order, refIds A, B, ... and the datasource variable on panels and targets. */
function decoratePanels(panels: AnyPanel[]): void {
  let id = 1;
  const visit = (p: AnyPanel) => {
    p.id = id++;
    if (p.type === 'row') {
      for (const child of p.panels ?? []) visit(child);
      return;
    }
    const ds =
      p.type === 'logs'
        ? { type: 'loki', uid: `\${${LOKI_DATASOURCE_VAR}}` }
        : { type: 'prometheus', uid: `\${${DATASOURCE_VAR}}` };
    p.datasource = ds;
    (p.targets ?? []).forEach((t, i) => {
      t.refId = refId(i);
      t.datasource = ds;
    });
  };
  panels.forEach(visit);
}

function requirements(panels: AnyPanel[], logs: boolean): Requirement[] {
  const types = new Set<string>();
  const walk = (p: AnyPanel) => {
    if (p.type !== 'row') types.add(p.type);
    (p.panels ?? []).forEach(walk);
  };
  panels.forEach(walk);
  return [
    { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.0.0' },
    { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
    ...(logs ? [{ type: 'datasource' as const, id: 'loki', name: 'Loki', version: '1.0.0' }] : []),
    ...[...types].sort().map((t) => ({ type: 'panel' as const, id: t, name: PANEL_NAMES[t] ?? t, version: '' })),
  ];
}

function inputs(cfg: MixinConfig, logs: boolean): ImportInput[] {
  const input = (name: string, pluginId: string, pluginName: string, label: string): ImportInput => ({
    name,
    label,
    description: `${pluginName} datasource the dashboard queries (default variable value)`,
    type: 'datasource',
    pluginId,
    pluginName,
  });
  return [
    input(PROMETHEUS_INPUT, 'prometheus', 'Prometheus', cfg.datasources.prometheus.name),
    ...(logs ? [input(LOKI_INPUT, 'loki', 'Loki', cfg.datasources.loki.name)] : []),
  ];
}

/** Applies the config-wide settings to a dashboard built by one of the dashboard files. */
export function withDefaults(cfg: MixinConfig, meta: DashboardMeta, built: dashboard.Dashboard): DashboardJson {
  const panels = (built.panels ?? []) as unknown as AnyPanel[];
  decoratePanels(panels);
  const logs = Boolean(meta.logs);
  return {
    __inputs: inputs(cfg, logs),
    __requires: requirements(panels, logs),
    ...built,
    id: null,
    uid: dashboardUid(cfg, meta.key),
    title: dashboardTitle(cfg, meta.key),
    description: meta.description,
    tags: [...cfg.grafana.tags],
    timezone: cfg.grafana.timezone,
    refresh: cfg.grafana.refresh,
    time: { from: cfg.grafana.timeFrom, to: 'now' },
    graphTooltip: dashboard.DashboardCursorSync.Crosshair,
    editable: true,
    // Grafana 10.4's schema version: newer Grafanas migrate it forward on load.
    schemaVersion: 39,
    version: 1,
    annotations: { list: [] },
    templating: { list: variables(cfg, meta) },
    links: links(cfg, meta.key),
    panels: panels as unknown as dashboard.Dashboard['panels'],
  } as DashboardJson;
}
