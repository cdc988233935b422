/**
 * Scrape-time collection from one Redis: INFO health plus every configured queue, all commands
 * pipelined in chunks, bounded by a deadline. Every metric's `collect()` joins one shared
 * collection per scrape, so Redis is asked once no matter how many metrics are read.
 *
 * Why it is fast with many keys: key types are cached between scrapes (a key's type rarely
 * changes; a WRONGTYPE reply drops the entry), SCAN filters by type on the server when the type
 * is known, and replies are written straight into the gauges chunk by chunk with no per-key await.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Counter, Gauge, Registry } from 'prom-client';
import { metrics } from '../../config/metrics.js';
import type { QueueConfig } from '../../config/mixin-config.js';
import { globToRegExp, isPattern } from './glob.js';
import { InfoMetrics, parseInfo } from './info.js';
import { clearMetric, metricFrom } from './metric-factory.js';
import {
  DATA_TYPES,
  type DataType,
  emptyReading,
  handlers,
  itemAge,
  type KeyReading,
  type Reply,
} from './queue-types.js';
import { redact } from './redis-url.js';

export type ScrapeErrorReason = 'timeout' | 'connection' | 'auth' | 'command';
const REASONS: readonly ScrapeErrorReason[] = ['timeout', 'connection', 'auth', 'command'];

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

/** How many pipelines may be in flight at once: enough to hide the round trip, few enough to stay polite. */
const PIPELINE_WINDOW = 3;
/**
 * LLEN + LINDEX -1 for a whole chunk of list keys in one read-only script call: 20,000 separate
 * commands cost the client (command objects, promises) and Redis (parsing, dispatch) several times
 * more than 20 script calls doing the same reads. A key of another type yields -1 (WRONGTYPE).
 * Redis without scripting permission (ACL) falls back to plain pipelined commands.
 */
const LIST_HEADS_LUA = `local out = {}
for i, k in ipairs(KEYS) do
  local n = redis.pcall('LLEN', k)
  if type(n) == 'table' then
    out[2 * i - 1] = -1
    out[2 * i] = false
  else
    out[2 * i - 1] = n
    out[2 * i] = redis.call('LINDEX', k, -1)
  end
end
return out`;
const LIST_HEADS_SHA = createHash('sha1').update(LIST_HEADS_LUA).digest('hex');

/** How long a scrape waits for a connection that is being established (start-up, reconnect). */
const CONNECT_WAIT_MS = 1000;

interface QueuePlan {
  cfg: QueueConfig;
  name: string;
  key: string;
  pattern: boolean;
  fixedType: DataType | undefined;
  processingPattern: string | undefined;
  /** Keys of the processing lists must not count as queue keys when the queue pattern matches them too. */
  processingMatcher: RegExp | undefined;
}

/** State of one collection; late replies of an abandoned one must not touch the gauges. */
interface Run {
  live: boolean;
  now: number;
  keys: number;
  firstError: Error | undefined;
  seen: Set<string>;
  proc: Array<{ length: number; lists: number; oldest: number }>;
}

class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

export class QueueCollector {
  private readonly plans: QueuePlan[];
  private readonly types = new Map<string, string>();
  /** Last type seen for each plain key, so a deleted queue keeps its `type` label at 0. */
  private readonly lastPlainType = new Map<string, string>();
  private inflight: Promise<void> | undefined;
  private nextTimeoutMs: number | undefined;
  private readonly reading: KeyReading = emptyReading();
  /** Why the connection is down (e.g. WRONGPASS), so a failed scrape names the real reason. */
  private lastConnectionError: string | undefined;
  /** Set when this Redis refuses scripts (ACL, disabled): plain pipelines from then on. */
  private scriptsOff = false;

