/**
 * Typed PromQL fragments built from catalog entries.
 *
 * Queries take a `MetricDef` and label matchers typed by that metric's labels, so
 * `sel(metrics.httpRequestsTotal, { stauts: '500' })` fails to compile. Target labels that the
 * config adds (job, namespace, cluster, ...) come in as a separate `scope`, because they are set
 * by Prometheus relabelling, not by the instrumentation. Everything here returns strings and is
 * pure; parse-checking happens in validate/.
 */
import { re2MatchesEmpty } from '../validate/re2.js';
import type { MetricDef } from './metrics.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface LabelMatcher {
  readonly op: MatchOp;
  readonly value: string;
  /**
   * A label value this matcher selects, used where a concrete series is needed (the generated
   * promtool tests). Optional for regexes a value can be derived from; ignored in queries.
   */
  readonly example?: string;
}
/** A bare string means equality. */
export type Matcher = string | LabelMatcher;

/** Labels Prometheus attaches to every scraped series. */
export type TargetLabel = 'job' | 'instance';
export type LabelsOf<M> = M extends MetricDef<string, infer _T, infer L> ? L : never;
export type SelectableLabel<M> = LabelsOf<M> | TargetLabel;
export type Matchers<L extends string> = { readonly [K in L]?: Matcher };
/** Target-level matchers from the config (job selectors etc.): any label name is allowed. */
export type Scope = Readonly<Record<string, Matcher>>;

export type Histogram = MetricDef<string, 'histogram', string>;
export type Counter = MetricDef<string, 'counter', string>;

/** Prometheus duration literal, e.g. `5m`, `1h30m` is not accepted on purpose: keep one unit. */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y'}`;
/** A range window: a duration or one of Grafana's interval variables. */
export type RangeWindow = Duration | '$__rate_interval' | '$__interval' | '$__range';

export const eq = (value: string): LabelMatcher => ({ op: '=', value });
export const ne = (value: string): LabelMatcher => ({ op: '!=', value });
export const re = (value: string): LabelMatcher => ({ op: '=~', value });
export const nre = (value: string): LabelMatcher => ({ op: '!~', value });

function quote(value: string): string {
  // PromQL string literals accept Go escapes; JSON.stringify produces a compatible double-quoted form.
  return JSON.stringify(value);
}

function renderMatchers(...groups: ReadonlyArray<Readonly<Record<string, Matcher | undefined>> | undefined>): string {
  const seen = new Map<string, LabelMatcher>();
  for (const group of groups) {
    if (!group) continue;
    for (const [label, m] of Object.entries(group)) {
      if (m === undefined) continue;
      // Later groups win: a panel's own matcher overrides the config scope for the same label.
      seen.set(label, typeof m === 'string' ? eq(m) : m);
    }
  }
  const parts = [...seen].map(([label, m]) => `${label}${m.op}${quote(m.value)}`);
  return parts.length ? `{${parts.join(', ')}}` : '';
}

/**
 * The part of a component's scope a recorded series (`job:…`) still carries: recording rules
 * aggregate by job, so other target labels (namespace, env, …) are gone and matching them again
 * would select nothing. The recording rule's own expression already applied the whole scope.
 */
export function recordedScope(scope: Scope): Scope {
  return scope.job === undefined ? {} : { job: scope.job };
}

/**
 * A Loki stream selector from a config scope, e.g. `{job="worker"}` (LogQL shares PromQL's matcher
 * syntax). Loki refuses a selector without one `=`/`=~` matcher that needs a non-empty value
 * (`{job!="staging"}`), so a scope of exclusions gets `job=~".+"` beside them.
 */
export function streamSel(scope: Scope): string {
  const out = renderMatchers(scope);
  const anchors = Object.values(scope).some((m) =>
    typeof m === 'string' || m.op === '='
      ? (typeof m === 'string' ? m : m.value) !== ''
      : m.op === '=~' && !re2MatchesEmpty(m.value),
  );
  if (anchors) return out;
  const any = `job=~${quote('.+')}`;
  return out ? `${out.slice(0, -1)}, ${any}}` : `{${any}}`;
}

/** `name{scope..., matchers...}` for a gauge, counter or info metric. */
export function sel<M extends MetricDef>(m: M, matchers?: Matchers<SelectableLabel<M>>, scope?: Scope): string {
  return `${m.name}${renderMatchers(scope, matchers)}`;
}

/** `name_bucket{...}`; `le` may be matched too. */
export function bucketSel<M extends Histogram>(
  m: M,
  matchers?: Matchers<SelectableLabel<M> | 'le'>,
  scope?: Scope,
): string {
  return `${m.name}_bucket${renderMatchers(scope, matchers)}`;
}
export function countSel<M extends Histogram>(m: M, matchers?: Matchers<SelectableLabel<M>>, scope?: Scope): string {
  return `${m.name}_count${renderMatchers(scope, matchers)}`;
}
export function sumSel<M extends Histogram>(m: M, matchers?: Matchers<SelectableLabel<M>>, scope?: Scope): string {
  return `${m.name}_sum${renderMatchers(scope, matchers)}`;
}

export const range = (selector: string, window: RangeWindow): string => `${selector}[${window}]`;
export const rate = (selector: string, window: RangeWindow = '$__rate_interval'): string =>
  `rate(${range(selector, window)})`;
export const increase = (selector: string, window: RangeWindow = '$__rate_interval'): string =>
  `increase(${range(selector, window)})`;

/** `by (a, b)` with labels checked against the metric. An empty list gives a plain aggregation. */
export function by<M extends MetricDef>(_m: M, labels: ReadonlyArray<SelectableLabel<M> | 'le'>): string {
  return labels.length ? ` by (${labels.join(', ')})` : '';
}

export type AggOp = 'sum' | 'avg' | 'max' | 'min' | 'count';
/** `sum by (labels) (expr)`, labels checked against the metric the expression is built from. */
export function agg<M extends MetricDef>(
  op: AggOp,
  m: M,
  labels: ReadonlyArray<SelectableLabel<M> | 'le'>,
  expr: string,
): string {
  return `${op}${by(m, labels)} (${expr})`;
}

export interface QuantileOptions<M extends Histogram> {
  readonly matchers?: Matchers<SelectableLabel<M>>;
  readonly scope?: Scope;
  readonly by?: ReadonlyArray<SelectableLabel<M>>;
  readonly window?: RangeWindow;
}

/** `histogram_quantile(q, sum by (le, ...) (rate(name_bucket{...}[window])))`. */
export function histogramQuantile<M extends Histogram>(q: number, m: M, opts: QuantileOptions<M> = {}): string {
  const inner = rate(
    bucketSel(m, opts.matchers as Matchers<SelectableLabel<M> | 'le'> | undefined, opts.scope),
    opts.window ?? '$__rate_interval',
  );
  return `histogram_quantile(${q}, ${agg('sum', m, ['le', ...(opts.by ?? [])], inner)})`;
}

/** Seconds in a Prometheus duration (`90s`, `5m`, `1h30m`, `250ms`); the one parser lives in runtime/duration.ts. */
export { durationSeconds } from '../runtime/duration.js';

/** The shortest single-unit duration literal for a number of seconds (`300` → `5m`). */
export function formatDuration(seconds: number): Duration {
  const units: Array<[string, number]> = [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  for (const [u, size] of units) {
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${u}` as Duration;
  }
  return `${Math.round(seconds * 1000)}ms` as Duration;
}
