/**
 * Value-level compatibility, what a dashboard that filters or scales needs besides the names:
 * every series redis_exporter exposes in every scrape (its label values: `db="db0"`, `role`,
 * `cmd`...) is exposed by ours, and its value is on the same scale (a unit mistake, ms for
 * seconds or bytes for kilobytes, is a factor of 1000). Both exporters read the same Redis at
 * the same moment; a difference counts only when it holds in every round, so traffic between
 * two INFO calls cannot fail the test.
 */
import { describesTheExporter } from './allow-list.js';
import type { Family } from './exposition.js';
import type { Side } from './stack.js';

export type Round = Record<Side, Map<string, Family>>;

/** The largest ratio between two values that are the same quantity read at nearly the same moment. */
const MAX_RATIO = 100;

/** Same quantity (and unit) as far as a scrape a few ms apart can tell. */
export function sameScale(a: number, b: number): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (Math.abs(a - b) <= 1) return true; // integers a second or a call apart
  if (Math.sign(a) !== Math.sign(b) || a === 0 || b === 0) return false;
  return Math.max(Math.abs(a), Math.abs(b)) / Math.min(Math.abs(a), Math.abs(b)) <= MAX_RATIO;
}

export interface ValueProblem {
  family: string;
  kind: 'series' | 'scale';
  detail: string;
}

/** Series (label values) and value scales where ours differs from theirs in every round. */
export function compareValues(
  rounds: readonly Round[],
  skip: (family: string) => boolean,
): { compared: number; problems: ValueProblem[] } {
  const problems: ValueProblem[] = [];
  let compared = 0;
  const first = rounds[0];
  if (!first) return { compared, problems };
  for (const name of [...first.theirs.keys()].sort()) {
    if (!name.startsWith('redis_') || skip(name) || describesTheExporter(name)) continue;
    // Series redis_exporter shows in every round: the stable ones.
    const stable = [...(first.theirs.get(name)?.values.keys() ?? [])].filter((k) =>
      rounds.every((r) => r.theirs.get(name)?.values.has(k)),
    );
    const oursAny = new Set(rounds.flatMap((r) => [...(r.ours.get(name)?.values.keys() ?? [])]));
    if (oursAny.size === 0) continue; // a missing family is the family check's finding
    const missing = stable.filter((k) => !oursAny.has(k));
    compared += stable.length;
    for (const key of missing) {
      const example = [...oursAny].slice(0, 3).join(' ');
      problems.push({ family: name, kind: 'series', detail: `${key} not exposed by ours (ours: ${example})` });
    }
    const present = stable.filter((k) => oursAny.has(k));
    // A quantile moves from one histogram bucket to the next with a single call (the exporters'
    // own SLOWLOG LEN between two INFO reads: p50 0.001 µs vs 1.003 µs), so summaries and
    // histograms are compared on the sum of their series; a unit mistake scales them all.
    const whole = ['summary', 'histogram'].includes(first.theirs.get(name)?.type ?? '');
    const groups = whole ? [present] : present.map((k) => [k]);
    for (const keys of groups) {
      const sums = rounds.map((r) => {
        const t = keys.map((k) => r.theirs.get(name)?.values.get(k));
        const o = keys.map((k) => r.ours.get(name)?.values.get(k));
        if (t.some((v) => v === undefined) || o.some((v) => v === undefined)) return undefined;
        const sum = (vs: Array<number | undefined>) => vs.reduce<number>((a, v) => a + (v ?? 0), 0);
        return [sum(t), sum(o)] as [number, number];
      });
      const comparable = sums.filter((p): p is [number, number] => p !== undefined);
      if (comparable.length === rounds.length && comparable.every(([t, o]) => !sameScale(t, o))) {
        const what = whole ? `sum of ${keys.length} series` : keys[0];
        problems.push({
          family: name,
          kind: 'scale',
          detail: `${what}: theirs ${comparable.map(([t]) => t).join(', ')}; ours ${comparable.map(([, o]) => o).join(', ')}`,
        });
      }
    }
  }
  return { compared, problems };
}
