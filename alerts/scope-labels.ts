/**
 * Concrete label values for synthesised test series: one label set a config scope selects (every
 * kind of matcher — equality, regex, negative — see config/label-values.ts), and one it does not
 * (for "absent" probes). checkConfig refuses a scope neither can be made for, so the ConfigError
 * here only guards a config that skipped the check.
 */

import { ConfigError } from '../config/config-check.js';
import { asMatcher, labelMatches, nonMatchingValue, seriesValue } from '../config/label-values.js';
import type { Scope } from '../config/promql.js';

/** Labels of a series the scope selects; a negative matcher's label is left off when that is enough. */
export function scopeLabels(scope: Scope, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, m] of Object.entries(scope)) {
    const v = seriesValue(m);
    if (!v.ok) throw new ConfigError(`${path}.${label}${v.at}`, v.message);
    if (v.value !== undefined) out[label] = v.value;
  }
  return out;
}

/**
 * Labels of a target the scope does NOT select: the selected labels with one matcher made to fail
 * (which proves "absent" alerts ignore other jobs). Throws for a scope that selects everything.
 */
export function otherTargetLabels(scope: Scope, path: string): Record<string, string> {
  const base = scopeLabels(scope, path);
  for (const [label, m] of Object.entries(scope)) {
    const miss = nonMatchingValue(m);
    if (!miss) continue;
    const out = { ...base };
    if (miss.value === undefined) delete out[label];
    else out[label] = miss.value;
    // `label` fails by construction, whatever the rest. Prometheus gives every target a job: add one
    // unless that would be the failing label passing again (promtool takes a series without).
    if (out.job === undefined && (label !== 'job' || labelMatches(asMatcher(m), 'unrelated') === false))
      out.job = 'unrelated';
    return out;
  }
  throw new ConfigError(path, 'selects every target: no other target can be told apart from it');
}

/** Whether the scope selects a series with these labels (one implementation, in config/). */
export { scopeSelects as selects } from '../config/label-values.js';

/** The labels `absent(selector)` returns: those of the scope's equality matchers, nothing else. */
export function equalityLabels(scope: Scope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, m] of Object.entries(scope)) {
    const lm = asMatcher(m);
    if (lm.op === '=') out[label] = lm.value;
  }
  return out;
}

/** The subset of `labels` named in `keys`, in that order. */
export function pick(labels: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (labels[k] !== undefined) out[k] = labels[k]!;
  return out;
}
