/**
 * A PostgreSQL database of its own for a test, a benchmark or a demo stack, on the machine's
 * shared server (never its existing databases): created with a unique name, dropped at the end.
 */
import pg from 'pg';

/** The shared server's admin URL; TEST_PG_URL overrides it. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** Host and port, for a proxy in front of it. */
  host: string;
  port: number;
  /** Drops it, ending any session still connected. */
  drop(): Promise<void>;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** `CREATE DATABASE <prefix>_<pid>_<random>` on `serverUrl` (default: the shared server). */
export async function createDatabase(
  opts: { prefix?: string; serverUrl?: string | undefined } = {},
): Promise<TestDatabase> {
  const { prefix = 'vm_test', serverUrl = PG_ADMIN_URL } = opts;
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/\W/g, '_');
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl, name);
  const u = new URL(url);
  return {
    name,
    url,
    host: u.hostname,
    port: Number(u.port || 5432),
    drop: async () => void (await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** A database the user gave (DATABASE_URL): used as is, never dropped. */
export function existingDatabase(url: string): TestDatabase {
  const u = new URL(url);
  return { name: u.pathname.slice(1), url, host: u.hostname, port: Number(u.port || 5432), drop: async () => {} };
}
