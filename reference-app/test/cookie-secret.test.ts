/**
 * The voter cookie's secret on the compiled vote service: from a file or COOKIE_SECRET, the same
 * on every instance so a voter keeps its id whichever instance answers, never printed; without
 * one, a random secret per process and a warning saying what that costs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, freePorts, SHARED_REDIS_URL, uniqueId, waitFor } from '../../test/support/index.js';
import { exited, postVote, spawnService, voterCookieOf } from './helpers.js';

const prefix = `${uniqueId('cookiesecret')}:`;
const SECRET = `s3cret-${process.pid}-abcdefghijklmnop`;
const OTHER = `other-${process.pid}-abcdefghijklmnop`;
let dir: string;
let secretFile: string;
const children: ReturnType<typeof spawnService>[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vm-cookie-secret-'));
  secretFile = join(dir, 'secret');
  // Rotation: the first line signs, the second is still accepted.
  writeFileSync(secretFile, `${SECRET}\n${OTHER}\n`, { mode: 0o600 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  await deleteKeys(SHARED_REDIS_URL, prefix);
});

async function startVote(args: string[], env: NodeJS.ProcessEnv = {}) {
  const [port] = await freePorts(1);
  const child = spawnService(
    'vote',
    [
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--redis-url',
      SHARED_REDIS_URL,
      '--queue',
      `${prefix}votes`,
      ...args,
    ],
    { LOG_LEVEL: 'info', ...env },
  );
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor('vote ready', async () => (await fetch(`${base}/ready`)).ok, 30_000, 100);
  return { child, base };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnService('vote', args, env);
  const code = await exited(child);
  return { code, output: child.output() };
}

describe('the cookie secret', () => {
  it('is shared by instances given the same file or variable, so a voter keeps its id across them', async () => {
    const a = await startVote(['--cookie-secret-file', secretFile]);
    const b = await startVote([], { COOKIE_SECRET: `${SECRET},${OTHER}` });
    const stranger = await startVote([]); // no secret: a random one of its own
    const first = await postVote(a.base, { option: 'cats' });
    const cookie = voterCookieOf(first)!;
    const { voter } = (await first.json()) as { voter: string };
    const onB = await postVote(b.base, { option: 'dogs' }, { cookie });
    expect(onB.status).toBe(202);
    expect(((await onB.json()) as { voter: string }).voter).toBe(voter);
    // An instance with another secret does not know the cookie: refused, and a new id offered.
    const onStranger = await postVote(stranger.base, { option: 'dogs' }, { cookie });
    expect(onStranger.status).toBe(403);

    for (const s of [a, b, stranger]) s.child.kill('SIGTERM');
    for (const s of [a, b, stranger]) expect(await exited(s.child)).toBe(0);
    for (const s of [a, b]) {
      expect(s.child.output()).toMatch(/"cookieSecrets":2/);
      expect(s.child.output()).not.toMatch(/no --cookie-secret-file/);
    }
    expect(stranger.child.output()).toMatch(/"cookieSecrets":"random"/);
    expect(stranger.child.output()).toMatch(/random secret of this process, so voter ids are lost on restart/);
    for (const s of [a, b, stranger]) {
      expect(s.child.output()).not.toContain(SECRET);
      expect(s.child.output()).not.toContain(OTHER);
    }
  }, 90_000);

  it('is a usage error when unreadable, empty or short, naming its source and never printing it', async () => {
    const missing = await run(['--cookie-secret-file', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/^vote: --cookie-secret-file: cannot read ".*nope": ENOENT/);
    const short = await run([], { COOKIE_SECRET: 'tiny-secret' });
    expect(short.code).toBe(2);
    expect(short.output).toMatch(/^vote: COOKIE_SECRET: every secret must be at least 16 characters/);
    expect(short.output).not.toContain('tiny-secret');
    const both = await run(['--cookie-secret-file', secretFile], { COOKIE_SECRET: SECRET });
    expect(both.code).toBe(2);
    expect(both.output).toMatch(/both set/);
    expect(both.output).not.toContain(SECRET);
    // A secret is never a command-line flag (it would show in ps).
    const asFlag = await run(['--cookie-secret', SECRET]);
    expect(asFlag.code).toBe(2);
    expect(asFlag.output).toMatch(/read from the environment variable COOKIE_SECRET only/);
    expect(asFlag.output).not.toContain(SECRET);
  }, 60_000);

  it('--help says where the secret comes from and that instances must share it', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/--cookie-secret-file PATH\s+COOKIE_SECRET_FILE\s/);
    expect(help.output).toMatch(/COOKIE_SECRET\s/);
    expect(help.output).toMatch(/every vote instance behind one address needs the same file/);
    expect(help.output).toMatch(/--vote-rate-limit PER_SECOND\s+VOTE_RATE_LIMIT\s/);
  }, 30_000);
});
