/**
 * Family-level compatibility: every `redis_*` family redis_exporter exposes must exist in ours
 * with the same TYPE and the same label names. go_* / process_* (and our nodejs_*) describe the
 * exporter's own runtime, not Redis, and are not compared; our own extra families are fine.
 */
import type { Family } from './exposition.js';

export interface FamilyProblem {
  family: string;
  kind: 'missing' | 'type' | 'labels';
  detail: string;
}

const sorted = (s: Iterable<string>) => [...s].sort().join(',');

/** What ours lacks or has differently, against theirs; `allowed` names families ours may lack. */
export function compareFamilies(
  theirs: ReadonlyMap<string, Family>,
  ours: ReadonlyMap<string, Family>,
  allowed: ReadonlyMap<string, string>,
): FamilyProblem[] {
  const problems: FamilyProblem[] = [];
  for (const t of [...theirs.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!t.name.startsWith('redis_') || t.samples === 0) continue;
    const o = ours.get(t.name);
    const theirsShape = `${t.type} {${sorted(t.labels)}}`;
    if (!o || o.samples === 0) {
      if (allowed.has(t.name)) continue;
      const why = o ? 'declared but no sample' : 'absent';
      problems.push({ family: t.name, kind: 'missing', detail: `${why}; theirs: ${theirsShape}` });
      continue;
    }
    if (o.type !== t.type) {
      problems.push({ family: t.name, kind: 'type', detail: `theirs ${t.type}, ours ${o.type}` });
    }
    if (sorted(o.labels) !== sorted(t.labels)) {
      const lacking = [...t.labels].filter((l) => !o.labels.has(l));
      const extra = [...o.labels].filter((l) => !t.labels.has(l));
      problems.push({
        family: t.name,
        kind: 'labels',
        detail: `theirs {${sorted(t.labels)}}, ours {${sorted(o.labels)}}${lacking.length ? `; lacking ${lacking.join(',')}` : ''}${extra.length ? `; extra ${extra.join(',')}` : ''}`,
      });
    }
  }
  return problems;
}

/** A readable diff, one line per problem, for the console and the assertion message. */
export function formatProblems(role: string, compared: number, problems: readonly FamilyProblem[]): string {
  if (problems.length === 0) {
    return `${role}: all ${compared} redis_* families of redis_exporter present with the same type and labels`;
  }
  const width = Math.max(...problems.map((p) => p.family.length));
  return [
    `${role}: ${problems.length} difference(s) in ${compared} redis_* families of redis_exporter 1.45`,
    ...problems.map((p) => `  ${p.kind.padEnd(8)} ${p.family.padEnd(width)}  ${p.detail}`),
  ].join('\n');
}

/** Our redis_* families that redis_exporter does not have (the README's "ours only" list). */
export function oursOnly(theirs: ReadonlyMap<string, Family>, ours: ReadonlyMap<string, Family>): string[] {
  return [...ours.values()]
    .filter((f) => f.name.startsWith('redis_') && f.samples > 0 && !theirs.has(f.name))
    .map((f) => f.name)
    .sort();
}
