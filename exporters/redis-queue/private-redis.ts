/**
 * A throwaway redis-server on a free port, for tests that stop Redis and for the benchmark
 * (never the shared 127.0.0.1:6379). No persistence, so stopping it loses nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  pid(): number | undefined;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same arguments. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `redis-server --port <free> --save '' --appendonly no` plus `extraArgs`. */
export async function startPrivateRedis(extraArgs: string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      if (await canConnect(port)) return;
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not listen on ${port}`);
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
    start,
    stop: () => halt('SIGTERM'),
  };
}
