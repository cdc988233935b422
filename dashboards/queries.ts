/**
 * Every dashboard query, built from catalog entries and the config's selectors (no metric or job
 * literals). Grouped by dashboard; each function returns plain PromQL strings.
 */

import { NON_USER_ROUTES, NOT_STORED_RESULTS } from '../config/matchers.js';
import { MIXIN_LABEL, metrics as m } from '../config/metrics.js';
import type { MixinConfig, QueueConfig } from '../config/mixin-config.js';
import {
  agg,
  countSel,
  histogramQuantile,
  increase,
  type Matcher,
  range,
  rate,
  re,
  sel,
  sumSel,
} from '../config/promql.js';
import { recordings as r } from '../config/recordings.js';
import { escapeRegex } from './defaults.js';
import {
  alsoMatchJobVar,
  INSTANCE_VAR,
  JOB_VAR,
  OVERVIEW_COMPONENTS,
  ownScope,
  recordingScope,
  sharedScope,
  varScope,
  withJobVar,
} from './scope.js';

const sum = (expr: string) => `sum (${expr})`;

/**
 * `expr`, or 0 where `source` has a series and `expr` has none. For ratios and counts of things
 * that go wrong: `http_requests_total{status=~"5.."}` has no series until the first 5xx, so the
 * 5xx ratio would be empty ("No data") on a healthy service. With the service's own request rate
 * as `source` it reads 0 while the service is scraped, and still nothing when the service or the
 * metric is missing — unlike `or vector(0)`, which would show 0 for a service that is gone.
 * `source` must carry the labels `expr` has (the same `by`), so the 0 fills in exactly the series
 * `expr` lacks; `on ()` (`whole: true`) adds it only when `expr` is empty altogether.
 */
export function orZero(expr: string, source: string, opts: { whole?: boolean } = {}): string {
  return `(${expr} or${opts.whole ? ' on ()' : ''} 0 * ${source})`;
}

export function voteQueries(cfg: MixinConfig) {
  // Its own job besides $job: the dashboard's $job also offers the result service, which serves
  // the same http_* and process_* metrics (see ownScope).
  const s = ownScope(cfg, 'vote');
  // Ratios and latency count user requests only, as the alerts that link here do: scrapes and
  // probes of /metrics, /health and /ready would dilute the 5xx ratio and pull p95 down.
  const user = { route: NON_USER_ROUTES };
  const requests = (status?: string) =>
    sum(rate(sel(m.httpRequestsTotal, status ? { ...user, status: re(status) } : user, s)));
  return withJobVar({
    requestsByRouteStatus: agg('sum', m.httpRequestsTotal, ['route', 'status'], rate(sel(m.httpRequestsTotal, {}, s))),
    errorRatio4xx: orZero(`${requests('4..')} / ${requests()}`, requests()),
    errorRatio5xx: orZero(`${requests('5..')} / ${requests()}`, requests()),
    latency: (q: number) => histogramQuantile(q, m.httpRequestDurationSeconds, { matchers: user, scope: s }),
    inFlight: agg('sum', m.httpRequestsInFlight, ['instance'], sel(m.httpRequestsInFlight, {}, s)),
    votesByOption: agg('sum', m.votesTotal, ['option'], rate(sel(m.votesTotal, {}, s))),
    // Every reason starts at 0 in voting-mixin/instrument, so no fallback is needed.
    rateLimited: sum(rate(sel(m.voteRateLimitedTotal, {}, s))),
    enqueueFailuresByReason: agg(
      'sum',
      m.voteEnqueueFailuresTotal,
      ['reason'],
      rate(sel(m.voteEnqueueFailuresTotal, {}, s)),
    ),
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
  });
}

/**
 * The result service's row on the vote dashboard: its user requests (scrapes and probes excluded,
 * as for vote), 5xx ratio, p95, instances, and the votes it reads from PostgreSQL.
 */
export function resultQueries(cfg: MixinConfig) {
  const s = ownScope(cfg, 'result');
  const user = { route: NON_USER_ROUTES };
  const requests = (status?: string) =>
    sum(rate(sel(m.httpRequestsTotal, status ? { ...user, status: re(status) } : user, s)));
  return withJobVar({
    requestsByRoute: agg('sum', m.httpRequestsTotal, ['route', 'status'], rate(sel(m.httpRequestsTotal, user, s))),
    errorRatio5xx: orZero(`${requests('5..')} / ${requests()}`, requests()),
    latency: (q: number) => histogramQuantile(q, m.httpRequestDurationSeconds, { matchers: user, scope: s }),
    instancesUp: sum(sel(m.up, {}, s)),
    instancesTotal: `count (${sel(m.up, {}, s)})`,
    // Every result instance reads the same PostgreSQL: max, not sum, or two instances would double it.
    storedByOption: agg('max', m.resultVotes, ['option'], sel(m.resultVotes, {}, s)),
  });
}

