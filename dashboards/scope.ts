/**
 * How dashboard queries pick their series: the config's selector for the component, with `job`
 * and `instance` narrowed by the dashboard's template variables.
 */
import { asMatcher } from '../config/label-values.js';
import type { MixinConfig, Selectors } from '../config/mixin-config.js';
import { type Matcher, re, type Scope } from '../config/promql.js';

/** A component with a selector in the config (the overview also watches Prometheus and Alertmanager). */
export type Component = keyof Selectors;

/** Matchers Grafana fills from the `job` and `instance` variables. */
export const JOB_VAR = '$job';
export const INSTANCE_VAR = '$instance';

/**
 * The component's selector with `job` replaced by `$job` (whose options are that selector's jobs,
 * see defaults.ts) and `instance` by `$instance`.
 */
export function varScope(cfg: MixinConfig, component: keyof Selectors): Scope {
  return { ...cfg.selectors[component], job: re(JOB_VAR), instance: re(INSTANCE_VAR) };
}

/** Recording rules keep only `job` of the target labels. */
export const recordingScope: Scope = { job: re(JOB_VAR) };

/**
 * For metrics every job exposes (`up`, `process_*`) on a dashboard whose `$job` spans several
 * components: keeps the component's own job matcher and adds `$job` as a second matcher on the
 * same label (PromQL ANDs them), so the vote row never counts worker instances.
 */
export function alsoMatchJobVar(selector: string): string {
  const m = `job=~${JSON.stringify(JOB_VAR)}`;
  return selector.endsWith('}') ? `${selector.slice(0, -1)}, ${m}}` : `${selector}{${m}}`;
}

/** The components the overview shows a row for (its `$job` offers their jobs). */
export const OVERVIEW_COMPONENTS: Component[] = ['vote', 'result', 'worker', 'exporter', 'prometheus', 'alertmanager'];

/**
 * The selector matchers other than `job` that all `components` share (same label, operator and
 * value), for queries over every scraped target rather than one component's: the `$job`/`$instance`
 * variables (`label_values(up{…})`) and the overview's targets-down panels. Without them a
 * `job: vote` running in prod and staging would offer staging's instances and count its down
 * targets although every selector says `namespace: prod`.
 * Only the shared ones: a matcher one component lacks would hide that component's targets. Matching
 * each component by its whole selector would need an `or` of selectors, which label_values() cannot
 * take; the intersection is the simplest form that never hides a configured target (with mixed
 * labels the variable offers a little more, never less).
 */
export function sharedScope(cfg: MixinConfig, components: readonly Component[]): Scope {
  const [first, ...rest] = components.map((c) => cfg.selectors[c]);
  if (!first) return {};
  const same = (a: Matcher | undefined, b: Matcher) => {
    if (a === undefined) return false;
    const x = asMatcher(a);
    const y = asMatcher(b);
    return x.op === y.op && x.value === y.value;
  };
  const out: Record<string, Matcher> = {};
  for (const [label, m] of Object.entries(first)) {
    if (label === 'job' || label === 'instance' || m === undefined) continue;
    if (rest.every((s) => same(s[label], m))) out[label] = m;
  }
  return out;
}

/** Stand-in label for `$job` in `ownScope` (a Scope holds one matcher per label); `withJobVar` renames it. */
const JOB_VAR_STANDIN = 'job_var__';

/**
 * For a dashboard whose `$job` spans components exposing the SAME metrics (the vote dashboard:
 * vote and result both serve http_* and process_*): the component's whole selector, `$instance`,
 * and `$job` as a second matcher on `job` (PromQL ANDs them) once `withJobVar` renamed the
 * stand-in. With `varScope` the vote row would count the result service's requests too under
 * "All". A query built on it and not passed through `withJobVar` fails validation (no `$job`).
 */
export function ownScope(cfg: MixinConfig, component: Component): Scope {
  return { ...cfg.selectors[component], instance: re(INSTANCE_VAR), [JOB_VAR_STANDIN]: re(JOB_VAR) };
}

type Queries = Record<string, string | ((q: number) => string)>;

/** Every query of `qs` (quantile functions included) with `ownScope`'s stand-in renamed to `job`. */
export function withJobVar<Q extends Queries>(qs: Q): Q {
  const fix = (e: string) => e.replaceAll(`${JOB_VAR_STANDIN}=~`, 'job=~');
  return Object.fromEntries(
    Object.entries(qs).map(([k, v]) => [k, typeof v === 'string' ? fix(v) : (q: number) => fix(v(q))]),
  ) as Q;
}
