/**
 * Recording rules: one per entry of config/recordings.ts `allRecordings()` (a test holds this),
 * for what dashboards query often (request rates, error ratio, p95), the SLO error ratios the
 * burn-rate alerts read, and derived signals: an overall health score and, per queue, the
 * autoscaling signal (load factor, recommended and desired worker counts: alerts/scaling.ts).
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, type Duration, rate, recordedScope, sel } from '../config/promql.js';
import { recordings as r, SLO_WINDOWS, sloErrorRatio } from '../config/recordings.js';
import { num } from './humanize.js';
import { queueLength, voteErrorRatio, voteP95, voteSlowRatio } from './queries.js';
import type { RecordingRule, RuleGroup } from './rule-types.js';
import { scalingRules } from './scaling.js';

const W: Duration = '5m';

/** 1 when x ≤ good (NaN is filtered by the caller's `>= 0`), 0 when x ≥ bad, linear between; `or` default when x has no data. */
function goodness(x: string, good: number, bad: number, missing: number): string {
  return `(clamp((${num(bad)} - ${x}) / ${num(bad - good)}, 0, 1) or on () vector(${missing}))`;
}

/** Overall health 0–100: weighted vote up, vote errors, latency, queue backlog, workers up, Redis up. */
export function healthScoreExpr(cfg: MixinConfig): string {
  const t = cfg.thresholds.vote;
  const parts: Array<[number, string]> = [
    [0.2, `(avg(${sel(m.up, {}, cfg.selectors.vote)}) or on () vector(0))`],
    [
      0.2,
      goodness(
        `max(${sel(r.jobHttpRequestErrorsRatioRate5m, {}, recordedScope(cfg.selectors.vote))} >= 0)`,
        t.errorRatioWarning,
        t.errorRatioCritical,
        1,
      ),
    ],
    [
      0.15,
      goodness(
        `max(${sel(r.jobHttpRequestDurationSecondsP95Rate5m, {}, recordedScope(cfg.selectors.vote))} >= 0)`,
        t.latencyP95WarningSeconds,
        t.latencyP95CriticalSeconds,
        1,
      ),
    ],
    [
      0.2,
      `(min(${cfg.queues.map((q) => `clamp((${num(q.critical)} - ${queueLength(cfg, q)}) / ${num(q.critical - q.warning)}, 0, 1)`).join(' or ')}) or on () vector(1))`,
    ],
    [0.15, `(avg(${sel(m.up, {}, cfg.selectors.worker)}) or on () vector(0))`],
    [0.1, `(max(${sel(m.redisUp, {}, cfg.selectors.exporter)}) or on () vector(0))`],
  ];
  return `100 * (${parts.map(([w, e]) => `${num(w)} * ${e}`).join(' + ')})`;
}

export function recordingRules(cfg: MixinConfig): RecordingRule[] {
  const vote = cfg.selectors.vote;
  const rules: RecordingRule[] = [
    {
      record: r.jobRouteStatusHttpRequestsRate5m.name,
      expr: agg('sum', m.httpRequestsTotal, ['job', 'route', 'status'], rate(sel(m.httpRequestsTotal, {}, vote), W)),
    },
    { record: r.jobHttpRequestErrorsRatioRate5m.name, expr: voteErrorRatio(cfg, W) },
    { record: r.jobHttpRequestDurationSecondsP95Rate5m.name, expr: voteP95(cfg, W) },
    ...scalingRules(cfg),
    { record: r.systemVotingHealthScore.name, expr: healthScoreExpr(cfg) },
  ];
  for (const w of SLO_WINDOWS)
    rules.push({ record: sloErrorRatio('availability', w).name, expr: voteErrorRatio(cfg, w) });
  for (const w of SLO_WINDOWS) rules.push({ record: sloErrorRatio('latency', w).name, expr: voteSlowRatio(cfg, w) });
  return rules;
}

/** Recording groups come first in every rule_files list: alerts read what they record. */
export function recordingGroups(cfg: MixinConfig): RuleGroup<RecordingRule>[] {
  const all = recordingRules(cfg);
  const slo = all.filter((x) => x.record.startsWith('job:slo_'));
  return [
    {
      name: 'voting-recording',
      interval: cfg.prometheus.evaluationInterval,
      rules: all.filter((x) => !slo.includes(x)),
    },
    { name: 'voting-slo-recording', interval: cfg.prometheus.evaluationInterval, rules: slo },
  ];
}
