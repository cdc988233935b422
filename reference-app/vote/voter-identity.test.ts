/**
 * A client cannot vote as someone else: the voter id comes only from the cookie this service
 * signed. Forged ids, tampered MACs, another voter's MAC under a changed id, a body `voter`, and
 * cross-site form posts are refused; a rotated secret keeps its voters. The last test runs the
 * worker and reads PostgreSQL: every forgery attempt left the victim's stored vote as it was.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  deleteKeys,
  SHARED_REDIS_URL,
  type TestDatabase,
  uniqueId,
  waitFor,
} from '../../test/support/index.js';
import { createPool, type Pool } from '../shared/db.js';
import { processingKey } from '../shared/keys.js';
import { parseQueueItem } from '../shared/queue-item.js';
import { createRedis, whenReady } from '../shared/redis.js';
import { closeServer, listen } from '../shared/serve.js';
import { postVote, silentLogger, voterCookieOf } from '../test/helpers.js';
import { VoteWorker } from '../worker/worker.js';
import { createVoteApp, type VoteAppDeps } from './app.js';
import { cookieValue, parseSecrets, voterSigner } from './voter-cookie.js';

const prefix = `${uniqueId('voterid')}:`;
const SECRET = 'current-secret-0123456789';
const OLD_SECRET = 'previous-secret-0123456789';
let redis: Redis;
let appRedis: Redis;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  appRedis = createRedis(SHARED_REDIS_URL, { name: 'voterid-test', commandTimeoutMs: 1000, logger: silentLogger() });
  // No offline queue: a vote before the connection is up would be a 503.
  expect(await whenReady(appRedis, 10_000)).toBe(true);
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis.disconnect();
  appRedis.disconnect();
});

async function startApp(queue: string, extra: Partial<VoteAppDeps> = {}): Promise<string> {
  const { app } = createVoteApp({
    redis: appRedis,
    logger: silentLogger(),
    options: ['cats', 'dogs'],
    queueKey: queue,
    signer: voterSigner([SECRET]),
    ...extra,
  });
  const server: Server = await listen(app, 0, '127.0.0.1');
  cleanups.push(() => closeServer(server, 100));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A voter's cookie (`voter_id=<id>.<mac>`) and id, from a first cookieless vote. */
async function newVoter(base: string, option = 'cats'): Promise<{ cookie: string; id: string }> {
  const res = await postVote(base, { option });
  expect(res.status).toBe(202);
  const { voter } = (await res.json()) as { voter: string };
  return { cookie: voterCookieOf(res)!, id: voter };
}

const macOf = (secret: string, id: string): string =>
  createHmac('sha256', secret).update('voter_id:v1:').update(id).digest('base64url');
