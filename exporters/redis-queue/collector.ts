/**
 * Scrape-time collection from one Redis: INFO health plus every configured queue, all commands
 * pipelined in chunks, bounded by a deadline. Every metric's `collect()` joins one shared
 * collection per scrape, so Redis is asked once no matter how many metrics are read.
 *
 * Why it is fast with many keys: key types are cached between scrapes (a key's type rarely
 * changes; a WRONGTYPE reply drops the entry), SCAN filters by type on the server when the type
 * is known, and replies are written straight into the gauges chunk by chunk with no per-key await.
 *
 * The parts: plan.ts (how each queue is read), run.ts (the state of one collection), jobs.ts (the
 * keys it reads), read.ts and list-heads.ts (the Redis side), gauges.ts (writing readings),
 * key-types.ts (the type cache), errors.ts (why a collection failed).
 */
import type { Redis } from 'ioredis';
import type { Counter, Gauge, Registry } from 'prom-client';
import { metrics, type QueueConfig } from 'voting-mixin/config';
import { createMetric } from 'voting-mixin/instrument';
import { redactSecrets } from 'voting-mixin/runtime';
import { DeadlineError, SCRAPE_ERROR_REASONS, type ScrapeErrorReason, scrapeErrorReason } from './errors.js';
import { QueueGauges } from './gauges.js';
import { HEALTH_COMMANDS, InfoMetrics } from './info.js';
import { KeyTypes } from './key-types.js';
import { planQueues, type QueuePlan } from './plan.js';
import { DATA_TYPES, emptyReading, type KeyReading } from './queue-types.js';
import { RedisReader } from './read.js';
import { type Run, startRun } from './run.js';

export type { ScrapeErrorReason } from './errors.js';

export interface CollectorLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface CollectorOptions {
  queues: readonly QueueConfig[];
  /** Commands per pipeline (one round trip each). */
  pipelineSize: number;
  /** COUNT hint of each SCAN call. */
  scanCount: number;
  /** Deadline of a collection when the scrape does not bring one, in ms. */
  timeoutMs: number;
  /** Cache TYPE results between scrapes (on by default). */
  typeCache: boolean;
  /** Strings to mask in anything logged (the Redis password). */
  secrets: readonly string[];
  logger?: CollectorLogger | undefined;
}

export class QueueCollector {
  private readonly plans: QueuePlan[];
  private readonly types: KeyTypes;
  private readonly reader: RedisReader;
  private inflight: Promise<void> | undefined;
  private nextTimeoutMs: number | undefined;
  private readonly reading: KeyReading = emptyReading();
  /** Keys already logged as holding the wrong type (with what was logged), so each is logged once per change. */
  private readonly wrongTypeLogged = new Map<string, string>();

  private readonly up: Gauge<string>;
  private readonly info: InfoMetrics;
  private readonly gauges: QueueGauges;
  private readonly duration: Gauge<string>;
  private readonly errors: Counter<'reason'>;
  private readonly lastKeys: Gauge<string>;

  constructor(
    redis: Redis,
    registry: Registry,
    private readonly opts: CollectorOptions,
  ) {
    this.plans = planQueues(opts.queues);
    this.types = new KeyTypes(opts.typeCache);
    this.reader = new RedisReader(redis, opts);
    // Registration order is exposition order: keep it.
    const collect = (): Promise<void> => this.join();
    this.up = createMetric(metrics.redisUp, registry, { collect });
    this.info = new InfoMetrics(registry, collect);
    this.gauges = new QueueGauges({ registry, collect, plans: this.plans, types: this.types });
    this.duration = createMetric(metrics.exporterScrapeDurationSeconds, registry, { collect });
    this.errors = createMetric(metrics.exporterScrapeErrorsTotal, registry, { collect });
    this.lastKeys = createMetric(metrics.exporterLastScrapeKeys, registry, { collect });
    // Every reason starts at 0 so rate() sees the first error.
    for (const reason of SCRAPE_ERROR_REASONS) this.errors.inc({ reason }, 0);
  }

  /** The deadline (ms) of the next collection, from the scrape's timeout header. */
  setNextTimeout(ms: number | undefined): void {
    this.nextTimeoutMs = ms;
  }

