/**
 * The result service's command line: flags and variables, one-line usage errors with exit code 2
 * on the compiled program, and a start and a clean stop with a live page open.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, freePort, type TestDatabase, waitForHttp } from '../../test/support/index.js';
import { APP_ROOT, exited } from '../test/helpers.js';
import { parseResultFlags } from './main.js';

const SCRIPT = path.join(APP_ROOT, 'build', 'result', 'main.js');

function run(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run compile\` first`);
  const { DATABASE_URL: _, VOTE_OPTIONS: __, PORT: ___, ...rest } = process.env;
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    env: { ...rest, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  child.stdout.resume();
  return Object.assign(child, { stderr: () => stderr });
}

describe('result flags', () => {
  it('lets a flag win over its variable, and the variable over the default', () => {
    const { values } = parseResultFlags(['--database-url', 'postgres://a/b'], {});
    expect(values).toEqual({
      port: 8082,
      host: '0.0.0.0',
      databaseUrl: 'postgres://a/b',
      options: ['cats', 'dogs'],
      pollInterval: 1_000,
      poolSize: 4,
      logLevel: 'info',
    });
    const env = { DATABASE_URL: 'postgresql://p/db', VOTE_OPTIONS: 'x,y,z', POLL_INTERVAL: '250ms', PORT: '7000' };
    expect(parseResultFlags(['--port', '9000'], env).values).toMatchObject({
      port: 9000,
      databaseUrl: 'postgresql://p/db',
      options: ['x', 'y', 'z'],
      pollInterval: 250,
    });
  });

  it('names the culprit on bad input, and takes no Redis flags', () => {
    const bad: Array<[string[], Record<string, string>, RegExp]> = [
      [[], {}, /^--database-url \(or DATABASE_URL\) is required/],
      [['--database-url', 'redis://h'], {}, /^--database-url: "redis:\/\/h" is not a postgres:\/\//],
      [['--database-url', 'postgres://u:hunter2@h/db', '--options', 'a'], {}, /at least two distinct options/],
      [['--database-url', 'postgres://h/db', '--options', 'a b,c'], {}, /^--options: "a b" must be 1-64/],
      [['--database-url', 'postgres://h/db', '--poll-interval', '1ms'], {}, /^--poll-interval: "1ms"/],
      [['--database-url', 'postgres://h/db', '--redis-url', 'redis://h'], {}, /unknown option --redis-url/],
      [['--database-url', 'postgres://h/db', '--queue', 'votes'], {}, /unknown option --queue/],
    ];
    for (const [argv, env, message] of bad) expect(() => parseResultFlags(argv, env), argv.join(' ')).toThrow(message);
  });
});

describe('result program', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase({ prefix: 'vm_result_main' });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('prints one line and exits 2 on a usage mistake, the password masked', async () => {
    const child = run(['--database-url', 'postgres://u:hunter2@h/db', '--port', 'x']);
    expect(await exited(child)).toBe(2);
    expect(child.stderr().trim().split('\n')).toHaveLength(1);
    expect(child.stderr()).toMatch(/^result: --port: "x" is not a whole number/);
    const url = run(['--database-url', 'mysql://u:hunter2@h/db']);
    expect(await exited(url)).toBe(2);
    expect(url.stderr()).toMatch(/^result: --database-url: "mysql:\/\/u:\*+@h\/db" is not a postgres/);
    expect(url.stderr()).not.toContain('hunter2');
    const missing = run([]);
    expect(await exited(missing)).toBe(2);
    expect(missing.stderr()).toMatch(/^result: --database-url \(or DATABASE_URL\) is required/);
    expect(missing.stderr()).not.toMatch(/\n\s+at /);
  });

  it('--help lists the flags and their variables', async () => {
    const child = spawn(process.execPath, [SCRIPT, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    expect(await exited(child)).toBe(0);
    for (const flag of ['--port', '--database-url', 'DATABASE_URL', '--options', 'VOTE_OPTIONS', '--poll-interval']) {
      expect(out).toContain(flag);
    }
    expect(out).not.toContain('--redis-url');
  });

  it('serves, and stops cleanly on SIGTERM with a live page open', async () => {
    const port = await freePort();
    const child = run(['--port', String(port), '--host', '127.0.0.1'], { DATABASE_URL: db.url });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/ready`, 30_000);
      const stream = await fetch(`http://127.0.0.1:${port}/results/stream`);
      expect(stream.status).toBe(200);
      const started = Date.now();
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      // Without ending the open stream first, server.close would wait out its 5 s grace.
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