/** Why a Redis memory-limit query may be empty on a healthy Redis (the `mayBeEmpty` marker). */
export const MAXMEMORY_UNSET = 'maxmemory is 0 (no limit): there is no share of a limit to show';
/** Why a drain ETA may be empty on a healthy queue. */
export const QUEUE_NOT_SHRINKING = 'no ETA while the queue is not shrinking (an empty or steady queue)';

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

/** Why a Redis query may be empty on a healthy Redis (the `mayBeEmpty` markers of the detail rows). */
export const NO_ERROR_YET = 'Redis lists an error prefix only after its first error reply';
export const NO_REPLICA = 'no replica is connected: a single Redis has no replication lag';
export const IS_PRIMARY = 'this Redis is a primary: only a replica has a link to a master';
export const NO_KEYS = 'no database holds a key (an idle Redis whose queues are drained)';

/**
 * Redis beyond the basics, from redis_exporter-compatible INFO metrics: per-command latency and
 * calls (commandstats), network, errors, keys, persistence, replication and fragmentation.
 */
export function redisDetailQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'exporter');
  const byCmd = (x: typeof m.redisCommandsTotal | typeof m.redisCommandsDurationSecondsTotal) =>
    agg('sum', x, ['cmd'], rate(sel(x, {}, s)));
  const perInstance = (x: typeof m.redisNetInputBytesTotal | typeof m.redisNetOutputBytesTotal) =>
    agg('sum', x, ['instance'], rate(sel(x, {}, s)));
  return {
    // Mean execution time per call over the window; `> 0` drops commands not called in it (0/0).
    commandLatency: `${byCmd(m.redisCommandsDurationSecondsTotal)} / (${byCmd(m.redisCommandsTotal)} > 0)`,
    commandCalls: byCmd(m.redisCommandsTotal),
    netInput: perInstance(m.redisNetInputBytesTotal),
    netOutput: perInstance(m.redisNetOutputBytesTotal),
    // Every error reply, whatever its prefix: reads 0 on a Redis that never answered with an error.
    errorReplies: sum(rate(sel(m.redisTotalErrorReplies, {}, s))),
    errorsByPrefix: agg('sum', m.redisErrorsTotal, ['err'], rate(sel(m.redisErrorsTotal, {}, s))),
    // redis_exporter writes a 0 for every empty database (16 by default): only those holding keys.
    keysByDb: `${agg('sum', m.redisDbKeys, ['db'], sel(m.redisDbKeys, {}, s))} > 0`,
    keys: sum(sel(m.redisDbKeys, {}, s)),
    keysExpiring: sum(sel(m.redisDbKeysExpiring, {}, s)),
    // The worst instance decides: 0 when any last BGSAVE or AOF write failed.
    rdbStatus: `min (${sel(m.redisRdbLastBgsaveStatus, {}, s)})`,
    aofStatus: `min (${sel(m.redisAofLastWriteStatus, {}, s)})`,
    aofEnabled: `min (${sel(m.redisAofEnabled, {}, s)})`,
    sinceLastSave: `time() - min (${sel(m.redisRdbLastSaveTimestampSeconds, {}, s)})`,
    changesSinceSave: agg(
      'max',
      m.redisRdbChangesSinceLastSave,
      ['instance'],
      sel(m.redisRdbChangesSinceLastSave, {}, s),
    ),
    replicas: sum(sel(m.redisConnectedSlaves, {}, s)),
    masterLink: `min (${sel(m.redisMasterLinkUp, {}, s)})`,
    replicaLag: agg(
      'max',
      m.redisConnectedSlaveLagSeconds,
      ['instance', 'slave_ip', 'slave_port'],
      sel(m.redisConnectedSlaveLagSeconds, {}, s),
    ),
    // Bytes of the replication stream each replica has not acknowledged yet.
    replicaOffsetLag: `${sel(m.redisMasterReplOffset, {}, s)} - on (job, instance) group_right () ${sel(m.redisConnectedSlaveOffsetBytes, {}, s)}`,
    fragmentationRatio: sel(m.redisMemFragmentationRatio, {}, s),
    fragmentationBytes: sel(m.redisMemFragmentationBytes, {}, s),
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
    // Backlog divided by the net drain rate; 0 for an empty queue (`== 0` keeps the 0), absent
    // while a backlog is not shrinking.
    drainEta: `(${length} / ((${dequeued} - ${enqueued}) > 0)) or ${length} == 0`,
  };
}

/** Why the stream consumer-group queries may be empty on a healthy system (the `mayBeEmpty` marker). */
export const NO_STREAM_GROUP = `series exist only when ${m.redisQueueStreamGroupLag.onlyWhen}: none while every queue is a list, zset, set, hash or a stream nobody reads with XREADGROUP`;

