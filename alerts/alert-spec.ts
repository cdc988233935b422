/**
 * What an alert author writes: the rule plus what the post-passes and the test generator need —
 * severity, human text, which dashboard shows it, runbook content, and a `probe` describing the
 * measured quantity so tests can be synthesised just below and just above the threshold.
 */
import type { Duration } from '../config/promql.js';
import type { DashboardKey } from '../dashboards/defaults.js';
import type { AlertSeverity } from './rule-types.js';

/** One promtool input series, sampled every minute from t=0. */
export type InputSeries =
  | { series: string; gauge: number }
  /** A counter starting at 0 and growing by `perMinute` each sample. */
  | { series: string; perMinute: number };

/**
 * The quantity an alert measures, as a function the test generator can drive: `series(v)` returns
 * input series that hold the quantity at `v` from t=0, and the alert fires when `v op threshold`.
 */
export interface Probe {
  series(v: number): InputSeries[];
  op: '>' | '<';
  threshold: number;
  /** Value used for the "quiet" case; default just on the quiet side of the threshold. */
  quiet?: number;
  /** Value used for the "firing" case; default just past the threshold. */
  firing?: number;
  /**
   * The largest value the quantity can take (a ratio's 1, a histogram's highest bucket): the default
   * firing value stays below it, so a threshold near the top still gets a firing case it can reach.
   */
  max?: number;
  /** Labels the firing alert carries from the expression (severity etc. are added from the rule). */
  labels: Record<string, string>;
  /** `$value` when the quantity is v; null when the expression's value is not exactly predictable. */
  value?: ((v: number) => number) | null;
  /** Minutes after t=0 at which the expression first holds (rates need two samples). */
  warmupMinutes?: number;
}

export interface RunbookContent {
  /** What the alert means, in a sentence or two. */
  meaning: string;
  /** Extra PromQL to run when confirming (the alert's own expression is always listed first). */
  confirm?: string[];
  mitigate: string[];
  followUp: string[];
}

export interface AlertSpec {
  /** `<Component><Condition>` in PascalCase; several severities may share one name. */
  alert: string;
  severity: AlertSeverity;
  expr: string;
  for: Duration;
  keepFiringFor?: Duration;
  /** Extra static labels (severity is added by the conventions post-pass). */
  labels?: Record<string, string>;
  /** Go templates; `{{ $labels.x }}` and `{{ $value | humanize* }}` only (the test generator renders them). */
  summary: string;
  description: string;
  /** The dashboard (and panel, by its title) that shows the problem; dashboard_url points there. */
  dashboard: { key: DashboardKey; panel?: string };
  runbook: RunbookContent;
  probe: Probe;
}