  private readonly up: Gauge<string>;
  private readonly info: InfoMetrics;
  private readonly length: Gauge<'queue' | 'key' | 'type'>;
  private readonly age: Gauge<'queue' | 'key'>;
  private readonly procLength: Gauge<'queue'>;
  private readonly procLists: Gauge<'queue'>;
  private readonly procAge: Gauge<'queue'>;
  private readonly pending: Gauge<'queue' | 'key' | 'group'>;
  private readonly lag: Gauge<'queue' | 'key' | 'group'>;
  private readonly queueKeys: Gauge<'queue'>;
  private readonly duration: Gauge<string>;
  private readonly errors: Counter<'reason'>;
  private readonly lastKeys: Gauge<string>;

  constructor(
    private readonly redis: Redis,
    registry: Registry,
    private readonly opts: CollectorOptions,
  ) {
    this.plans = opts.queues.map((cfg) => ({
      cfg,
      name: cfg.name,
      key: cfg.key,
      pattern: isPattern(cfg.key),
      fixedType: cfg.type === 'auto' ? undefined : cfg.type,
      processingPattern: cfg.processingPattern || undefined,
      processingMatcher: cfg.processingPattern && isPattern(cfg.key) ? globToRegExp(cfg.processingPattern) : undefined,
    }));
    const join = (): Promise<void> => this.join();
    this.up = metricFrom(metrics.redisUp, registry, join);
    this.info = new InfoMetrics(registry, join);
    this.length = metricFrom(metrics.redisQueueLength, registry, join);
    this.age = metricFrom(metrics.redisQueueOldestItemAgeSeconds, registry, join);
    this.procLength = metricFrom(metrics.redisQueueProcessingLength, registry, join);
    this.procLists = metricFrom(metrics.redisQueueProcessingLists, registry, join);
    this.procAge = metricFrom(metrics.redisQueueProcessingOldestItemAgeSeconds, registry, join);
    this.pending = metricFrom(metrics.redisQueueStreamGroupPending, registry, join);
    this.lag = metricFrom(metrics.redisQueueStreamGroupLag, registry, join);
    this.queueKeys = metricFrom(metrics.redisQueueKeys, registry, join);
    this.duration = metricFrom(metrics.exporterScrapeDurationSeconds, registry, join);
    this.errors = metricFrom(metrics.exporterScrapeErrorsTotal, registry, join);
    this.lastKeys = metricFrom(metrics.exporterLastScrapeKeys, registry, join);
    redis.on('error', (e: Error) => {
      this.lastConnectionError = e.message;
    });
    redis.on('ready', () => {
      this.lastConnectionError = undefined;
    });
    // Every reason starts at 0 so rate() sees the first error.
    for (const reason of REASONS) this.errors.inc({ reason }, 0);
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
    const run: Run = {
      live: true,
      now: Date.now(),
      keys: 0,
      firstError: undefined,
      seen: new Set(),
      proc: this.plans.map(() => ({ length: 0, lists: 0, oldest: 0 })),
    };
    // Start from nothing: a key that vanished since the last scrape must not leave a stale series,
    // and a collection cut short by its deadline reports only what it saw.
    this.up.set(0);
    this.info.clear();
    for (const g of [
      this.length,
      this.age,
      this.procLength,
      this.procLists,
      this.procAge,
      this.pending,
      this.lag,
      this.queueKeys,
    ]) {
      clearMetric(g);
    }
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
        this.fail(reasonOf(run.firstError), run.firstError);
      }
    } catch (e) {
      run.live = false;
      const err = e instanceof Error ? e : new Error(String(e));
      this.fail(reasonOf(err), err);
    } finally {
      clearTimeout(timer);
    }
    this.duration.set((performance.now() - started) / 1000);
    this.lastKeys.set(run.keys);
  }

  private fail(reason: ScrapeErrorReason, err: Error): void {
    this.errors.inc({ reason });
    this.opts.logger?.warn({ reason, err: redact(err.message, this.opts.secrets) }, 'collection from Redis failed');
  }

  private async ready(deadlineAt: number): Promise<void> {
    const r = this.redis;
    const status = (): string => r.status;
    if (status() === 'ready') return;
    if (r.status === 'wait') void r.connect().catch(() => undefined);
    if (r.status === 'connecting' || r.status === 'connect' || r.status === 'wait') {
      const waitMs = Math.min(CONNECT_WAIT_MS, deadlineAt - Date.now());
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, waitMs));
        r.once('ready', done);
        function done(): void {
          clearTimeout(t);
          r.off('ready', done);
          resolve();
        }
      });
      if (status() === 'ready') return;
    }
    const why = this.lastConnectionError ? `: ${this.lastConnectionError}` : '';
    throw new NotConnectedError(`Redis is not connected (${status()})${why}`);
  }

  private async collectAll(run: Run, deadlineAt: number): Promise<'done'> {
    await this.ready(deadlineAt);
    const r = this.redis;

    // Round 1: INFO and the types of plain auto-typed keys, while the SCANs walk the keyspace.
    const first = r.pipeline().info();
    const typeProbes: QueuePlan[] = [];
    for (const plan of this.plans) {
      if (!plan.pattern && !plan.fixedType && !(this.opts.typeCache && this.types.has(plan.key))) {
        first.type(plan.key);
        typeProbes.push(plan);
      }
    }
    const [firstReplies, scanned, procScanned] = await Promise.all([
      first.exec() as Promise<Reply[] | null>,
      Promise.all(this.plans.map((p) => (p.pattern ? this.scan(p.key, p.fixedType, deadlineAt, run) : undefined))),
      Promise.all(
        this.plans.map((p) =>
          p.processingPattern ? this.scan(p.processingPattern, 'list', deadlineAt, run) : undefined,
        ),
      ),
    ]);
    if (!run.live) return 'done';
    const infoReply = firstReplies?.[0];
    if (!infoReply || infoReply[0]) throw infoReply?.[0] ?? new Error('no reply to INFO');
    this.info.apply(parseInfo(String(infoReply[1])));
    this.up.set(1);
    typeProbes.forEach((plan, i) => {
      const t = firstReplies?.[i + 1];
      if (t && !t[0] && t[1] !== 'none') this.types.set(plan.key, String(t[1]));
      else if (t?.[0]) run.firstError ??= t[0];
    });

    // Which keys of which queue, with what type; TYPE (pipelined) only for keys not seen before.
    const jobKeys: string[] = [];
    const jobTypes: DataType[] = [];
    const jobPlan: number[] = [];
    const untyped: Array<[string, number]> = [];
    const matched = this.plans.map(() => 0);
    const add = (key: string, type: string | undefined, planIndex: number): void => {
      if (type === undefined) untyped.push([key, planIndex]);
      else if (DATA_TYPES.has(type)) {
        jobKeys.push(key);
        jobTypes.push(type as DataType);
        jobPlan.push(planIndex);
      }
    };
    this.plans.forEach((plan, i) => {
      if (!plan.pattern) {
        const type = plan.fixedType ?? this.types.get(plan.key) ?? this.lastPlainType.get(plan.key);
        run.seen.add(plan.key);
        if (type === undefined) {
          // Auto-typed key that does not exist and never did while we watched: an empty queue.
          this.length.set({ queue: plan.name, key: plan.key, type: 'none' }, 0);
          this.age.set({ queue: plan.name, key: plan.key }, 0);
          this.queueKeys.set({ queue: plan.name }, 0);
        } else add(plan.key, type, i);
        return;
      }
      for (const key of scanned[i] ?? []) {
        if (plan.processingMatcher?.test(key)) continue;
        run.seen.add(key);
        add(key, plan.fixedType ?? (this.opts.typeCache ? this.types.get(key) : undefined), i);
      }
    });
    for (let at = 0; at < untyped.length && run.live; at += this.opts.pipelineSize) {
      const slice = untyped.slice(at, at + this.opts.pipelineSize);
      const p = r.pipeline();
      for (const [key] of slice) p.type(key);
      const replies = (await p.exec()) as Reply[] | null;
      if (!run.live) return 'done';
      slice.forEach(([key, planIndex], j) => {
        const t = replies?.[j];
        if (!t || t[0]) {
          run.firstError ??= t?.[0] ?? new Error('no reply to TYPE');
          return;
        }
        const type = String(t[1]);
        if (type === 'none') return; // gone between SCAN and TYPE
        this.types.set(key, type);
        add(key, type, planIndex);
      });
    }
    const procStart = jobKeys.length;
    procScanned.forEach((keys, i) => {
      for (const key of keys ?? []) {
        jobKeys.push(key);
        jobTypes.push('list');
        jobPlan.push(i);
      }
    });

    // Round 3: the data commands, in pipelines of about `pipelineSize` commands, a few in flight.
    const chunks: Array<[number, number]> = [];
    for (let start = 0; start < jobKeys.length; ) {
      let end = start;
      let cmds = 0;
      while (
        end < jobKeys.length &&
        (cmds === 0 || cmds + handlers[jobTypes[end]!].commands <= this.opts.pipelineSize)
      ) {
        cmds += handlers[jobTypes[end]!].commands;
        end++;
      }
      chunks.push([start, end]);
      start = end;
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length && run.live && Date.now() < deadlineAt) {
        const [start, end] = chunks[next++]!;
        let allLists = !this.scriptsOff;
        for (let j = start; allLists && j < end; j++) allLists = jobTypes[j] === 'list';
        if (allLists) {
          const flat = await this.listHeads(jobKeys.slice(start, end));
          if (!run.live) return;
          if (flat) {
            this.applyListHeads(run, flat, start, end, procStart, jobKeys, jobPlan, matched);
            continue;
          }
        }
        const p = r.pipeline();
        for (let j = start; j < end; j++) handlers[jobTypes[j]!].add(p, jobKeys[j]!);
        const replies = (await p.exec()) as Reply[] | null;
        if (!run.live) return;
        if (!replies) throw new Error('pipeline returned no replies');
        this.apply(run, replies, start, end, procStart, jobKeys, jobTypes, jobPlan, matched);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PIPELINE_WINDOW, chunks.length) }, worker));
    if (!run.live) return 'done';

    this.plans.forEach((plan, i) => {
      if (plan.pattern) {
        this.queueKeys.set({ queue: plan.name }, matched[i]!);
        // A pattern that matches nothing is an empty queue, not a missing one: keep a 0 series.
        if (matched[i] === 0) {
          this.length.set({ queue: plan.name, key: plan.key, type: plan.fixedType ?? 'none' }, 0);
          this.age.set({ queue: plan.name, key: plan.key }, 0);
        }
      }
      if (plan.processingPattern) {
        const s = run.proc[i]!;
        this.procLength.set({ queue: plan.name }, s.length);
        this.procLists.set({ queue: plan.name }, s.lists);
        this.procAge.set({ queue: plan.name }, s.oldest);
      }
    });
    if (Date.now() >= deadlineAt && next < chunks.length) throw new DeadlineError();
    // Forget types of keys that are gone, so the cache does not grow with churned key names.
    if (this.types.size > run.seen.size) for (const k of this.types.keys()) if (!run.seen.has(k)) this.types.delete(k);
    return 'done';
  }

  /** The script's flat [length, tail, ...] for `keys`, or undefined when scripts are refused here. */
  private async listHeads(keys: string[]): Promise<unknown[] | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return (await this.redis.evalsha(LIST_HEADS_SHA, keys.length, ...keys)) as unknown[];
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        if (m.startsWith('NOSCRIPT') && attempt === 0) {
          await this.redis.script('LOAD', LIST_HEADS_LUA);
          continue;
        }
        if (/^(NOPERM|NOSCRIPT|ERR unknown command|ERR .*(disabled|not allowed))/i.test(m)) {
          this.scriptsOff = true;
          this.opts.logger?.debug(
            { err: redact(m, this.opts.secrets) },
            'scripts refused; using plain pipelined commands',
          );
          return undefined;
        }
        throw e;
      }
    }
    return undefined;
  }

  /** Reads the list-heads script's reply into the gauges. */
  private applyListHeads(
    run: Run,
    flat: unknown[],
    start: number,
    end: number,
    procStart: number,
    keys: string[],
    plans: number[],
    matched: number[],
  ): void {
    const now = Date.now();
    const out = this.reading;
    for (let j = start; j < end; j++) {
      const i = 2 * (j - start);
      const n = Number(flat[i]);
      out.error = undefined;
      out.groups = undefined;
      if (n < 0) out.error = WRONGTYPE;
      out.length = Math.max(n, 0);
      out.exists = n > 0;
      out.ageSeconds = n > 0 ? itemAge(flat[i + 1], now) : 0;
      this.record(run, j, keys[j]!, 'list', plans[j]!, procStart, matched);
    }
  }

  /** Reads one pipeline's replies into the gauges. */
  private apply(
    run: Run,
    replies: Reply[],
    start: number,
    end: number,
    procStart: number,
    keys: string[],
    types: DataType[],
    plans: number[],
    matched: number[],
  ): void {
    const now = Date.now();
    let at = 0;
    for (let j = start; j < end; j++) {
      const h = handlers[types[j]!];
      h.read(replies, at, now, this.reading);
      at += h.commands;
      this.record(run, j, keys[j]!, types[j]!, plans[j]!, procStart, matched);
    }
  }

  /** Writes `this.reading` for job `j` into the gauges (or the processing-list totals). */
  private record(
    run: Run,
    j: number,
    key: string,
    type: DataType,
    planIndex: number,
    procStart: number,
    matched: number[],
  ): void {
    const out = this.reading;
    const plan = this.plans[planIndex]!;
    run.keys++;
    if (out.error) {
      if (out.error.message.startsWith('WRONGTYPE')) {
        // The key changed type since we cached it: look again next scrape.
        this.types.delete(key);
        this.lastPlainType.delete(key);
      } else run.firstError ??= out.error;
      return;
    }
    if (j >= procStart) {
      const s = run.proc[planIndex]!;
      if (out.length > 0) {
        s.length += out.length;
        s.lists++;
        if (out.ageSeconds !== undefined && out.ageSeconds > s.oldest) s.oldest = out.ageSeconds;
      }
      return;
    }
    if (!plan.pattern) {
      this.lastPlainType.set(key, type);
      this.queueKeys.set({ queue: plan.name }, out.exists ? 1 : 0);
    } else if (out.exists) matched[planIndex]!++;
    else return; // a pattern's key deleted between SCAN and now: gone, not empty
    this.length.set({ queue: plan.name, key, type }, out.length);
    if (out.ageSeconds !== undefined) this.age.set({ queue: plan.name, key }, out.ageSeconds);
    if (out.groups) {
      for (const g of out.groups) {
        this.pending.set({ queue: plan.name, key, group: g.name }, g.pending);
        if (g.lag !== undefined) this.lag.set({ queue: plan.name, key, group: g.name }, g.lag);
      }
    }
  }

  /** All keys matching `pattern` (SCAN, never KEYS), filtered by type on the server when known. */
  private async scan(pattern: string, type: DataType | undefined, deadlineAt: number, run: Run): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      if (!run.live || Date.now() >= deadlineAt) break;
      const [nextCursor, keys] = type
        ? await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.opts.scanCount, 'TYPE', type)
        : await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.opts.scanCount);
      for (const k of keys) found.add(k);
      cursor = nextCursor;
    } while (cursor !== '0');
    return [...found];
  }
}

const WRONGTYPE = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');

class DeadlineError extends Error {
  override name = 'DeadlineError';
}

function reasonOf(err: Error): ScrapeErrorReason {
  if (err instanceof DeadlineError) return 'timeout';
  const m = err.message;
  if (/\b(NOAUTH|WRONGPASS|NOPERM)\b/.test(m)) return 'auth';
  if (err instanceof NotConnectedError) return 'connection';
  if (
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|max retries/i.test(m)
  ) {
    return 'connection';
  }
  return 'command';
}
