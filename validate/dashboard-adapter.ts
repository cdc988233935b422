/**
 * Dashboards are linted by validate/dashboard/ (`lintDashboard`). This adapter loads it when it
 * is there (a thin seam while that module lands), maps its path-based findings to file
 * positions, and extracts the metrics each PromQL target uses for the cross-artifact checks.
 */
import { isMap, type Node } from 'yaml';
import { type FileContext, get, scalarString } from './context.js';
import { substituteVariables } from './dashboard/variables.js';
import { type Json, panels, targets } from './dashboard/walk.js';
import type { Finding } from './finding.js';
import { checkPromQL } from './promql-check.js';
import { locateNode, nodeAtPath, positionFinding } from './source/yaml-source.js';

export type DashboardLinter = (dashboard: unknown, opts: Record<string, unknown>) => Finding[];

let linter: Promise<DashboardLinter | undefined> | undefined;

/** validate/dashboard/index.js's lintDashboard, or undefined while it does not exist. */
export function loadDashboardLinter(): Promise<DashboardLinter | undefined> {
  const spec = './dashboard/index.js';
  linter ??= import(spec).then(
    (m: { lintDashboard?: DashboardLinter }) => m.lintDashboard,
    () => undefined,
  );
  return linter;
}

export function checkDashboard(
  ctx: FileContext,
  docIndex: number,
  contents: Node,
  lint: DashboardLinter | undefined,
): void {
  const wrapped = isMap(contents) && get(contents, 'panels') === undefined && isMap(get(contents, 'dashboard'));
  const prefix: (string | number)[] = wrapped ? ['dashboard'] : [];
  const doc = ctx.source.docs[docIndex];
  let json: Json;
  try {
    json = (doc?.toJS({ maxAliasCount: 100 }) as Json) ?? {};
    if (wrapped) json = json.dashboard as Json;
  } catch (e) {
    ctx.report('syntax/yaml', 'error', `cannot read dashboard: ${(e as Error).message}`, contents);
    return;
  }
  ctx.facts.dashboards++;
  const uid = scalarString(get(wrapped ? (get(contents as never, 'dashboard') as never) : (contents as never), 'uid'));
  if (uid) ctx.facts.dashboardUids.add(uid);
  if (lint) {
    let found: Finding[] = [];
    try {
      // Users' dashboards query metrics our catalog has never heard of: existence is --metrics'
      // job (metrics/unknown), so the catalog-based unknown-metric rule is off here.
      found = lint(json, { disable: ['dashboard/unknown-metric'], knownMetrics: ctx.facts.recordings });
    } catch (e) {
      ctx.report('dashboard/internal', 'error', `dashboard lint failed: ${(e as Error).message}`, contents);
    }
    for (const f of found) {
      const path = f.path ? [...prefix, ...f.path] : undefined;
      ctx.findings.push(positionFinding(ctx.source, { ...f, file: ctx.file, ...(path ? { path } : {}) }, docIndex));
    }
  }
  for (const p of panels(json)) {
    for (const t of targets(p)) {
      const expr = typeof t.target.expr === 'string' ? t.target.expr : undefined;
      if (!expr || isLoki(t.target, p.panel)) continue;
      const sub = substituteVariables(expr);
      const a = checkPromQL(sub.text, { lint: false });
      const node = nodeAtPath(doc, [...prefix, ...t.path, 'expr']);
      if (!lint) {
        for (const is of a.issues)
          if (is.severity === 'error')
            ctx.report(
              is.id,
              is.severity,
              is.message,
              node,
              sub.toOriginal(is.from),
              Math.max(1, sub.toOriginal(is.to) - sub.toOriginal(is.from)),
              t.context,
            );
      }
      for (const m of a.metrics) {
        if (/^\$|^v$/.test(m.name) || sub.variables.some((v) => v.name === m.name)) continue;
        const from = sub.toOriginal(m.from);
        const to = sub.toOriginal(m.to);
        const source = ctx.source;
        ctx.facts.metricUses.push({
          name: m.name,
          from,
          to,
          file: ctx.file,
          locate: () => (node ? locateNode(source, node, from, to - from) : undefined),
          context: t.context,
        });
      }
    }
  }
}

function isLoki(target: Json, panel: Json): boolean {
  const ds = (target.datasource ?? panel.datasource) as unknown;
  const type = typeof ds === 'object' && ds ? String((ds as Json).type ?? '') : String(ds ?? '');
  return (
    /loki/i.test(type) || (typeof target.expr === 'string' && /\|[=~]|\|\s*(json|logfmt|line_format)/.test(target.expr))
  );
}
