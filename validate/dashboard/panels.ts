/**
 * Panel advice (warnings): a title, a description that says what a bad value looks like, a unit
 * so numbers read as seconds or bytes, and a query. Grafana shows such panels all the same.
 */
import type { Finding } from '../finding.js';
import { NO_TARGETS } from './datasources.js';
import { isKnownUnit } from './units.js';
import { isObject, type Json, type JsonPath, type PanelRef, str, targets } from './walk.js';

/** Panels that show no numbers. */
const NO_UNIT = new Set([...NO_TARGETS, 'logs', 'traces', 'nodeGraph']);

function advice(id: string, message: string, path: Array<string | number>, context: string): Finding {
  return { id, severity: 'warning', message, path, context };
}

/**
 * Where a panel says its unit: `fieldConfig.defaults.unit`, or where panels that predate field
 * config (and the heatmap, whose axis is an option) keep it. The first one set, with its path.
 */
function panelUnit(panel: Json, path: JsonPath): [unit: string | undefined, at: JsonPath] {
  const obj = (v: unknown): Json => (isObject(v) ? v : {});
  const fc = obj(obj(panel.fieldConfig).defaults);
  const options = obj(panel.options);
  const yaxes = Array.isArray(panel.yaxes) ? panel.yaxes : [];
  const places: Array<[unknown, JsonPath]> = [
    [fc.unit, ['fieldConfig', 'defaults', 'unit']],
    // Heatmap (Grafana 9+): the y axis (bucket bounds) and the cell values.
    [obj(options.yAxis).unit, ['options', 'yAxis', 'unit']],
    [obj(options.cellValues).unit, ['options', 'cellValues', 'unit']],
    // Legacy heatmap, graph (yaxes[0] is the left axis) and singlestat: migrated to fieldConfig on load.
    [obj(panel.yAxis).format, ['yAxis', 'format']],
    ...yaxes.map((a, i): [unknown, JsonPath] => [obj(a).format, ['yaxes', i, 'format']]),
    [panel.format, ['format']],
  ];
  const found = places.find(([u]) => str(u));
  return found ? [str(found[0]), [...path, ...found[1]]] : [undefined, [...path, 'fieldConfig', 'defaults', 'unit']];
}

/** A library panel reference (`libraryPanel: {uid, name}`): Grafana loads the panel's model from the library. */
export const isLibraryPanelRef = (panel: Json): boolean => isObject(panel.libraryPanel);

export function panelFindings({ panel, path, context }: PanelRef): Finding[] {
  const out: Finding[] = [];
  const type = str(panel.type) ?? '';
  // Its title, description, unit and queries are the library's, not this file's.
  if (isLibraryPanelRef(panel)) return out;
  if (!str(panel.title)?.trim())
    out.push(advice('dashboard/panel-title', 'panel has no title', [...path, 'title'], context));
  if (type === 'row') return out;
  if (!str(panel.description)?.trim())
    out.push(
      advice(
        'dashboard/panel-description',
        'panel has no description: say what it shows and what a bad value means',
        [...path, 'description'],
        context,
      ),
    );
  if (!NO_UNIT.has(type)) {
    const [unit, at] = panelUnit(panel, path);
    if (!unit)
      out.push(
        advice(
          'dashboard/panel-units',
          'panel has no unit (fieldConfig.defaults.unit): pick one so values read as seconds, bytes, req/s, ...',
          at,
          context,
        ),
      );
    else if (!isKnownUnit(unit))
      out.push(
        advice(
          'dashboard/panel-units',
          `unknown unit ${JSON.stringify(unit)}: use a Grafana unit id such as s, bytes, reqps, percentunit, short`,
          at,
          context,
        ),
      );
  }
  // A target without `expr` is another datasource's query shape: not ours to judge.
  const queries = targets({ panel, path, context }).some(
    (t) => t.target.expr === undefined || str(t.target.expr)?.trim(),
  );
  if (!NO_TARGETS.has(type) && !queries)
    out.push(advice('dashboard/no-targets', 'panel has no query', [...path, 'targets'], context));
  return out;
}
