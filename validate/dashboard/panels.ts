/**
 * Panel advice (warnings): a title, a description that says what a bad value looks like, a unit
 * so numbers read as seconds or bytes, and a query. Grafana shows such panels all the same.
 */
import type { Finding } from '../finding.js';
import { NO_TARGETS } from './datasources.js';
import { isKnownUnit } from './units.js';
import { isObject, type PanelRef, str, targets } from './walk.js';

/** Panels that show no numbers. */
const NO_UNIT = new Set([...NO_TARGETS, 'logs', 'traces', 'nodeGraph']);

function advice(id: string, message: string, path: Array<string | number>, context: string): Finding {
  return { id, severity: 'warning', message, path, context };
}

export function panelFindings({ panel, path, context }: PanelRef): Finding[] {
  const out: Finding[] = [];
  const type = str(panel.type) ?? '';
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
    const fc = isObject(panel.fieldConfig) && isObject(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : {};
    const unit = str(fc.unit);
    const at = [...path, 'fieldConfig', 'defaults', 'unit'];
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
  // A target without `expr` is another datasource's query shape: not ours to judge. A library
  // panel's queries live in the library.
  const queries = targets({ panel, path, context }).some(
    (t) => t.target.expr === undefined || str(t.target.expr)?.trim(),
  );
  if (!NO_TARGETS.has(type) && !queries && panel.libraryPanel === undefined)
    out.push(advice('dashboard/no-targets', 'panel has no query', [...path, 'targets'], context));
  return out;
}
