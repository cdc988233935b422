/** Vote service (RED): rate, errors, duration, saturation and process health of the web tier. */

import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { metrics } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { type DashboardJson, withDefaults } from './defaults.js';
import { ANY_RATE, higherIsWorse, row, statPanel, steps, timeSeries } from './panels.js';
import { resultQueries, voteQueries } from './queries.js';

/**
 * The result service (reads the stored votes from PostgreSQL): its RED, instances and the votes it
 * reads. Last on the dashboard, so adding it moved no existing panel id.
 */
function withResultRow(b: DashboardBuilder, cfg: MixinConfig): void {
  const q = resultQueries(cfg);
  const t = cfg.thresholds.vote;
  b.withRow(row('Result service'))
    .withPanel(
      timeSeries({
        title: 'Result requests/s by route and status',
        description:
          'User requests per second to the result service (scrapes and probes excluded), by route template and status. A live page counts once when its stream (/results/stream) opens.',
        unit: 'reqps',
        queries: [{ expr: q.requestsByRoute, legend: '{{route}} {{status}}' }],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Result 5xx ratio',
        description: `Share of the result service's user requests answered 5xx (PostgreSQL unreachable or slower than the read timeout). Lines at the vote service's warning (${t.errorRatioWarning}) and critical (${t.errorRatioCritical}) thresholds.`,
        unit: 'percentunit',
        min: 0,
        thresholds: higherIsWorse(t.errorRatioWarning, t.errorRatioCritical),
        queries: [{ expr: q.errorRatio5xx, legend: '5xx' }],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Result latency p50 / p95',
        description: `User request latency of the result service (every request reads PostgreSQL once). Live streams are not timed: their duration is a visit, not a latency. Thresholds as for the vote service: p95 warning ${t.latencyP95WarningSeconds}s, critical ${t.latencyP95CriticalSeconds}s.`,
        unit: 's',
        thresholds: higherIsWorse(t.latencyP95WarningSeconds, t.latencyP95CriticalSeconds),
        queries: [
          { expr: q.latency(0.5), legend: 'p50' },
          { expr: q.latency(0.95), legend: 'p95' },
        ],
        w: 8,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Result instances up',
        description: 'Result instances Prometheus can scrape, out of the instances it knows (red when none is up).',
        unit: 'short',
        thresholds: steps('red', [1, 'green']),
        queries: [
          { expr: q.instancesUp, legend: 'up', instant: true },
          { expr: q.instancesTotal, legend: 'known', instant: true },
        ],
        w: 6,
        h: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Stored votes by option',
        description: `Votes stored in PostgreSQL per option as the result service reads them at each scrape (${metrics.resultVotes.name}): one current vote per voter, so a voter who changes their mind moves a vote rather than adding one, unlike the accepted votes above. A gap means PostgreSQL did not answer the scrape (unknown, not 0).`,
        unit: 'short',
        min: 0,
        decimals: 0,
        queries: [{ expr: q.storedByOption, legend: '{{option}}' }],
        w: 10,
      }),
    );
}

