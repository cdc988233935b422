/**
 * SLO alerts for the vote service: multiwindow, multi-burn-rate (Google SRE workbook ch. 5).
 * A page when 2 % of the period's budget burns in 1h (checked with 5m) or 5 % in 6h (30m); a
 * ticket when 10 % burns in 1d (2h) or 3d (6h). Factors follow from the SLO period, so a 30d
 * period gives 14.4 / 6 / 3 / 1 and a 28d period 13.44 / 5.6 / 2.8 / 0.933.
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { bucketSel, countSel, durationSeconds, recordedScope, sel } from '../config/promql.js';
import { type SloKind, type SloWindow, sloErrorRatio } from '../config/recordings.js';
import type { AlertSpec } from './alert-spec.js';
import { num, pct, secs } from './humanize.js';
import { counter } from './probe-series.js';
import { pick, scopeLabels } from './scope-labels.js';

export interface BurnWindow {
  long: SloWindow;
  short: SloWindow;
  /** Share of the whole period's error budget spent in `long` that triggers. */
  budgetShare: number;
}

export const PAGE_WINDOWS: readonly BurnWindow[] = [
  { long: '1h', short: '5m', budgetShare: 0.02 },
  { long: '6h', short: '30m', budgetShare: 0.05 },
];
export const TICKET_WINDOWS: readonly BurnWindow[] = [
  { long: '1d', short: '2h', budgetShare: 0.1 },
  { long: '3d', short: '6h', budgetShare: 0.1 },
];

/** Burn-rate factor: budget share × period / long window (14.4 for 2 % of 30d in 1h). */
export function burnFactor(cfg: MixinConfig, w: BurnWindow): number {
  return Number(((w.budgetShare * durationSeconds(cfg.slo.period)) / durationSeconds(w.long)).toPrecision(12));
}

const TITLE: Record<SloKind, string> = { availability: 'Availability', latency: 'Latency' };

function burnExpr(cfg: MixinConfig, kind: SloKind, windows: readonly BurnWindow[], budget: number): string {
  // Recorded ratios keep only `job`: the recording rule applied the rest of the vote scope.
  const scope = recordedScope(cfg.selectors.vote);
  return windows
    .map((w) => {
      const limit = num(burnFactor(cfg, w) * budget);
      return `(${sel(sloErrorRatio(kind, w.long), {}, scope)} > ${limit} and ${sel(sloErrorRatio(kind, w.short), {}, scope)} > ${limit})`;
    })
    .join(' or ');
}

export function sloAlerts(cfg: MixinConfig): AlertSpec[] {
  const target = { ...scopeLabels(cfg.selectors.vote, 'selectors.vote'), instance: 'vote-1' };
  const user = { method: 'POST', route: '/vote' } as const;
  const kinds: SloKind[] = ['availability', 'latency'];
  return kinds.flatMap((kind) => {
    const objective = kind === 'availability' ? cfg.slo.availability.target : cfg.slo.latency.target;
    const budget = 1 - objective;
    const what =
      kind === 'availability'
        ? 'requests answered 5xx'
        : `requests slower than ${secs(cfg.slo.latency.thresholdSeconds)}`;
    const series = (v: number) =>
      kind === 'availability'
        ? [
            counter(sel(m.httpRequestsTotal, { ...user, status: '500' }, target), 6000 * v),
            counter(sel(m.httpRequestsTotal, { ...user, status: '200' }, target), 6000 * (1 - v)),
          ]
        : [
            counter(countSel(m.httpRequestDurationSeconds, { ...user, status: '200' }, target), 6000),
            counter(
              bucketSel(
                m.httpRequestDurationSeconds,
                { ...user, status: '200', le: String(cfg.slo.latency.thresholdSeconds) },
                target,
              ),
              6000 * (1 - v),
            ),
          ];
    const tier = (severity: 'critical' | 'warning', windows: readonly BurnWindow[]): AlertSpec => {
      const factors = windows.map((w) => `${num(burnFactor(cfg, w))}× over ${w.long}/${w.short}`).join(' or ');
      return {
        alert: `Vote${TITLE[kind]}ErrorBudgetBurn`,
        severity,
        expr: burnExpr(cfg, kind, windows, budget),
        // Pages use the short "down" delay: the short window already filters blips.
        for: severity === 'critical' ? cfg.alerts.downFor : cfg.alerts.defaultFor,
        labels: { slo: kind },
        summary: `Vote ${kind} SLO error budget burning ${severity === 'critical' ? 'fast' : 'steadily'}`,
        description: `{{ $value | humanizePercentage }} of {{ $labels.job }} ${what} (SLO ${pct(objective)} over ${cfg.slo.period}); burn rate ${factors}.`,
        dashboard: { key: 'vote', panel: kind === 'availability' ? '5xx ratio' : 'Latency p50 / p95 / p99' },
        runbook: {
          meaning:
            severity === 'critical'
              ? `The ${kind} error budget for ${cfg.slo.period} will be gone within days at this rate: act now.`
              : `The ${kind} error budget is burning faster than the SLO allows: plan a fix this week.`,
          confirm: windows.flatMap((w) => [
            sel(sloErrorRatio(kind, w.long), {}, recordedScope(cfg.selectors.vote)),
            sel(sloErrorRatio(kind, w.short), {}, recordedScope(cfg.selectors.vote)),
          ]),
          mitigate:
            kind === 'availability'
              ? ['Follow VoteHighErrorRatio: find the failing route and instance.', 'Roll back recent changes.']
              : ['Follow VoteHighLatency: check Redis and instance saturation.', 'Scale out the vote service.'],
          followUp: ['Record the budget spent in the SLO report.', 'Hold risky deploys until the budget recovers.'],
        },
        probe: {
          op: '>',
          // A constant error ratio crosses the lowest limit among the windows first.
          threshold: Math.min(...windows.map((w) => burnFactor(cfg, w) * budget)),
          labels: pick(target, ['job']),
          series,
          warmupMinutes: 1,
        },
      };
    };
    return [tier('critical', PAGE_WINDOWS), tier('warning', TICKET_WINDOWS)];
  });
}
