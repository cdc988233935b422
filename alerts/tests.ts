/**
 * promtool unit tests generated from each alert's typed definition. For every alert rule:
 *  - quiet: the probe just on the quiet side of the threshold → the rule does not fire;
 *  - pending: the probe past the threshold, one evaluation before `for` elapses → not firing,
 *    and ALERTS{alertstate="pending"} is 1 (so the pending state is proven, not assumed);
 *  - firing: once `for` has elapsed → fires with the exact labels and rendered annotations.
 * Rules sharing an alert name (warning + critical) are siblings: each case expects exactly the
 * siblings the probe value and the elapsed time should trigger.
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { type Duration, durationSeconds, sel } from '../config/promql.js';
import type { AlertSpec, InputSeries, Probe } from './alert-spec.js';
import { type PanelIds, toAlertingRule } from './conventions.js';
import type { AlertComponent } from './groups.js';
import { num, renderTemplate } from './humanize.js';
import type { ExpectedAlert, PromtoolSeries, PromtoolTestFile, PromtoolTestGroup } from './promtool-types.js';

export const minutes = (n: number): Duration => `${n}m`;

/** Input series sampled every minute for `samples` samples. */
export function renderSeries(input: InputSeries[], samples: number): PromtoolSeries[] {
  return input.map((s) =>
    'gauge' in s
      ? { series: s.series, values: `${num(s.gauge)}+0x${samples}` }
      : { series: s.series, values: `0+${num(s.perMinute)}x${samples}` },
  );
}

export function holds(p: Probe, v: number): boolean {
  return p.op === '>' ? v > p.threshold : v < p.threshold;
}

/**
 * How far past the threshold the default quiet and firing values sit: 2% of it, so the cases stay
 * close to the edge at any scale. A threshold of 0 (queues: "alert on any backlog") has no 2%:
 * the firing value is then 1 past it (one item, one second), and the quiet value is 0 itself, which
 * also proves the comparison is strict (0 > 0 does not hold).
 */
function step(p: Probe): number {
  return p.threshold === 0 ? 1 : Math.abs(p.threshold) * 0.02;
}

export function quietValue(p: Probe): number {
  if (p.quiet !== undefined) return p.quiet;
  if (p.threshold === 0) return 0;
  return p.op === '>' ? p.threshold - step(p) : p.threshold + step(p);
}

export function firingValue(p: Probe): number {
  if (p.firing !== undefined) return p.firing;
  if (p.op === '<') return p.threshold - step(p);
  // Halfway to the top when 2% past the threshold would overshoot it (an error ratio of 0.99).
  return p.max !== undefined ? Math.min(p.threshold + step(p), (p.threshold + p.max) / 2) : p.threshold + step(p);
}

