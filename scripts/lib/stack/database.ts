/** A PostgreSQL database of its own for a stack: created with a unique name, dropped at the end. */
import pg from 'pg';

export interface StackDatabase {
  url: string;
  /** Host and port, for a proxy in front of it. */
  host: string;
  port: number;
  drop(): Promise<void>;
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export async function createDatabase(
  serverUrl = 'postgres://postgres@127.0.0.1:5432/postgres',
  prefix = 'voting_stack',
): Promise<StackDatabase> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl(serverUrl) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    host: u.hostname,
    port: Number(u.port || 5432),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl(serverUrl) });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A database the user gave (DATABASE_URL): used as is, never dropped. */
export function existingDatabase(url: string): StackDatabase {
  const u = new URL(url);
  return { url, host: u.hostname, port: Number(u.port || 5432), drop: async () => {} };
}
