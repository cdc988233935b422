/**
 * The exporter's own metrics for one target (one registry: /metrics, or one /scrape?target= Redis):
 * ours (`redis_queue_exporter_*`) and redis_exporter's self metrics under its names, types and
 * labels (1.45), so dashboards and alerts written for it work unchanged. Written once per
 * collection from its outcome.
 *
 * What redis_exporter's names mean here (it opens a connection per scrape; we keep one):
 * - `redis_exporter_scrapes_total`: collections started on this target.
 * - `redis_exporter_last_scrape_error{err}`: 1 with the (redacted) error when the last collection
 *   failed or hit its deadline, else 0 with `err=""`; one series at a time. A queue key of the
 *   wrong type is not a failed collection (it is counted as reason `wrong_type` of ours).
 * - `redis_exporter_last_scrape_duration_seconds` / `redis_exporter_scrape_duration_seconds`
 *   (summary: sum and count): wall time of the collections.
 * - `redis_exporter_last_scrape_connect_time_seconds`: how long the last collection waited for a
 *   ready connection: about 0 while connected, the wait while (re)connecting.
 * - `redis_exporter_build_info`: our version (package.json); `golang_version` carries the runtime
 *   in Go's form, `node20.19.5`; `commit_sha` and `build_date` are `unknown` (the build does not
 *   record them).
 * - `redis_target_scrape_request_errors_total`: requests the exporter could not serve (a /scrape
 *   without a valid target, counted on /metrics; an internal error, counted on the target asked).
 */
import type { Counter, Gauge, Registry, Summary } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { createMetric } from 'voting-mixin/instrument';
import { SCRAPE_ERROR_REASONS, type ScrapeErrorReason } from './errors.js';
import { exporterVersion } from './version.js';

/** What one collection ended with. */
export interface CollectionOutcome {
  /** redis_up: Redis reachable (see liveness.ts for the precise rule). */
  up: boolean;
  /** The deadline cut the collection short. */
  timedOut: boolean;
  /** Why it failed, message redacted; undefined when it did not. */
  failure: { reason: ScrapeErrorReason; message: string } | undefined;
  /** A queue key held a type its queue cannot be read from. */
  wrongType: boolean;
  seconds: number;
  connectSeconds: number;
  keys: number;
}

export class SelfMetrics {
  private readonly duration: Gauge<string>;
  private readonly errors: Counter<'reason'>;
  private readonly lastKeys: Gauge<string>;
  private readonly timedOut: Gauge<string>;
  private readonly lastError: Gauge<'err'>;
  private readonly scrapes: Counter<string>;
  private readonly lastDuration: Gauge<string>;
  private readonly durations: Summary<string>;
  private readonly connectTime: Gauge<string>;
  private readonly requestErrors: Counter<string>;

  /** `collect` joins the shared collection at scrape time (see collector.ts). */
  constructor(registry: Registry, collect: () => Promise<void>) {
    const opts = { collect };
    // Registration order is exposition order.
    this.duration = createMetric(metrics.exporterScrapeDurationSeconds, registry, opts);
    this.errors = createMetric(metrics.exporterScrapeErrorsTotal, registry, opts);
    this.lastKeys = createMetric(metrics.exporterLastScrapeKeys, registry, opts);
    this.timedOut = createMetric(metrics.exporterLastScrapeTimedOut, registry, opts);
    this.lastError = createMetric(metrics.redisExporterLastScrapeError, registry, opts);
    this.scrapes = createMetric(metrics.redisExporterScrapesTotal, registry, opts);
    this.lastDuration = createMetric(metrics.redisExporterLastScrapeDurationSeconds, registry, opts);
    this.durations = createMetric(metrics.redisExporterScrapeDurationSeconds, registry, opts);
    this.connectTime = createMetric(metrics.redisExporterLastScrapeConnectTimeSeconds, registry, opts);
    // Not written by a collection: no collect hook.
    createMetric(metrics.redisExporterBuildInfo, registry).set(buildInfo(), 1);
    this.requestErrors = createMetric(metrics.redisTargetScrapeRequestErrorsTotal, registry);
    // Every reason starts at 0 so rate() sees the first error.
    for (const reason of SCRAPE_ERROR_REASONS) this.errors.inc({ reason }, 0);
    this.requestErrors.inc(0);
  }

  /** A collection starts. */
  started(): void {
    this.scrapes.inc();
  }

  /** Writes the outcome of the collection that just ended. */
  report(o: CollectionOutcome): void {
    if (o.failure) this.errors.inc({ reason: o.failure.reason });
    if (o.wrongType) this.errors.inc({ reason: 'wrong_type' });
    this.timedOut.set(o.timedOut ? 1 : 0);
    this.lastError.reset();
    this.lastError.set({ err: o.failure?.message ?? '' }, o.failure ? 1 : 0);
    this.duration.set(o.seconds);
    this.lastDuration.set(o.seconds);
    this.durations.observe(o.seconds);
    this.connectTime.set(o.connectSeconds);
    this.lastKeys.set(o.keys);
  }

  /** A request to the exporter for this target could not be served. */
  requestError(): void {
    this.requestErrors.inc();
  }
}

/** The labels of `redis_exporter_build_info`, filled with ours. */
export function buildInfo(): Record<'version' | 'commit_sha' | 'build_date' | 'golang_version', string> {
  return {
    version: exporterVersion(),
    commit_sha: 'unknown',
    build_date: 'unknown',
    // redis_exporter writes its Go runtime here (go1.19.8); ours is Node.js, in the same form.
    golang_version: `node${process.versions.node}`,
  };
}