/**
 * Lag (not yet delivered) and pending (delivered, not acknowledged) per consumer group of the
 * `queues` (those that may be streams), by queue, key (a pattern matches several streams) and
 * group. `max`, not `sum`: two exporters reading the same Redis report the same group twice.
 */
export function streamGroupQueries(cfg: MixinConfig, queues: readonly QueueConfig[]) {
  const [only, ...more] = queues.map((q) => q.name);
  const queue = more.length === 0 && only !== undefined ? only : re(queues.map((q) => escapeRegex(q.name)).join('|'));
  const ex = { ...varScope(cfg, 'exporter'), queue };
  const byGroup = ['queue', 'key', 'group'] as const;
  return {
    lag: agg('max', m.redisQueueStreamGroupLag, byGroup, sel(m.redisQueueStreamGroupLag, {}, ex)),
    pending: agg('max', m.redisQueueStreamGroupPending, byGroup, sel(m.redisQueueStreamGroupPending, {}, ex)),
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
    // 1 when any selected exporter's last collection was cut by its deadline.
    lastTimedOut: `max (${sel(m.exporterLastScrapeTimedOut, {}, s)})`,
  };
}

export function workerQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'worker');
  const processed = (result?: Matcher) => sum(rate(sel(m.workerVotesProcessedTotal, result ? { result } : {}, s)));
  return {
    processedByResult: agg(
      'sum',
      m.workerVotesProcessedTotal,
      ['result'],
      rate(sel(m.workerVotesProcessedTotal, {}, s)),
    ),
    // Votes not stored (given up or malformed), as WorkerHighFailureRatio counts them; retried
    // writes are not failures. A service that does not start these results at 0 has no such
    // series until the first one.
    failures: orZero(processed(NOT_STORED_RESULTS), processed()),
    failureRatio: orZero(`${processed(NOT_STORED_RESULTS)} / ${processed()}`, processed()),
    retries: sum(rate(sel(m.workerVoteRetriesTotal, {}, s))),
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

/** Votes accepted by the vote service over the dashboard's time range: per option, share, total. */
export function businessQueries(cfg: MixinConfig) {
  const perOption = agg(
    'sum',
    m.votesTotal,
    ['option'],
    increase(sel(m.votesTotal, {}, varScope(cfg, 'vote')), '$__range'),
  );
  const total = sum(increase(sel(m.votesTotal, {}, varScope(cfg, 'vote')), '$__range'));
  // Stored (result_votes): one current vote per voter, read from PostgreSQL by the result
  // service; max over its instances, which all read the same database.
  const stored = agg('max', m.resultVotes, ['option'], sel(m.resultVotes, {}, varScope(cfg, 'result')));
  return {
    votesByOption: perOption,
    // Each option's votes over all votes; NaN (not 0) while nobody voted: there is no share yet.
    voteShare: `${perOption} / ignoring (option) group_left ${total}`,
    totalVotes: total,
    storedByOption: stored,
    // NaN while no vote is stored, as voteShare; nothing while PostgreSQL is unreachable.
    storedShare: `${stored} / ignoring (option) group_left sum (${stored})`,
  };
}

export function overviewQueries(cfg: MixinConfig) {
  const up = (c: 'vote' | 'worker' | 'exporter') =>
    sum(alsoMatchJobVar(sel(m.up, { instance: re(INSTANCE_VAR) }, cfg.selectors[c])));
  const worker = workerQueries(cfg);
  const redis = redisQueries(cfg);
  const alerts = sel(m.alertsFiring, { alertstate: 'firing', mixin: MIXIN_LABEL.value });
  // Every scraped target of the overview's components, narrowed like its $job and $instance variables
  // by the matchers all their selectors share (namespace: prod…): another namespace's down targets
  // are not ours to count.
  const targets = sel(
    m.up,
    {},
    {
      ...sharedScope(cfg, OVERVIEW_COMPONENTS),
      job: re(JOB_VAR),
      instance: re(INSTANCE_VAR),
    },
  );
  return {
    // vote's own job besides $job: the result service serves http_requests_total too.
    voteRequests: sum(
      rate(
        alsoMatchJobVar(
          sel(m.httpRequestsTotal, { route: NON_USER_ROUTES, instance: re(INSTANCE_VAR) }, cfg.selectors.vote),
        ),
      ),
    ),
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
    // ALERTS has no series while nothing fires. The health score is recorded by the same rule
    // files, so it exists exactly when our rules are loaded: 0 then, "No data" when they are not.
    firingAlertCount: orZero(`count (${alerts})`, `count (${sel(r.systemVotingHealthScore)})`),
    firingAlerts: `sort_desc(sum by (alertname, severity) (${alerts}))`,
    // What MonitoringTargetDown fires on, per target; empty while every target is up.
    targetsDown: `${targets} == 0`,
    targetsDownCount: orZero(`count (${targets} == 0)`, `count (${targets})`),
  };
}
