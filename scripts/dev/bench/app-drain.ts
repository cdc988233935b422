/** One worker draining N queued votes into PostgreSQL: votes per second, and every vote stored once. */

import { processingKey } from '@voting-mixin/reference-app/keys';
import { encodeQueueItem, newQueueItem } from '@voting-mixin/reference-app/queue-item';
import { Redis } from 'ioredis';
import pg from 'pg';
import { sleep, waitFor } from '../../../test/support/index.js';
import { startWorker } from './app-services.js';
import { stopChild } from './lib/processes.js';

export interface DrainResult {
  seconds: number;
  rps: number;
  /** Rows in vote_events afterwards: must equal the votes queued. */
  written: number;
}

export async function drain(opts: { redisUrl: string; databaseUrl: string; total: number }): Promise<DrainResult> {
  const queue = 'bench:drain';
  const workerId = 'bench-w1';
  const worker = await startWorker({ redisUrl: opts.redisUrl, databaseUrl: opts.databaseUrl, queue, workerId });
  const admin = (body: string) =>
    fetch(`${worker.url}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await admin('{"paused":true}');
  await sleep(1_200); // let a blocked BLMOVE time out so nothing is taken before the clock starts
  const redis = new Redis(opts.redisUrl);
  try {
    const now = Date.now();
    for (let i = 0; i < opts.total; i += 1_000) {
      const chunk = Array.from({ length: Math.min(1_000, opts.total - i) }, (_, k) =>
        encodeQueueItem(newQueueItem(`d${i + k}`, (i + k) % 3 ? 'cats' : 'dogs', now + i + k)),
      );
      await redis.lpush(queue, ...chunk);
    }
    const t0 = process.hrtime.bigint();
    await admin('{"paused":false}');
    await waitFor(
      'queue drained',
      async () => (await redis.llen(queue)) + (await redis.llen(processingKey(queue, workerId))) === 0,
      120_000,
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    await c.connect();
    const written = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM vote_events')).rows[0]!.n);
    await c.end();
    return { seconds, rps: opts.total / seconds, written };
  } finally {
    redis.disconnect();
    await stopChild(worker.proc);
  }
}
