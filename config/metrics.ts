/**
 * The metric catalog: the only place a metric name is written.
 *
 * The reference app and the queue exporter create their prom-client metrics from these entries,
 * and every dashboard query and rule expression takes an entry rather than a string, so a
 * misspelt metric or label is a `tsc` error instead of an empty panel at 3 a.m.
 *
 * Who may touch this file: anyone adding a metric. Add the entry here first, then instrument it,
 * then query it. Renaming an entry renames it everywhere at once.
 */

import { def, type MetricDef } from './metric-def.js';
import { containerMetrics } from './metrics-containers.js';
import { postgresExporterMetrics } from './metrics-postgres.js';
import { redisExporterMetrics } from './metrics-redis.js';

export {
  type CatalogMetric,
  def,
  type MetricDef,
  type MetricSource,
  type MetricType,
  type Unit,
} from './metric-def.js';

/** Latency buckets for a web handler whose SLO threshold defaults to 500 ms. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
export const PROCESSING_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
export const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500] as const;

export const metrics = Object.freeze({
  // ---- vote service (express) -------------------------------------------------------------
  httpRequestsTotal: def({
    name: 'http_requests_total',
    type: 'counter',
    help: 'HTTP requests handled, by method, route template and status code.',
    labels: ['method', 'route', 'status'],
    unit: 'reqps',
    sources: ['vote', 'result'],
    absentUntil: { event: 'a request answered with that status (a 5xx)', labels: ['status'] },
  }),
  httpRequestDurationSeconds: def({
    name: 'http_request_duration_seconds',
    type: 'histogram',
    help: 'HTTP request latency from first byte in to last byte out.',
    labels: ['method', 'route', 'status'],
    unit: 's',
    buckets: HTTP_DURATION_BUCKETS,
    sources: ['vote', 'result'],
    absentUntil: { event: 'a request answered with that status (a 5xx)', labels: ['status'] },
  }),
  httpRequestsInFlight: def({
    name: 'http_requests_in_flight',
    type: 'gauge',
    help: 'HTTP requests currently being served.',
    labels: [],
    unit: 'short',
    sources: ['vote', 'result'],
  }),
  votesTotal: def({
    name: 'votes_total',
    type: 'counter',
    help: 'Votes accepted and enqueued, by option.',
    labels: ['option'],
    unit: 'ops',
    sources: ['vote'],
  }),
  voteEnqueueFailuresTotal: def({
    name: 'vote_enqueue_failures_total',
    type: 'counter',
    help: 'Votes that could not be enqueued (the client got a 503), by reason.',
    labels: ['reason'],
    unit: 'ops',
    sources: ['vote'],
  }),
  voteRateLimitedTotal: def({
    name: 'vote_rate_limited_total',
    type: 'counter',
    help: 'Votes refused with 429 because their client exceeded the per-client rate limit.',
    labels: [],
    unit: 'ops',
    sources: ['vote'],
  }),
  queueEnqueuedTotal: def({
    name: 'queue_enqueued_total',
    type: 'counter',
    help: 'Items pushed onto a queue by a producer.',
    labels: ['queue'],
    unit: 'ops',
    sources: ['vote'],
  }),

  // ---- result service -------------------------------------------------------------------------
  resultVotes: def({
    name: 'result_votes',
    type: 'gauge',
    help: 'Votes stored in PostgreSQL per option (one current vote per voter), read at scrape time.',
    labels: ['option'],
    unit: 'short',
    sources: ['result'],
  }),

  // ---- worker -------------------------------------------------------------------------------
  queueDequeuedTotal: def({
    name: 'queue_dequeued_total',
    type: 'counter',
    help: 'Items taken off a queue by a consumer and acknowledged (removed from its processing list).',
    labels: ['queue'],
    unit: 'ops',
    sources: ['worker'],
  }),
  workerVotesProcessedTotal: def({
    name: 'worker_votes_processed_total',
    type: 'counter',
    help: 'Votes the worker is done with, by result: ok (stored), invalid (malformed: moved to the dead-letter list), failed (given up without being stored). A write that fails and is retried is not done yet: see worker_vote_retries_total.',
    labels: ['result'],
    unit: 'ops',
    sources: ['worker'],
  }),
  workerVoteRetriesTotal: def({
    name: 'worker_vote_retries_total',
    type: 'counter',
    help: 'Failed attempts to store a vote that will be tried again (PostgreSQL unreachable or erroring), one per vote per attempt; not votes lost: the vote counts as processed once stored.',
    labels: [],
    unit: 'ops',
    sources: ['worker'],
  }),
  workerProcessingDurationSeconds: def({
    name: 'worker_processing_duration_seconds',
    type: 'histogram',
    help: 'Time to process one batch, from dequeue to acknowledgement.',
    labels: [],
    unit: 's',
    buckets: PROCESSING_BUCKETS,
    sources: ['worker'],
  }),
  workerBatchSize: def({
    name: 'worker_batch_size',
    type: 'histogram',
    help: 'Votes per batch written to PostgreSQL.',
    labels: [],
    unit: 'short',
    buckets: BATCH_SIZE_BUCKETS,
    sources: ['worker'],
  }),
  workerLastSuccessTimestampSeconds: def({
    name: 'worker_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last batch committed to PostgreSQL (or of the last idle poll with an empty queue).',
    labels: [],
    unit: 'dateTimeAsIso',
    sources: ['worker'],
  }),
  workerRecoveredItemsTotal: def({
    name: 'worker_recovered_items_total',
    type: 'counter',
    help: 'Items moved back from orphaned processing lists at start-up.',
    labels: ['queue'],
    unit: 'ops',
    sources: ['worker'],
  }),
  workerDbQueryDurationSeconds: def({
    name: 'worker_db_query_duration_seconds',
    type: 'histogram',
    help: 'PostgreSQL query latency seen by the worker, by operation.',
    labels: ['operation'],
    unit: 's',
    buckets: DB_BUCKETS,
    sources: ['worker'],
  }),
  workerDbPoolConnections: def({
    name: 'worker_db_pool_connections',
    type: 'gauge',
    help: 'PostgreSQL pool connections by state (idle, active, waiting clients).',
    labels: ['state'],
    unit: 'short',
    sources: ['worker'],
  }),
  workerDbPoolMaxConnections: def({
    name: 'worker_db_pool_max_connections',
    type: 'gauge',
    help: 'Configured size of the worker PostgreSQL pool.',
    labels: [],
    unit: 'short',
    sources: ['worker'],
  }),

  // ---- Node process (prom-client default metrics on every service) ------------------------
  processCpuSecondsTotal: def({
    name: 'process_cpu_seconds_total',
    type: 'counter',
    help: 'Total user and system CPU time spent in seconds.',
    labels: [],
    unit: 's',
    sources: ['process'],
  }),
  processResidentMemoryBytes: def({
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory size in bytes.',
    labels: [],
    unit: 'bytes',
    sources: ['process'],
  }),
  processStartTimeSeconds: def({
    name: 'process_start_time_seconds',
    type: 'gauge',
    help: 'Start time of the process since unix epoch in seconds.',
    labels: [],
    unit: 'dateTimeAsIso',
    sources: ['process'],
  }),
  nodejsEventloopLagP99Seconds: def({
    name: 'nodejs_eventloop_lag_p99_seconds',
    type: 'gauge',
    help: 'The 99th percentile of the recorded event loop delays.',
    labels: [],
    unit: 's',
    sources: ['process'],
  }),
  nodejsHeapSizeUsedBytes: def({
    name: 'nodejs_heap_size_used_bytes',
    type: 'gauge',
    help: 'Process heap size used from Node.js in bytes.',
    labels: [],
    unit: 'bytes',
    sources: ['process'],
  }),

  // ---- Redis health from INFO (names as oliver006/redis_exporter uses them) ----------------
  redisUp: def({
    name: 'redis_up',
    type: 'gauge',
    help: 'Whether the last scrape reached Redis (1) or not (0).',
    labels: [],
    unit: 'bool',
    sources: ['exporter'],
  }),
  // The rest of Redis health, under redis_exporter 1.45's names: config/metrics-redis.ts.
  ...redisExporterMetrics,
  // PostgreSQL server side, under postgres_exporter's names: config/metrics-postgres.ts.
  ...postgresExporterMetrics,
  // Container CPU, memory and restarts from cAdvisor (Compose): config/metrics-containers.ts.
  ...containerMetrics,

  // ---- queues (our exporter; what redis_exporter cannot tell) -------------------------------
  redisQueueLength: def({
    name: 'redis_queue_length',
    type: 'gauge',
    help: 'Items waiting in the queue (LLEN/ZCARD/SCARD/HLEN; a stream: XLEN without consumer groups, else the largest group backlog, lag + pending: the slowest group decides); 0 when the key does not exist.',
    labels: ['queue', 'key', 'type'],
    unit: 'short',
    sources: ['exporter'],
  }),
  redisQueueOldestItemAgeSeconds: def({
    name: 'redis_queue_oldest_item_age_seconds',
    type: 'gauge',
    help: 'Age of the oldest waiting item, from its enqueue time (stream: entry id; with consumer groups, the oldest entry some group has pending or not yet delivered); 0 when empty.',
    labels: ['queue', 'key'],
    unit: 's',
    sources: ['exporter'],
  }),
  redisQueueProcessingLength: def({
    name: 'redis_queue_processing_length',
    type: 'gauge',
    help: 'Items taken by consumers but not yet acknowledged (sum over the reliable-queue processing lists).',
    labels: ['queue'],
    unit: 'short',
    sources: ['exporter'],
  }),
  redisQueueProcessingLists: def({
    name: 'redis_queue_processing_lists',
    type: 'gauge',
    help: 'Processing lists that exist for the queue (one per live or orphaned consumer).',
    labels: ['queue'],
    unit: 'short',
    sources: ['exporter'],
  }),
  redisQueueProcessingOldestItemAgeSeconds: def({
    name: 'redis_queue_processing_oldest_item_age_seconds',
    type: 'gauge',
    help: 'Age of the oldest unacknowledged item across the processing lists; 0 when none.',
    labels: ['queue'],
    unit: 's',
    sources: ['exporter'],
  }),
  redisQueueStreamGroupPending: def({
    name: 'redis_queue_stream_group_pending',
    type: 'gauge',
    help: 'Stream entries delivered to a consumer group but not acknowledged.',
    labels: ['queue', 'key', 'group'],
    unit: 'short',
    sources: ['exporter'],
    onlyWhen: 'a queue is a Redis stream with consumer groups',
  }),
  redisQueueStreamGroupLag: def({
    name: 'redis_queue_stream_group_lag',
    type: 'gauge',
    help: 'Stream entries not yet delivered to a consumer group.',
    labels: ['queue', 'key', 'group'],
    unit: 'short',
    sources: ['exporter'],
    onlyWhen: 'a queue is a Redis stream with consumer groups',
  }),
  redisQueueKeys: def({
    name: 'redis_queue_keys',
    type: 'gauge',
    help: 'Keys matched by the queue (1 for a plain key that exists, the SCAN match count for a pattern).',
    labels: ['queue'],
    unit: 'short',
    sources: ['exporter'],
  }),

  // ---- the exporter's own health ------------------------------------------------------------
  exporterScrapeDurationSeconds: def({
    name: 'redis_queue_exporter_scrape_duration_seconds',
    type: 'gauge',
    help: 'Wall time of the last collection from Redis.',
    labels: [],
    unit: 's',
    sources: ['exporter'],
  }),
  exporterScrapeErrorsTotal: def({
    name: 'redis_queue_exporter_scrape_errors_total',
    type: 'counter',
    help: 'Collections that failed or hit their deadline, by reason.',
    labels: ['reason'],
    unit: 'ops',
    sources: ['exporter'],
  }),
  exporterLastScrapeKeys: def({
    name: 'redis_queue_exporter_last_scrape_keys',
    type: 'gauge',
    help: 'Keys inspected by the last collection.',
    labels: [],
    unit: 'short',
    sources: ['exporter'],
  }),
  exporterLastScrapeTimedOut: def({
    name: 'redis_queue_exporter_last_scrape_timed_out',
    type: 'gauge',
    help: 'Whether the last collection hit its deadline (1) or finished (0); a slow Redis keeps redis_up 1.',
    labels: [],
    unit: 'bool',
    sources: ['exporter'],
  }),
  // Self metrics under redis_exporter's names, types and labels (1.45), so its dashboards and
  // alerts work unchanged; one set per registry, /scrape?target= ones included, as it does.
  redisExporterLastScrapeError: def({
    name: 'redis_exporter_last_scrape_error',
    type: 'gauge',
    help: 'Whether the last collection failed (1, its error in `err`) or not (0, `err` empty).',
    labels: ['err'],
    unit: 'bool',
    sources: ['exporter'],
  }),
  redisExporterScrapesTotal: def({
    name: 'redis_exporter_scrapes_total',
    type: 'counter',
    help: 'Collections from Redis started.',
    labels: [],
    unit: 'short',
    sources: ['exporter'],
  }),
  redisExporterLastScrapeDurationSeconds: def({
    name: 'redis_exporter_last_scrape_duration_seconds',
    type: 'gauge',
    help: 'Wall time of the last collection from Redis.',
    labels: [],
    unit: 's',
    sources: ['exporter'],
  }),
  redisExporterScrapeDurationSeconds: def({
    name: 'redis_exporter_scrape_duration_seconds',
    type: 'summary',
    help: 'Wall time of the collections from Redis (sum and count, no quantiles, as redis_exporter).',
    labels: [],
    unit: 's',
    sources: ['exporter'],
  }),
  redisExporterLastScrapeConnectTimeSeconds: def({
    name: 'redis_exporter_last_scrape_connect_time_seconds',
    type: 'gauge',
    help: 'Time the last collection waited for a ready connection (about 0 while connected: the connection is kept).',
    labels: [],
    unit: 's',
    sources: ['exporter'],
  }),
  redisExporterBuildInfo: def({
    name: 'redis_exporter_build_info',
    type: 'info',
    help: 'Always 1; labels carry the exporter version, commit, build date and runtime (Node.js) version.',
    labels: ['version', 'commit_sha', 'build_date', 'golang_version'],
    unit: 'none',
    sources: ['exporter'],
  }),
  redisTargetScrapeRequestErrorsTotal: def({
    name: 'redis_target_scrape_request_errors_total',
    type: 'counter',
    help: 'Requests to the exporter that failed: /scrape without a valid target, or an internal error.',
    labels: [],
    unit: 'short',
    sources: ['exporter'],
  }),

  // ---- synthetic series Prometheus writes for every target ----------------------------------
  up: def({
    name: 'up',
    type: 'gauge',
    help: 'Whether Prometheus could scrape the target.',
    labels: [],
    unit: 'bool',
    sources: ['prometheus'],
  }),
  scrapeDurationSeconds: def({
    name: 'scrape_duration_seconds',
    type: 'gauge',
    help: 'Duration of the scrape, as seen by Prometheus.',
    labels: [],
    unit: 's',
    sources: ['prometheus'],
  }),
  alertsFiring: def({
    name: 'ALERTS',
    type: 'gauge',
    help: 'Alerts pending or firing, written by Prometheus rule evaluation.',
    labels: ['alertname', 'alertstate', 'severity', 'mixin'],
    unit: 'short',
    sources: ['prometheus'],
    absentUntil: {
      event: 'an alert is pending or firing',
      labels: ['alertname', 'alertstate', 'severity', 'mixin'],
      wholeMetric: true,
    },
  }),
} as const);

export type Metrics = typeof metrics;
export type MetricKey = keyof Metrics;
export type AnyMetric = Metrics[MetricKey];

/**
 * The label every alert of this mixin carries (added by the alerts' conventions post-pass), so
 * dashboards and routes can tell our alerts from everything else a Prometheus evaluates.
 */
