/**
 * The worker loop: BLMOVE one item (waiting up to a second), LMOVE whatever else is already there
 * up to the batch size, write the batch to PostgreSQL in one statement, then acknowledge it (LREM
 * from the processing list; malformed items to the dead-letter list) in one MULTI.
 *
 * Nothing is dropped: until acknowledged an item sits in `<queue>:processing:<id>`, which a
 * restarted or surviving worker puts back on the queue. A replay after "committed but not
 * acknowledged" is harmless because writes dedupe by item id.
 */
import type { Redis } from 'ioredis';
import { backoff, sleep } from '../shared/backoff.js';
import { ensureSchema, type Pool, writeBatch } from '../shared/db.js';
import { deadKey, heartbeatKey, processingKey } from '../shared/keys.js';
import type { Logger } from '../shared/logger.js';
import { parseQueueItem, type QueueItem } from '../shared/queue-item.js';
import { recoverOrphans, requeueAll } from './recovery.js';
import type { DbOperation, WorkerMetrics } from './worker-metrics.js';

export interface WorkerFaults {
  /** Stop consuming (the queue grows; for the stalled-worker alerts). */
  paused: boolean;
  /** Extra delay per batch (for the slow-processing alerts). */
  slowMs: number;
}

export interface WorkerDeps {
  /** Connection for BLMOVE and the batch commands (blocking: no command timeout). */
  redis: Redis;
  /** Connection for heartbeats, recovery and readiness checks. */
  control: Redis;
  pool: Pool;
  logger: Logger;
  metrics?: WorkerMetrics;
  queue: string;
  workerId: string;
  batchSize: number;
  /** Seconds BLMOVE waits for the first item (bounds how long SIGTERM waits when idle). */
  blockSeconds?: number;
  heartbeatTtlMs?: number;
  /** How often live workers look for orphaned processing lists after start-up. */
  recoverEveryMs?: number;
}

export class VoteWorker {
  readonly faults: WorkerFaults = { paused: false, slowMs: 0 };
  /** What /ready reports, updated by every Redis and PostgreSQL round trip of the loop. */
  readonly health = { redis: false, db: false, started: false };
  private stopping = false;
  private loop?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  private readonly proc: string;
  private readonly hb: string;

  constructor(private readonly d: WorkerDeps) {
    this.proc = processingKey(d.queue, d.workerId);
    this.hb = heartbeatKey(d.queue, d.workerId);
  }

  /** Starts in the background; resolves once the loop is running (after schema and recovery). */
  start(): Promise<void> {
    let running!: () => void;
    const started = new Promise<void>((r) => (running = r));
    this.loop = this.run(running).catch((err: Error) => {
      this.d.logger.fatal({ err: err.message }, 'worker loop crashed');
      throw err;
    });
    return Promise.race([started, this.loop]);
  }

  /** Finishes the batch in hand, hands back anything unfinished, removes the heartbeat. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await this.loop?.catch(() => {});
    try {
      const back = await requeueAll(this.d.control, this.proc, this.d.queue);
      if (back > 0) this.d.logger.warn({ items: back }, 'returned unfinished items to the queue');
      await this.d.control.del(this.hb);
    } catch (err) {
      // Redis is down: the heartbeat expires and another worker recovers the list.
      this.d.logger.warn({ err: (err as Error).message }, 'could not clean up on stop');
    }
  }

  private async run(running: () => void): Promise<void> {
    const { logger, queue, workerId } = this.d;
    await this.retry('migrate', () => this.timed('migrate', () => ensureSchema(this.d.pool)), 'db');
    await this.retry('heartbeat', () => this.heartbeat(), 'redis');
    const recovered = await this.retry('recover', () => recoverOrphans(this.d.control, queue, workerId, true), 'redis');
    if (recovered > 0) {
      this.d.metrics?.recovered(recovered);
      logger.warn({ items: recovered }, 'recovered orphaned items');
    }
    const ttl = this.d.heartbeatTtlMs ?? 10_000;
    this.timers.push(setInterval(() => void this.heartbeat().catch(() => {}), Math.max(100, ttl / 3)));
    this.timers.push(setInterval(() => void this.recoverOthers(), this.d.recoverEveryMs ?? 15_000));
    this.health.started = true;
    logger.info({ queue, batchSize: this.d.batchSize }, 'worker started');
    running();

    const bo = backoff();
    while (!this.stopping) {
      if (this.faults.paused) {
        await sleep(100);
        continue;
      }
      let batch: string[];
      try {
        batch = await this.take();
        this.health.redis = true;
        bo.reset();
      } catch (err) {
        this.health.redis = false;
        const wait = bo.next();
        logger.warn({ err: (err as Error).message, retryInMs: wait }, 'dequeue failed; retrying');
        await sleep(wait);
        continue;
      }
      if (batch.length === 0) {
        this.d.metrics?.succeeded();
        continue;
      }
      await this.process(batch);
    }
  }

  private async heartbeat(): Promise<void> {
    await this.d.control.set(this.hb, String(Date.now()), 'PX', this.d.heartbeatTtlMs ?? 10_000);
  }

  private async recoverOthers(): Promise<void> {
    if (this.stopping) return;
    try {
      const n = await recoverOrphans(this.d.control, this.d.queue, this.d.workerId, false);
      if (n > 0) {
        this.d.metrics?.recovered(n);
        this.d.logger.warn({ items: n }, 'recovered items of a dead worker');
      }
    } catch {
      // Redis down: the main loop reports it; try again next time.
    }
  }

  /** Up to batchSize items: wait for the first, take the rest only if already queued. */
  private async take(): Promise<string[]> {
    const { redis, queue, batchSize } = this.d;
    const first = await redis.blmove(queue, this.proc, 'RIGHT', 'LEFT', this.d.blockSeconds ?? 1);
    if (first === null) return [];
    const batch = [first];
    if (batchSize > 1) {
      const pipe = redis.pipeline();
      for (let i = 1; i < batchSize; i++) pipe.lmove(queue, this.proc, 'RIGHT', 'LEFT');
      for (const [err, v] of (await pipe.exec()) ?? []) {
        // Items moved before an error are in our processing list and stay there until acknowledged.
        if (err) throw err;
        if (typeof v === 'string') batch.push(v);
      }
    }
    return batch;
  }

