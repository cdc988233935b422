/**
 * Scrape-time collection from one Redis: INFO health plus every configured queue, all commands
 * pipelined in chunks, bounded by a deadline. Every metric's `collect()` joins one shared
 * collection per scrape, so Redis is asked once no matter how many metrics are read.
 *
 * Why it is fast with many keys: key types are cached between scrapes (a key's type rarely
 * changes; one that answers WRONGTYPE is typed and read again in one more pipelined round, only
 * when some key did), SCAN filters by type on the server when the type is known, and replies are
 * written straight into the gauges chunk by chunk with no per-key await.
 *
 * The parts: plan.ts (how each queue is read), run.ts (the state of one collection), jobs.ts (the
 * keys it reads), read.ts and list-heads.ts (the Redis side), gauges.ts (writing readings),
 * key-types.ts (the type cache), errors.ts (why a collection failed), liveness.ts (whether Redis
 * is reachable or only slow: redis_up), self-metrics.ts (the exporter's own metrics).
 *
 * The outcome of a collection: `redis_up` says whether Redis is reachable (see liveness.ts: a
 * Redis that answers, however slowly, is up); a collection cut by its deadline reports
 * `redis_queue_exporter_last_scrape_timed_out 1` and one `timeout` scrape error, and keeps what
 * it saw — INFO's health figures if INFO replied, the queue keys read so far — while the series
 * it did not reach are absent, never 0. So are those of a queue whose keys Redis refused to type or
 * read (an ACL without the key, NOPERM): the error is counted with its reason and logged once per
 * queue, and the other queues are reported.
 */
