/** Small statistics and number formats shared by the benchmarks. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The p-th percentile (0–100) of an already sorted array. */
export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** `12,345` */
export const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');
/** One decimal, or `n/a` for a figure that could not be measured. */
export const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
/** Two decimals (ratios), or `n/a`. */
export const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