  /** Starts a collection, or joins the one in flight (all metrics of one scrape share it). */
  join(): Promise<void> {
    if (!this.inflight) {
      const timeoutMs = this.nextTimeoutMs ?? this.opts.timeoutMs;
      this.nextTimeoutMs = undefined;
      this.inflight = this.collect(timeoutMs).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async collect(timeoutMs: number): Promise<void> {
    const started = performance.now();
    const run = startRun(this.plans.length);
    // Start from nothing: a key that vanished since the last scrape must not leave a stale series,
    // and a collection cut short by its deadline reports only what it saw.
    this.up.set(0);
    this.info.clear();
    this.gauges.clear();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(1, timeoutMs));
    });
    try {
      const outcome = await Promise.race([this.collectAll(run, Date.now() + timeoutMs), deadline]);
      if (outcome === 'timeout') {
        run.live = false;
        this.fail('timeout', new Error(`collection exceeded its ${timeoutMs} ms deadline`));
      } else if (run.firstError) {
        this.fail(scrapeErrorReason(run.firstError), run.firstError);
      }
    } catch (e) {
      run.live = false;
      const err = e instanceof Error ? e : new Error(String(e));
      this.fail(scrapeErrorReason(err), err);
    } finally {
      clearTimeout(timer);
    }
    this.reportWrongTypes(run);
    this.duration.set((performance.now() - started) / 1000);
    this.lastKeys.set(run.keys);
  }

  private fail(reason: ScrapeErrorReason, err: Error): void {
    this.errors.inc({ reason });
    this.opts.logger?.warn(
      { reason, err: redactSecrets(err.message, this.opts.secrets) },
      'collection from Redis failed',
    );
  }

  /**
   * Queue keys that hold a type their queue cannot be read from: one `wrong_type` scrape error per
   * collection that met any, and one log line per key until it is fixed or changes again.
   */
  private reportWrongTypes(run: Run): void {
    if (run.wrongType.size > 0) this.errors.inc({ reason: 'wrong_type' });
    const complete = run.live && !run.firstError;
    if (complete)
      for (const key of this.wrongTypeLogged.keys()) if (!run.wrongType.has(key)) this.wrongTypeLogged.delete(key);
    for (const [key, w] of run.wrongType) {
      const what = `${w.expected}/${w.actual ?? '?'}`;
      if (this.wrongTypeLogged.get(key) === what) continue;
      this.wrongTypeLogged.set(key, what);
      this.opts.logger?.warn(
        { reason: 'wrong_type', queue: w.queue, key, expected: w.expected, ...(w.actual ? { actual: w.actual } : {}) },
        w.expected === 'auto'
          ? 'queue key holds a type no queue is read from; not reported'
          : 'queue key holds another type than configured; not reported',
      );
    }
  }

  private async collectAll(run: Run, deadlineAt: number): Promise<'done'> {
    const { reader, plans, types } = this;
    await reader.ready(deadlineAt);

    // Round 1: INFO and the types of plain auto-typed keys, while the SCANs walk the keyspace.
    const typeProbes = plans.filter((p) => !p.pattern && !p.fixedType && !types.known(p.key));
    const [firstReplies, scanned, procScanned] = await Promise.all([
      reader.infoAndTypes(typeProbes.map((p) => p.key)),
      Promise.all(
        plans.map((p) => (p.pattern ? reader.scan({ pattern: p.key, type: p.fixedType, deadlineAt, run }) : undefined)),
      ),
      Promise.all(
        plans.map((p) =>
          p.processingPattern
            ? reader.scan({ pattern: p.processingPattern, type: 'list', deadlineAt, run })
            : undefined,
        ),
      ),
    ]);
    if (!run.live) return 'done';
    const infoReply = firstReplies?.[0];
    if (!infoReply || infoReply[0]) throw infoReply?.[0] ?? new Error('no reply to INFO');
    this.info.apply(firstReplies!);
    this.up.set(1);
    typeProbes.forEach((plan, i) => {
      const t = firstReplies?.[i + HEALTH_COMMANDS];
      if (t && !t[0] && t[1] !== 'none') types.set(plan.key, String(t[1]));
      else if (t?.[0]) run.firstError ??= t[0];
    });

    // Round 2: which keys of which queue, with what type; TYPE (pipelined) only for keys not seen before.
    this.addQueueKeys(run, scanned);
    await reader.probeTypes(run, types);
    if (!run.live) return 'done';
    run.jobs.addProcessingLists(procScanned);

    // Round 3: the data commands, in pipelines of about `pipelineSize` commands, a few in flight.
    const { gauges, reading } = this;
    const complete = await reader.readAll({ run, deadlineAt, reading, record: (j) => gauges.record(run, j, reading) });
    if (!run.live) return 'done';

    gauges.finish(run);
    if (!complete) throw new DeadlineError();
    types.prune(run.seen);
    return 'done';
  }

  /** The keys of every queue, typed from the config or the cache; the rest wait for TYPE. */
  private addQueueKeys(run: Run, scanned: ReadonlyArray<readonly string[] | undefined>): void {
    const { jobs, seen } = run;
    this.plans.forEach((plan, i) => {
      if (!plan.pattern) {
        const type = plan.fixedType ?? this.types.plainType(plan.key);
        seen.add(plan.key);
        if (type === undefined) this.gauges.emptyQueue(plan);
        else if (!DATA_TYPES.has(type))
          run.wrongType.set(plan.key, { queue: plan.name, expected: 'auto', actual: type });
        else jobs.add(plan.label, type, i); // jobs hold labels (key-names.ts)
        return;
      }
      for (const key of scanned[i] ?? []) {
        if (plan.processingMatcher?.test(key)) continue;
        seen.add(key);
        jobs.add(key, plan.fixedType ?? this.types.cached(key), i);
      }
    });
  }
}