import { type Redis, ReplyError } from 'ioredis';
import type { Gauge, Registry } from 'prom-client';
import { metrics, type QueueConfig } from 'voting-mixin/config';
import { createMetric } from 'voting-mixin/instrument';
import { redactSecrets } from 'voting-mixin/runtime';
import { DeadlineError, scrapeErrorReason } from './errors.js';
import { QueueGauges } from './gauges.js';
import { HEALTH_COMMANDS, InfoMetrics } from './info.js';
import { KeyTypes } from './key-types.js';
import { RedisLiveness } from './liveness.js';
import { planQueues, type QueuePlan } from './plan.js';
import { DATA_TYPES, emptyReading, type KeyReading, type Reply } from './queue-types.js';
import { RedisReader } from './read.js';
import { type Run, startRun, unreadable } from './run.js';
import { SelfMetrics } from './self-metrics.js';

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
  /**
   * How long Redis may leave a request unanswered on an open connection before a collection that
   * hits its deadline reports it down (redis_up 0), in ms; 30 s by default (liveness.ts).
   */
  unansweredDownMs?: number | undefined;
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
  /** Queues (plan indexes) already logged as unreadable, with the error logged, so each is logged once per change. */
  private readonly unreadLogged = new Map<number, string>();

  private readonly liveness: RedisLiveness;
  private readonly up: Gauge<string>;
  private readonly info: InfoMetrics;
  private readonly gauges: QueueGauges;
  private readonly self: SelfMetrics;

  constructor(
    redis: Redis,
    registry: Registry,
    private readonly opts: CollectorOptions,
  ) {
    this.plans = planQueues(opts.queues);
    this.types = new KeyTypes(opts.typeCache);
    this.reader = new RedisReader(redis, opts);
    this.liveness = new RedisLiveness(redis, opts.unansweredDownMs);
    // Registration order is exposition order: keep it.
    const collect = (): Promise<void> => this.join();
    this.up = createMetric(metrics.redisUp, registry, { collect });
    this.info = new InfoMetrics(registry, collect, opts);
    this.gauges = new QueueGauges({ registry, collect, plans: this.plans, types: this.types });
    this.self = new SelfMetrics(registry, collect);
  }

  /** A request to the exporter for this target failed (`redis_target_scrape_request_errors_total`). */
  countRequestError(): void {
    this.self.requestError();
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
    const run = startRun(this.plans.length, this.liveness.connection);
    this.self.started();
    // Start from nothing: a key that vanished since the last scrape must not leave a stale series,
    // and a collection cut short by its deadline reports only what it saw.
    this.info.clear();
    this.gauges.clear();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(1, timeoutMs));
    });
    let failure: Error | undefined;
    try {
      const outcome = await Promise.race([this.collectAll(run, Date.now() + timeoutMs, timeoutMs), deadline]);
      if (outcome === 'timeout') failure = new DeadlineError(timeoutMs);
      else failure = run.firstError;
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
    } finally {
      clearTimeout(timer);
    }
    // Given up or done: replies still on their way must not touch the gauges.
    run.live = false;
    const timedOut = failure instanceof DeadlineError;
    const up = this.upOf(run, timedOut);
    this.up.set(up ? 1 : 0);
    const failed = failure && {
      reason: scrapeErrorReason(failure),
      message: redactSecrets(failure.message, this.opts.secrets),
    };
    if (failed)
      this.opts.logger?.warn(
        { reason: failed.reason, err: failed.message, redisUp: up },
        'collection from Redis failed',
      );
    const complete = run.finished && !timedOut;
    this.reportWrongTypes(run, complete);
    this.reportUnread(run, complete);
    this.self.report({
      up,
      timedOut,
      failure: failed,
      wrongType: run.wrongType.size > 0,
      seconds: (performance.now() - started) / 1000,
      connectSeconds: run.connectSeconds,
      keys: run.keys,
    });
  }

  /**
   * redis_up of a collection that just ended: whether Redis is reachable, not whether the
   * collection finished (the rule in liveness.ts). A connection lost before the end is down, an
   * INFO reply is up unless it refused us (NOAUTH, WRONGPASS, NOPERM), and a collection that hit
   * its deadline before INFO replied is up while Redis still answers on its connection.
   */
  private upOf(run: Run, timedOut: boolean): boolean {
    if (run.connection !== this.liveness.connection) return false;
    if (run.info === 'answered') return true;
    if (run.info === 'refused') return false;
    return timedOut && this.liveness.answering(run.connection);
  }

  /**
   * Queue keys that hold a type their queue cannot be read from: one `wrong_type` scrape error per
   * collection that met any (self-metrics.ts), and one log line per key until it is fixed or
   * changes again; only a `complete` collection (every round ran to its end) can tell that a key
   * was fixed.
   */
  private reportWrongTypes(run: Run, complete: boolean): void {
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

  /**
   * Queues with keys Redis refused to type or read (their error is the collection's, counted once
   * per collection): one log line per queue until it can be read again or fails otherwise.
   */
  private reportUnread(run: Run, complete: boolean): void {
    if (complete) for (const i of this.unreadLogged.keys()) if (!run.unread.get(i)?.error) this.unreadLogged.delete(i);
    for (const [i, u] of run.unread) {
      if (!u.error) continue;
      const err = redactSecrets(u.error.message, this.opts.secrets);
      if (this.unreadLogged.get(i) === err) continue;
      this.unreadLogged.set(i, err);
      this.opts.logger?.warn(
        { reason: scrapeErrorReason(u.error), queue: this.plans[i]!.name, key: u.key, err },
        'queue key could not be read; the queue is not reported',
      );
    }
  }

  private async collectAll(run: Run, deadlineAt: number, timeoutMs: number): Promise<'done'> {
    const { reader, plans, types } = this;
    const waitStarted = performance.now();
    try {
      await reader.ready(deadlineAt);
    } finally {
      run.connectSeconds = (performance.now() - waitStarted) / 1000;
    }

    // Round 1: INFO and the types of plain auto-typed keys, while the SCANs walk the keyspace.
    const typeProbes = plans.flatMap((p, i) => (!p.pattern && !p.fixedType && !types.known(p.key) ? [i] : []));
    const probedKeys = typeProbes.map((i) => plans[i]!.key);
    const [firstReplies, scanned, procScanned] = await Promise.all([
      this.readInfo(run, probedKeys),
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
    typeProbes.forEach((p, i) => {
      const t = firstReplies?.[i + HEALTH_COMMANDS];
      if (t && !t[0] && t[1] !== 'none') types.set(plans[p]!.key, String(t[1]));
      else if (t?.[0]) unreadable(run, p, plans[p]!.key, t[0], false);
    });

    // Round 2: which keys of which queue, with what type; TYPE (pipelined) only for keys not seen before.
    const typed = (key: string, plan: number, type: string): void => this.typed(run, key, plan, type);
    this.addQueueKeys(run, scanned);
    await reader.probeTypes(run, typed);
    if (!run.live) return 'done';
    run.jobs.addProcessingLists(procScanned);

    // Round 3: the data commands, in pipelines of about `pipelineSize` commands, a few in flight.
    const { gauges, reading } = this;
    const read = { run, deadlineAt, reading, record: (j: number) => gauges.record(run, j, reading) };
    let complete = await reader.readAll(read);
    if (!run.live) return 'done';

    // Only when some auto-typed key answered WRONGTYPE (it changed type since it was cached): TYPE
    // and read those keys again, so that the change costs no gap in their series.
    if (complete && run.jobs.reread()) {
      await reader.probeTypes(run, typed);
      if (!run.live) return 'done';
      complete = await reader.readAll(read);
      if (!run.live) return 'done';
    }

    // Cut short: per-pattern key counts, empty-pattern 0s and processing totals would be partial
    // or false 0s; they stay absent.
    if (!complete) throw new DeadlineError(timeoutMs);
    gauges.finish(run);
    types.prune(run.seen);
    run.finished = true;
    return 'done';
  }

  /**
   * Round 1's pipeline: INFO, then TYPE of the plain auto-typed keys. INFO's health figures are
   * written as soon as it replies, so a collection that then hits its deadline still reports
   * them. Any reply counts as Redis answering (liveness.ts), also one that arrives too late; an
   * error ioredis makes up itself (connection gone) does not.
   * @throws the INFO error reply (or a connection error)
   */
  private async readInfo(run: Run, typeProbes: readonly string[]): Promise<Reply[] | null> {
    const firstReplies = await this.liveness.request(() => this.reader.infoAndTypes(typeProbes));
    const infoReply = firstReplies?.[0];
    if (!infoReply) throw new Error('no reply to INFO');
    const [err] = infoReply;
    // Only a reply shows Redis answering: ioredis reports a write on a dying socket ("Stream isn't
    // writeable") as a per-command error too, before its 'close' event.
    if (err && !(err instanceof ReplyError)) throw err;
    const refused = !!err && scrapeErrorReason(err) === 'auth';
    this.liveness.answered(!refused);
    if (!run.live) return firstReplies;
    run.info = refused ? 'refused' : 'answered';
    if (err) throw err;
    this.info.apply(firstReplies!);
    return firstReplies;
  }

  /**
   * What TYPE said about key `key` of queue `plan` (round 2, or the re-read of keys that changed
   * type): cached, and read when a queue lives in that type. A plain key TYPE finds gone is an
   * empty queue (a pattern's is simply gone); one of another type is a wrong-type key.
   */
  private typed(run: Run, key: string, plan: number, type: string): void {
    const p = this.plans[plan]!;
    if (type === 'none') {
      if (!p.pattern) this.gauges.emptyQueue(p);
      return;
    }
    this.types.set(p.pattern ? key : p.key, type);
    if (DATA_TYPES.has(type)) run.jobs.add(key, type, plan);
    else if (!p.pattern) run.wrongType.set(p.key, { queue: p.name, expected: 'auto', actual: type });
  }

  /** The keys of every queue, typed from the config or the cache; the rest wait for TYPE. */
  private addQueueKeys(run: Run, scanned: ReadonlyArray<readonly string[] | undefined>): void {
    const { jobs, seen } = run;
    this.plans.forEach((plan, i) => {
      if (!plan.pattern) {
        const type = plan.fixedType ?? this.types.plainType(plan.key);
        seen.add(plan.key);
        if (run.unread.has(i)) return; // TYPE refused: neither empty nor of the type it had
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