/** The same MAC with its first character changed. */
const tamper = (cookie: string): string => {
  const dot = cookie.indexOf('.');
  const c = cookie[dot + 1] === 'A' ? 'B' : 'A';
  return `${cookie.slice(0, dot + 1)}${c}${cookie.slice(dot + 2)}`;
};
const form = (base: string, headers: Record<string, string>) =>
  fetch(`${base}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'option=dogs',
    redirect: 'manual',
  });
const queueItems = async (queue: string) =>
  (await redis.lrange(queue, 0, -1)).map((raw) => {
    const p = parseQueueItem(raw);
    if (!p.ok) throw new Error(p.reason);
    return p.item;
  });

describe('the voter cookie', () => {
  it('refuses a forged id, a tampered MAC and another voter MAC under a changed id with 403, and enqueues nothing', async () => {
    const queue = `${prefix}forge`;
    const base = await startApp(queue);
    const victim = await newVoter(base);
    const attacker = await newVoter(base);
    expect(victim.id).not.toBe(attacker.id);
    const before = await redis.llen(queue);
    const forgeries: Array<[string, string]> = [
      ['bare id', `voter_id=${victim.id}`],
      ['tampered MAC', tamper(victim.cookie)],
      ["attacker's MAC under the victim's id", `voter_id=${victim.id}.${attacker.cookie.split('.')[1]}`],
      ['MAC made with another secret', `voter_id=${victim.id}.${macOf('guessed-secret-0123456789', victim.id)}`],
      ['not our format', 'voter_id=alice'],
      ['empty', 'voter_id='],
    ];
    for (const [what, cookie] of forgeries) {
      const res = await postVote(base, { option: 'dogs' }, { cookie });
      expect(res.status, what).toBe(403);
      expect(((await res.json()) as { error: string }).error, what).toMatch(/^invalid voter cookie/);
      // Replaced by a fresh voter id, never the one inside the forgery.
      const fresh = voterCookieOf(res)!;
      expect(fresh, what).toMatch(/^voter_id=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
      expect(fresh, what).not.toContain(victim.id);
    }
    expect(await redis.llen(queue)).toBe(before);
    // The genuine cookie still works, and its vote is the victim's.
    const ok = await postVote(base, { option: 'dogs' }, { cookie: victim.cookie });
    expect(ok.status).toBe(202);
    expect(((await ok.json()) as { voter: string }).voter).toBe(victim.id);
    expect(voterCookieOf(ok)).toBeUndefined(); // nothing to re-issue
  });

  it('refuses a body "voter" field with 400, with or without a cookie', async () => {
    const queue = `${prefix}body`;
    const base = await startApp(queue);
    const me = await newVoter(base);
    for (const headers of [{}, { cookie: me.cookie }] as Array<Record<string, string>>) {
      const res = await postVote(base, { option: 'dogs', voter: me.id }, headers);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/voter id comes from the voter_id cookie/);
    }
    const f = await form(base, { cookie: me.cookie });
    expect(f.status).toBe(303);
    const formVoter = await fetch(`${base}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `option=dogs&voter=${me.id}`,
    });
    expect(formVoter.status).toBe(400);
    expect((await queueItems(queue)).map((i) => i.voter)).toEqual([me.id, me.id]);
  });

  it('re-signs a cookie of the previous secret with the current one, keeping the voter (rotation)', async () => {
    const queue = `${prefix}rotate`;
    const before = await startApp(queue, { signer: voterSigner([OLD_SECRET]) });
    const voter = await newVoter(before);
    const after = await startApp(queue, { signer: voterSigner(parseSecrets(`${SECRET}\n${OLD_SECRET}\n`, 'test')) });
    const res = await postVote(after, { option: 'dogs' }, { cookie: voter.cookie });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { voter: string }).voter).toBe(voter.id);
    const resigned = voterCookieOf(res)!;
    expect(resigned).toBe(`voter_id=${voter.id}.${macOf(SECRET, voter.id)}`);
    // The page re-signs too.
    expect(voterCookieOf(await fetch(`${after}/`, { headers: { cookie: voter.cookie } }))).toBe(resigned);
    // Once the old secret is dropped, only the re-signed cookie is still this voter.
    const dropped = await startApp(queue);
    expect((await postVote(dropped, { option: 'cats' }, { cookie: voter.cookie })).status).toBe(403);
    const again = await postVote(dropped, { option: 'cats' }, { cookie: resigned });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { voter: string }).voter).toBe(voter.id);
    expect((await queueItems(queue)).map((i) => i.voter)).toEqual([voter.id, voter.id, voter.id]);
  });

  it('is HttpOnly, SameSite=Lax, Path=/, and Secure only over https (X-Forwarded-Proto only with --behind-proxy)', async () => {
    const queue = `${prefix}attrs`;
    const direct = await startApp(queue);
    const proxied = await startApp(queue, { behindProxy: true });
    const https = { 'x-forwarded-proto': 'https' };
    const plain = (await postVote(direct, { option: 'cats' }, https)).headers
      .getSetCookie()
      .find((c) => c.startsWith('voter_id='))!;
    expect(plain).toMatch(/; Path=\/; .*HttpOnly; SameSite=Lax$/);
    expect(plain).not.toMatch(/Secure/);
    const secure = (await postVote(proxied, { option: 'cats' }, https)).headers
      .getSetCookie()
      .find((c) => c.startsWith('voter_id='))!;
    expect(secure).toMatch(/HttpOnly; Secure; SameSite=Lax$/);
  });
});

