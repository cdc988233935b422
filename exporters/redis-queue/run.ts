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
  /** Every key found this time, to forget the cached types of the others. */
  seen: Set<string>;
  jobs: Jobs;
  /** Per plan index: keys a pattern matched. */
  matched: number[];
  /** Per plan index: its processing lists. */
  proc: ProcessingTotals[];
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
    seen: new Set(),
    jobs: new Jobs(),
    matched: Array.from({ length: queues }, () => 0),
    proc: Array.from({ length: queues }, () => ({ length: 0, lists: 0, oldest: 0 })),
  };
}
