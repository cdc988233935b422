/**
 * The queue gauges of one Redis target and how a collection fills them: cleared at its start,
 * one `KeyReading` written per key read, processing lists summed per queue, and the 0 series of
 * empty queues at its end.
 */
import type { Gauge, Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { clearMetric, createMetric } from 'voting-mixin/instrument';
import { isWrongType } from './errors.js';
import type { KeyTypes } from './key-types.js';
import type { QueuePlan } from './plan.js';
import type { KeyReading } from './queue-types.js';
import { type Run, unreadable } from './run.js';
import { SeriesTable } from './series-table.js';

export interface QueueGaugesOptions {
  registry: Registry;
  /** Called at scrape time before the gauges are read (joins the shared collection). */
  collect: () => Promise<void>;
  plans: readonly QueuePlan[];
  /** Updated from what a reading shows about a key's type. */
  types: KeyTypes;
}

export class QueueGauges {
  private readonly plans: readonly QueuePlan[];
  private readonly types: KeyTypes;
  // One series per Redis key: tables built for 10,000 rewrites a scrape (series-table.ts).
  private readonly length: SeriesTable<'queue' | 'key' | 'type'>;
  private readonly age: SeriesTable<'queue' | 'key'>;
  private readonly procLength: Gauge<'queue'>;
  private readonly procLists: Gauge<'queue'>;
  private readonly procAge: Gauge<'queue'>;
  private readonly pending: SeriesTable<'queue' | 'key' | 'group'>;
  private readonly lag: SeriesTable<'queue' | 'key' | 'group'>;
  private readonly queueKeys: Gauge<'queue'>;

  constructor({ registry, collect, plans, types }: QueueGaugesOptions) {
    this.plans = plans;
    this.types = types;
    const opts = { collect };
    this.length = new SeriesTable(metrics.redisQueueLength, registry, collect);
    this.age = new SeriesTable(metrics.redisQueueOldestItemAgeSeconds, registry, collect);
    this.procLength = createMetric(metrics.redisQueueProcessingLength, registry, opts);
    this.procLists = createMetric(metrics.redisQueueProcessingLists, registry, opts);
    this.procAge = createMetric(metrics.redisQueueProcessingOldestItemAgeSeconds, registry, opts);
    this.pending = new SeriesTable(metrics.redisQueueStreamGroupPending, registry, collect);
    this.lag = new SeriesTable(metrics.redisQueueStreamGroupLag, registry, collect);
    this.queueKeys = createMetric(metrics.redisQueueKeys, registry, opts);
  }

  /**
   * Start from nothing: a key that vanished since the last scrape must not leave a stale series,
   * and a collection cut short by its deadline reports only what it saw.
   */
  clear(): void {
    for (const t of [this.length, this.age, this.pending, this.lag]) t.reset();
    for (const g of [this.procLength, this.procLists, this.procAge, this.queueKeys]) clearMetric(g);
  }

  /** Auto-typed key that does not exist and never did while we watched: an empty queue. */
  emptyQueue(plan: QueuePlan): void {
    this.length.set({ queue: plan.name, key: plan.label, type: 'none' }, 0);
    this.age.set({ queue: plan.name, key: plan.label }, 0);
    this.queueKeys.set({ queue: plan.name }, 0);
  }

  /** Writes `reading`, just read for job `j` of `run`, into the gauges (or the processing-list totals). */
  record(run: Run, j: number, reading: KeyReading): void {
    const { jobs } = run;
    const key = jobs.keys[j]!;
    const planIndex = jobs.plans[j]!;
    const plan = this.plans[planIndex]!;
    // The type cache and the wrong-type log know a plain key by its configured name, not its label.
    const cacheKey = plan.pattern || jobs.isProcessing(j) ? key : plan.key;
    if (reading.error) {
      const processing = jobs.isProcessing(j);
      if (!isWrongType(reading.error)) unreadable(run, planIndex, cacheKey, reading.error, processing);
      else {
        // The key changed type since we cached it. An auto-typed queue key is typed and read
        // again in this collection (once); a configured type cannot be looked up again: the key
        // does not hold the queue it was configured as. (A processing list that stopped being a
        // list since SCAN found it is no processing list.)
        this.types.forget(cacheKey);
        if (!processing) {
          if (plan.fixedType)
            run.wrongType.set(cacheKey, { queue: plan.name, expected: plan.fixedType, actual: undefined });
          else if (jobs.retype(j))
            return; // counted when read again
          else unreadable(run, planIndex, cacheKey, undefined, false); // changed again meanwhile: next scrape
        }
      }
      run.keys++;
      return;
    }
    run.keys++;
    if (jobs.isProcessing(j)) {
      const s = run.proc[planIndex]!;
      if (reading.length > 0) {
        s.length += reading.length;
        s.lists++;
        if (reading.ageSeconds !== undefined && reading.ageSeconds > s.oldest) s.oldest = reading.ageSeconds;
      }
      return;
    }
    const type = jobs.types[j]!;
    if (!plan.pattern) {
      this.types.readPlain(cacheKey, type);
      this.queueKeys.set({ queue: plan.name }, reading.exists ? 1 : 0);
    } else if (reading.exists) run.matched[planIndex]!++;
    else return; // a pattern's key deleted between SCAN and now: gone, not empty
    this.length.set({ queue: plan.name, key, type }, reading.length);
    if (reading.ageSeconds !== undefined) this.age.set({ queue: plan.name, key }, reading.ageSeconds);
    if (reading.groups) {
      for (const g of reading.groups) {
        this.pending.set({ queue: plan.name, key, group: g.name }, g.pending);
        if (g.lag !== undefined) this.lag.set({ queue: plan.name, key, group: g.name }, g.lag);
      }
    }
  }

  /**
   * After every key was read: keys per pattern, 0 series for patterns without a match, processing
   * totals; none of them for a queue with keys that could not be read (they would be false).
   */
  finish(run: Run): void {
    this.plans.forEach((plan, i) => {
      const unread = run.unread.get(i);
      if (plan.pattern && !unread?.keys) {
        this.queueKeys.set({ queue: plan.name }, run.matched[i]!);
        // A pattern that matches nothing is an empty queue, not a missing one: keep a 0 series.
        if (run.matched[i] === 0) {
          this.length.set({ queue: plan.name, key: plan.key, type: plan.fixedType ?? 'none' }, 0);
          this.age.set({ queue: plan.name, key: plan.key }, 0);
        }
      }
      if (plan.processingPattern && !unread?.processing) {
        const s = run.proc[i]!;
        this.procLength.set({ queue: plan.name }, s.length);
        this.procLists.set({ queue: plan.name }, s.lists);
        this.procAge.set({ queue: plan.name }, s.oldest);
      }
    });
  }
}
