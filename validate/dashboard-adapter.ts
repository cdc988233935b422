/**
 * The engine's side of dashboards: runs validate/dashboard/'s one analysis (loaded lazily, so
 * rule-only runs skip ajv and the schema), places its path-based findings in the file, and hands
 * the metrics each PromQL target uses and the dashboard's uid to the set-wide checks. No second
 * PromQL pass: the metric uses come from the same checkPromQL analysis the findings do.
 */
import { isMap, type Node } from 'yaml';
import { type FileContext, get } from './context.js';
import type { analyseDashboard } from './dashboard/index.js';

export type DashboardAnalyser = typeof analyseDashboard;

let loaded: Promise<DashboardAnalyser | undefined> | undefined;

/** validate/dashboard/index.js's analyseDashboard, imported on first use (the type keeps callers' `undefined` case). */
export function loadDashboardLinter(): Promise<DashboardAnalyser | undefined> {
  loaded ??= import('./dashboard/index.js').then((m) => m.analyseDashboard);
  return loaded;
}

/**
 * Checks one dashboard value. Paths are relative to `ctx` (`ctx.at(base)` for a dashboard inside
 * a wrapper or a list); findings and facts go to `ctx`.
 */
export function checkDashboardValue(ctx: FileContext, dashboard: unknown, analyse: DashboardAnalyser): void {
  ctx.facts.dashboards++;
  // Users' dashboards query metrics our catalog has never heard of: existence is --metrics'
  // job (metrics/unknown), so the catalog-based unknown-metric advice is off here.
  const a = analyse(dashboard, { disable: ['dashboard/unknown-metric'], knownMetrics: ctx.facts.recordings });
  if (a.uid) ctx.facts.dashboardUids.add(a.uid);
  for (const d of a.datasources)
    ctx.facts.datasourceUses.push({
      uid: d.uid,
      file: ctx.file,
      locate: ctx.locator(d.path),
      ...(d.context ? { context: d.context } : {}),
    });
  for (const f of a.findings) {
    const spot = f.offset === undefined ? {} : { offset: f.offset, ...(f.length ? { length: f.length } : {}) };
    ctx.reportAt(f.id, f.severity, f.message, f.path ?? [], spot, f.context);
  }
  for (const m of a.metricUses)
    ctx.facts.metricUses.push({
      name: m.name,
      from: m.from,
      to: m.to,
      file: ctx.file,
      locate: ctx.locator(m.path, { offset: m.from, length: m.to - m.from }),
      context: m.context,
    });
}

/** A dashboard document: the dashboard itself or Grafana's API wrapper `{dashboard: {...}}`. */
export function checkDashboard(
  ctx: FileContext,
  docIndex: number,
  contents: Node,
  analyse: DashboardAnalyser | undefined,
): void {
  const wrapped = isMap(contents) && get(contents, 'panels') === undefined && isMap(get(contents, 'dashboard'));
  let json: unknown;
  try {
    // The node, not the document: a dashboard may be one item of a `kind: List`.
    const doc = ctx.source.docs[docIndex];
    json = doc ? contents.toJS(doc, { maxAliasCount: 100 }) : {};
    if (wrapped) json = (json as Record<string, unknown>).dashboard;
  } catch (e) {
    ctx.report('syntax/yaml', 'error', `cannot read dashboard: ${(e as Error).message}`, contents);
    return;
  }
  if (analyse) checkDashboardValue(wrapped ? ctx.at(['dashboard']) : ctx, json, analyse);
}
