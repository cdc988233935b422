/**
 * Overview: the overall health score, firing alerts, the votes themselves (per option, share,
 * total), one stat row per component coloured by the config's thresholds, recent error logs,
 * scrape targets down, and links to the three component dashboards.
 */

import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { metrics } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { hasOldestAge } from '../config/queue-kinds.js';
import { recordings } from '../config/recordings.js';
import { containersRow } from './containers.js';
import { type DashboardJson, type DashboardKey, dashboardTitle, dashboardUrl, withDefaults } from './defaults.js';
import {
  barGaugePanel,
  gaugePanel,
  higherIsWorse,
  logsPanel,
  type PanelOptions,
  pieChartPanel,
  row,
  statPanel,
  steps,
  tablePanel,
  upDownMappings,
} from './panels.js';
import { businessQueries, MAXMEMORY_UNSET, overviewQueries, queueQueries } from './queries.js';
import { INSTANCE_VAR, JOB_VAR, OVERVIEW_COMPONENTS } from './scope.js';

/** Pino writes numeric levels: 50 is error, 60 is fatal. */
export const errorLogsQuery = `{job=~"${JOB_VAR}", instance=~"${INSTANCE_VAR}"} | json | level >= 50`;

export function overviewDashboard(cfg: MixinConfig): DashboardJson {
  const q = overviewQueries(cfg);
  const votes = businessQueries(cfg);
  const health = cfg.thresholds.health;
  const v = cfg.thresholds.vote;
  const w = cfg.thresholds.worker;
  const link = (key: DashboardKey) => [{ title: dashboardTitle(cfg, key), url: dashboardUrl(cfg, key) }];
  const s = (key: DashboardKey, o: Omit<PanelOptions, 'links'>) => statPanel({ w: 6, ...o, links: link(key) });
  const b = new DashboardBuilder('overview')
    .withRow(row('Health'))
    .withPanel(
      gaugePanel({
        title: 'Health score',
        description: `Overall health 0-100 from the ${recordings.systemVotingHealthScore.name} recording rule (vote availability and latency, queue backlog, worker and Redis up). Green from ${health.healthy}, amber from ${health.warning}, red below (config thresholds.health).`,
        unit: 'short',
        min: 0,
        max: 100,
        thresholds: steps('red', [health.warning, 'orange'], [health.healthy, 'green']),
        queries: [{ expr: q.healthScore, instant: true }],
        w: 6,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Firing alerts',
        description:
          'Alerts of this mixin (label mixin="voting-mixin") firing in Prometheus right now; 0 when none fires, no value when the mixin\'s rules are not loaded.',
        unit: 'short',
        thresholds: steps('green', [1, 'red']),
        queries: [{ expr: q.firingAlertCount, instant: true }],
        w: 6,
        h: 8,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Firing alerts by name',
        description:
          'Firing alerts by name and severity; each row links to its runbook through the alert annotations in Alertmanager.',
        unit: 'short',
        queries: [
          { expr: q.firingAlerts, instant: true, format: 'table', mayBeEmpty: 'lists only alerts that are firing' },
        ],
        noValue: 'No alert is firing',
        w: 12,
      }),
    )
    .withRow(row('Votes'))
    .withPanel(
      statPanel({
        title: 'Total votes',
        description: 'Votes accepted by the vote service in the selected time range, all options together.',
        unit: 'short',
        decimals: 0,
        queries: [{ expr: votes.totalVotes, instant: true }],
        w: 4,
        h: 8,
      }),
    )
    .withPanel(
      barGaugePanel({
        title: 'Votes by option',
        description: `Votes accepted per option in the selected time range (${metrics.votesTotal.name}, counted once enqueued).`,
        unit: 'short',
        decimals: 0,
        min: 0,
        queries: [{ expr: votes.votesByOption, legend: '{{option}}', instant: true }],
        w: 10,
      }),
    )
    .withPanel(
      pieChartPanel({
        title: 'Vote share',
        description: "Each option's share of the votes accepted in the selected time range.",
        unit: 'percentunit',
        decimals: 1,
        queries: [{ expr: votes.voteShare, legend: '{{option}}', instant: true }],
        w: 10,
      }),
    )
    .withPanel(
      barGaugePanel({
        title: 'Stored votes by option',
        description: `Votes stored in PostgreSQL per option now, as the result service reads them (${metrics.resultVotes.name}): one current vote per voter, whatever the time range. Differs from the accepted votes when voters change their minds or while the queue has votes not yet written; no value while PostgreSQL does not answer (unknown, not 0).`,
        unit: 'short',
        decimals: 0,
        min: 0,
        queries: [{ expr: votes.storedByOption, legend: '{{option}}', instant: true }],
        w: 14,
      }),
    )
    .withPanel(
      pieChartPanel({
        title: 'Stored vote share',
        description: "Each option's share of the votes stored in PostgreSQL now (what the result page shows).",
        unit: 'percentunit',
        decimals: 1,
        queries: [{ expr: votes.storedShare, legend: '{{option}}', instant: true }],
        w: 10,
      }),
    )
    .withRow(row('Vote service'))
    .withPanel(
      s('vote', {
        title: 'Vote requests/s',
        description: 'User requests per second across all vote instances (scrapes and health probes excluded).',
        unit: 'reqps',
        queries: [{ expr: q.voteRequests, instant: true }],
      }),
    )
    .withPanel(
      s('vote', {
        title: 'Vote 5xx ratio',
        description: `Share of requests answered 5xx over 5m (recording rule). Orange from ${v.errorRatioWarning}, red from ${v.errorRatioCritical}.`,
        unit: 'percentunit',
        thresholds: higherIsWorse(v.errorRatioWarning, v.errorRatioCritical),
        queries: [{ expr: q.voteErrorRatio, instant: true }],
      }),
    )
    .withPanel(
      s('vote', {
        title: 'Vote latency p95',
        description: `p95 request latency over 5m (recording rule). Orange from ${v.latencyP95WarningSeconds}s, red from ${v.latencyP95CriticalSeconds}s.`,
        unit: 's',
        thresholds: higherIsWorse(v.latencyP95WarningSeconds, v.latencyP95CriticalSeconds),
        queries: [{ expr: q.voteLatencyP95, instant: true }],
      }),
    )
    .withPanel(
      s('vote', {
        title: 'Vote instances up',
        description: 'Vote instances Prometheus can scrape; red when none is.',
        unit: 'short',
        thresholds: steps('red', [1, 'green']),
        queries: [{ expr: q.voteUp, instant: true }],
      }),
    )
    .withRow(row('Redis & queues'));
  b.withPanel(
    s('redis-queue', {
      title: 'Redis up',
      description: 'Whether the exporter reached Redis on its last scrape.',
      unit: 'none',
      thresholds: steps('red', [1, 'green']),
      mappings: upDownMappings,
      queries: [{ expr: q.redisUp, instant: true }],
    }),
  ).withPanel(
    s('redis-queue', {
      title: 'Redis memory / maxmemory',
      description: `Used memory as a share of maxmemory ("No limit" when maxmemory is 0). Orange from ${cfg.thresholds.redis.memoryWarningRatio}, red from ${cfg.thresholds.redis.memoryCriticalRatio}.`,
      unit: 'percentunit',
      thresholds: higherIsWorse(cfg.thresholds.redis.memoryWarningRatio, cfg.thresholds.redis.memoryCriticalRatio),
      queries: [{ expr: q.redisMemoryRatio, instant: true, mayBeEmpty: MAXMEMORY_UNSET }],
      noValue: 'No limit',
    }),
  );
  for (const queue of cfg.queues) {
    const qq = queueQueries(cfg, queue);
    // A set or hash has no oldest item (no age series): its length takes the age's columns too.
    const withAge = hasOldestAge(queue);
    b.withPanel(
      s('redis-queue', {
        title: `Queue ${queue.name} length`,
        description: `Items waiting in queue "${queue.name}". Orange from ${queue.warning}, red from ${queue.critical}.`,
        unit: 'short',
        thresholds: higherIsWorse(queue.warning, queue.critical),
        queries: [{ expr: qq.length, instant: true }],
        w: withAge ? 3 : 6,
      }),
    );
    if (!withAge) continue;
    b.withPanel(
      s('redis-queue', {
        title: `Queue ${queue.name} oldest item`,
        description: `Age of the oldest waiting item. Orange from ${queue.oldestAgeWarningSeconds}s, red from ${queue.oldestAgeCriticalSeconds}s.`,
        unit: 's',
        thresholds: higherIsWorse(queue.oldestAgeWarningSeconds, queue.oldestAgeCriticalSeconds),
        queries: [{ expr: qq.oldestAge, instant: true }],
        w: 3,
      }),
    );
  }
  b.withRow(row('Worker'))
    .withPanel(
      s('worker', {
        title: 'Votes processed/s',
        description: 'Votes the workers finished with per second (all results).',
        unit: 'ops',
        queries: [{ expr: q.workerProcessed, instant: true }],
      }),
    )
    .withPanel(
      s('worker', {
        title: 'Worker failure ratio',
        description: `Failed votes as a share of processed votes. Orange from ${w.failureRatioWarning}, red from ${w.failureRatioCritical}.`,
        unit: 'percentunit',
        thresholds: higherIsWorse(w.failureRatioWarning, w.failureRatioCritical),
        queries: [{ expr: q.workerFailureRatio, instant: true }],
      }),
    )
    .withPanel(
      s('worker', {
        title: 'Since last success',
        description: `Time since a worker last committed a batch or polled an empty queue. Red from ${w.lastSuccessMaxAgeSeconds}s.`,
        unit: 's',
        thresholds: steps('green', [w.lastSuccessMaxAgeSeconds, 'red']),
        queries: [{ expr: q.workerSinceLastSuccess, instant: true }],
      }),
    )
    .withPanel(
      s('worker', {
        title: 'Workers up',
        description: 'Worker instances Prometheus can scrape; red when none is.',
        unit: 'short',
        thresholds: steps('red', [1, 'green']),
        queries: [{ expr: q.workerUp, instant: true }],
      }),
    )
    .withRow(row('Logs'))
    .withPanel(
      logsPanel({
        title: 'Error logs',
        description: 'Error and fatal log lines (pino level >= 50) from the selected jobs and instances, newest first.',
        expr: errorLogsQuery,
      }),
    )
    // Last, so adding it moved no existing panel id; MonitoringTargetDown's dashboard_url points here.
    .withRow(row('Scrape targets'))
    .withPanel(
      statPanel({
        title: 'Targets down',
        description:
          'Targets of the selected jobs that Prometheus cannot scrape right now: 0 when all are up, no value when it scrapes none of them.',
        unit: 'short',
        thresholds: steps('green', [1, 'red']),
        queries: [{ expr: q.targetsDownCount, instant: true }],
        w: 6,
        h: 8,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Scrape targets down',
        description:
          'Targets of the selected jobs (vote, result, worker, exporter, Prometheus, Alertmanager) that Prometheus cannot scrape right now; "No target is down" when all are up.',
        unit: 'short',
        queries: [
          { expr: q.targetsDown, instant: true, format: 'table', mayBeEmpty: 'lists only targets that are down' },
        ],
        noValue: 'No target is down',
        w: 18,
      }),
    )
    // Folded, and only under Compose: per-container CPU, memory and restarts (dashboards/containers.ts).
    .withRow(containersRow(cfg));
  return withDefaults(
    cfg,
    {
      key: 'overview',
      // cAdvisor's job too, for the containers row (offered only where it is scraped).
      components: [...OVERVIEW_COMPONENTS, 'cadvisor'],
      logs: true,
      description:
        'Voting system at a glance: one row per component, health score, firing alerts, error logs and links to the detailed dashboards.',
    },
    b.build(),
  );
}