export const MIXIN_LABEL = { name: 'mixin', value: 'voting-mixin' } as const;

/** Every catalog entry, for code that walks them (validation, `verify`, instrumentation checks). */
/** Every metric name in the catalog: what `metricByName` accepts. */
export type CatalogMetricName = (typeof metrics)[keyof typeof metrics]['name'];

/** The catalog entry named `N`, with its literal type and labels. */
export type CatalogMetricNamed<N extends CatalogMetricName> = Extract<
  (typeof metrics)[keyof typeof metrics],
  { name: N }
>;

export const allMetrics: readonly AnyMetric[] = Object.values(metrics);

/** Series names a metric produces in the exposition format (histograms have three, summaries their quantiles, _sum and _count). */
export function seriesNames(m: MetricDef): string[] {
  if (m.type === 'histogram') return [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`];
  if (m.type === 'summary') return [m.name, `${m.name}_sum`, `${m.name}_count`];
  return [m.name];
}

/** Map of every series name to its catalog entry, for validators that see names in PromQL. */
export const seriesIndex: ReadonlyMap<string, AnyMetric> = new Map(
  allMetrics.flatMap((m) => seriesNames(m).map((s) => [s, m] as const)),
);

/** The metrics one of our processes exposes (process metrics belong to every Node service). */
export function metricsFor(source: 'vote' | 'worker' | 'exporter'): AnyMetric[] {
  return allMetrics.filter((m) => m.sources.includes(source) || m.sources.includes('process'));
}
