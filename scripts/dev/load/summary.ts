/** The table `npm run load` ends with: what was accepted, how fast, and every failure by kind. */
import { f0, f1 } from '../bench/lib/stats.js';
import type { LoadSummary } from './run.js';

export function formatSummary(
  s: LoadSummary,
  ctx: { scenario: string; urls: readonly string[]; errorPct: number; maxErrorPct: number },
): string {
  const kinds = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
  const rows = [
    `| accepted votes/s | ${f0(s.accepted / s.seconds)} |`,
    `| accepted votes (2xx) | ${f0(s.accepted)} |`,
    `| latency p50 / p95 / p99 / max | ${f1(s.p50)} / ${f1(s.p95)} / ${f1(s.p99)} / ${f1(s.max)} ms |`,
    `| failures | ${f0(s.errorCount)} (${ctx.errorPct.toFixed(2)} % of attempts; tolerated ${ctx.maxErrorPct} %) |`,
    ...kinds.map(([k, v]) => `| failures: ${k} | ${f0(v)} |`),
  ];
  return [
    `### load: ${ctx.scenario}, ${s.users} users, ${s.seconds} s`,
    '',
    `Targets: ${ctx.urls.join(', ')}`,
    '',
    '| measure | value |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
}
