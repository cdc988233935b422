/**
 * Every dashboard query, built from catalog entries and the config's selectors (no metric or job
 * literals). Grouped by dashboard; each function returns plain PromQL strings.
 */

import { NON_USER_ROUTES } from '../config/matchers.js';
import { MIXIN_LABEL, metrics as m } from '../config/metrics.js';
import type { MixinConfig, QueueConfig } from '../config/mixin-config.js';
import { agg, countSel, histogramQuantile, range, rate, re, sel, sumSel } from '../config/promql.js';
import { recordings as r } from '../config/recordings.js';
import { alsoMatchJobVar, INSTANCE_VAR, JOB_VAR, recordingScope, varScope } from './scope.js';

const sum = (expr: string) => `sum (${expr})`;

export function voteQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'vote');
  // Ratios and latency count user requests only, as the alerts that link here do: scrapes and
  // probes of /metrics, /health and /ready would dilute the 5xx ratio and pull p95 down.
  const user = { route: NON_USER_ROUTES };
  const requests = (status?: string) =>
    sum(rate(sel(m.httpRequestsTotal, status ? { ...user, status: re(status) } : user, s)));
  return {
    requestsByRouteStatus: agg('sum', m.httpRequestsTotal, ['route', 'status'], rate(sel(m.httpRequestsTotal, {}, s))),
    errorRatio4xx: `${requests('4..')} / ${requests()}`,
    errorRatio5xx: `${requests('5..')} / ${requests()}`,
    latency: (q: number) => histogramQuantile(q, m.httpRequestDurationSeconds, { matchers: user, scope: s }),
    inFlight: agg('sum', m.httpRequestsInFlight, ['instance'], sel(m.httpRequestsInFlight, {}, s)),
    votesByOption: agg('sum', m.votesTotal, ['option'], rate(sel(m.votesTotal, {}, s))),
    instancesUp: sum(sel(m.up, {}, s)),
    instancesTotal: `count (${sel(m.up, {}, s)})`,
    cpu: agg('sum', m.processCpuSecondsTotal, ['instance'], rate(sel(m.processCpuSecondsTotal, {}, s))),
    rss: agg('sum', m.processResidentMemoryBytes, ['instance'], sel(m.processResidentMemoryBytes, {}, s)),
    eventLoopLag: agg('max', m.nodejsEventloopLagP99Seconds, ['instance'], sel(m.nodejsEventloopLagP99Seconds, {}, s)),
    // A restart shows as a new process_start_time_seconds value: count the changes in the range.
    restarts: agg(
      'sum',
      m.processStartTimeSeconds,
      ['instance'],
      `changes(${range(sel(m.processStartTimeSeconds, {}, s), '$__range')})`,
    ),
  };
}

export function redisQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'exporter');
  const hits = sum(rate(sel(m.redisKeyspaceHitsTotal, {}, s)));
  const misses = sum(rate(sel(m.redisKeyspaceMissesTotal, {}, s)));
  return {
    up: `min (${sel(m.redisUp, {}, s)})`,
    uptime: `min (${sel(m.redisUptimeInSeconds, {}, s)})`,
    // `> 0` drops the series when maxmemory is 0 (no limit), so the ratio is absent instead of +Inf.
    memoryRatio: `${sel(m.redisMemoryUsedBytes, {}, s)} / (${sel(m.redisMemoryMaxBytes, {}, s)} > 0)`,
    memoryUsed: sel(m.redisMemoryUsedBytes, {}, s),
    memoryMax: `${sel(m.redisMemoryMaxBytes, {}, s)} > 0`,
    memoryRss: sel(m.redisMemoryUsedRssBytes, {}, s),
    connectedClients: sel(m.redisConnectedClients, {}, s),
    blockedClients: sel(m.redisBlockedClients, {}, s),
    commands: agg('sum', m.redisCommandsProcessedTotal, ['instance'], rate(sel(m.redisCommandsProcessedTotal, {}, s))),
    hitRatio: `${hits} / (${hits} + ${misses})`,
    evicted: sum(rate(sel(m.redisEvictedKeysTotal, {}, s))),
    rejected: sum(rate(sel(m.redisRejectedConnectionsTotal, {}, s))),
  };
}

