/**
 * Template-variable advice in the spirit of grafana/dashboard-linter: a datasource variable so
 * users pick their Prometheus (and Loki), and `job`/`instance` variables that narrow every panel.
 * All warnings: a dashboard without them loads and works, it is just harder to reuse.
 */
import type { Finding } from '../finding.js';
import { dashboardContext, isObject, type Json, str, variableName } from './walk.js';

function advice(id: string, message: string, path: Array<string | number>, context: string): Finding {
  return { id, severity: 'warning', message, path, context };
}

export function templateFindings(d: Json, vars: Map<string, Json>, usesLoki: boolean): Finding[] {
  const ctx = dashboardContext(d);
  const out: Finding[] = [];
  const dsVars = [...vars.values()].filter((v) => v.type === 'datasource');
  const list = (isObject(d.templating) && Array.isArray(d.templating.list) ? d.templating.list : []) as unknown[];
  const index = (name: string) => list.findIndex((v) => isObject(v) && v.name === name);
  if (!dsVars.some((v) => v.query === 'prometheus'))
    out.push(
      advice(
        'dashboard/template-datasource',
        'no Prometheus datasource template variable: add a variable of type "datasource" with query "prometheus" (e.g. named "datasource") so users pick their Prometheus',
        ['templating', 'list'],
        ctx,
      ),
    );
  if (usesLoki && !dsVars.some((v) => v.query === 'loki'))
    out.push(
      advice(
        'dashboard/template-datasource',
        'Loki panels but no Loki datasource template variable (type "datasource", query "loki")',
        ['templating', 'list'],
        ctx,
      ),
    );
  for (const label of ['job', 'instance'] as const) {
    const v = vars.get(label);
    const id = `dashboard/template-${label}`;
    if (!v) {
      out.push(
        advice(
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
        advice(
          id,
          `variable "${label}" should be a query variable (is ${JSON.stringify(v.type)})`,
          ['templating', 'list', i, 'type'],
          ctx,
        ),
      );
    const ds = isObject(v.datasource) ? str(v.datasource.uid) : str(v.datasource);
    if (v.type === 'query' && !variableName(ds))
      out.push(
        advice(
          id,
          `variable "${label}" should query the datasource variable (datasource uid "\${datasource}"), not a fixed datasource`,
          ['templating', 'list', i, 'datasource'],
          ctx,
        ),
      );
    if (v.multi !== true || v.includeAll !== true)
      out.push(
        advice(
          id,
          `variable "${label}" should allow several values and "All" (multi and includeAll)`,
          ['templating', 'list', i],
          ctx,
        ),
      );
  }
  return out;
}
