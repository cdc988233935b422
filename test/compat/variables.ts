/**
 * A dashboard's template variables resolved against one Prometheus, as Grafana resolves them, and
 * every selection a user can make: each option alone, All when the variable has it, and Grafana's
 * "None" (the empty string) when the query returns nothing. Chained variables are resolved with
 * the selection of the variables before them.
 */
import type { Variable } from './dashboard.js';
import { durationMs, formatDuration, interpolate, roundInterval, type Scope, type VarValue } from './interpolate.js';
import type { PromApi } from './prom-api.js';

export interface Selection {
  /** `instance=127.0.0.1:6380 namespace=(none)`: the same text for the same choice with either exporter. */
  key: string;
  /** The label chosen for each variable, in order (what replay() picks again elsewhere). */
  picks: string[];
  /** Where each pick stood in its dropdown (replay() of a variable chosen by value, e.g. a topk). */
  positions: number[];
  scope: Map<string, VarValue>;
}

export interface Window {
  startS: number;
  endS: number;
}

/** Above this many combinations, a covering set is tried instead of all of them. */
export const MAX_SELECTIONS = 32;

/** Grafana's `/pattern/flags` variable regex, or a bare pattern. */
function jsRegex(text: string): RegExp {
  const m = /^\/(.*)\/([gimsuy]*)$/s.exec(text);
  return m ? new RegExp(m[1]!, m[2]!.replace('g', '')) : new RegExp(text);
}

/**
 * Applies the variable's regex the way Grafana does: a capture group (named `value`/`text` first)
 * is the value; a regex without one only filters, and a matching option is kept whole.
 */
export function applyRegex(texts: readonly string[], regex: string): string[] {
  const out: string[] = [];
  const re = regex ? jsRegex(regex) : undefined;
  for (const t of texts) {
    let v: string | undefined = t;
    if (re) {
      const m = re.exec(t);
      if (!m) continue;
      v = m.groups?.value ?? m.groups?.text ?? (m.length > 1 ? m[1] : t);
    }
    if (v !== undefined && !out.includes(v)) out.push(v);
  }
  return out;
}

/** The option texts a Prometheus query variable gets (Grafana's metricFindQuery). */
export async function queryOptions(api: PromApi, query: string, w: Window): Promise<string[]> {
  const q = query.trim();
  let m = /^label_names\(\s*\)$/.exec(q);
  if (m) return api.labelNames(undefined, w.startS, w.endS);
  m = /^label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s.exec(q);
  if (m) return api.labelValues(m[2]!, m[1], w.startS, w.endS);
  m = /^metrics\((.+)\)$/s.exec(q);
  if (m) {
    const re = new RegExp(m[1]!.trim());
    return (await api.labelValues('__name__', undefined, w.startS, w.endS)).filter((n) => re.test(n));
  }
  m = /^query_result\((.+)\)$/s.exec(q);
  const expr = m ? m[1]! : q;
  const outcome = await api.instant(expr, w.endS);
  if (!outcome.ok) throw new Error(`variable query ${q}: ${outcome.error}`);
  // query_result's text: `name{a="x", b="y"} value timestamp_ms`, what a variable regex is written against.
  return outcome.series.map((s) => {
    const { __name__: name = '', ...labels } = s.metric;
    const body = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    const [t, v] = s.values[0] ?? [0, ''];
    return m ? `${name}{${body}} ${v} ${t * 1000}` : `${name}{${body}}`;
  });
}

/** `a, b : c, d` → the values of a custom variable (`text : value` pairs keep the value). */
function customOptions(query: string): string[] {
  return query
    .split(/(?<!\\),/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const kv = /^(.*?)\s+:\s+(.*)$/.exec(s);
      return (kv ? kv[2]! : s).replace(/\\,/g, ',');
    });
}

interface Choice {
  label: string;
  value: VarValue;
}

const NONE = '(none)';
const ALL = 'All';

