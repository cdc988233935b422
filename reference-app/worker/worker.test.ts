import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRegistry } from 'voting-mixin/instrument';
import {
  createDatabase,
  deleteKeys,
  promtoolCheckMetrics,
  SHARED_REDIS_URL,
  startTcpProxy,
  type TestDatabase,
  uniqueId,
  waitFor,
} from '../../test/support/index.js';
import { createPool, type Pool } from '../shared/db.js';
import { deadKey, heartbeatKey, processingKey } from '../shared/keys.js';
import { encodeQueueItem, newQueueItem } from '../shared/queue-item.js';
import { createRedis } from '../shared/redis.js';
import { closeServer, listen } from '../shared/serve.js';
import { postVote, silentLogger, voterCookieOf } from '../test/helpers.js';
import { createVoteApp } from '../vote/app.js';
import { workerServer } from './server.js';
import { VoteWorker } from './worker.js';
import { workerMetrics } from './worker-metrics.js';

const prefix = `${uniqueId('worker')}:`;
let db: TestDatabase;
let pool: Pool;
let redis: Redis;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  db = await createDatabase({ prefix: 'vm_worker' });
  pool = createPool(db.url, 4);
  redis = new Redis(SHARED_REDIS_URL);
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await pool.end();
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis.disconnect();
  await db.drop();
});

function makeWorker(queue: string, workerId: string, batchSize = 50, db: Pool = pool) {
  const logger = silentLogger();
  const wRedis = createRedis(SHARED_REDIS_URL, { name: workerId, logger });
  const control = createRedis(SHARED_REDIS_URL, { name: `${workerId}-c`, commandTimeoutMs: 1000, logger });
  const registry = serviceRegistry();
  const metrics = workerMetrics(registry, db, 4, queue);
  const worker = new VoteWorker({
    redis: wRedis,
    control,
    pool: db,
    logger,
    metrics,
    queue,
    workerId,
    batchSize,
    blockSeconds: 0.2,
    heartbeatTtlMs: 3000,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await worker.stop();
    wRedis.disconnect();
    control.disconnect();
  };
  cleanups.push(stop);
  return { worker, registry, stop, control };
}

const eventCount = async (ids: string[]): Promise<number> =>
  Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM vote_events WHERE id = ANY($1)', [ids])).rows[0]!.n,
  );
const counter = async (text: Promise<string>, re: RegExp): Promise<number> =>
  Number((await text).match(re)?.[1] ?? NaN);

