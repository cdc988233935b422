/**
 * Dashboard validation, shared by `build` (our generated dashboards) and `validate` (users'
 * files). Errors only where Grafana cannot load or show the thing: the JSON Schema of what Grafana
 * loads, panels off the 24-column grid or on top of each other, a datasource variable that does
 * not exist, PromQL that Prometheus refuses (the `promql/*` ids rules get), LogQL that does not
 * parse. Everything in the spirit of grafana/dashboard-linter (units, descriptions,
 * `$__rate_interval`, template variables) is a warning. Every finding has a stable id (see
 * DASHBOARD_RULES and validate/checks/), a `path` into the dashboard JSON and, for query
 * findings, the `offset` inside the `expr` string.
 *
 * @example lintDashboard(JSON.parse(text), { file: 'vote.json' }).filter((f) => f.severity === 'error')
 */
import type { MetricDef } from '../../config/metrics.js';
import type { Finding } from '../finding.js';
import type { MetricRef } from '../promql-check.js';
import { metricCatalog } from './catalog.js';
import { type DatasourceUse, otherDatasourceFindings, panelDatasourceFindings } from './datasources.js';
import { gridFindings } from './grid.js';
import { panelFindings } from './panels.js';
import { checkLogQLTarget, checkPromQLTarget, type QueryFinding } from './query-checks.js';
import { schemaFindings } from './schema.js';
import { templateFindings } from './templates.js';
import {
  dashboardContext,
  datasourceType,
  importInputs,
  isObject,
  type JsonPath,
  panels,
  str,
  targets,
  variables,
} from './walk.js';

export { type MetricCatalog, metricCatalog } from './catalog.js';
export { locateJsonPath, withPositions } from './locate.js';
export { schemaFindings } from './schema.js';
export { substituteVariables } from './variables.js';

/** Every `dashboard/*` and `logql/*` id this module reports (PromQL findings are the registry's `promql/*`). */
export const DASHBOARD_RULES = [
  'dashboard/schema',
  'dashboard/grid',
  'dashboard/overlap',
  'dashboard/datasource-variable',
  'dashboard/template-datasource',
  'dashboard/template-job',
  'dashboard/template-instance',
  'dashboard/panel-datasource',
  'dashboard/panel-title',
  'dashboard/panel-description',
  'dashboard/panel-units',
  'dashboard/rate-interval',
  'dashboard/counter-rate',
  'dashboard/no-targets',
  'dashboard/unknown-metric',
  'logql/syntax',
] as const;
export type DashboardRuleId = (typeof DASHBOARD_RULES)[number];

export interface LintOptions {
  /** Set on every finding. */
  file?: string;
  /** Metric definitions queries may use (default: the mixin's catalog and recording rules). */
  metrics?: readonly MetricDef[];
  /** Further metric names to accept (e.g. from the user's own recording rules). */
  knownMetrics?: Iterable<string>;
  /** Rule ids to skip. */
  disable?: readonly string[];
  /** Run the JSON Schema check (default true). */
  schema?: boolean;
}

/** A PromQL target's metric uses, for the set-wide checks (--metrics, undefined recordings). */
export interface MetricUseRef extends MetricRef {
  /** Path of the `expr`; from/to are offsets inside it. */
  path: JsonPath;
  context: string;
}

export interface DashboardAnalysis {
  /** Findings; query findings carry `length`, the span inside `expr`. */
  findings: QueryFinding[];
  metricUses: MetricUseRef[];
  /** Fixed datasource uids, for the check against provisioned datasources. */
  datasources: DatasourceUse[];
  uid?: string;
}

/** Queries in these look like LogQL whatever their datasource says (a legacy name, an unresolved variable). */
const LOGQL_LOOK = /\|[=~]|\|\s*(json|logfmt|line_format|pattern|unpack)\b/;

function queryLanguage(expr: string, type: string | undefined): 'promql' | 'logql' | undefined {
  if (type === 'loki') return 'logql';
  if (type === 'prometheus') return 'promql';
  // Another plugin (Elasticsearch, a Prometheus-like with its own dialect, Grafana's own): not ours.
  if (type !== undefined) return undefined;
  return LOGQL_LOOK.test(expr) ? 'logql' : 'promql';
}

/**
 * Every finding for one parsed dashboard (the classic JSON model, with or without the import
 * envelope), with the metric uses and datasource uids set-wide checks need. Never throws on
 * malformed input: shape problems come back as `dashboard/schema`.
 */
export function analyseDashboard(dashboard: unknown, opts: LintOptions = {}): DashboardAnalysis {
  const disabled = new Set(opts.disable ?? []);
  const findings: QueryFinding[] = opts.schema === false ? [] : schemaFindings(dashboard);
  const metricUses: MetricUseRef[] = [];
  const datasources: DatasourceUse[] = [];
  let uid: string | undefined;
  if (isObject(dashboard)) {
    uid = str(dashboard.uid);
    const vars = variables(dashboard);
    const inputs = importInputs(dashboard);
    const scope = { vars, inputs, context: dashboardContext(dashboard) };
    const catalog = metricCatalog(opts.metrics, opts.knownMetrics);
    const all = panels(dashboard);
    const usesLoki = all.some((p) => datasourceType(p.panel.datasource, vars, inputs) === 'loki');
    findings.push(...templateFindings(dashboard, vars, usesLoki));
    findings.push(...otherDatasourceFindings(dashboard, scope, datasources));
    findings.push(...gridFindings(dashboard));
    const requireVars = { job: vars.has('job'), instance: vars.has('instance') };
    for (const p of all) {
      findings.push(...panelFindings(p));
      findings.push(...panelDatasourceFindings(p, scope, datasources));
      if (p.panel.type === 'row') continue;
      for (const t of targets(p)) {
        const expr = str(t.target.expr);
        if (!expr?.trim() || t.target.hide === true) continue;
        const ref = t.target.datasource ?? p.panel.datasource;
        const lang = queryLanguage(expr, datasourceType(ref, vars, inputs));
        const res =
          lang === 'logql'
            ? checkLogQLTarget(expr, t)
            : lang === 'promql'
              ? checkPromQLTarget(expr, t, { catalog, requireVars })
              : undefined;
        if (!res) continue;
        findings.push(...res.findings);
        for (const m of res.metrics) metricUses.push({ ...m, path: [...t.path, 'expr'], context: t.context });
      }
    }
  }
  const kept = findings.filter((f) => !disabled.has(f.id)).map((f) => (opts.file ? { ...f, file: opts.file } : f));
  return { findings: kept, metricUses, datasources, ...(uid ? { uid } : {}) };
}

/** The findings of analyseDashboard, as the build and the library API report them. */
export function lintDashboard(dashboard: unknown, opts: LintOptions = {}): Finding[] {
  return analyseDashboard(dashboard, opts).findings.map(({ length: _length, ...f }) => f);
}
