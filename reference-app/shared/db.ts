/**
 * PostgreSQL access shared by the worker (writes) and the vote service (results).
 *
 * `votes` holds each voter's LAST vote (by the item's enqueue time, so a replayed older item never
 * overwrites a newer one); `vote_events` logs every item once by its id, which is what makes a
 * replay after a crash (the item committed, the acknowledgement lost) count exactly once.
 */
import pg from 'pg';
import type { QueueItem } from './queue-item.js';

export type Pool = pg.Pool;

export function createPool(databaseUrl: string, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    // Fail fast when PostgreSQL is unreachable or a connection hangs: the caller retries with backoff.
    connectionTimeoutMillis: 2_000,
    query_timeout: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection emits on the pool; without a listener that would crash the process.
  pool.on('error', () => {});
  return pool;
}

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS votes (
  voter_id   text PRIMARY KEY,
  option     text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS vote_events (
  id           text PRIMARY KEY,
  voter_id     text NOT NULL,
  option       text NOT NULL,
  ts           timestamptz NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);`;

/** Idempotent; an advisory lock keeps concurrent first starts from racing on the catalog. */
export async function ensureSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727274)');
    try {
      await client.query(SCHEMA_SQL);
    } finally {
      await client.query('SELECT pg_advisory_unlock(727274)');
    }
  } finally {
    client.release();
  }
}

// One statement = one transaction: log the new events (dedupe by id), then upsert each voter's
// newest vote among the events that were actually new.
const WRITE_BATCH_SQL = `
WITH ins AS (
  INSERT INTO vote_events (id, voter_id, option, ts)
  SELECT id, voter, option, to_timestamp(ts / 1000.0)
  FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS b(id, voter, option, ts)
  ON CONFLICT (id) DO NOTHING
  RETURNING voter_id, option, ts
), latest AS (
  SELECT DISTINCT ON (voter_id) voter_id, option, ts FROM ins ORDER BY voter_id, ts DESC
)
INSERT INTO votes (voter_id, option, updated_at)
SELECT voter_id, option, ts FROM latest
ON CONFLICT (voter_id) DO UPDATE SET option = EXCLUDED.option, updated_at = EXCLUDED.updated_at
WHERE votes.updated_at <= EXCLUDED.updated_at`;

/** Writes a batch atomically; safe to repeat (replays are no-ops). */
export async function writeBatch(pool: pg.Pool, items: readonly QueueItem[]): Promise<void> {
  if (items.length === 0) return;
  await pool.query(WRITE_BATCH_SQL, [
    items.map((i) => i.id),
    items.map((i) => i.voter),
    items.map((i) => i.option),
    items.map((i) => i.ts),
  ]);
}

/** `{ cats: 3, dogs: 1 }` — every configured option present, even at zero. */
export async function tallies(pool: pg.Pool, options: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(options.map((o) => [o, 0]));
  try {
    const res = await pool.query<{ option: string; n: string }>(
      'SELECT option, count(*) AS n FROM votes GROUP BY option',
    );
    for (const row of res.rows) out[row.option] = Number(row.n);
  } catch (err) {
    // No worker has run yet: no table, no votes.
    if ((err as { code?: string }).code !== '42P01') throw err;
  }
  return out;
}
