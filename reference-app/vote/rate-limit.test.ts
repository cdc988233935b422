import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRegistry } from 'voting-mixin/instrument';
import { deleteKeys, SHARED_REDIS_URL, uniqueId } from '../../test/support/index.js';
import { createRedis, whenReady } from '../shared/redis.js';
import { closeServer, listen } from '../shared/serve.js';
import { postVote, silentLogger, voterCookieOf } from '../test/helpers.js';
import { createVoteApp, type VoteAppDeps } from './app.js';
import { tokenBuckets } from './rate-limit.js';

describe('token buckets', () => {
  it('allow a burst, then the rate, and say how long to wait', () => {
    const b = tokenBuckets(2, 4);
    const t = 1_000_000;
    expect([0, 1, 2, 3].map(() => b.take('a', t))).toEqual([0, 0, 0, 0]);
    expect(b.take('a', t)).toBe(1); // empty: one token comes back in 0.5 s, said as 1 s
    expect(b.take('b', t)).toBe(0); // another key has its own bucket
    expect(b.take('a', t + 500)).toBe(0);
    expect(b.take('a', t + 500)).toBe(1);
    expect(b.take('a', t + 60_000)).toBe(0); // refilled, never above the burst
    expect([1, 2, 3].map(() => b.take('a', t + 60_000))).toEqual([0, 0, 0]);
    expect(b.take('a', t + 60_000)).toBe(1);
    const slow = tokenBuckets(0.1, 1);
    expect(slow.take('x', t)).toBe(0);
    expect(slow.take('x', t)).toBe(10);
  });

  it('stay bounded: the oldest key goes first', () => {
    const b = tokenBuckets(1, 1, 3);
    for (const k of ['a', 'b', 'c', 'd']) b.take(k, 0);
    expect(b.size).toBe(3);
    expect(b.take('a', 0)).toBe(0); // evicted, so a full bucket again
    expect(b.take('d', 0)).toBe(1);
  });
});

describe('POST /vote over the limit', () => {
  const prefix = `${uniqueId('ratelimit')}:`;
  let redis: Redis;
  let appRedis: Redis;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    redis = new Redis(SHARED_REDIS_URL);
    appRedis = createRedis(SHARED_REDIS_URL, {
      name: 'ratelimit-test',
      commandTimeoutMs: 1000,
      logger: silentLogger(),
    });
    expect(await whenReady(appRedis, 10_000)).toBe(true);
  });
  afterAll(async () => {
    for (const c of closers) await c();
    await deleteKeys(SHARED_REDIS_URL, prefix);
    redis.disconnect();
    appRedis.disconnect();
  });

  async function start(queue: string, extra: Partial<VoteAppDeps>) {
    const registry = serviceRegistry();
    const { app } = createVoteApp({
      redis: appRedis,
      registry,
      logger: silentLogger(),
      options: ['cats', 'dogs'],
      queueKey: queue,
      ...extra,
    });
    const server: Server = await listen(app, 0, '127.0.0.1');
    closers.push(() => closeServer(server, 100));
    const limited = async () =>
      Number((await registry.metrics()).match(/^vote_rate_limited_total (\d+)$/m)?.[1] ?? Number.NaN);
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, limited };
  }

  it('answers one voter over its rate with 429 JSON and Retry-After, counts it, and enqueues nothing', async () => {
    const queue = `${prefix}voter`;
    // 0.25/s: a burst of 1, then one vote per 4 s — slow enough that a busy machine does not refill between requests.
    const { base, limited } = await start(queue, { rateLimits: { perVoter: 0.25 } });
    expect(await limited()).toBe(0); // present from the first scrape
    const first = await postVote(base, { option: 'cats' });
    const cookie = voterCookieOf(first)!;
    // The first, cookieless vote was a new voter's (no voter bucket yet); with its cookie, one vote, then a wait.
    expect((await postVote(base, { option: 'dogs' }, { cookie })).status).toBe(202);
    const over = await postVote(base, { option: 'cats' }, { cookie });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(4);
    expect(over.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await over.json()) as { error: string }).error).toMatch(/too many votes from this client/);
    // The express route (a form) shares the same buckets.
    const form = await fetch(`${base}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: 'option=dogs',
      redirect: 'manual',
    });
    expect(form.status).toBe(429);
    expect(await limited()).toBe(2);
    expect(await redis.llen(queue)).toBe(2);
    // Other voters are not held back by this one, and cookieless votes are not limited by default.
    for (let i = 0; i < 20; i++) expect((await postVote(base, { option: 'cats' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 4_100));
    expect((await postVote(base, { option: 'cats' }, { cookie })).status).toBe(202); // a token came back
  });

  it('limits cookieless votes per client address only when asked', async () => {
    const queue = `${prefix}address`;
    const { base, limited } = await start(queue, { rateLimits: { perVoter: 100, perAddress: 0.25 } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await postVote(base, { option: 'cats' })).status);
    expect(answers).toEqual([202, 429, 429]);
    expect(await limited()).toBe(2);
  });

  it('counts voter ids handed out by GET / against the per-address limit (page, cookie, vote is no way round it)', async () => {
    const queue = `${prefix}pageviews`;
    const { base } = await start(queue, { rateLimits: { perVoter: 100, perAddress: 0.25 } });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const cookie = voterCookieOf(page);
    expect(cookie).toBeDefined();
    // The bucket is spent: the next page view still shows the page, but hands out no new voter id …
    const again = await fetch(`${base}/`);
    expect(again.status).toBe(200);
    expect(voterCookieOf(again)).toBeUndefined();
    // … and a cookieless vote from that address meets the same limit; the voter who got an id votes.
    expect((await postVote(base, { option: 'cats' })).status).toBe(429);
    expect((await postVote(base, { option: 'cats' }, { cookie: cookie! })).status).toBe(202);
  });

  it('limits nothing without limits', async () => {
    const queue = `${prefix}none`;
    const { base, limited } = await start(queue, {});
    const first = await postVote(base, { option: 'cats' });
    const cookie = voterCookieOf(first)!;
    for (let i = 0; i < 30; i++) expect((await postVote(base, { option: 'cats' }, { cookie })).status).toBe(202);
    expect(await limited()).toBe(0);
  });
});
