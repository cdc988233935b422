/** Exporter and scrape health: the queue exporter's own errors and latency, and any target down. */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, increase, sel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { num, secs } from './humanize.js';
import { counter, gauge, zeroFires } from './probe-series.js';
import { pick, scopeLabels } from './scope-labels.js';

export function exporterAlerts(cfg: MixinConfig): AlertSpec[] {
  const s = cfg.selectors.exporter;
  const target = { ...scopeLabels(s, 'selectors.exporter'), instance: 'exporter-1' };
  const w = cfg.alerts.rateWindow;
  const limit = cfg.thresholds.exporter.scrapeDurationWarningSeconds;
  const targetsDown = Object.values(cfg.selectors)
    .map((scope) => `${sel(m.up, {}, scope)} == 0`)
    .join(' or ');
  return [
    {
      alert: 'ExporterScrapeErrors',
      severity: 'warning',
      expr: `${agg('sum', m.exporterScrapeErrorsTotal, ['job', 'instance'], increase(sel(m.exporterScrapeErrorsTotal, {}, s), w))} > 0`,
      for: cfg.alerts.downFor,
      summary: 'Queue exporter collections fail',
      description: `The queue exporter {{ $labels.instance }} failed collections in the last ${w}: queue metrics are missing or stale.`,
      dashboard: { key: 'redis-queue', panel: 'Exporter collection errors/s' },
      runbook: {
        meaning: 'Queue dashboards and alerts may be blind.',
        confirm: [
          agg('sum', m.exporterScrapeErrorsTotal, ['reason'], increase(sel(m.exporterScrapeErrorsTotal, {}, s), w)),
          sel(m.exporterLastScrapeTimedOut, {}, s),
          sel(m.redisUp, {}, s),
        ],
        mitigate: [
          'Read the exporter logs for the reason (timeout, auth, connection).',
          'Check Redis reachability and password file.',
          `Reason timeout with ${m.redisUp.name} 1: Redis answers, slowly. Look for a slow command (SLOWLOG GET, the Command latency by command panel) or queue patterns matching too many keys.`,
        ],
        followUp: ['Raise the collection deadline if Redis is just slow.'],
      },
      probe: {
        op: '>',
        threshold: 0,
        quiet: 0,
        firing: 1,
        labels: pick(target, ['job', 'instance']),
        value: null,
        series: (v) => [counter(sel(m.exporterScrapeErrorsTotal, { reason: 'timeout' }, target), v)],
      },
    },
    {
      alert: 'ExporterSlowScrape',
      severity: 'warning',
      expr: `${agg('max', m.exporterScrapeDurationSeconds, ['job', 'instance'], sel(m.exporterScrapeDurationSeconds, {}, s))} > ${num(limit)}`,
      for: cfg.alerts.defaultFor,
      summary: `Queue exporter collections take more than ${secs(limit)}`,
      description:
        'The queue exporter {{ $labels.instance }} needed {{ $value | humanizeDuration }} for its last collection from Redis.',
      dashboard: { key: 'redis-queue', panel: 'Exporter collection duration' },
      runbook: {
        meaning: 'Slow collections load Redis and risk scrape timeouts.',
        confirm: [sel(m.exporterLastScrapeKeys, {}, s), sel(m.scrapeDurationSeconds, {}, s)],
        mitigate: ['Narrow queue key patterns (fewer SCAN matches).', 'Check Redis latency (SLOWLOG).'],
        followUp: [`Compare with ${m.exporterLastScrapeKeys.name} growth.`],
      },
      probe: {
        op: '>',
        threshold: limit,
        labels: pick(target, ['job', 'instance']),
        series: (v) => [gauge(sel(m.exporterScrapeDurationSeconds, {}, target), v)],
      },
    },
    {
      alert: 'MonitoringTargetDown',
      severity: 'warning',
      expr: targetsDown,
      for: cfg.alerts.downFor,
      summary: 'Scrape target down',
      description:
        'Prometheus cannot scrape {{ $labels.instance }} of job {{ $labels.job }}: its metrics, and the alerts built on them, are missing.',
      dashboard: { key: 'overview', panel: 'Scrape targets down' },
      runbook: {
        meaning: 'A target of the voting system (vote, worker, exporter, Prometheus, Alertmanager) is not scraped.',
        confirm: [`${sel(m.up, {})} == 0`],
        mitigate: ['Open Prometheus /targets for the scrape error.', 'Restart the process behind the target.'],
        followUp: ['Check that the scrape config matches where the service runs.'],
      },
      probe: zeroFires(target, sel(m.up, {}, target)),
    },
  ];
}