/** @example voteDashboard(defineConfig()).uid === 'voting-vote' */
export function voteDashboard(cfg: MixinConfig): DashboardJson {
  const q = voteQueries(cfg);
  const t = cfg.thresholds.vote;
  const b = new DashboardBuilder('vote')
    .withRow(row('Requests (RED)'))
    .withPanel(
      timeSeries({
        title: 'Requests/s by route and status',
        description: 'Requests per second handled by the vote service, split by route template and HTTP status.',
        unit: 'reqps',
        queries: [{ expr: q.requestsByRouteStatus, legend: '{{route}} {{status}}' }],
        w: 24,
      }),
    )
    .withPanel(
      timeSeries({
        title: '4xx ratio',
        description:
          'Share of user requests (scrapes and probes excluded) answered with a 4xx status (client errors: bad votes, unknown routes).',
        unit: 'percentunit',
        min: 0,
        queries: [{ expr: q.errorRatio4xx, legend: '4xx' }],
      }),
    )
    .withPanel(
      timeSeries({
        title: '5xx ratio',
        description: `Share of user requests (scrapes and probes excluded, as in the alerts) answered with a 5xx status (server errors, e.g. Redis unavailable). Lines at the warning (${t.errorRatioWarning}) and critical (${t.errorRatioCritical}) thresholds of the config.`,
        unit: 'percentunit',
        min: 0,
        thresholds: higherIsWorse(t.errorRatioWarning, t.errorRatioCritical),
        queries: [{ expr: q.errorRatio5xx, legend: '5xx' }],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Latency p50 / p95 / p99',
        description: `User request latency quantiles (scrapes and probes excluded, as in the alerts) from the http_request_duration_seconds histogram. Thresholds: p95 warning ${t.latencyP95WarningSeconds}s, critical ${t.latencyP95CriticalSeconds}s.`,
        unit: 's',
        thresholds: higherIsWorse(t.latencyP95WarningSeconds, t.latencyP95CriticalSeconds),
        queries: [
          { expr: q.latency(0.5), legend: 'p50' },
          { expr: q.latency(0.95), legend: 'p95' },
          { expr: q.latency(0.99), legend: 'p99' },
        ],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'In-flight requests',
        description:
          'Requests being served right now, per instance: a rising line means requests queue up inside the service.',
        unit: 'short',
        queries: [{ expr: q.inFlight, legend: '{{instance}}' }],
      }),
    )
    .withRow(row('Votes'))
    .withPanel(
      timeSeries({
        title: 'Votes/s by option',
        description: 'Votes accepted and enqueued per second, by option.',
        unit: 'ops',
        stack: true,
        queries: [{ expr: q.votesByOption, legend: '{{option}}' }],
        w: 12,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Enqueue failures/s',
        description: `Votes the service could not push onto the queue per second, by reason (the voter got a 503). Any failure is a lost vote unless the client retries; see ${metrics.voteEnqueueFailuresTotal.name}.`,
        unit: 'ops',
        min: 0,
        thresholds: steps('green', [ANY_RATE, 'red']),
        queries: [{ expr: q.enqueueFailuresByReason, legend: '{{reason}}' }],
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Rate-limited votes/s',
        description: `Votes answered 429 per second because their client was over its rate: per signed voter (--vote-rate-limit) and, when set, per address for cookieless votes (--new-voter-rate-limit); see ${metrics.voteRateLimitedTotal.name}. Not lost votes: the client is told when to retry (Retry-After). A steady line is a script voting in a loop.`,
        unit: 'ops',
        min: 0,
        queries: [{ expr: q.rateLimited, legend: 'refused' }],
        w: 6,
      }),
    )
    .withRow(row('Instances'))
    .withPanel(
      statPanel({
        title: 'Instances up',
        description: 'Vote instances Prometheus can scrape, out of the instances it knows (red when none is up).',
        unit: 'short',
        thresholds: steps('red', [1, 'green']),
        queries: [
          { expr: q.instancesUp, legend: 'up', instant: true },
          { expr: q.instancesTotal, legend: 'known', instant: true },
        ],
      }),
    )
    .withPanel(
      statPanel({
        title: 'Restarts',
        description: `Process restarts per instance in the selected time range (changes of ${metrics.processStartTimeSeconds.name}).`,
        unit: 'short',
        thresholds: higherIsWorse(1, 3),
        queries: [{ expr: q.restarts, legend: '{{instance}}', instant: true }],
        w: 18,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'CPU',
        description: 'CPU time per second per instance (1 = one full core).',
        unit: 'percentunit',
        min: 0,
        queries: [{ expr: q.cpu, legend: '{{instance}}' }],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Resident memory',
        description: 'Resident set size of each vote process.',
        unit: 'bytes',
        min: 0,
        queries: [{ expr: q.rss, legend: '{{instance}}' }],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Event-loop lag p99',
        description:
          'The 99th percentile event-loop delay: above a few tens of milliseconds the process is CPU-bound or blocked.',
        unit: 's',
        min: 0,
        queries: [{ expr: q.eventLoopLag, legend: '{{instance}}' }],
        w: 8,
      }),
    );
  withResultRow(b, cfg);
  return withDefaults(
    cfg,
    {
      key: 'vote',
      // The result service is the read side of the same app: its row sits here, its jobs in $job.
      components: ['vote', 'result'],
      description:
        'Vote service: requests, errors, latency (RED), votes by option and process health; the result service that shows the stored votes.',
    },
    b.build(),
  );
}
