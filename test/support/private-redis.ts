/**
 * A throwaway redis-server on a free port, for tests and benchmarks that stop, kill or fill Redis
 * (never the shared 127.0.0.1:6379). No persistence unless asked, so stopping it loses nothing,
 * and nothing is written outside the folder given as `dir`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './ports.js';
import { sleep } from './wait.js';

export interface PrivateRedisOptions {
  /** Extra redis-server arguments (`['--requirepass', 'x']`, `['--maxmemory', '256mb']`). */
  args?: readonly string[];
  /** Append-only persistence into `dir` (what the stack's Redis-down scenario needs to keep the queue). */
  appendonlyDir?: string;
  /** Port to use instead of a free one. */
  port?: number;
}

/** The redis-server command line for a private instance (also used by the demo stack's process manager). */
export function redisServerArgs(port: number, opts: PrivateRedisOptions = {}): string[] {
  const persistence = opts.appendonlyDir
    ? ['--appendonly', 'yes', '--dir', opts.appendonlyDir]
    : ['--appendonly', 'no'];
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, ...(opts.args ?? [])];
}

/** Resolves once Redis on `port` answers PING (a NOAUTH error counts: it is up, just protected). */
export async function waitForRedis(port: number, timeoutMs = 10_000, proc?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
    if (await answersPing(port)) return;
    await sleep(50);
  }
  throw new Error(`redis-server on ${port} did not answer PING within ${timeoutMs} ms`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      c.destroy();
      resolve(ok);
    };
    c.setTimeout(1_000, () => done(false));
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(d.toString('latin1'))));
    c.once('error', () => done(false));
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  pid(): number | undefined;
  /** SIGKILL, as a crash would; resolves on exit. */
  kill(): Promise<void>;
  /** SIGTERM; resolves on exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same arguments. */
  start(): Promise<void>;
}

/** Starts `redis-server` on a free port and waits until it answers. */
export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  let proc: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    proc = spawn('redis-server', redisServerArgs(port, opts), { stdio: 'ignore' });
    proc.once('error', () => {});
    await waitForRedis(port, 10_000, proc);
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => proc?.pid,
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
    start,
  };
}
