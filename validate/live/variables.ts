/**
 * Resolves a dashboard's template variables against a live Prometheus, in order (a variable may
 * use the ones before it, as `instance` uses `job`): `label_values(selector, label)`,
 * `label_values(label)`, custom lists, constants, intervals and text boxes. Datasource variables
 * need no value: queries are sent to the one Prometheus being verified.
 */

import type { DashboardDoc, TemplateVariable } from './collect.js';
import { type Builtins, expandTemplate, type VariableValues } from './expand.js';
import type { PrometheusApi } from './prometheus-api.js';

export interface ResolvedVariables {
  values: Map<string, VariableValues>;
  /** Variables whose query found no values (their panels will be empty: said once, here). */
  empty: string[];
}

function queryText(q: unknown): string | undefined {
  if (typeof q === 'string') return q;
  if (q && typeof q === 'object' && typeof (q as { query?: unknown }).query === 'string')
    return (q as { query: string }).query;
  return undefined;
}

function staticValues(v: TemplateVariable): string[] {
  const fromOptions = (v.options ?? [])
    .map((o) => o.value)
    .filter((x): x is string => typeof x === 'string' && x !== '$__all');
  if (fromOptions.length) return fromOptions;
  const q = queryText(v.query);
  if (q)
    return q
      .split(',')
      .map((s) => s.trim().replace(/^.*\s:\s/, ''))
      .filter(Boolean);
  const cur = v.current?.value;
  return typeof cur === 'string'
    ? [cur]
    : Array.isArray(cur)
      ? cur.filter((x): x is string => typeof x === 'string')
      : [];
}

function applyRegex(values: string[], regex: string | undefined): string[] {
  if (!regex) return values;
  const m = /^\/(.*)\/([a-z]*)$/.exec(regex);
  let re: RegExp;
  try {
    re = m ? new RegExp(m[1]!, m[2]) : new RegExp(regex);
  } catch {
    return values;
  }
  return values.flatMap((v) => {
    const hit = re.exec(v);
    if (!hit) return [];
    return [hit[1] ?? v];
  });
}

export async function resolveVariables(
  api: PrometheusApi,
  dash: DashboardDoc,
  builtins: Builtins,
  window: { start: number; end: number },
): Promise<ResolvedVariables> {
  const values = new Map<string, VariableValues>();
  const empty: string[] = [];
  for (const v of dash.templating?.list ?? []) {
    if (!v?.name) continue;
    let list: string[] = [];
    switch (v.type) {
      case 'datasource':
        continue;
      case 'query': {
        const q = queryText(v.query);
        const m = q ? /^\s*label_values\(\s*(?:(.*)\s*,\s*)?([a-zA-Z_]\w*)\s*\)\s*$/.exec(q) : null;
        if (m) {
          const selector = m[1] ? expandTemplate(m[1], values, builtins).expr.trim() : undefined;
          list = await api.labelValues(m[2]!, {
            match: selector ? [selector] : [],
            start: window.start,
            end: window.end,
          });
        } else if (q) {
          list = staticValues(v);
        }
        list = applyRegex(list, v.regex);
        break;
      }
      default:
        list = staticValues(v);
    }
    const entry: VariableValues = { values: list };
    if (v.includeAll && v.allValue) entry.allValue = v.allValue;
    values.set(v.name, entry);
    if (list.length === 0 && v.type === 'query') empty.push(v.name);
  }
  return { values, empty };
}
