/**
 * What a 202 from POST /vote is worth when Redis crashes: a PRIVATE redis-server with AOF
 * (appendfsync everysec, then always; and without persistence as the control), a database of its
 * own, two compiled vote instances sharing a cookie secret and one compiled worker, held paused so
 * that the acknowledged votes exist only in Redis. Under load, redis-server gets SIGKILL, comes back on the same port and data folder, the
 * load goes on; then the worker drains everything.
 *
 * What it proves: every vote that got a 202 — including those acknowledged in the last
 * milliseconds before the kill — is in the queue after the restart and then in PostgreSQL exactly
 * once, with nothing stored that no client sent. Redis writes the AOF (write(2), into the OS page
 * cache) before it answers, and a process crash does not lose the page cache. What it does NOT
 * prove: a machine crash or power loss, where `everysec` may lose up to about a second of
 * acknowledged writes not yet fsynced (`always` fsyncs before answering); nor a disk so slow that
 * an fsync takes over a second: then `everysec` postpones the write(2) itself for up to 2 s while
 * still answering (INFO persistence `aof_delayed_fsync` counts that; the test reports it), and a
 * process crash in that window loses those writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  freePorts,
  type PrivateRedis,
  sleep,
  startPrivateRedis,
  type TestDatabase,
  waitFor,
} from '../../test/support/index.js';
import { processingKey } from '../shared/keys.js';
import { parseQueueItem } from '../shared/queue-item.js';
import { exited, postVote, spawnService } from './helpers.js';

const QUEUE = 'votes';
// A throwaway secret for this test's two instances, given through the environment: no file in /tmp.
const COOKIE_SECRET = `durability-${process.pid}-0123456789abcdef`;

let dataDir: string;
let db: TestDatabase;
let client: pg.Client;
const children: ReturnType<typeof spawnService>[] = [];
const servers: PrivateRedis[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vm-durability-'));
  db = await createDatabase({ prefix: 'vm_durable' });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of servers) await s.kill();
  await client?.end();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Load over both instances with bounded concurrency, until stopped; every answer sorted. */