/** The choices a user has for one variable, given the selections of those before it. */
async function choices(
  api: PromApi,
  v: Variable,
  scope: Scope,
  w: Window,
  rangeMs: number,
): Promise<{ choices: Choice[]; extra?: [string, VarValue] }> {
  const flags = { multi: v.multi, includeAll: v.includeAll };
  switch (v.type) {
    case 'datasource':
    case 'adhoc':
      // Datasource variables pick a datasource, not data; ad hoc filters are empty by default.
      return { choices: [{ label: '', value: { value: v.current[0] ?? '', ...flags } }] };
    case 'constant':
      return { choices: [{ label: '', value: { value: v.query, multi: false, includeAll: false } }] };
    case 'textbox': {
      const text = v.current[0] ?? v.query;
      return { choices: [{ label: text, value: { value: text, multi: false, includeAll: false } }] };
    }
    case 'interval': {
      // The saved interval; `auto` is the range over the variable's step count (auto_count, 30 by
      // default) snapped to a nice interval, at least auto_min (10s): $__auto_interval_<name>.
      const autoInterval = formatDuration(
        Math.max(roundInterval(rangeMs / (v.autoCount ?? 30)), durationMs(v.autoMin ?? '10s') ?? 10_000),
      );
      const chosen = v.current[0] ?? customOptions(v.query)[0] ?? '1m';
      const value = chosen === 'auto' || chosen.startsWith('$__auto') ? autoInterval : chosen;
      return {
        choices: [{ label: value, value: { value, multi: false, includeAll: false } }],
        extra: [`__auto_interval_${v.name}`, { value: autoInterval, multi: false, includeAll: false }],
      };
    }
    default: {
      const texts =
        v.type === 'custom'
          ? customOptions(interpolate(v.query, scope))
          : await queryOptions(api, interpolate(v.query, scope), w);
      const options = applyRegex(texts, v.regex);
      const out: Choice[] = options.map((o) => ({ label: o, value: { value: v.multi ? [o] : o, ...flags } }));
      if (v.includeAll) {
        out.push({ label: ALL, value: { value: options, ...flags, customAll: v.allValue } });
      } else if (options.length === 0) {
        // Grafana's "None": the variable expands to the empty string.
        out.push({ label: NONE, value: { value: v.multi ? [''] : '', ...flags } });
      }
      return { choices: out };
    }
  }
}

/**
 * The selections to try: every combination of the variables' choices while there are at most
 * MAX_SELECTIONS, else a covering set (every choice of every variable at least once, the
 * earlier variables' selections kept), so a dashboard with 16 dbs times 3 instances still runs
 * each db and each instance; `covering` says which.
 */
export async function selections(
  api: PromApi,
  variables: readonly Variable[],
  base: Scope,
  w: Window,
  rangeMs: number,
): Promise<{ selections: Selection[]; covering: boolean }> {
  let states: Selection[] = [{ key: '', picks: [], positions: [], scope: new Map(base) }];
  let covering = false;
  for (const v of variables) {
    if (!v.name) continue;
    const perState: Array<Awaited<ReturnType<typeof choices>>> = [];
    for (const s of states) perState.push(await choices(api, v, s.scope, w, rangeMs));
    const total = perState.reduce((n, c) => n + c.choices.length, 0);
    const pairs: Array<[Selection, Choice, [string, VarValue] | undefined, number]> = [];
    if (total <= MAX_SELECTIONS) {
      states.forEach((s, i) => {
        perState[i]!.choices.forEach((c, at) => {
          pairs.push([s, c, perState[i]!.extra, at]);
        });
      });
    } else {
      covering = true;
      const widest = Math.max(...perState.map((c) => c.choices.length));
      for (let k = 0; k < Math.max(states.length, widest); k++) {
        const i = k % states.length;
        const cs = perState[i]!.choices;
        if (cs.length) pairs.push([states[i]!, cs[k % cs.length]!, perState[i]!.extra, k % cs.length]);
      }
    }
    states = pairs.map(([s, c, extra, at]) => pick(s, v, c, extra, at));
  }
  return { selections: states, covering };
}

function pick(s: Selection, v: Variable, c: Choice, extra: [string, VarValue] | undefined, at: number): Selection {
  const scope = new Map(s.scope);
  scope.set(v.name, c.value);
  if (extra) scope.set(extra[0], extra[1]);
  const shown = c.label ? `${v.name}=${c.label}` : '';
  return {
    key: [s.key, shown].filter(Boolean).join(' '),
    picks: [...s.picks, c.label],
    positions: [...s.positions, at],
    scope,
  };
}

/**
 * The same dropdown choices made against another Prometheus (the user swapped exporters and
 * picks the same instance, db...): each variable resolved there, the option with the same label
 * picked. A label that Prometheus does not offer is returned as `missing` — except for a variable
 * whose options are chosen by value (`query_result(topk(…))`): which labels come out depends on
 * values that tie or differ by a hair between two exporters of one Redis, so the option at the same
 * position in its own dropdown is what a user of that Prometheus would pick.
 */
export async function replay(
  api: PromApi,
  variables: readonly Variable[],
  base: Scope,
  w: Window,
  rangeMs: number,
  picks: readonly string[],
  positions: readonly number[] = [],
): Promise<Selection | { missing: string }> {
  let s: Selection = { key: '', picks: [], positions: [], scope: new Map(base) };
  let i = 0;
  for (const v of variables) {
    if (!v.name) continue;
    const label = picks[i];
    const position = positions[i++];
    const { choices: cs, extra } = await choices(api, v, s.scope, w, rangeMs);
    let at = cs.findIndex((x) => x.label === label);
    if (at === -1 && position !== undefined && byValue(v) && position < cs.length) at = position;
    const c = cs[at];
    if (!c) return { missing: `${v.name}=${label} (offered: ${cs.map((x) => x.label).join(', ') || 'nothing'})` };
    s = pick(s, v, c, extra, at);
  }
  return s;
}

/** A query variable whose options are chosen by their values (query_result), not by which series exist. */
function byValue(v: Variable): boolean {
  return v.type === 'query' && /^\s*query_result\(/.test(v.query);
}
