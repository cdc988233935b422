/**
 * Input-series helpers for probes: a gauge held at a value, a counter growing at a rate, and a
 * histogram whose interpolated quantile equals a chosen value (histogram_quantile's linear
 * interpolation inverted), all built from catalog entries.
 */
import { bucketSel, type Histogram, type Matchers, type SelectableLabel } from '../config/promql.js';
import type { InputSeries, Probe } from './alert-spec.js';

export const gauge = (series: string, value: number): InputSeries => ({ series, gauge: value });
export const counter = (series: string, perMinute: number): InputSeries => ({ series, perMinute });

/**
 * The probe of a 0/1 gauge whose 0 fires the alert (`up`, `redis_up`, `pg_up`, a master link):
 * quiet at 1, firing at 0, the gauge `selector` held at that value.
 */
export const zeroFires = (labels: Record<string, string>, selector: string): Probe => ({
  op: '<',
  threshold: 0.5,
  quiet: 1,
  firing: 0,
  labels,
  series: (v) => [gauge(selector, v)],
});

/** The highest finite bucket: histogram_quantile never estimates above it (a probe's `max`). */
export const topBucket = (m: Histogram): number => m.buckets?.at(-1) ?? Number.POSITIVE_INFINITY;

/** Counts per minute the histogram probes use: large enough that the interpolation is precise. */
const N = 6000;

/**
 * Cumulative bucket counters such that `histogram_quantile(q, rate(...))` returns exactly `value`.
 * Only three buckets are needed: the bounds around `value` and +Inf.
 */
export function histogramAtQuantile<M extends Histogram>(
  m: M,
  matchers: Matchers<SelectableLabel<M>>,
  q: number,
  value: number,
): InputSeries[] {
  const bounds = m.buckets ?? [];
  const hiIdx = bounds.findIndex((b) => b >= value);
  if (hiIdx < 0) throw new Error(`${m.name}: ${value} is above the highest bucket`);
  const hi = bounds[hiIdx]!;
  const lo = hiIdx > 0 ? bounds[hiIdx - 1]! : 0;
  const f = (value - lo) / (hi - lo);
  // All observations ≤ hi when f < q: x of them ≤ lo so the rank q·N lands at fraction f of (lo, hi].
  let atLo: number;
  let atHi: number;
  if (f < q) {
    atLo = (N * (q - f)) / (1 - f);
    atHi = N;
  } else {
    atLo = 0;
    atHi = (q * N) / f;
  }
  const b = (le: string, perMinute: number) =>
    counter(bucketSel(m, { ...matchers, le } as Matchers<SelectableLabel<M> | 'le'>), perMinute);
  const out = [b(String(hi), atHi), b('+Inf', N)];
  if (lo > 0) out.unshift(b(String(lo), atLo));
  return out;
}