  private async process(raw: string[]): Promise<void> {
    const started = process.hrtime.bigint();
    const { logger, metrics: m } = this.d;
    const valid: QueueItem[] = [];
    const invalid: string[] = [];
    for (const r of raw) {
      const p = parseQueueItem(r);
      if (p.ok) valid.push(p.item);
      else {
        invalid.push(r);
        logger.warn({ reason: p.reason, item: r.slice(0, 200) }, 'malformed queue item sent to the dead-letter list');
      }
    }
    if (this.faults.slowMs > 0) await sleep(this.faults.slowMs);
    const bo = backoff();
    if (valid.length > 0) {
      for (;;) {
        try {
          await this.timed('write_batch', () => writeBatch(this.d.pool, valid));
          this.health.db = true;
          break;
        } catch (err) {
          this.health.db = false;
          // An attempt, not an outcome: the votes are written later (or handed back to the queue).
          m?.retried(valid.length);
          if (this.stopping) {
            logger.warn(
              { err: (err as Error).message, items: raw.length },
              'stopping with the batch unwritten; it goes back to the queue',
            );
            return;
          }
          const wait = bo.next();
          logger.warn(
            { err: (err as Error).message, items: valid.length, retryInMs: wait },
            'batch write failed; retrying',
          );
          await sleep(wait);
        }
      }
    }
    bo.reset();
    for (;;) {
      try {
        await this.ack(raw, invalid);
        this.health.redis = true;
        break;
      } catch (err) {
        this.health.redis = false;
        // Written but not acknowledged: if we die now the items are replayed, and dedupe by id absorbs it.
        if (this.stopping) return;
        const wait = bo.next();
        logger.warn({ err: (err as Error).message, retryInMs: wait }, 'acknowledge failed; retrying');
        await sleep(wait);
      }
    }
    if (m) {
      m.dequeued(raw.length);
      if (valid.length) m.processed('ok', valid.length);
      if (invalid.length) m.processed('invalid', invalid.length);
      // The batch size counts stored items only (none in a batch of malformed ones).
      m.batch(valid.length, Number(process.hrtime.bigint() - started) / 1e9);
      m.succeeded();
    }
  }

  private async ack(raw: readonly string[], invalid: readonly string[]): Promise<void> {
    const tx = this.d.redis.multi();
    for (const r of invalid) tx.lpush(deadKey(this.d.queue), r);
    // Oldest items sit at the list's tail: LREM from the tail finds each at once.
    for (const r of raw) tx.lrem(this.proc, -1, r);
    const res = await tx.exec();
    if (res === null) throw new Error('acknowledge transaction aborted');
    for (const [err] of res) if (err) throw err;
  }

  private async timed<T>(op: DbOperation, fn: () => Promise<T>): Promise<T> {
    const end = this.d.metrics?.dbQueryDuration.startTimer({ operation: op });
    try {
      return await fn();
    } finally {
      end?.();
    }
  }

  /** Start-up steps retry with capped backoff until they work (or we are told to stop). */
  private async retry<T>(what: string, fn: () => Promise<T>, dep: 'redis' | 'db'): Promise<T> {
    const bo = backoff();
    for (;;) {
      try {
        const v = await fn();
        this.health[dep] = true;
        return v;
      } catch (err) {
        this.health[dep] = false;
        if (this.stopping) throw err;
        const wait = bo.next();
        this.d.logger.warn(
          { step: what, err: (err as Error).message, retryInMs: wait },
          'start-up step failed; retrying',
        );
        await sleep(wait);
      }
    }
  }
}
