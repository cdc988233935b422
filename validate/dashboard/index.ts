/**
 * Dashboard validation, shared by `build` (our generated dashboards) and `validate` (users'
 * files): the JSON Schema from Grafana's types, PromQL/LogQL parsing, and lint rules modelled on
 * grafana/dashboard-linter. Every finding has a stable id (see DASHBOARD_RULES), a `path` into the
 * dashboard JSON and, for query findings, the `offset` inside the `expr` string.
 *
 * @example lintDashboard(JSON.parse(text), { file: 'vote.json' }).filter((f) => f.severity === 'error')
 */
import type { MetricDef } from '../../config/metrics.js';
import type { Finding } from '../finding.js';
import { metricCatalog } from './catalog.js';
import { checkLogQLTarget, checkPromQLTarget } from './query-checks.js';
import { schemaFindings } from './schema.js';
import { isKnownUnit } from './units.js';
import {
  dashboardContext,
  datasourceType,
  isObject,
  type Json,
  type PanelRef,
  panels,
  str,
  targets,
  variableName,
  variables,
} from './walk.js';

export { type MetricCatalog, metricCatalog } from './catalog.js';
export { locateJsonPath, withPositions } from './locate.js';
export { schemaFindings } from './schema.js';
export { substituteVariables } from './variables.js';

