/**
 * Is Redis reachable, or only slow? What `redis_up` reports when a collection hits its deadline
 * before INFO replied.
 *
 * A collection's `redis_up` is decided in collector.ts (`upOf`):
 * - 1 when INFO replied in this collection (anything but an auth refusal: a BUSY reply is a
 *   Redis that is reachable but busy) and the connection was not lost before the collection
 *   ended;
 * - 1 when the collection hit its deadline before INFO replied, if Redis is still *answering*
 *   (`answering()` below): the connection is open and ready, was not lost during the collection,
 *   the last exchange on it succeeded, and no request has waited unanswered for longer than
 *   `unansweredDownMs` (30 s by default) — a Redis that is slow (a slow command, a fork, CLIENT
 *   PAUSE, a short SIGSTOP) is not a down one;
 * - 0 otherwise: not connected (refused, reconnecting), the password or ACL refused, the
 *   connection lost mid-collection, or a Redis silent for longer than `unansweredDownMs` on an
 *   open connection (frozen: its clients time out too, so RedisDown must fire).
 *
 * The deadline itself is reported apart, as `redis_queue_exporter_last_scrape_timed_out` and the
 * `timeout` reason of `redis_queue_exporter_scrape_errors_total`.
 */
import type { Redis } from 'ioredis';

/** How long a request may wait unanswered on an open connection before Redis counts as down. */
export const DEFAULT_UNANSWERED_DOWN_MS = 30_000;

export class RedisLiveness {
  /** Bumped at every closed connection: a collection that sees it change lost its connection. */
  private closes = 0;
  /** The last exchange succeeded: the connection's handshake (AUTH, ready check) or the last INFO. */
  private lastOk = false;
  /** Requests sent and not answered yet, and since when Redis has been silent with one waiting. */
  private waiting = 0;
  private silentSince: number | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly unansweredDownMs: number = DEFAULT_UNANSWERED_DOWN_MS,
  ) {
    // A client handed over already connected has had its handshake answered.
    this.lastOk = redis.status === 'ready';
    // 'ready' follows a handshake Redis answered (AUTH, SELECT and the INFO ready check).
    redis.on('ready', () => {
      this.lastOk = true;
    });
    redis.on('close', () => {
      this.closes++;
      this.lastOk = false;
      // ioredis fails every pending command on close: nothing is waiting any more.
      this.waiting = 0;
      this.silentSince = undefined;
    });
  }

  /** Identifies the current connection; compare two values to learn whether it was lost between them. */
  get connection(): number {
    return this.closes;
  }

  /**
   * Sends a request through `send` and notes when Redis answers it. Replies arrive in order, so
   * while one request waits, Redis has been silent since it was sent or since the last answer.
   */
  async request<T>(send: () => Promise<T>): Promise<T> {
    const connection = this.closes;
    if (this.waiting++ === 0) this.silentSince = Date.now();
    try {
      return await send();
    } finally {
      // A rejection after close was already cleared by the 'close' handler.
      if (connection === this.closes) {
        this.waiting = Math.max(0, this.waiting - 1);
        this.silentSince = this.waiting > 0 ? Date.now() : undefined;
      }
    }
  }

  /** Records the outcome of an exchange Redis answered: an auth refusal is not a success. */
  answered(ok: boolean): void {
    this.lastOk = ok;
  }

  /**
   * Whether Redis still counts as reachable although it did not answer this collection in time:
   * the connection that was current at `connection` is still open and ready, its last exchange
   * succeeded, and Redis has not left a request unanswered for longer than `unansweredDownMs`.
   */
  answering(connection: number, now: number = Date.now()): boolean {
    return (
      this.redis.status === 'ready' &&
      connection === this.closes &&
      this.lastOk &&
      (this.silentSince === undefined || now - this.silentSince < this.unansweredDownMs)
    );
  }
}
