/**
 * Reliable-queue recovery: items in the processing list of a worker that is not alive (no
 * heartbeat key) go back to the queue's tail, oldest last-out, so they are taken next. Each move is
 * one atomic LMOVE: a crash during recovery loses nothing, two recovering workers duplicate nothing.
 */
import type { Redis } from 'ioredis';
import { heartbeatKey, processingPattern, workerIdOf } from '../shared/keys.js';

/** Moves every item of `from` back onto `queue`; returns how many moved. */
export async function requeueAll(redis: Redis, from: string, queue: string): Promise<number> {
  let moved = 0;
  for (;;) {
    // Taking the newest (LEFT) first and pushing RIGHT leaves the oldest at the queue's tail.
    const pipe = redis.pipeline();
    for (let i = 0; i < 100; i++) pipe.lmove(from, queue, 'LEFT', 'RIGHT');
    const res = (await pipe.exec()) ?? [];
    let n = 0;
    for (const [err, v] of res) {
      if (err) throw err;
      if (v !== null) n++;
    }
    moved += n;
    if (n < 100) return moved;
  }
}

/**
 * Recovers orphaned processing lists. At start-up `includeSelf` is true: a list under our own id
 * belongs to our previous, killed incarnation. Later runs leave our own list alone.
 */
export async function recoverOrphans(redis: Redis, queue: string, self: string, includeSelf: boolean): Promise<number> {
  let cursor = '0';
  let total = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', processingPattern(queue), 'COUNT', 200);
    cursor = next;
    for (const key of keys) {
      const id = workerIdOf(queue, key);
      if (id === undefined || (id === self && !includeSelf)) continue;
      if (id !== self && (await redis.exists(heartbeatKey(queue, id))) === 1) continue;
      total += await requeueAll(redis, key, queue);
    }
  } while (cursor !== '0');
  return total;
}
