/**
 * Datasource references of panels, targets, template variables and annotations. A reference to a
 * variable (`${datasource}`) that the dashboard does not define, nor its import envelope
 * (`__inputs`, replaced by Grafana on import), cannot work: Grafana shows "datasource not found"
 * instead of the panel (`dashboard/datasource-variable`, an error). A fixed datasource is advice
 * (`dashboard/panel-datasource`): it works where that datasource exists, but users cannot point
 * the dashboard at theirs. Fixed uids are returned for the set-wide check against provisioned
 * datasources.
 */
import type { Finding } from '../finding.js';
import {
  BUILTIN_DATASOURCES,
  datasourceUid,
  isObject,
  type Json,
  type JsonPath,
  type PanelRef,
  str,
  targets,
  variableName,
} from './walk.js';

/** Panels that run no query. */
export const NO_TARGETS: ReadonlySet<string> = new Set([
  'row',
  'text',
  'news',
  'dashlist',
  'alertlist',
  'annolist',
  'welcome',
]);

export interface DatasourceUse {
  uid: string;
  path: JsonPath;
  context?: string;
}

export interface DatasourceScope {
  vars: Map<string, Json>;
  inputs: Map<string, Json>;
  context: string;
}

/** Is `ref` a variable reference that resolves? undefined when it is not a variable reference. */
function unresolved(ref: unknown, scope: DatasourceScope): string | undefined {
  const name = variableName(datasourceUid(ref));
  if (!name || name.startsWith('__') || scope.vars.has(name) || scope.inputs.has(name)) return undefined;
  return name;
}

function missingVariable(name: string, what: string, path: JsonPath, context: string): Finding {
  return {
    id: 'dashboard/datasource-variable',
    severity: 'error',
    message: `${what} datasource is "\${${name}}", which is neither a template variable nor an import input (__inputs) of this dashboard: Grafana cannot find the datasource`,
    path,
    context,
  };
}

/** Plugin types of Grafana's own pseudo datasources: `datasource` (-- Grafana --, -- Dashboard --, -- Mixed --) and server-side expressions. */
const BUILTIN_TYPES: ReadonlySet<string> = new Set(['datasource', '__expr__']);

/** One of Grafana's built-in datasources (by uid, legacy name or plugin type): nothing a user provisions or picks. */
function isBuiltin(ref: unknown): boolean {
  const uid = datasourceUid(ref);
  if (uid !== undefined && BUILTIN_DATASOURCES.has(uid)) return true;
  const type = isObject(ref) ? str(ref.type) : undefined;
  return type !== undefined && BUILTIN_TYPES.has(type);
}

/** Fixed (non-variable) datasource uids, for the cross-file check. */
function fixedUid(ref: unknown, path: JsonPath, context: string, uses: DatasourceUse[]): void {
  const uid = isObject(ref) ? str(ref.uid) : undefined;
  if (uid && !variableName(uid) && !isBuiltin(ref)) uses.push({ uid, path, context });
}

export function panelDatasourceFindings(p: PanelRef, scope: DatasourceScope, uses: DatasourceUse[]): Finding[] {
  const out: Finding[] = [];
  const type = str(p.panel.type) ?? '';
  if (NO_TARGETS.has(type)) return out;
  // A library panel reference: its datasource and queries are the library panel's.
  const advise = !isObject(p.panel.libraryPanel);
  const check = (ref: unknown, path: JsonPath, what: string, advise: boolean) => {
    const missing = unresolved(ref, scope);
    if (missing) {
      out.push(missingVariable(missing, what, path, p.context));
      return;
    }
    fixedUid(ref, path, p.context, uses);
    const uid = datasourceUid(ref);
    if (!advise || variableName(uid) || isBuiltin(ref)) return;
    out.push({
      id: 'dashboard/panel-datasource',
      severity: 'warning',
      message: `${what} datasource ${uid === undefined ? 'is not set (Grafana uses its default)' : `is fixed to ${JSON.stringify(uid)}`}: use a datasource variable (uid "\${datasource}") so users can pick theirs`,
      path,
      context: p.context,
    });
  };
  // A "-- Mixed --" panel has no datasource of its own: each target names one.
  const mixed = datasourceUid(p.panel.datasource) === '-- Mixed --';
  if (!mixed) check(p.panel.datasource, [...p.path, 'datasource'], 'panel', advise);
  for (const t of targets(p)) {
    const ref = t.target.datasource;
    if (mixed || (ref !== undefined && ref !== null)) check(ref, [...t.path, 'datasource'], 'target', advise);
  }
  return out;
}

/** Template variables and annotations that query a datasource variable the dashboard lacks. */
export function otherDatasourceFindings(d: Json, scope: DatasourceScope, uses: DatasourceUse[]): Finding[] {
  const out: Finding[] = [];
  const lists: Array<[unknown, JsonPath, string]> = [
    [isObject(d.templating) ? d.templating.list : undefined, ['templating', 'list'], 'variable'],
    [isObject(d.annotations) ? d.annotations.list : undefined, ['annotations', 'list'], 'annotation'],
  ];
  for (const [list, base, what] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (!isObject(item)) return;
      const path = [...base, i, 'datasource'];
      const context = `${scope.context} › ${what} ${JSON.stringify(str(item.name) ?? i)}`;
      const missing = unresolved(item.datasource, scope);
      if (missing) out.push(missingVariable(missing, `${what} ${JSON.stringify(str(item.name) ?? i)}`, path, context));
      else fixedUid(item.datasource, path, context, uses);
    });
  }
  return out;
}
