/**
 * The Prometheus targets of a Grafana dashboard JSON, whichever schema wrote it: top-level
 * `panels`, panels nested in collapsed rows (`panels[].panels`) and the pre-5.0 `rows[].panels`.
 */

export interface Target {
  /** `dashboard › panel title (#id) › refId`, for messages. */
  where: string;
  /** `dashboard › panel title (#id)`: one panel, whatever its targets. */
  panel: string;
  panelTitle: string;
  expr: string;
  /** Minimum interval (`10s`, `>1m`) from the target or its panel, if any. */
  minInterval: string | undefined;
  /** The legacy step multiplier (`intervalFactor`, 1 when absent). */
  intervalFactor: number;
  /** Grafana runs an instant query for it (and a range query only when `range` is also set). */
  instant: boolean;
  range: boolean;
}

export interface Variable {
  name: string;
  type: string;
  /** The query text (string, or the `query` field of a newer query object). */
  query: string;
  regex: string;
  multi: boolean;
  includeAll: boolean;
  allValue: string | undefined;
  /** The saved current value(s) (used for interval/textbox variables). */
  current: string[];
  options: string[];
  auto: boolean;
  /** Interval variables: the auto interval's step count and floor. */
  autoCount: number | undefined;
  autoMin: string | undefined;
}

type Json = Record<string, unknown>;

const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A datasource reference that is not Prometheus (Grafana's own, expressions, Loki...). */
function notPrometheus(ds: unknown): boolean {
  if (ds === undefined || ds === null) return false;
  if (typeof ds === 'string') return /^-- (Grafana|Dashboard|Mixed) --$/.test(ds) || ds === '__expr__';
  const type = str((ds as Json).type);
  const uid = str((ds as Json).uid);
  if (uid === '__expr__' || uid === '-- Grafana --' || uid === '-- Dashboard --') return true;
  return type !== undefined && type !== 'prometheus' && type !== 'datasource';
}

/**
 * Every visible Prometheus target with an expression, in panel order; `name` (the file name)
 * prefixes each `where` (dashboard titles are not unique: two in the corpus share one).
 */
export function dashboardTargets(dashboard: Json, name = str(dashboard.title) ?? '(untitled)'): Target[] {
  const title = name;
  const out: Target[] = [];
  const visit = (panels: Json[]): void => {
    for (const p of panels) {
      visit(asArray(p.panels));
      const panelTitle = str(p.title) || `panel ${String(p.id ?? '?')}`;
      if (str(p.type) === 'row') continue;
      for (const t of asArray(p.targets)) {
        const expr = str(t.expr);
        // Hidden targets are not run by Grafana; other datasources are not ours to compare.
        if (!expr || t.hide === true) continue;
        if (notPrometheus(t.datasource) || (t.datasource === undefined && notPrometheus(p.datasource))) continue;
        const instant = t.instant === true;
        const panel = `${title} › ${panelTitle} (#${String(p.id ?? '?')})`;
        out.push({
          where: `${panel} › ${str(t.refId) ?? '?'}`,
          panel,
          panelTitle,
          expr,
          minInterval: str(t.interval) || str(p.interval) || undefined,
          intervalFactor: typeof t.intervalFactor === 'number' && t.intervalFactor > 0 ? t.intervalFactor : 1,
          instant,
          range: !instant || t.range === true,
        });
      }
    }
  };
  visit(asArray(dashboard.panels));
  for (const row of asArray(dashboard.rows)) visit(asArray(row.panels));
  return out;
}

/** The dashboard's template variables, in the order Grafana resolves them. */
export function dashboardVariables(dashboard: Json): Variable[] {
  const templating = (dashboard.templating ?? {}) as Json;
  return asArray(templating.list).map((v) => {
    const q = v.query;
    const query = str(q) ?? str((q as Json | undefined)?.query) ?? str(v.definition) ?? '';
    const cur = ((v.current ?? {}) as Json).value;
    const current = Array.isArray(cur) ? cur.map(String) : cur === undefined || cur === null ? [] : [String(cur)];
    return {
      name: str(v.name) ?? '',
      type: str(v.type) ?? 'query',
      query,
      regex: str(v.regex) ?? '',
      multi: v.multi === true,
      includeAll: v.includeAll === true,
      allValue: str(v.allValue) || undefined,
      current,
      options: asArray(v.options).map((o) => String(o.value ?? o.text ?? '')),
      auto: v.auto === true,
      autoCount: typeof v.auto_count === 'number' ? v.auto_count : undefined,
      autoMin: str(v.auto_min),
    };
  });
}
