/**
 * Whole-process tests on the compiled services: `kill -9` of the worker mid-batch, then restart;
 * PostgreSQL cut off behind a TCP proxy, then back. Every vote that got a 2xx must end up in
 * PostgreSQL exactly once.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createDatabase,
  deleteKeys,
  freePort,
  SHARED_REDIS_URL,
  startTcpProxy,
  type TestDatabase,
  uniqueId,
  waitFor,
} from '../../test/support/index.js';
import { processingKey } from '../shared/keys.js';
import { exited, postVote, spawnService } from './helpers.js';

const prefix = `${uniqueId('crash')}:`;
let db: TestDatabase;
let client: pg.Client;
let redis: Redis;
const children: ReturnType<typeof spawnService>[] = [];

beforeAll(async () => {
  db = await createDatabase({ prefix: 'vm_crash' });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  redis = new Redis(SHARED_REDIS_URL);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await client.end();
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis.disconnect();
  await db.drop();
});

/** `url` with its host and port replaced by the proxy's. */
function throughProxy(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

async function startWorker(queue: string, id: string, databaseUrl: string, extra: string[] = []) {
  const port = await freePort();
  const child = spawnService('worker', [
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--redis-url',
    SHARED_REDIS_URL,
    '--database-url',
    databaseUrl,
    '--queue',
    queue,
    '--worker-id',
    id,
    '--enable-admin',
    ...extra,
  ]);
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`worker ${id} listening`, async () => (await fetch(`${base}/health`)).ok, 15_000, 100);
  return { child, base };
}

async function startVote(queue: string) {
  const port = await freePort();
  const child = spawnService('vote', [
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--redis-url',
    SHARED_REDIS_URL,
    '--database-url',
    db.url,
    '--queue',
    queue,
  ]);
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor('vote ready', async () => (await fetch(`${base}/ready`)).ok, 15_000, 100);
  return { child, base };
}

/**
 * Sends `n` votes with bounded concurrency; returns the ids of those that got a 2xx. No cookie:
 * each vote is a new voter the vote service issues (it takes no voter id from the body).
 */
async function vote(base: string, n: number, concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const res = await postVote(base, { option: i % 2 ? 'cats' : 'dogs' }).catch(() => undefined);
        if (res?.status === 202) ids.push(((await res.json()) as { id: string }).id);
      }
    }),
  );
  return ids;
}

const countIds = async (ids: string[]): Promise<number> =>
  Number(
    (await client.query<{ n: string }>('SELECT count(*) AS n FROM vote_events WHERE id = ANY($1)', [ids])).rows[0]!.n,
  );
/**
 * Every event in this file's database; the tests run one after another, so a difference is one
 * test's. Before the first worker has created its tables (it answers /health first, then migrates)
 * there are none: 0, not an error.
 */
const countAll = async (): Promise<number> =>
  client.query<{ n: string }>('SELECT count(*) AS n FROM vote_events').then(
    (r) => Number(r.rows[0]!.n),
    (e: { code?: string }) => {
      if (e.code === '42P01') return 0; // undefined_table
      throw e;
    },
  );

it('kill -9 of the worker mid-batch, then restart: every 2xx vote is in PostgreSQL exactly once', async () => {
  const queue = `${prefix}kill`;
  const vote1 = await startVote(queue);
  const w = await startWorker(queue, 'kill-w1', db.url, ['--batch-size', '25']);
  await fetch(`${w.base}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"slowMs":250}',
  });

  const base0 = await countAll();
  const sending = vote(vote1.base, 600);
  await waitFor(
    'a batch in hand',
    async () => (await redis.llen(processingKey(queue, 'kill-w1'))) > 0 && (await countAll()) > base0,
    15_000,
    10,
  );
  w.child.kill('SIGKILL');
  expect(await exited(w.child)).toBe(null);
  const orphaned = await redis.llen(processingKey(queue, 'kill-w1'));
  expect(orphaned).toBeGreaterThan(0); // the kill really happened mid-batch
  const accepted = await sending;
  expect(accepted.length).toBe(600);

  const w2 = await startWorker(queue, 'kill-w1', db.url, ['--batch-size', '25']);
  await waitFor(
    'everything written after restart',
    async () => (await countIds(accepted)) === accepted.length,
    30_000,
    100,
  );
  await waitFor(
    'queue drained',
    async () => (await redis.llen(queue)) + (await redis.llen(processingKey(queue, 'kill-w1'))) === 0,
  );
  expect((await countAll()) - base0).toBe(accepted.length); // nothing extra either
  const metrics = await (await fetch(`${w2.base}/metrics`)).text();
  expect(Number(metrics.match(/worker_recovered_items_total\{queue="[^"]+"\} (\d+)/)?.[1])).toBeGreaterThanOrEqual(
    orphaned,
  );

  w2.child.kill('SIGTERM');
  expect(await exited(w2.child)).toBe(0);
  vote1.child.kill('SIGTERM');
  expect(await exited(vote1.child)).toBe(0);
});

it('PostgreSQL unreachable: the queue grows, nothing is lost, and it drains once PostgreSQL is back', async () => {
  const queue = `${prefix}pgcut`;
  const proxy = await startTcpProxy({ host: db.host, port: db.port });
  try {
    const w = await startWorker(queue, 'pg-w1', throughProxy(db.url, proxy.port), ['--batch-size', '50']);
    await waitFor('worker ready', async () => (await fetch(`${w.base}/ready`)).ok, 15_000, 100);
    const vote1 = await startVote(queue);
    const before = await vote(vote1.base, 100);
    await waitFor('first votes written', async () => (await countIds(before)) === before.length);
    const base0 = await countAll();

    proxy.cut();
    const during = await vote(vote1.base, 400);
    expect(during.length).toBe(400); // the vote service does not depend on PostgreSQL
    await waitFor('worker not ready', async () => (await fetch(`${w.base}/ready`)).status === 503, 10_000, 100);
    const queued = await redis.llen(queue);
    expect(queued).toBeGreaterThanOrEqual(400 - 50); // at most one batch in hand
    expect(queued + (await redis.llen(processingKey(queue, 'pg-w1')))).toBe(400);
    expect(await countIds(during)).toBe(0);

    proxy.restore();
    await waitFor(
      'drained after PostgreSQL is back',
      async () => (await countIds(during)) === during.length,
      30_000,
      100,
    );
    await waitFor('queue empty', async () => (await redis.llen(queue)) === 0);
    await waitFor('worker ready again', async () => (await fetch(`${w.base}/ready`)).ok, 10_000, 100);
    expect((await countAll()) - base0).toBe(400);
    const metrics = await (await fetch(`${w.base}/metrics`)).text();
    // The outage shows as retried writes, not as failed votes: every vote was stored in the end.
    expect(Number(metrics.match(/worker_vote_retries_total (\d+)/)?.[1])).toBeGreaterThan(0);
    expect(Number(metrics.match(/worker_votes_processed_total\{result="failed"\} (\d+)/)?.[1])).toBe(0);
    w.child.kill('SIGTERM');
    vote1.child.kill('SIGTERM');
    expect(await exited(w.child)).toBe(0);
  } finally {
    await proxy.close();
  }
});