/** Minute at which the expression first holds when the probe value is set from t=0. */
export function warmup(s: AlertSpec): number {
  return s.probe.warmupMinutes ?? (/\b(rate|irate|increase|delta|deriv)\(/.test(s.expr) ? 1 : 0);
}

export const forMinutes = (s: AlertSpec): number => Math.ceil(durationSeconds(s.for) / 60);

/** The alert as promtool must see it firing: labels from the probe plus the rule, annotations rendered. */
export function expectedAlert(cfg: MixinConfig, s: AlertSpec, v: number, panels: PanelIds = {}): ExpectedAlert {
  const rule = toAlertingRule(cfg, s, panels);
  const labels = { ...s.probe.labels, ...rule.labels };
  const value = s.probe.value === null ? null : (s.probe.value ?? ((x: number) => x))(v);
  const annotations: Record<string, string> = {};
  for (const [k, tpl] of Object.entries(rule.annotations)) annotations[k] = renderTemplate(tpl, labels, value);
  return { exp_labels: labels, exp_annotations: annotations };
}

const probeKey = (s: AlertSpec) => `${s.alert}\u0000${JSON.stringify(Object.entries(s.probe.labels).sort())}`;

function siblingsOf(all: AlertSpec[], s: AlertSpec): AlertSpec[] {
  return all.filter((x) => probeKey(x) === probeKey(s));
}

function firingAt(cfg: MixinConfig, siblings: AlertSpec[], v: number, t: number, panels: PanelIds): ExpectedAlert[] {
  return siblings
    .filter((x) => holds(x.probe, v) && warmup(x) + forMinutes(x) <= t)
    .map((x) => expectedAlert(cfg, x, v, panels));
}

function labelString(labels: Record<string, string>): string {
  return sel({ name: m.alertsFiring.name } as typeof m.alertsFiring, {}, labels);
}

const thresholdText = (s: AlertSpec) => num(s.probe.threshold);

/** The quiet and firing (with pending) test groups for one alert rule. */
export function generatedCases(
  cfg: MixinConfig,
  all: AlertSpec[],
  s: AlertSpec,
  panels: PanelIds = {},
): PromtoolTestGroup[] {
  const siblings = siblingsOf(all, s);
  const t0 = warmup(s);
  const tFire = t0 + forMinutes(s);
  const samples = tFire + 2;
  const quiet = quietValue(s.probe);
  const firing = firingValue(s.probe);
  if (holds(s.probe, quiet) || !holds(s.probe, firing))
    throw new Error(
      `${s.alert} (${s.severity}): probe quiet/firing values are on the wrong side of ${thresholdText(s)}`,
    );
  const word = s.probe.op === '>' ? ['below', 'above'] : ['above', 'below'];
  const quietCase: PromtoolTestGroup = {
    name: `${s.alert} (${s.severity}) stays quiet ${word[0]} ${thresholdText(s)}`,
    interval: '1m',
    input_series: renderSeries(s.probe.series(quiet), samples),
    alert_rule_test: [
      { eval_time: minutes(tFire), alertname: s.alert, exp_alerts: firingAt(cfg, siblings, quiet, tFire, panels) },
    ],
  };
  const fireCase: PromtoolTestGroup = {
    name: `${s.alert} (${s.severity}) fires ${word[1]} ${thresholdText(s)} after ${s.for}`,
    interval: '1m',
    input_series: renderSeries(s.probe.series(firing), samples),
    alert_rule_test: [
      { eval_time: minutes(tFire), alertname: s.alert, exp_alerts: firingAt(cfg, siblings, firing, tFire, panels) },
    ],
  };
  if (forMinutes(s) > 0) {
    const tPending = tFire - 1;
    fireCase.alert_rule_test!.unshift({
      eval_time: minutes(tPending),
      alertname: s.alert,
      exp_alerts: firingAt(cfg, siblings, firing, tPending, panels),
    });
    const labels = { ...s.probe.labels, ...toAlertingRule(cfg, s).labels, alertname: s.alert, alertstate: 'pending' };
    fireCase.promql_expr_test = [
      {
        expr: labelString({ alertname: s.alert, alertstate: 'pending', severity: s.severity }),
        eval_time: minutes(tPending),
        exp_samples: [{ labels: labelString(labels), value: 1 }],
      },
    ];
  }
  return [quietCase, fireCase];
}

/** One generated suite per component, each running every rule file (recording rules first). */
export function generatedSuites(
  cfg: MixinConfig,
  byComponent: Array<[AlertComponent, AlertSpec[]]>,
  ruleFiles: string[],
  groupOrder: string[],
  panels: PanelIds = {},
): Map<string, PromtoolTestFile> {
  const all = byComponent.flatMap(([, s]) => s);
  const out = new Map<string, PromtoolTestFile>();
  for (const [component, specs] of byComponent) {
    out.set(`${component}-alerts`, {
      rule_files: ruleFiles,
      evaluation_interval: '1m',
      group_eval_order: groupOrder,
      tests: specs.flatMap((s) => generatedCases(cfg, all, s, panels)),
    });
  }
  return out;
}
