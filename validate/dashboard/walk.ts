/**
 * Walks a dashboard's panels (rows' nested panels and the legacy `rows` layout included) and targets, giving each the JSON
 * path and the human context findings carry: `dashboard "Voting / Vote" › panel "Requests/s" (id 2) › target A`.
 */
export type Json = Record<string, unknown>;
export type JsonPath = Array<string | number>;

export interface PanelRef {
  panel: Json;
  path: JsonPath;
  context: string;
  /** A panel of the legacy `rows` layout: no gridPos (Grafana computes it from `span`). */
  legacyRow?: boolean;
}
export interface TargetRef {
  panel: PanelRef;
  target: Json;
  path: JsonPath;
  context: string;
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function dashboardContext(d: Json): string {
  return `dashboard ${JSON.stringify(str(d.title) ?? str(d.uid) ?? '(untitled)')}`;
}

export function panels(d: Json): PanelRef[] {
  const out: PanelRef[] = [];
  const base = dashboardContext(d);
  const visit = (list: unknown, path: JsonPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (!isObject(p)) return;
      const here = [...path, i];
      const id = typeof p.id === 'number' ? ` (id ${p.id})` : '';
      const kind = p.type === 'row' ? 'row' : 'panel';
      out.push({ panel: p, path: here, context: `${base} › ${kind} ${JSON.stringify(str(p.title) ?? '')}${id}` });
      if (Array.isArray(p.panels)) visit(p.panels, [...here, 'panels']);
    });
  };
  visit(d.panels, ['panels']);
  // The pre-grid layout (schemaVersion < 16, grafonnet's addRow): `rows[i].panels[j]`. Grafana
  // migrates it into `panels` on load, laying panels out from their `span` and the row's height;
  // at schemaVersion 16 and later it no longer reads `rows`.
  if (readsLegacyRows(d) && Array.isArray(d.rows))
    d.rows.forEach((r, i) => {
      if (!isObject(r)) return;
      const title = str(r.title) ? ` › row ${JSON.stringify(str(r.title))}` : '';
      const rowBase = `${base}${title}`;
      if (!Array.isArray(r.panels)) return;
      r.panels.forEach((p, j) => {
        if (!isObject(p)) return;
        const id = typeof p.id === 'number' ? ` (id ${p.id})` : '';
        out.push({
          panel: p,
          path: ['rows', i, 'panels', j],
          context: `${rowBase} › panel ${JSON.stringify(str(p.title) ?? '')}${id}`,
          legacyRow: true,
        });
      });
    });
  return out;
}

/** Does Grafana migrate this dashboard's legacy `rows`? Only below schemaVersion 16 (a missing one is 0). */
export function readsLegacyRows(d: Json): boolean {
  const v = typeof d.schemaVersion === 'number' ? d.schemaVersion : 0;
  return v < 16;
}

export function targets(p: PanelRef): TargetRef[] {
  const list = p.panel.targets;
  if (!Array.isArray(list)) return [];
  return list.flatMap((t, i) =>
    isObject(t)
      ? [
          {
            panel: p,
            target: t,
            path: [...p.path, 'targets', i],
            context: `${p.context} › target ${str(t.refId) ?? i}`,
          },
        ]
      : [],
  );
}

/** Template variables by name. */
export function variables(d: Json): Map<string, Json> {
  const templating = isObject(d.templating) ? d.templating : {};
  const list = Array.isArray(templating.list) ? templating.list : [];
  return new Map(list.filter(isObject).map((v) => [str(v.name) ?? '', v] as const));
}

/** `$ds`, `${ds}`, `[[ds]]` → `ds`; anything else → undefined. */
export function variableName(s: string | undefined): string | undefined {
  const m = s === undefined ? null : /^(?:\$\{([^}:]+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\])$/.exec(s);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Names `${NAME}` may use in an import envelope (`__inputs`), which Grafana replaces on import. */
export function importInputs(d: Json): Map<string, Json> {
  const list = Array.isArray(d.__inputs) ? d.__inputs : [];
  return new Map(list.filter(isObject).map((v) => [str(v.name) ?? '', v] as const));
}

/** The uid (or legacy name) string of a datasource reference; undefined for null or a missing one. */
export const datasourceUid = (ref: unknown): string | undefined => (isObject(ref) ? str(ref.uid) : str(ref));

/** Grafana's built-in pseudo datasources, by uid or legacy name. */
export const BUILTIN_DATASOURCES: ReadonlySet<string> = new Set([
  '-- Mixed --',
  '-- Grafana --',
  '-- Dashboard --',
  '__expr__',
  'grafana',
  'default',
]);

/**
 * Datasource plugin type of a panel or target reference: its `type`, or what the variable or
 * import input it names queries (`prometheus`, `loki`), or a guess from a legacy datasource name.
 */
export function datasourceType(ref: unknown, vars: Map<string, Json>, inputs?: Map<string, Json>): string | undefined {
  if (isObject(ref) && str(ref.type)) return str(ref.type);
  const uid = datasourceUid(ref);
  const v = variableName(uid);
  if (v) return str(vars.get(v)?.query) ?? str(inputs?.get(v)?.pluginId);
  if (typeof ref === 'string') {
    // A legacy name: the datasource's display name, which usually names its kind.
    if (/loki/i.test(ref)) return 'loki';
    if (/prom|thanos|cortex|mimir/i.test(ref)) return 'prometheus';
  }
  return undefined;
}
