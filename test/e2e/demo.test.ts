// `npm run demo` (the compiled script): starts, prints its URLs, and on Ctrl-C (SIGINT) stops
// every process it started and drops its database.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/dev/stack/stack.js';
import { isAlive, waitFor } from '../support/index.js';

const root = repoRoot(import.meta.dirname);

describe('npm run demo', () => {
  it('prints --help and exits 0, and rejects a bad flag with 2', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((res) => {
        const c = spawn(process.execPath, [join(root, 'build/scripts/dev/demo.js'), ...args]);
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d));
        c.stderr.on('data', (d: Buffer) => (out += d));
        c.on('exit', (code) => res({ code, out }));
      });
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('--faults');
    const bad = await run(['--interval', '7s']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--interval: "7s" is not one of 1s, 2s');
  });

  it('serves the stack, then Ctrl-C leaves no process, folder or database behind', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'build/scripts/dev/demo.js'), '--interval', '1s', '--rate', '5'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      await waitFor('the demo to print its URLs', () => /pids: [\d ]+\n/.test(out), 60_000, 200);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\n${out}`);
    }
    let pids: number[] = [];
    let dir = '';
    let db = '';
    try {
      pids = /pids: ([\d ]+)\n/.exec(out)![1]!.trim().split(' ').map(Number);
      expect(pids.length).toBe(7);
      dir = /logs {9}(\S+)\/\*\.log/.exec(out)![1]!;
      db = /database {5}\S+\/(voting_stack_\w+)/.exec(out)![1]!;
      const prometheus = /prometheus {3}(http:\/\/\S+)\/alerts/.exec(out)![1]!;
      for (const pid of pids) expect(isAlive(pid), `pid ${pid} runs`).toBe(true);
      // The stack really works: Prometheus sees the vote instances up.
      const r = (await (await fetch(`${prometheus}/api/v1/query?query=up`)).json()) as { data: { result: unknown[] } };
      expect(r.data.result.length).toBe(6);
    } finally {
      // Stop the demo whatever happened above, so a failed assertion leaves no stack behind.
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('no process left behind');
    for (const pid of pids) {
      expect(isAlive(pid), `pid ${pid} survived`).toBe(false);
      expect(isAlive(-pid), `process group ${pid} survived`).toBe(false);
    }
    expect(existsSync(dir)).toBe(false);
    const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await c.connect();
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
    await c.end();
    expect(rowCount).toBe(0);
  });
});