function startLoad(bases: readonly string[], concurrency = 12) {
  const accepted: string[] = []; // item ids of 202s
  const refused = { status503: 0, other: 0, network: 0 };
  /** Ids accepted since the last mark (the kill must come right after some). */
  let sinceMark = 0;
  let stopping = false;
  let n = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopping) {
      const base = bases[n++ % bases.length]!;
      const res = await postVote(base, { option: n % 2 ? 'cats' : 'dogs' }).catch(() => undefined);
      if (!res) refused.network++;
      else if (res.status === 202) {
        accepted.push(((await res.json()) as { id: string }).id);
        sinceMark++;
      } else {
        await res.arrayBuffer();
        if (res.status === 503) refused.status503++;
        else refused.other++;
      }
      // While Redis is down every answer is a fast 503: do not spin.
      if (res?.status !== 202) await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    accepted,
    refused,
    acceptedSinceMark: () => sinceMark,
    mark: () => {
      sinceMark = 0;
    },
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

const storedOf = async (ids: readonly string[]): Promise<number> =>
  Number(
    (await client.query<{ n: string }>('SELECT count(*) AS n FROM vote_events WHERE id = ANY($1)', [ids])).rows[0]!.n,
  );

type Persistence = 'everysec' | 'always' | 'none';

/**
 * The scenario for one persistence mode: load, kill -9, restart, more load, drain. With AOF it
 * asserts that nothing acknowledged is lost; without persistence (the control that shows the test
 * can see a loss) it asserts that the backlog acknowledged before the kill is gone.
 */
async function killRedisUnderLoad(fsync: Persistence): Promise<void> {
  await client.query('DROP TABLE IF EXISTS votes, vote_events');
  const dir = mkdtempSync(join(dataDir, `${fsync}-`));
  const redisServer = await startPrivateRedis(
    fsync === 'none' ? {} : { appendonlyDir: dir, args: ['--appendfsync', fsync] },
  );
  servers.push(redisServer);
  const admin = new Redis(redisServer.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  admin.on('error', () => {});
  try {
    const [p1, p2, pw] = await freePorts(3);
    const common = ['--host', '127.0.0.1', '--redis-url', redisServer.url, '--queue', QUEUE];
    const env = { COOKIE_SECRET };
    const votes = [p1!, p2!].map((port) => {
      const child = spawnService('vote', ['--port', String(port), ...common], env);
      children.push(child);
      return { child, base: `http://127.0.0.1:${port}` };
    });
    const worker = spawnService('worker', [
      '--port',
      String(pw),
      ...common,
      '--database-url',
      db.url,
      '--worker-id',
      'w1',
      '--batch-size',
      '100',
      '--enable-admin',
    ]);
    children.push(worker);
    const workerBase = `http://127.0.0.1:${pw}`;
    for (const v of votes) await waitFor('vote ready', async () => (await fetch(`${v.base}/ready`)).ok, 30_000, 100);
    await waitFor('worker up', async () => (await fetch(`${workerBase}/health`)).ok, 30_000, 100);
    // Paused: the acknowledged votes live only in Redis when it dies.
    const pause = (paused: boolean) =>
      fetch(`${workerBase}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ paused }),
      });
    expect((await pause(true)).status).toBe(200);
    // A BLMOVE already waiting when the pause came may still take one item: let it time out.
    await sleep(1_500);

    const load = startLoad(votes.map((v) => v.base));
    await waitFor('a backlog of accepted votes', () => load.accepted.length >= 400, 60_000, 20);
    // Kill right after a run of fresh acknowledgements: the most recent ones are at most
    // milliseconds old, well inside an everysec window that has not fsynced them yet.
    load.mark();
    await waitFor('fresh acknowledgements', () => load.acceptedSinceMark() >= 20, 30_000, 1);
    const delayed = fsync === 'none' ? '' : /aof_delayed_fsync:(\d+)/.exec(await admin.info('persistence'))?.[1];
    await redisServer.kill();
    const acceptedBeforeKill = load.accepted.slice();
    await waitFor('votes refused while Redis is down', () => load.refused.status503 > 0, 15_000, 20);

    await redisServer.start();
    // Before the worker takes anything: every vote acknowledged before the kill came back from the AOF.
    const queued = new Set(
      (await admin.lrange(QUEUE, 0, -1)).map((raw) => {
        const p = parseQueueItem(raw);
        if (!p.ok) throw new Error(`bad item after restart: ${p.reason}`);
        return p.item.id;
      }),
    );
    // (A vote the worker took before the pause reached it is in PostgreSQL already: not lost either.)
    const stored = new Set(
      (await client.query<{ id: string }>('SELECT id FROM vote_events').catch(() => ({ rows: [] }))).rows.map(
        (r) => r.id,
      ),
    );
    const lost = acceptedBeforeKill.filter((id) => !queued.has(id) && !stored.has(id));
    if (fsync === 'none') {
      // No persistence: a Redis crash loses the backlog, every queued vote that got its 202.
      expect(lost.length).toBe(acceptedBeforeKill.length - stored.size);
      expect(lost.length).toBeGreaterThan(300);
      console.log(`no persistence: ${lost.length} of ${acceptedBeforeKill.length} acknowledged votes lost`);
      await load.stop();
      return;
    }
    expect(
      lost,
      `${lost.length} of ${acceptedBeforeKill.length} acknowledged votes missing after restart (aof_delayed_fsync ${delayed})`,
    ).toEqual([]);

    await waitFor(
      'votes accepted again after the restart',
      () => load.accepted.length > acceptedBeforeKill.length + 200,
      60_000,
      50,
    );
    await load.stop();
    expect((await pause(false)).status).toBe(200);
    await waitFor(
      'the queue drained',
      async () => (await admin.llen(QUEUE)) + (await admin.llen(processingKey(QUEUE, 'w1'))) === 0,
      60_000,
      100,
    );
    const accepted = load.accepted;
    await waitFor(
      'every accepted vote stored',
      async () => (await storedOf(accepted)) === accepted.length,
      30_000,
      200,
    );
    const { rows } = await client.query<{ total: string; distinct: string }>(
      'SELECT count(*) AS total, count(DISTINCT id) AS distinct FROM vote_events',
    );
    const total = Number(rows[0]!.total);
    expect(new Set(accepted).size).toBe(accepted.length); // 0 duplicated ids handed out
    expect(Number(rows[0]!.distinct)).toBe(total); // 0 duplicated in PostgreSQL
    // Nothing that no client sent: beyond the 202s, at most the pushes whose answer was lost
    // (a 503 after the command timed out, a connection cut by the kill).
    const ambiguous = load.refused.status503 + load.refused.network;
    expect(total - accepted.length).toBeGreaterThanOrEqual(0);
    expect(total - accepted.length).toBeLessThanOrEqual(ambiguous);
    expect(load.refused.other).toBe(0);
    console.log(
      `appendfsync ${fsync}: ${accepted.length} accepted (${acceptedBeforeKill.length} before the kill), ` +
        `${accepted.length} stored exactly once, 0 lost; ${total - accepted.length} stored beyond the 202s ` +
        `(of ${ambiguous} answered 503 or cut); aof_delayed_fsync before the kill: ${delayed}`,
    );

    for (const c of [...votes.map((v) => v.child), worker]) c.kill('SIGTERM');
    for (const c of [...votes.map((v) => v.child), worker]) expect(await exited(c)).toBe(0);
  } finally {
    admin.disconnect();
    await redisServer.stop();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

describe('Redis killed -9 under load, then restarted on the same data folder', () => {
  it(
    'with AOF and appendfsync everysec: every 202-accepted vote is stored exactly once',
    () => killRedisUnderLoad('everysec'),
    240_000,
  );
  it(
    'with AOF and appendfsync always: every 202-accepted vote is stored exactly once',
    () => killRedisUnderLoad('always'),
    240_000,
  );
  it(
    'without persistence: the acknowledged backlog is lost (the control: this test sees a loss)',
    () => killRedisUnderLoad('none'),
    240_000,
  );
});
