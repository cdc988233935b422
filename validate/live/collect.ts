/**
 * The queries `verify` runs: every Prometheus target of every dashboard panel (rows and nested
 * panels included) and every rule expression. Pure: takes parsed documents, returns queries with
 * a human context (`dashboard "Voting / Vote" › panel "Requests/s" › target A`).
 */
export type QueryKind = 'panel' | 'record' | 'alert';

export interface LiveQuery {
  kind: QueryKind;
  expr: string;
  file: string;
  context: string;
  /** JSON/YAML path of the expression inside its file. */
  path: Array<string | number>;
  /** Dashboard the query belongs to (for its template variables). */
  dashboard?: DashboardDoc;
  /** The series name a recording rule writes. */
  record?: string;
  /** Why the panel target may rightly be empty (its {@link MAY_BE_EMPTY} field). */
  mayBeEmpty?: string;
}

/**
 * The target field a dashboard sets, with the reason, on a query that rightly returns nothing
 * while all is well (a list of only the failing things): dashboards/panels.ts writes it under the
 * same name (verify.test.ts ties the two), and hand-written dashboards may set it too.
 */
export const MAY_BE_EMPTY = 'mayBeEmpty';

export interface TemplateVariable {
  name: string;
  type: string;
  query?: unknown;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string | null;
  regex?: string;
  current?: { value?: unknown; text?: unknown };
  options?: Array<{ value?: unknown }>;
  datasource?: unknown;
}

export interface DashboardDoc {
  title?: string;
  uid?: string;
  time?: { from?: string; to?: string };
  templating?: { list?: TemplateVariable[] };
  panels?: PanelDoc[];
}

interface PanelDoc {
  id?: number;
  title?: string;
  type?: string;
  datasource?: unknown;
  targets?: Array<{ refId?: string; expr?: string; datasource?: unknown; hide?: boolean; [MAY_BE_EMPTY]?: unknown }>;
  panels?: PanelDoc[];
}

export interface Skipped {
  file: string;
  context: string;
  reason: string;
}

function datasourceType(ds: unknown, dash: DashboardDoc): string | undefined {
  if (!ds) return undefined;
  if (typeof ds === 'object') {
    const { type, uid } = ds as { type?: string; uid?: string };
    if (type) return type;
    if (uid) return datasourceType(uid, dash);
    return undefined;
  }
  if (typeof ds === 'string') {
    // `${loki}` / `$datasource`: the type comes from the datasource variable's query.
    const m = /^\$\{?(\w+)/.exec(ds);
    const v = m ? dash.templating?.list?.find((t) => t.name === m[1] && t.type === 'datasource') : undefined;
    if (v && typeof v.query === 'string') return v.query;
    if (/loki/i.test(ds)) return 'loki';
  }
  return undefined;
}

/** Prometheus targets of a dashboard; Loki (and other non-Prometheus) targets go to `skipped`. */
export function dashboardQueries(file: string, dash: DashboardDoc, skipped: Skipped[] = []): LiveQuery[] {
  const out: LiveQuery[] = [];
  const name = `dashboard "${dash.title ?? dash.uid ?? file}"`;
  const walk = (panels: PanelDoc[] | undefined, path: Array<string | number>) => {
    (panels ?? []).forEach((p, i) => {
      const here = [...path, i];
      if (p.panels?.length) walk(p.panels, [...here, 'panels']);
      const panelCtx = `${name} › panel "${p.title ?? '(untitled)'}"${p.id !== undefined ? ` (id ${p.id})` : ''}`;
      (p.targets ?? []).forEach((t, j) => {
        const ctx = `${panelCtx} › target ${t.refId ?? j}`;
        const type = datasourceType(t.datasource, dash) ?? datasourceType(p.datasource, dash) ?? 'prometheus';
        if (type !== 'prometheus') {
          skipped.push({ file, context: ctx, reason: `${type} query (verify checks Prometheus queries only)` });
          return;
        }
        if (typeof t.expr !== 'string' || !t.expr.trim()) return;
        out.push({
          kind: 'panel',
          expr: t.expr,
          file,
          context: ctx,
          path: [...here, 'targets', j, 'expr'],
          dashboard: dash,
          ...(typeof t[MAY_BE_EMPTY] === 'string' && t[MAY_BE_EMPTY] ? { mayBeEmpty: t[MAY_BE_EMPTY] } : {}),
        });
      });
    });
  };
  walk(dash.panels, ['panels']);
  return out;
}

interface RuleFileDoc {
  groups?: Array<{ name?: string; rules?: Array<{ alert?: string; record?: string; expr?: unknown }> }>;
}

/** Recording and alerting rule expressions of a Prometheus rule file. */
export function ruleQueries(file: string, doc: RuleFileDoc): LiveQuery[] {
  const out: LiveQuery[] = [];
  (doc?.groups ?? []).forEach((g, gi) => {
    (g.rules ?? []).forEach((r, ri) => {
      if (typeof r.expr !== 'string' && typeof r.expr !== 'number') return;
      const kind: QueryKind = r.alert ? 'alert' : 'record';
      const ctx = `group "${g.name ?? gi}" › ${r.alert ? `alert ${r.alert}` : `record ${r.record ?? ri}`}`;
      out.push({
        kind,
        expr: String(r.expr),
        file,
        context: ctx,
        path: ['groups', gi, 'rules', ri, 'expr'],
        ...(!r.alert && typeof r.record === 'string' ? { record: r.record } : {}),
      });
    });
  });
  return out;
}
