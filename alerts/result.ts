/**
 * Result service alerts: an instance down (as VoteInstanceDown), and an instance up that cannot
 * read PostgreSQL — told apart from "no votes" because `result_votes` has NO series when the
 * scrape-time query fails (reference-app/result/result-metrics.ts), never a stale value or a 0.
 * No absent() alert: the result service is optional (the vote service answers GET /results too),
 * so a setup without one must not page.
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, sel, streamSel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { gauge, zeroFires } from './probe-series.js';
import { scopeLabels } from './scope-labels.js';

export function resultAlerts(cfg: MixinConfig): AlertSpec[] {
  const s = cfg.selectors.result;
  const w = cfg.alerts.rateWindow;
  const target = { ...scopeLabels(s, 'selectors.result'), instance: 'result-1' };
  return [
    {
      alert: 'ResultInstanceDown',
      // Voting goes on without it: only the results view is gone, so this is not a page.
      severity: 'warning',
      expr: `${sel(m.up, {}, s)} == 0`,
      for: cfg.alerts.downFor,
      summary: 'Result instance down',
      description:
        'Prometheus cannot scrape {{ $labels.instance }} of {{ $labels.job }}: the results page it serves is down or unreachable.',
      dashboard: { key: 'vote', panel: 'Result instances up' },
      runbook: {
        meaning:
          'One result instance is not answering: viewers get no results page from it. Votes are still accepted and stored (the vote service, queue and worker do not depend on it).',
        mitigate: [
          'Check the process or pod (crash loop, OOM kill) and restart it.',
          'Check its /health (process) and /ready (PostgreSQL reachable) endpoints.',
        ],
        followUp: [`Read the last log lines before the crash (Loki: ${streamSel(s)}).`],
      },
      probe: zeroFires(target, sel(m.up, {}, target)),
    },
    {
      alert: 'ResultDatabaseUnavailable',
      severity: 'warning',
      // Up, yet no result_votes series: its scrape-time read of PostgreSQL failed (no series is
      // "unknown"; a 0 would be a real tally and would not fire).
      expr: `${sel(m.up, {}, s)} == 1 unless on (job, instance) ${sel(m.resultVotes, {}, s)}`,
      for: cfg.alerts.defaultFor,
      summary: 'Result service cannot read PostgreSQL',
      description:
        '{{ $labels.instance }} of {{ $labels.job }} is up but its reads of PostgreSQL fail: its results page and GET /results answer 503.',
      dashboard: { key: 'vote', panel: 'Stored votes by option' },
      runbook: {
        meaning:
          'The result service runs but cannot read the stored votes: viewers see "results unavailable". Votes are not lost: the worker writes them independently (check it too if PostgreSQL itself is down).',
        confirm: [
          agg(
            'sum',
            m.httpRequestsTotal,
            ['instance', 'route', 'status'],
            `rate(${sel(m.httpRequestsTotal, {}, s)}[${w}])`,
          ),
          sel(m.pgUp, {}, cfg.selectors.postgres),
        ],
        mitigate: [
          'Is PostgreSQL itself down (PostgresDown, WorkerDown)? Then fix that first.',
          'Otherwise the path from the result service to PostgreSQL: its /ready endpoint names the error (refused, timeout, authentication); check DATABASE_URL, the password and the network between them.',
          'The service recovers by itself once PostgreSQL answers: no restart needed.',
        ],
        followUp: [`Read the result service's warnings (Loki: ${streamSel(s)} |= "PostgreSQL").`],
      },
      probe: {
        // The quantity: whether the scrape carried result_votes (1) or not (0).
        op: '<',
        threshold: 0.5,
        quiet: 1,
        firing: 0,
        labels: target,
        value: () => 1,
        series: (v) => [
          gauge(sel(m.up, {}, target), 1),
          ...(v ? [gauge(sel(m.resultVotes, { option: 'cats' }, target), 3)] : []),
        ],
      },
    },
  ];
}
