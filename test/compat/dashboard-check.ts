/**
 * Dashboard-level compatibility: every Prometheus target of a dashboard, with its variables
 * expanded for each selection a user can make, run against the Prometheus that scrapes
 * redis_exporter and the one that scrapes ours, over the same window. A target "has data" when
 * the query Grafana would send returns at least one sample (a range query over the dashboard's
 * range for a time series or stat, an instant query at its end for an instant target).
 */
import { mapLimit } from '../support/index.js';
import { dashboardTargets, dashboardVariables, type Target } from './dashboard.js';
import { builtIns, interpolate, type Timing } from './interpolate.js';
import { hasData, type PromApi, type QueryOutcome } from './prom-api.js';
import type { Side } from './stack.js';
import { replay, type Selection, selections } from './variables.js';

export type Verdict = 'data' | 'empty' | `error: ${string}`;

export interface TargetRun {
  target: Target;
  selection: string;
  expr: Record<Side, string>;
  verdict: Record<Side, Verdict>;
  /** Evaluation times with at least one sample: a panel with gaps has fewer. */
  points: Record<Side, number>;
}

export interface DashboardReport {
  file: string;
  title: string;
  runs: TargetRun[];
  /** Notes: selections that cover the choices rather than every combination. */
  notes: string[];
}

function verdictOf(o: QueryOutcome): Verdict {
  if (!o.ok) return `error: ${o.error}`;
  return hasData(o) ? 'data' : 'empty';
}

async function runTarget(
  api: PromApi,
  t: Target,
  scope: Selection['scope'],
  timing: Timing,
): Promise<{ expr: string; verdict: Verdict; points: number }> {
  const { stepMs, scope: builtin } = builtIns(timing, t.minInterval, t.intervalFactor);
  const expr = interpolate(t.expr, new Map([...scope, ...builtin]));
  const endS = timing.toMs / 1000;
  const startS = endS - timing.rangeMs / 1000;
  const outcomes: QueryOutcome[] = [];
  if (t.range) outcomes.push(await api.range(expr, startS, endS, stepMs / 1000));
  if (t.instant) outcomes.push(await api.instant(expr, endS));
  const verdicts = outcomes.map(verdictOf);
  const times = new Set(outcomes.flatMap((o) => (o.ok ? o.series.flatMap((x) => x.values.map(([at]) => at)) : [])));
  return {
    expr,
    verdict: verdicts.find((v) => v === 'data') ?? verdicts.find((v) => v !== 'empty') ?? 'empty',
    points: times.size,
  };
}

/** Runs every target of `dashboard` for every selection, on both sides. */
export async function checkDashboard(
  file: string,
  dashboard: Record<string, unknown>,
  prom: Record<Side, PromApi>,
  timing: Timing,
): Promise<DashboardReport> {
  const targets = dashboardTargets(dashboard, file.replace(/\.json$/, ''));
  const variables = dashboardVariables(dashboard);
  const window = { startS: (timing.toMs - timing.rangeMs) / 1000, endS: timing.toMs / 1000 };
  const base = builtIns(timing, undefined, 1);
  const notes: string[] = [];
  // redis_exporter's Prometheus sets the choices; ours makes the same picks in its own dropdowns.
  const theirs = await selections(prom.theirs, variables, base.scope, window, timing.rangeMs);
  if (theirs.covering)
    notes.push(`${theirs.selections.length} covering selections (each choice once), not every combination`);
  const ours = new Map<string, Selection | { missing: string }>();
  for (const s of theirs.selections) {
    ours.set(s.key, await replay(prom.ours, variables, base.scope, window, timing.rangeMs, s.picks, s.positions));
  }
  const jobs = theirs.selections.flatMap((s) => targets.map((t) => ({ s, t })));
  const runs = await mapLimit(jobs, 6, async ({ s, t }): Promise<TargetRun> => {
    const theirs = await runTarget(prom.theirs, t, s.scope, timing);
    const o = ours.get(s.key)!;
    // A choice redis_exporter's series offer and ours do not (an instance, a db...) is a blank panel with ours.
    const mine =
      'missing' in o
        ? { expr: '', verdict: `error: ours does not offer ${o.missing}` as Verdict, points: 0 }
        : await runTarget(prom.ours, t, o.scope, timing);
    return {
      target: t,
      selection: s.key || '(no variables)',
      expr: { ours: mine.expr, theirs: theirs.expr },
      verdict: { ours: mine.verdict, theirs: theirs.verdict },
      points: { ours: mine.points, theirs: theirs.points },
    };
  });
  return { file, title: String(dashboard.title ?? file), runs, notes };
}

/** Points ours may lack against theirs: the two Prometheus servers start a scrape or two apart. */
const GAP_SLACK = 3;

export interface Summary {
  targets: number;
  runs: number;
  /** Runs with data from redis_exporter and none from ours: must be none. */
  blankOnlyWithOurs: TargetRun[];
  /**
   * Runs with data from both where ours has clearly fewer points (a family that comes and goes:
   * a graph with gaps); a few points of slack for the two Prometheus servers' start.
   */
  gappyWithOurs: TargetRun[];
  /** Runs blank with both (dashboards written for older exporters, families neither has). */
  blankWithBoth: TargetRun[];
  /** Panels (any target, any selection) with data from redis_exporter / blank only with ours. */
  panelsWithData: number;
  panelsBlankOnlyWithOurs: string[];
  panelsBlankWithBoth: string[];
}

export function summarize(reports: readonly DashboardReport[]): Summary {
  const runs = reports.flatMap((r) => r.runs);
  const blankOnlyWithOurs = runs.filter((r) => r.verdict.theirs === 'data' && r.verdict.ours !== 'data');
  const blankWithBoth = runs.filter((r) => r.verdict.theirs !== 'data' && r.verdict.ours !== 'data');
  const gappyWithOurs = runs.filter(
    (r) =>
      r.verdict.theirs === 'data' &&
      r.verdict.ours === 'data' &&
      r.points.ours < r.points.theirs - Math.max(GAP_SLACK, r.points.theirs * 0.2),
  );
  const panels = new Map<string, { theirs: boolean; ours: boolean; lostWithOurs: boolean }>();
  for (const r of runs) {
    const p = panels.get(r.target.panel) ?? { theirs: false, ours: false, lostWithOurs: false };
    p.theirs ||= r.verdict.theirs === 'data';
    p.ours ||= r.verdict.ours === 'data';
    p.lostWithOurs ||= r.verdict.theirs === 'data' && r.verdict.ours !== 'data';
    panels.set(r.target.panel, p);
  }
  const entries = [...panels.entries()];
  return {
    targets: new Set(runs.map((r) => r.target.where)).size,
    runs: runs.length,
    blankOnlyWithOurs,
    gappyWithOurs,
    blankWithBoth,
    panelsWithData: entries.filter(([, p]) => p.theirs).length,
    panelsBlankOnlyWithOurs: entries.filter(([, p]) => p.lostWithOurs).map(([k]) => k),
    panelsBlankWithBoth: entries.filter(([, p]) => !p.theirs && !p.ours).map(([k]) => k),
  };
}

/** One line per run for the console: where, selection, both verdicts, the expression as sent. */
export function formatRuns(runs: readonly TargetRun[]): string {
  return runs
    .map(
      (r) =>
        `  ${r.target.where} [${r.selection}]\n    theirs: ${r.verdict.theirs} (${r.points.theirs} points)  ours: ${r.verdict.ours} (${r.points.ours} points)\n    ${r.expr.ours.replace(/\s+/g, ' ').trim()}`,
    )
    .join('\n');
}