/** Every check id this module reports. */
export const DASHBOARD_RULES = [
  'dashboard/schema',
  'dashboard/template-datasource',
  'dashboard/template-job',
  'dashboard/template-instance',
  'dashboard/panel-datasource',
  'dashboard/panel-title-description',
  'dashboard/panel-units',
  'dashboard/rate-interval',
  'dashboard/counter-rate',
  'dashboard/promql-syntax',
  'dashboard/logql-syntax',
  'dashboard/no-targets',
  'dashboard/unknown-metric',
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

/** Panels that show no numbers or need no query. */
const NO_UNIT = new Set([
  'row',
  'text',
  'logs',
  'news',
  'dashlist',
  'alertlist',
  'annolist',
  'traces',
  'nodeGraph',
  'welcome',
]);
const NO_TARGETS = new Set(['row', 'text', 'news', 'dashlist', 'alertlist', 'annolist', 'welcome']);

function err(id: DashboardRuleId, message: string, path: Array<string | number>, context: string): Finding {
  return { id, severity: 'error', message, path, context };
}

function templateFindings(d: Json, vars: Map<string, Json>, usesLoki: boolean): Finding[] {
  const ctx = dashboardContext(d);
  const out: Finding[] = [];
  const dsVars = [...vars.values()].filter((v) => v.type === 'datasource');
  const index = (name: string) => {
    const list = (isObject(d.templating) && Array.isArray(d.templating.list) ? d.templating.list : []) as unknown[];
    return list.findIndex((v) => isObject(v) && v.name === name);
  };
  if (!dsVars.some((v) => v.query === 'prometheus')) {
    out.push(
      err(
        'dashboard/template-datasource',
        'no Prometheus datasource template variable: add a variable of type "datasource" with query "prometheus" (e.g. named "datasource") so users pick their Prometheus',
        ['templating', 'list'],
        ctx,
      ),
    );
  }
  if (usesLoki && !dsVars.some((v) => v.query === 'loki')) {
    out.push(
      err(
        'dashboard/template-datasource',
        'Loki panels but no Loki datasource template variable (type "datasource", query "loki")',
        ['templating', 'list'],
        ctx,
      ),
    );
  }
  for (const label of ['job', 'instance'] as const) {
    const v = vars.get(label);
    const id = `dashboard/template-${label}` as const;
    if (!v) {
      out.push(
        err(
          id,
          `no "${label}" template variable: add a query variable label_values(up, ${label}) so panels can be narrowed to one ${label}`,
          ['templating', 'list'],
          ctx,
        ),
      );
      continue;
    }
    const i = index(label);
    if (v.type !== 'query' && v.type !== 'custom')
      out.push(
        err(
          id,
          `variable "${label}" must be a query variable (is ${JSON.stringify(v.type)})`,
          ['templating', 'list', i, 'type'],
          ctx,
        ),
      );
    const ds = isObject(v.datasource) ? str(v.datasource.uid) : str(v.datasource);
    if (v.type === 'query' && !variableName(ds))
      out.push(
        err(
          id,
          `variable "${label}" must query the datasource variable (datasource uid "\${datasource}"), not a fixed datasource`,
          ['templating', 'list', i, 'datasource'],
          ctx,
        ),
      );
    if (v.multi !== true || v.includeAll !== true)
      out.push(
        err(
          id,
          `variable "${label}" should allow several values and "All" (multi and includeAll)`,
          ['templating', 'list', i],
          ctx,
        ),
      );
  }
  return out;
}

function panelFindings(p: PanelRef, vars: Map<string, Json>): Finding[] {
  const out: Finding[] = [];
  const { panel, path, context } = p;
  const type = str(panel.type) ?? '';
  if (!str(panel.title)?.trim())
    out.push(err('dashboard/panel-title-description', 'panel has no title', [...path, 'title'], context));
  if (type === 'row') return out;
  if (!str(panel.description)?.trim())
    out.push(
      err(
        'dashboard/panel-title-description',
        'panel has no description: say what it shows and what a bad value means',
        [...path, 'description'],
        context,
      ),
    );

  const ts = targets(p);
  const checkRef = (ref: unknown, refPath: Array<string | number>, what: string) => {
    const uid = isObject(ref) ? str(ref.uid) : str(ref);
    const name = variableName(uid);
    if (!name)
      out.push(
        err(
          'dashboard/panel-datasource',
          `${what} datasource ${uid === undefined ? 'is not set' : `is fixed to ${JSON.stringify(uid)}`}: use the datasource variable (uid "\${datasource}")`,
          refPath,
          context,
        ),
      );
    else if (!vars.has(name) && !name.startsWith('__'))
      out.push(
        err(
          'dashboard/panel-datasource',
          `${what} datasource refers to "$${name}", which is not a template variable`,
          refPath,
          context,
        ),
      );
  };
  if (!NO_TARGETS.has(type)) {
    const mixed = isObject(panel.datasource) && str(panel.datasource.uid) === '-- Mixed --';
    if (!mixed) checkRef(panel.datasource, [...path, 'datasource'], 'panel');
    ts.forEach((t) => {
      if (t.target.datasource !== undefined || mixed)
        checkRef(t.target.datasource, [...t.path, 'datasource'], 'target');
    });
  }

  if (!NO_UNIT.has(type)) {
    const fc = isObject(panel.fieldConfig) && isObject(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : {};
    const unit = str(fc.unit);
    if (!unit)
      out.push(
        err(
          'dashboard/panel-units',
          'panel has no unit (fieldConfig.defaults.unit): pick one so values read as seconds, bytes, req/s, ...',
          [...path, 'fieldConfig', 'defaults', 'unit'],
          context,
        ),
      );
    else if (!isKnownUnit(unit))
      out.push(
        err(
          'dashboard/panel-units',
          `unknown unit ${JSON.stringify(unit)}: use a Grafana unit id such as s, bytes, reqps, percentunit, short`,
          [...path, 'fieldConfig', 'defaults', 'unit'],
          context,
        ),
      );
  }

  if (!NO_TARGETS.has(type) && !ts.some((t) => str(t.target.expr)?.trim())) {
    out.push(err('dashboard/no-targets', 'panel has no query', [...path, 'targets'], context));
  }
  return out;
}

/**
 * Every finding for one parsed dashboard (the classic JSON model, with or without the import
 * envelope). Never throws on malformed input: shape problems come back as `dashboard/schema`.
 */
export function lintDashboard(dashboard: unknown, opts: LintOptions = {}): Finding[] {
  const disabled = new Set(opts.disable ?? []);
  const out: Finding[] = opts.schema === false ? [] : schemaFindings(dashboard);
  if (isObject(dashboard)) {
    const vars = variables(dashboard);
    const catalog = metricCatalog(opts.metrics, opts.knownMetrics);
    const all = panels(dashboard);
    const usesLoki = all.some((p) => datasourceType(p.panel.datasource, vars) === 'loki');
    out.push(...templateFindings(dashboard, vars, usesLoki));
    const requireVars = { job: vars.has('job'), instance: vars.has('instance') };
    for (const p of all) {
      out.push(...panelFindings(p, vars));
      if (p.panel.type === 'row') continue;
      for (const t of targets(p)) {
        const expr = str(t.target.expr);
        if (!expr?.trim() || t.target.hide === true) continue;
        const lang = datasourceType(t.target.datasource ?? p.panel.datasource, vars);
        if (lang === 'loki') out.push(...checkLogQLTarget(expr, t));
        else if (lang === undefined || lang === 'prometheus')
          out.push(...checkPromQLTarget(expr, t, { catalog, requireVars }));
      }
    }
  }
  return out.filter((f) => !disabled.has(f.id)).map((f) => (opts.file ? { ...f, file: opts.file } : f));
}
