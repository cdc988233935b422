/**
 * Test fixtures on REAL components: a private PostgreSQL database per test file, unique Redis key
 * prefixes, private redis-server processes for tests that stop Redis, a TCP proxy that can cut
 * PostgreSQL, and spawned compiled services.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const silentLogger = () => pino({ level: 'silent' });
export const uniqueId = (tag: string): string => `${tag}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export function dbUrl(name: string, port = 5432): string {
  return `postgres://postgres@127.0.0.1:${port}/${name}`;
}

/** CREATE DATABASE with a unique name; `drop()` removes it (terminating leftover sessions). */
export async function createTestDb(tag: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueId(`vm_${tag}`).toLowerCase();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: dbUrl(name),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Deletes every key under a test prefix from the shared Redis. */
export async function cleanRedisPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true });
  await r.connect();
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  r.disconnect();
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A private `redis-server` this test may stop and start again on the same port. */
export class PrivateRedis {
  private proc?: ChildProcess;
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }
  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await waitFor('private redis-server', async () => (await probe.ping().catch(() => undefined)) === 'PONG', 10_000);
    probe.disconnect();
  }
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

/** A TCP proxy in front of PostgreSQL that a test can cut (drop every connection, refuse new ones). */
export class TcpProxy {
  private sockets = new Set<net.Socket>();
  private cutOff = false;
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}
  static async start(targetPort: number): Promise<TcpProxy> {
    let self!: TcpProxy;
    const server = net.createServer((client) => {
      if (self.cutOff) return void client.destroy();
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        self.sockets.add(s);
        s.on('close', () => self.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new TcpProxy(server, (server.address() as AddressInfo).port);
    return self;
  }
  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
  }
  restore(): void {
    this.cutOff = false;
  }
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Spawns a compiled entry point (build/…/main.js); the build must exist (`npm run compile`). */
export function spawnService(
  entry: 'vote' | 'worker',
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcess & { output: () => string } {
  const script = path.join(ROOT, 'build/reference-app', entry, 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npx tsc -p tsconfig.json\` first`);
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => void (out = (out + b.toString()).slice(-20_000)));
  child.stderr!.on('data', (b: Buffer) => void (out = (out + b.toString()).slice(-20_000)));
  return Object.assign(child, { output: () => out });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** Runs `promtool check metrics` on an exposition; returns its complaints (empty when clean). */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (b: Buffer) => (output += b.toString()));
    p.stderr.on('data', (b: Buffer) => (output += b.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, output }));
    p.stdin.end(exposition);
  });
}

export async function postVote(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