describe('worker', () => {
  it('counts every accepted vote exactly once end to end, last vote per voter wins', async () => {
    const queue = `${prefix}e2e`;
    const appRedis = createRedis(SHARED_REDIS_URL, {
      name: 'e2e-vote',
      commandTimeoutMs: 1000,
      logger: silentLogger(),
    });
    const { app } = createVoteApp({
      redis: appRedis,
      pool,
      logger: silentLogger(),
      options: ['cats', 'dogs'],
      queueKey: queue,
    });
    const server: Server = await listen(app, 0, '127.0.0.1');
    cleanups.push(async () => {
      await closeServer(server, 100);
      appRedis.disconnect();
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await waitFor('vote ready', async () => (await fetch(`${base}/ready`)).status === 200);
    const { worker, registry } = makeWorker(queue, 'e2e-w1', 20);
    await worker.start();

    const accepted: string[] = [];
    const last = new Map<string, string>();
    // Voter v's cookie, issued with its first answer and sent back with its later votes.
    const cookies: string[] = [];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 60 }, async (_, v) => {
          const option = (v + round) % 3 === 0 ? 'dogs' : 'cats';
          const res = await postVote(base, { option }, round === 0 ? {} : { cookie: cookies[v]! });
          expect(res.status).toBe(202);
          if (round === 0) cookies[v] = voterCookieOf(res)!;
          const body = (await res.json()) as { id: string; voter: string };
          accepted.push(body.id);
          last.set(body.voter, option);
        }),
      );
      await new Promise((r) => setTimeout(r, 5)); // rounds get strictly later timestamps
    }
    expect(last.size).toBe(60); // the cookie kept each voter's id across rounds
    await waitFor('all votes written', async () => (await eventCount(accepted)) === accepted.length);
    await waitFor(
      'queue drained',
      async () => (await redis.llen(queue)) + (await redis.llen(processingKey(queue, 'e2e-w1'))) === 0,
    );

    const rows = (
      await pool.query<{ voter_id: string; option: string }>(
        'SELECT voter_id, option FROM votes WHERE voter_id = ANY($1)',
        [[...last.keys()]],
      )
    ).rows;
    expect(new Map(rows.map((r) => [r.voter_id, r.option]))).toEqual(last);
    const expected = {
      cats: [...last.values()].filter((o) => o === 'cats').length,
      dogs: [...last.values()].filter((o) => o === 'dogs').length,
    };
    expect(((await (await fetch(`${base}/results`)).json()) as { options: unknown }).options).toEqual(expected);
    const text = registry.metrics();
    expect(await counter(text, /worker_votes_processed_total\{result="ok"\} (\d+)/)).toBe(180);
    expect(await counter(registry.metrics(), /queue_dequeued_total\{queue="[^"]+"\} (\d+)/)).toBe(180);
  });

  it('never lets a replayed or older item overwrite a newer vote, and counts a replayed id once', async () => {
    const queue = `${prefix}replay`;
    const { worker } = makeWorker(queue, 'replay-w1');
    await worker.start();
    const newer = { id: crypto.randomUUID(), voter: 'replay-v', option: 'cats', ts: Date.now() };
    const older = { id: crypto.randomUUID(), voter: 'replay-v', option: 'dogs', ts: newer.ts - 60_000 };
    await redis.lpush(queue, encodeQueueItem(newer));
    await waitFor('newer written', async () => (await eventCount([newer.id])) === 1);
    await redis.lpush(queue, encodeQueueItem(older), encodeQueueItem(newer), encodeQueueItem(newer));
    await waitFor('older logged', async () => (await eventCount([older.id])) === 1);
    await waitFor(
      'queue drained',
      async () => (await redis.llen(queue)) + (await redis.llen(processingKey(queue, 'replay-w1'))) === 0,
    );
    expect(await eventCount([newer.id])).toBe(1);
    expect((await pool.query("SELECT option FROM votes WHERE voter_id = 'replay-v'")).rows).toEqual([
      { option: 'cats' },
    ]);
  });

  it('dead-letters malformed items, counts them invalid, and keeps going', async () => {
    const queue = `${prefix}bad`;
    const { worker, registry } = makeWorker(queue, 'bad-w1');
    const good = newQueueItem('bad-good', 'cats');
    const junk = [
      'not json',
      '{"id":"x","voter":"v","option":"cats","ts":1}',
      '[]',
      JSON.stringify({ ...good, id: crypto.randomUUID(), ts: 'yesterday' }),
    ];
    await redis.lpush(queue, ...junk, encodeQueueItem(good));
    await worker.start();
    await waitFor('good written', async () => (await eventCount([good.id])) === 1);
    await waitFor('junk dead-lettered', async () => (await redis.llen(deadKey(queue))) === junk.length);
    expect((await redis.lrange(deadKey(queue), 0, -1)).sort()).toEqual([...junk].sort());
    expect(await redis.llen(processingKey(queue, 'bad-w1'))).toBe(0);
    expect(await counter(registry.metrics(), /worker_votes_processed_total\{result="invalid"\} (\d+)/)).toBe(4);
  });

  it('counts writes retried through a PostgreSQL outage as retries, not failures, and stores every vote once', async () => {
    const queue = `${prefix}outage`;
    const proxy = await startTcpProxy({ host: db.host, port: db.port });
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const proxied = createPool(url.toString(), 4);
    cleanups.push(async () => {
      await proxied.end();
      await proxy.close();
    });
    const { worker, registry } = makeWorker(queue, 'outage-w1', 50, proxied);
    await worker.start();
    const metric = async (re: RegExp) => counter(registry.metrics(), re);
    const failed = /worker_votes_processed_total\{result="failed"\} (\d+)/;
    const ok = /worker_votes_processed_total\{result="ok"\} (\d+)/;
    const retries = /worker_vote_retries_total (\d+)/;
    expect(await metric(retries)).toBe(0); // exposed from the start, not only after the first retry

    proxy.cut();
    const N = 8;
    const items = Array.from({ length: N }, (_, i) => newQueueItem(`outage-${i}`, i % 2 ? 'cats' : 'dogs'));
    await redis.lpush(queue, ...items.map(encodeQueueItem));
    // At least two failed attempts at the batch while PostgreSQL is away.
    await waitFor('retries during the outage', async () => (await metric(retries)) >= 2 * N, 30_000, 100);
    expect(await metric(failed)).toBe(0);
    expect(await eventCount(items.map((i) => i.id))).toBe(0);

    proxy.restore();
    await waitFor('all stored after the outage', async () => (await eventCount(items.map((i) => i.id))) === N, 30_000);
    await waitFor('counted ok', async () => (await metric(ok)) === N);
    expect(await metric(failed)).toBe(0);
    // Every attempt was at the whole batch: retries are whole multiples of the votes in it.
    expect((await metric(retries)) % N).toBe(0);
    expect(await redis.llen(processingKey(queue, 'outage-w1'))).toBe(0);
  });

  it('recovers the processing list of a dead worker at start, but not of a live one', async () => {
    const queue = `${prefix}orphan`;
    const dead = Array.from({ length: 7 }, (_, i) => newQueueItem(`orphan-d${i}`, 'dogs'));
    const live = Array.from({ length: 3 }, (_, i) => newQueueItem(`orphan-l${i}`, 'cats'));
    await redis.lpush(processingKey(queue, 'gone'), ...dead.map(encodeQueueItem));
    await redis.lpush(processingKey(queue, 'alive'), ...live.map(encodeQueueItem));
    await redis.set(heartbeatKey(queue, 'alive'), '1', 'PX', 60_000);
    const { worker, registry } = makeWorker(queue, 'orphan-w1');
    await worker.start();
    await waitFor('dead worker items written', async () => (await eventCount(dead.map((d) => d.id))) === dead.length);
    expect(await redis.exists(processingKey(queue, 'gone'))).toBe(0);
    expect(await redis.llen(processingKey(queue, 'alive'))).toBe(3);
    expect(await eventCount(live.map((d) => d.id))).toBe(0);
    expect(await counter(registry.metrics(), /worker_recovered_items_total\{queue="[^"]+"\} (\d+)/)).toBe(7);
  });

  it('lets several workers drain one queue without a duplicate or a loss', async () => {
    const queue = `${prefix}multi`;
    const items = Array.from({ length: 3000 }, (_, i) => newQueueItem(`multi-${i}`, i % 2 ? 'cats' : 'dogs'));
    for (let i = 0; i < items.length; i += 500)
      await redis.lpush(queue, ...items.slice(i, i + 500).map(encodeQueueItem));
    const workers = ['multi-a', 'multi-b', 'multi-c'].map((id) => makeWorker(queue, id, 100));
    await Promise.all(workers.map((w) => w.worker.start()));
    await waitFor('all written', async () => (await eventCount(items.map((i) => i.id))) === items.length, 30_000, 100);
    await waitFor('acknowledged', async () => {
      const dq = await Promise.all(
        workers.map((w) => counter(w.registry.metrics(), /queue_dequeued_total\{queue="[^"]+"\} (\d+)/)),
      );
      return dq.reduce((a, b) => a + b, 0) === items.length && dq;
    });
    const dq = await Promise.all(
      workers.map((w) => counter(w.registry.metrics(), /queue_dequeued_total\{queue="[^"]+"\} (\d+)/)),
    );
    expect(dq.filter((n) => n > 0).length).toBeGreaterThan(1); // the work really was shared
  });

  it('finishes the batch in hand on stop and leaves nothing in its processing list', async () => {
    const queue = `${prefix}stop`;
    const { worker, stop } = makeWorker(queue, 'stop-w1', 10);
    await worker.start();
    worker.faults.slowMs = 400;
    const items = Array.from({ length: 30 }, (_, i) => newQueueItem(`stop-${i}`, 'cats'));
    await redis.lpush(queue, ...items.map(encodeQueueItem));
    await waitFor('batch in hand', async () => (await redis.llen(processingKey(queue, 'stop-w1'))) > 0);
    const inHand = (await redis.lrange(processingKey(queue, 'stop-w1'), 0, -1)).map((s) => JSON.parse(s).id as string);
    await stop();
    expect(await redis.llen(processingKey(queue, 'stop-w1'))).toBe(0);
    expect(await eventCount(inHand)).toBe(inHand.length);
    const written = await eventCount(items.map((i) => i.id));
    expect(written + (await redis.llen(queue))).toBe(items.length); // the rest is still queued
    expect(await redis.exists(heartbeatKey(queue, 'stop-w1'))).toBe(0);
  });

  it('serves /ready, admin faults (pause) and promtool-clean /metrics', async () => {
    const queue = `${prefix}http`;
    const { worker, registry, control } = makeWorker(queue, 'http-w1');
    await worker.start();
    const server = await listen(
      workerServer({ worker, registry, control, pool, logger: silentLogger(), enableAdmin: true }),
      0,
      '127.0.0.1',
    );
    cleanups.push(() => closeServer(server, 100));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const paused = await fetch(`${base}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"paused":true}',
    });
    expect(paused.status).toBe(200);
    expect(
      (
        await fetch(`${base}/admin/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"paused":"yes"}',
        })
      ).status,
    ).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    const item = newQueueItem('http-v', 'cats');
    await redis.lpush(queue, encodeQueueItem(item));
    await new Promise((r) => setTimeout(r, 500));
    expect(await redis.llen(queue)).toBe(1); // paused: not consumed
    await fetch(`${base}/admin/faults`, { method: 'DELETE' });
    await waitFor('consumed after unpause', async () => (await eventCount([item.id])) === 1);
    const put = await fetch(`${base}/metrics`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'queue_dequeued_total',
      'worker_votes_processed_total',
      'worker_processing_duration_seconds_bucket',
      'worker_batch_size_bucket',
      'worker_last_success_timestamp_seconds',
      'worker_recovered_items_total',
      'worker_db_query_duration_seconds_bucket',
      'worker_db_pool_connections{state="idle"}',
      'worker_db_pool_max_connections 4',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toContain(name);
    }
    const check = await promtoolCheckMetrics(text);
    expect(check.output).toBe('');
    expect(check.code).toBe(0);
  });
});