/** Queries about one configured queue; producers and consumers are selected by their own config selectors. */
export function queueQueries(cfg: MixinConfig, q: QueueConfig) {
  const ex = { ...varScope(cfg, 'exporter'), queue: q.name };
  const enqueued = sum(rate(sel(m.queueEnqueuedTotal, { queue: q.name }, varScope(cfg, 'vote'))));
  const dequeued = sum(rate(sel(m.queueDequeuedTotal, { queue: q.name }, varScope(cfg, 'worker'))));
  const length = sum(sel(m.redisQueueLength, {}, ex));
  return {
    length,
    oldestAge: `max (${sel(m.redisQueueOldestItemAgeSeconds, {}, ex)})`,
    processingLength: sum(sel(m.redisQueueProcessingLength, {}, ex)),
    enqueued,
    dequeued,
    // Backlog divided by the net drain rate; absent while the queue is not shrinking.
    drainEta: `${length} / ((${dequeued} - ${enqueued}) > 0)`,
  };
}

/** The queue exporter's own health: how long its collections from Redis take and why they fail. */
export function exporterQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'exporter');
  return {
    collectionDuration: agg(
      'max',
      m.exporterScrapeDurationSeconds,
      ['instance'],
      sel(m.exporterScrapeDurationSeconds, {}, s),
    ),
    collectionErrors: agg(
      'sum',
      m.exporterScrapeErrorsTotal,
      ['reason'],
      rate(sel(m.exporterScrapeErrorsTotal, {}, s)),
    ),
  };
}

export function workerQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'worker');
  const processed = (result?: string) => sum(rate(sel(m.workerVotesProcessedTotal, result ? { result } : {}, s)));
  return {
    processedByResult: agg(
      'sum',
      m.workerVotesProcessedTotal,
      ['result'],
      rate(sel(m.workerVotesProcessedTotal, {}, s)),
    ),
    failures: processed('failed'),
    failureRatio: `${processed('failed')} / ${processed()}`,
    processing: (q: number) => histogramQuantile(q, m.workerProcessingDurationSeconds, { scope: s }),
    batchSizeAvg: `${sum(rate(sumSel(m.workerBatchSize, {}, s)))} / ${sum(rate(countSel(m.workerBatchSize, {}, s)))}`,
    batchSizeP95: histogramQuantile(0.95, m.workerBatchSize, { scope: s }),
    up: sum(sel(m.up, {}, s)),
    sinceLastSuccess: `time() - max (${sel(m.workerLastSuccessTimestampSeconds, {}, s)})`,
    dbLatency: (q: number) => histogramQuantile(q, m.workerDbQueryDurationSeconds, { scope: s, by: ['operation'] }),
    poolByState: agg('sum', m.workerDbPoolConnections, ['state'], sel(m.workerDbPoolConnections, {}, s)),
    poolMax: sum(sel(m.workerDbPoolMaxConnections, {}, s)),
  };
}

export function overviewQueries(cfg: MixinConfig) {
  const up = (c: 'vote' | 'worker' | 'exporter') =>
    sum(alsoMatchJobVar(sel(m.up, { instance: re(INSTANCE_VAR) }, cfg.selectors[c])));
  const worker = workerQueries(cfg);
  const redis = redisQueries(cfg);
  return {
    voteRequests: sum(rate(sel(m.httpRequestsTotal, { route: NON_USER_ROUTES }, varScope(cfg, 'vote')))),
    voteErrorRatio: `max (${sel(r.jobHttpRequestErrorsRatioRate5m, {}, recordingScope)})`,
    voteLatencyP95: `max (${sel(r.jobHttpRequestDurationSecondsP95Rate5m, {}, recordingScope)})`,
    voteUp: up('vote'),
    workerProcessed: sum(rate(sel(m.workerVotesProcessedTotal, {}, varScope(cfg, 'worker')))),
    workerFailureRatio: worker.failureRatio,
    workerSinceLastSuccess: worker.sinceLastSuccess,
    workerUp: up('worker'),
    redisUp: redis.up,
    redisMemoryRatio: `max (${redis.memoryRatio})`,
    healthScore: sel(r.systemVotingHealthScore),
    firingAlertCount: `count (${sel(m.alertsFiring, { alertstate: 'firing', mixin: MIXIN_LABEL.value })}) or vector(0)`,
    firingAlerts: `sort_desc(sum by (alertname, severity) (${sel(m.alertsFiring, { alertstate: 'firing', mixin: MIXIN_LABEL.value })}))`,
    // What MonitoringTargetDown fires on, per target.
    targetsDown: `${sel(m.up, {}, { job: re(JOB_VAR), instance: re(INSTANCE_VAR) })} == 0`,
  };
}
