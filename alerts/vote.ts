/** Vote service alerts: 5xx ratio, p95 latency, no traffic while up, instance down. */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, histogramQuantile, sel, streamSel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { num, pct, secs } from './humanize.js';
import { counter, gauge, histogramAtQuantile, topBucket, zeroFires } from './probe-series.js';
import { voteErrorRatio, voteP95, voteRequestRate } from './queries.js';
import type { AlertSeverity } from './rule-types.js';
import { pick, scopeLabels } from './scope-labels.js';

const USER = { method: 'POST', route: '/vote' } as const;

export function voteAlerts(cfg: MixinConfig): AlertSpec[] {
  const t = cfg.thresholds.vote;
  const w = cfg.alerts.rateWindow;
  const target = { ...scopeLabels(cfg.selectors.vote, 'selectors.vote'), instance: 'vote-1' };
  const job = pick(target, ['job']);

  const errorRatio = (severity: AlertSeverity, threshold: number): AlertSpec => ({
    alert: 'VoteHighErrorRatio',
    severity,
    expr: `${voteErrorRatio(cfg, w)} > ${num(threshold)}`,
    for: cfg.alerts.defaultFor,
    summary: `Vote service 5xx ratio above ${pct(threshold)}`,
    description: `{{ $value | humanizePercentage }} of user requests to {{ $labels.job }} failed with 5xx over the last ${w} (threshold ${pct(threshold)}).`,
    dashboard: { key: 'vote', panel: '5xx ratio' },
    runbook: {
      meaning: 'Voters are getting server errors: their votes are probably not being recorded.',
      confirm: [
        agg(
          'sum',
          m.httpRequestsTotal,
          ['instance', 'route', 'status'],
          `rate(${sel(m.httpRequestsTotal, {}, cfg.selectors.vote)}[${w}])`,
        ),
        sel(m.voteEnqueueFailuresTotal, {}, cfg.selectors.vote),
      ],
      mitigate: [
        `Check whether Redis is reachable from the vote instances (RedisDown, ${m.voteEnqueueFailuresTotal.name} by reason).`,
        'If one instance is bad, take it out of the load balancer and restart it.',
        'Roll back the last deploy if the errors started with it.',
      ],
      followUp: [
        `Find the failing route and status in the logs (Loki: ${streamSel(cfg.selectors.vote)} |= "error").`,
        'Add a test for the failure mode.',
      ],
    },
    probe: {
      op: '>',
      threshold,
      max: 1,
      labels: job,
      series: (v) => [
        counter(sel(m.httpRequestsTotal, { ...USER, status: '500' }, target), 600 * v),
        counter(sel(m.httpRequestsTotal, { ...USER, status: '200' }, target), 600 * (1 - v)),
      ],
    },
  });

  const latency = (severity: AlertSeverity, threshold: number): AlertSpec => ({
    alert: 'VoteHighLatency',
    severity,
    expr: `${voteP95(cfg, w)} > ${num(threshold)}`,
    for: cfg.alerts.defaultFor,
    summary: `Vote service p95 latency above ${secs(threshold)}`,
    description: `p95 latency of {{ $labels.job }} is {{ $value | humanizeDuration }} over the last ${w} (threshold ${secs(threshold)}).`,
    dashboard: { key: 'vote', panel: 'Latency p50 / p95 / p99' },
    runbook: {
      meaning: 'Voting is slow for at least one request in twenty.',
      confirm: [
        histogramQuantile(0.95, m.httpRequestDurationSeconds, {
          scope: cfg.selectors.vote,
          by: ['job', 'instance', 'route'],
          window: w,
        }),
      ],
      mitigate: [
        'Check Redis latency and memory (the vote handler waits on LPUSH).',
        'Check CPU and event-loop lag of the vote instances; scale out if they are saturated.',
      ],
      followUp: ['Compare with traffic: is this load (flash sale) or a regression?'],
    },
    probe: {
      op: '>',
      threshold,
      max: topBucket(m.httpRequestDurationSeconds),
      labels: job,
      series: (v) => histogramAtQuantile(m.httpRequestDurationSeconds, { ...USER, status: '200', ...target }, 0.95, v),
    },
  });

  return [
    errorRatio('warning', t.errorRatioWarning),
    errorRatio('critical', t.errorRatioCritical),
    latency('warning', t.latencyP95WarningSeconds),
    latency('critical', t.latencyP95CriticalSeconds),
    {
      alert: 'VoteNoTraffic',
      severity: 'warning',
      expr: `${voteRequestRate(cfg, w)} == 0 and on (job) ${agg('sum', m.up, ['job'], sel(m.up, {}, cfg.selectors.vote))} > 0`,
      for: cfg.alerts.defaultFor,
      summary: 'Vote service receives no traffic',
      description: `{{ $labels.job }} is up but served no user requests in the last ${w}: the load balancer or DNS may be sending voters elsewhere.`,
      dashboard: { key: 'vote', panel: 'Requests/s by route and status' },
      runbook: {
        meaning: 'The vote instances are alive but nobody reaches them.',
        confirm: [
          agg('sum', m.httpRequestsTotal, ['route'], `rate(${sel(m.httpRequestsTotal, {}, cfg.selectors.vote)}[${w}])`),
        ],
        mitigate: ['Check the load balancer, ingress and DNS for the vote service.', 'Open the voting page yourself.'],
        followUp: ['If the quiet period is expected (night), add a time-based silence.'],
      },
      probe: {
        op: '<',
        threshold: 0.5,
        quiet: 60,
        firing: 0,
        labels: job,
        value: null,
        series: (v) => [
          counter(sel(m.httpRequestsTotal, { ...USER, status: '200' }, target), v),
          gauge(sel(m.up, {}, target), 1),
        ],
      },
    },
    {
      alert: 'VoteInstanceDown',
      // One instance down is not a page: the others carry the load; VoteNoTraffic/SLO burn page if not.
      severity: 'warning',
      expr: `${sel(m.up, {}, cfg.selectors.vote)} == 0`,
      for: cfg.alerts.downFor,
      summary: 'Vote instance down',
      description:
        'Prometheus cannot scrape {{ $labels.instance }} of {{ $labels.job }}: the instance is down or unreachable.',
      dashboard: { key: 'vote', panel: 'Instances up' },
      runbook: {
        meaning: 'One vote instance is not answering; the others carry its load.',
        mitigate: [
          'Check the process or pod (crash loop, OOM kill) and restart it.',
          'Check its /health and /ready endpoints.',
        ],
        followUp: ['Read the last log lines before the crash.'],
      },
      probe: zeroFires(target, sel(m.up, {}, target)),
    },
  ];
}
