/**
 * How dashboard queries pick their series: the config's selector for the component, with `job`
 * and `instance` narrowed by the dashboard's template variables.
 */
import type { MixinConfig, Selectors } from '../config/mixin-config.js';
import { re, type Scope } from '../config/promql.js';

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
