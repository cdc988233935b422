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
      // redis, vote ×2, worker, result, exporter, postgres_exporter, prometheus, alertmanager
      expect(pids.length).toBe(9);
      dir = /logs {9}(\S+)\/\*\.log/.exec(out)![1]!;
      db = /database {5}\S+\/(voting_stack_\w+)/.exec(out)![1]!;
      for (const pid of pids) expect(isAlive(pid), `pid ${pid} runs`).toBe(true);
      const listing = out.slice(out.indexOf('demo: everything is up.'), out.indexOf('pids: '));
      const line = (name: string) => new RegExp(`^ {2}${name} +(.*)$`, 'm').exec(listing)?.[1] ?? '';
      const prometheus = new URL(/http:\/\/\S+/.exec(line('prometheus'))![0]!).origin;
      // The stack really works: Prometheus sees every target of the generated config up.
      const r = (await (await fetch(`${prometheus}/api/v1/query?query=up`)).json()) as {
        data: { result: Array<{ metric: { job: string }; value: [number, string] }> };
      };
      expect(r.data.result.map((x) => `${x.metric.job} ${x.value[1]}`).sort()).toEqual(
        ['alertmanager', 'postgres', 'prometheus', 'redis-queue-exporter', 'result', 'vote', 'vote', 'worker']
          .map((job) => `${job} 1`)
          .sort(),
      );
      // Every URL it prints opens (GET, 200) — but the webhook's, which takes Alertmanager's POSTs.
      const urls = [...listing.matchAll(/(POST )?(http:\/\/[^\s)]+?)[.,;]?(?=[\s)])/g)]
        .filter((m) => !m[1])
        .map((m) => m[2]!);
      const pages = [
        ...line('vote').split(/\s+/).slice(0, 2),
        line('result').split(/\s+/)[0]!,
        line('runbooks').split(/\s+/)[0]!,
      ];
      const promised = line('prometheus').includes('no web UI') ? [] : [line('prometheus').split(/\s+/)[0]!];
      expect(urls.length).toBeGreaterThanOrEqual(10);
      for (const url of urls) {
        const res = await fetch(url);
        const type = res.headers.get('content-type') ?? '';
        await res.arrayBuffer();
        expect(res.status, url).toBe(200);
        if ([...pages, ...promised].includes(url)) expect(type, url).toMatch(/^text\/html/);
      }
      // The installed builds: Debian's Prometheus 2.42 serves only the classic UI, and its
      // Alertmanager 0.25 no UI at all — the demo says so and prints the API.
      expect(line('prometheus')).toMatch(/\/(classic\/)?alerts\s/);
      const am = line('alertmanager');
      if (am.includes('no web UI')) expect(am).toMatch(/^http:\/\/\S+\/api\/v2\/alerts\s/);
      expect(line('postgres')).toMatch(/^http:\/\/\S+\/metrics\s/);
      expect(line('result')).toMatch(/^http:\/\/\S+\/\s/);
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
