/**
 * Concrete label values for synthesised test series: a config scope's equality matchers become
 * labels (a regex scope cannot be turned into one series, so it is refused with the culprit named).
 */
import type { Scope } from '../config/promql.js';

export function scopeLabels(scope: Scope, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, m] of Object.entries(scope)) {
    if (typeof m === 'string') out[label] = m;
    else if (m.op === '=') out[label] = m.value;
    else throw new Error(`${path}.${label}: test generation needs equality matchers (got ${m.op}"${m.value}")`);
  }
  return out;
}

/** The subset of `labels` named in `keys`, in that order. */
export function pick(labels: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (labels[k] !== undefined) out[k] = labels[k]!;
  return out;
}