describe('cross-site posts', () => {
  it('refuses a form posted from another site with 403, accepts the same site with 303', async () => {
    const queue = `${prefix}csrf`;
    const base = await startApp(queue);
    const me = await newVoter(base);
    const before = await redis.llen(queue);
    const refused: Array<[string, Record<string, string>]> = [
      ['Origin of another site', { origin: 'https://evil.example' }],
      ['Origin on another port', { origin: base.replace(/:\d+$/, ':1') }],
      ['Origin null', { origin: 'null' }],
      ['Referer of another site', { referer: 'https://evil.example/page' }],
      ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Origin wins over a same-site Referer', { origin: 'https://evil.example', referer: `${base}/` }],
    ];
    for (const [what, headers] of refused) {
      const res = await form(base, { cookie: me.cookie, ...headers });
      expect(res.status, what).toBe(403);
      expect(((await res.json()) as { error: string }).error, what).toMatch(/^cross-site vote refused/);
      // JSON too: a browser would need a preflight first, a script without one is refused the same way.
      expect((await postVote(base, { option: 'dogs' }, { cookie: me.cookie, ...headers })).status, what).toBe(403);
    }
    expect(await redis.llen(queue)).toBe(before);

    for (const headers of [
      { origin: base },
      { referer: `${base}/` },
      { origin: base, 'sec-fetch-site': 'same-origin' },
      {}, // curl, load tools: no browser, no cookie riding along
    ] as Array<Record<string, string>>) {
      const res = await form(base, { cookie: me.cookie, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(303);
      expect(res.headers.get('location')).toBe('/');
    }
    expect((await queueItems(queue)).slice(0, 4).every((i) => i.voter === me.id)).toBe(true);
  });

  it('compares with X-Forwarded-Host only behind a trusted proxy', async () => {
    const queue = `${prefix}fwdhost`;
    const headers = {
      origin: 'https://vote.example',
      'x-forwarded-host': 'vote.example',
      'x-forwarded-proto': 'https',
    };
    expect((await form(await startApp(queue), headers)).status).toBe(403);
    expect((await form(await startApp(queue, { behindProxy: true }), headers)).status).toBe(303);
  });
});

describe('the end result', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createDatabase({ prefix: 'vm_voterid' });
    pool = createPool(db.url, 2);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("no forged or cross-site request changes another voter's stored vote", async () => {
    const queue = `${prefix}stored`;
    const base = await startApp(queue);
    const victim = await newVoter(base, 'cats');
    const attacker = await newVoter(base, 'dogs');
    const attempts: Array<[number, Promise<Response>]> = [
      [400, postVote(base, { option: 'dogs', voter: victim.id })],
      [400, postVote(base, { option: 'dogs', voter: victim.id }, { cookie: attacker.cookie })],
      [403, postVote(base, { option: 'dogs' }, { cookie: `voter_id=${victim.id}` })],
      [403, postVote(base, { option: 'dogs' }, { cookie: tamper(victim.cookie) })],
      [403, postVote(base, { option: 'dogs' }, { cookie: `voter_id=${victim.id}.${attacker.cookie.split('.')[1]}` })],
      // The victim's browser, lured to another site, posting the form with the victim's cookie.
      [403, form(base, { cookie: victim.cookie, origin: 'https://evil.example' })],
    ];
    for (const [status, res] of attempts) expect((await res).status).toBe(status);

    const logger = silentLogger();
    const wRedis = createRedis(SHARED_REDIS_URL, { name: 'voterid-w', logger });
    const control = createRedis(SHARED_REDIS_URL, { name: 'voterid-c', commandTimeoutMs: 1000, logger });
    const worker = new VoteWorker({
      redis: wRedis,
      control,
      pool,
      logger,
      queue,
      workerId: 'w1',
      batchSize: 10,
      blockSeconds: 0.2,
    });
    await worker.start();
    try {
      await waitFor(
        'queue drained',
        async () => (await redis.llen(queue)) + (await redis.llen(processingKey(queue, 'w1'))) === 0,
        15_000,
      );
      await waitFor('both votes stored', async () => (await pool.query('SELECT 1 FROM vote_events')).rowCount === 2);
    } finally {
      await worker.stop();
      wRedis.disconnect();
      control.disconnect();
    }
    const rows = (
      await pool.query<{ voter_id: string; option: string }>('SELECT voter_id, option FROM votes ORDER BY option')
    ).rows;
    expect(rows).toEqual([
      { voter_id: victim.id, option: 'cats' },
      { voter_id: attacker.id, option: 'dogs' },
    ]);
  });
});

describe('cookie parsing', () => {
  it('finds the voter cookie among others without taking a look-alike name', () => {
    expect(cookieValue('a=1; voter_id=x.y; b=2', 'voter_id')).toBe('x.y');
    expect(cookieValue('xvoter_id=1; voter_id="q"', 'voter_id')).toBe('q');
    expect(cookieValue('voter_idx=1', 'voter_id')).toBeUndefined();
    expect(cookieValue(undefined, 'voter_id')).toBeUndefined();
  });

  it('reads secrets one per line or comma-separated, and refuses short ones without printing them', () => {
    expect(parseSecrets('first-secret-0123456\r\n\nsecond-secret-012345, third-secret-0123456\n', 'f')).toEqual([
      'first-secret-0123456',
      'second-secret-012345',
      'third-secret-0123456',
    ]);
    expect(() => parseSecrets('\n \n', 'COOKIE_SECRET')).toThrow(/^COOKIE_SECRET: no secret in it$/);
    expect(() => parseSecrets('tooshort', 'COOKIE_SECRET')).toThrow(/at least 16 characters$/);
    expect(() => parseSecrets('tooshort', 'COOKIE_SECRET')).not.toThrow(/tooshort/);
  });
});

describe('one spelling of one voter id', () => {
  it('refuses two voter_id cookies in one request (either order) and a MAC spelt another way', async () => {
    const base = await startApp(`${prefix}spelling`);
    const a = await newVoter(base);
    const b = await newVoter(base);
    for (const cookie of [`${a.cookie}; ${b.cookie}`, `${b.cookie}; ${a.cookie}`, `${a.cookie}; ${a.cookie}`]) {
      const res = await postVote(base, { option: 'dogs' }, { cookie });
      expect(res.status, cookie).toBe(403);
      expect(voterCookieOf(res)).toBeDefined(); // replaced by a fresh id
    }
    // Standard base64 ('+', '/') and a last character differing only in unused bits decode to the
    // same bytes in Node; only the canonical base64url spelling is ours.
    const value = a.cookie.slice('voter_id='.length);
    const mac = value.slice(37);
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 43 characters carry 32 bytes: the last one's two low bits are unused.
    const lastFlipped = B64URL[B64URL.indexOf(mac.at(-1)!) ^ 1]!;
    const alt = [
      `${value.slice(0, 37)}${mac.slice(0, -1)}${lastFlipped}`,
      `${value.slice(0, 37)}${mac.replaceAll('-', '+').replaceAll('_', '/')}`,
    ].filter((v) => v !== value);
    for (const v of alt) expect(Buffer.from(v.slice(37), 'base64').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    for (const v of alt)
      expect((await postVote(base, { option: 'dogs' }, { cookie: `voter_id=${v}` })).status, v).toBe(403);
    expect((await postVote(base, { option: 'dogs' }, { cookie: a.cookie })).status).toBe(202);
  });
});
