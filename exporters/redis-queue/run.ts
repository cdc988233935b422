/** State of one collection; late replies of an abandoned one must not touch the gauges. */
import { Jobs } from './jobs.js';

/** A queue key holding a type its queue cannot be read from. */
export interface WrongType {
  queue: string;
  /** The configured type, or `auto` (any queue type). */
  expected: string;
  /** The key's type when this collection knows it (TYPE ran), else undefined. */
  actual: string | undefined;
}

/**
 * A queue some of whose keys could not be typed or read in this collection (NOPERM, say): its
 * totals (key count, empty-pattern 0, processing sums) would be false, so they are left out.
 */
export interface UnreadQueue {
  /** The first key that failed with `error` (or, without one, the first that failed). */
  key: string;
  /** The reply error, counted and logged; undefined when the key only changed type twice in one collection. */
  error: Error | undefined;
  /** A queue key failed: no key count and no empty-pattern 0. */
  keys: boolean;
  /** A processing list failed: no processing totals. */
  processing: boolean;
}

/** A queue's processing lists, summed over its consumers. */
export interface ProcessingTotals {
  length: number;
  lists: number;
  oldest: number;
}

/** What INFO said in this collection: nothing yet, a reply (data or a non-auth error), or an auth refusal. */
export type InfoState = 'waiting' | 'answered' | 'refused';

export interface Run {
  /** False once the collection was given up (deadline, error): whatever arrives later is dropped. */
  live: boolean;
  /** The connection the collection started on (RedisLiveness.connection): another one at the end means it was lost. */
  connection: number;
  /** Whether Redis answered INFO in this collection (redis_up, see liveness.ts). */
  info: InfoState;
  /** Time spent waiting for a ready connection, in seconds. */
  connectSeconds: number;
  /** Keys read (`redis_queue_exporter_last_scrape_keys`). */
  keys: number;
  /** The first reply error; the collection goes on, and reports it at the end. */
  firstError: Error | undefined;
  /** Queue keys that hold a type other than the queue's configured one (or no queue type), with the type expected. */
  wrongType: Map<string, WrongType>;
  /** Per plan index: the queues some of whose keys could not be read. */
  unread: Map<number, UnreadQueue>;
  /** Every key found this time, to forget the cached types of the others. */
  seen: Set<string>;
  jobs: Jobs;
  /** Per plan index: keys a pattern matched. */
  matched: number[];
  /** Per plan index: its processing lists. */
  proc: ProcessingTotals[];
  /** Every round ran to its end (no deadline, no error thrown): what was not seen is not there. */
  finished: boolean;
}

export function startRun(queues: number, connection: number): Run {
  return {
    live: true,
    connection,
    info: 'waiting',
    connectSeconds: 0,
    keys: 0,
    firstError: undefined,
    wrongType: new Map(),
    unread: new Map(),
    seen: new Set(),
    jobs: new Jobs(),
    matched: Array.from({ length: queues }, () => 0),
    proc: Array.from({ length: queues }, () => ({ length: 0, lists: 0, oldest: 0 })),
    finished: false,
  };
}

/**
 * Key `key` of queue `plan` (a queue key, or one of its processing lists) could not be typed or
 * read: the queue's series that depend on it stay absent in this collection, and `error` (when
 * there is one) is the run's error if it is the first.
 */
export function unreadable(run: Run, plan: number, key: string, error: Error | undefined, processing: boolean): void {
  if (error) run.firstError ??= error;
  let u = run.unread.get(plan);
  if (!u) {
    u = { key, error, keys: false, processing: false };
    run.unread.set(plan, u);
  } else if (error && !u.error) {
    u.key = key;
    u.error = error;
  }
  if (processing) u.processing = true;
  else u.keys = true;
}
