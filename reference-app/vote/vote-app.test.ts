import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRegistry } from 'voting-mixin/instrument';
import { deleteKeys, promtoolCheckMetrics, SHARED_REDIS_URL, uniqueId } from '../../test/support/index.js';
import { parseQueueItem } from '../shared/queue-item.js';
import { createRedis } from '../shared/redis.js';
import { closeServer, listen } from '../shared/serve.js';
import { postVote, silentLogger, voterCookieOf } from '../test/helpers.js';
import { createVoteApp } from './app.js';

const prefix = `${uniqueId('voteapp')}:`;
const queue = `${prefix}votes`;
let server: Server;
let adminServer: Server;
let base: string;
let adminBase: string;
let redis: Redis;
let appRedis: Redis;
const registry = serviceRegistry();

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  appRedis = createRedis(SHARED_REDIS_URL, { name: 'test-vote', commandTimeoutMs: 1000, logger: silentLogger() });
  const { app } = createVoteApp({
    redis: appRedis,
    registry,
    logger: silentLogger(),
    options: ['cats', 'dogs'],
    queueKey: queue,
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = createVoteApp({
    redis: appRedis,
    logger: silentLogger(),
    options: ['cats', 'dogs'],
    queueKey: queue,
    enableAdmin: true,
  });
  adminServer = await listen(admin.app, 0, '127.0.0.1');
  adminBase = `http://127.0.0.1:${(adminServer.address() as AddressInfo).port}`;
  await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await closeServer(server, 100);
  await closeServer(adminServer, 100);
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis.disconnect();
  appRedis.disconnect();
});

describe('vote service', () => {
  it('accepts a JSON vote only after LPUSH, with the shared queue item format', async () => {
    const before = await redis.llen(queue);
    const res = await postVote(base, { option: 'cats' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; voter: string };
    // No cookie: a new voter, issued in the answer's signed cookie.
    expect(body.voter).toMatch(/^[0-9a-f-]{36}$/);
    expect(voterCookieOf(res)).toMatch(new RegExp(`^voter_id=${body.voter}\\.[A-Za-z0-9_-]{43}$`));
    expect(await redis.llen(queue)).toBe(before + 1);
    const raw = (await redis.lindex(queue, 0))!;
    const parsed = parseQueueItem(raw);
    expect(parsed.ok && parsed.item).toMatchObject({ id: body.id, voter: body.voter, option: 'cats' });
    expect(Object.keys(JSON.parse(raw))).toEqual(['id', 'voter', 'option', 'ts']);
    expect(Math.abs(JSON.parse(raw).ts - Date.now())).toBeLessThan(5_000);
  });

  it('takes a form vote with the voter from the cookie, redirects, and shows the choice on the page', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const voterCookie = page.headers.getSetCookie().find((c) => c.startsWith('voter_id='))!;
    expect(voterCookie).toBeDefined();
    const cookie = voterCookie.split(';')[0]!;
    const res = await fetch(`${base}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: 'option=dogs',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const voteCookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('vote='))!
      .split(';')[0]!;
    const item = JSON.parse((await redis.lindex(queue, 0))!);
    expect(item.voter).toBe(cookie.split('=')[1]!.split('.')[0]);
    const html = await (await fetch(`${base}/`, { headers: { cookie: `${cookie}; ${voteCookie}` } })).text();
    expect(html).toContain('You voted for <b>dogs</b>');
    expect(html).toContain('value="cats"');
  });

  const bad: Array<[string, RequestInit, number, RegExp]> = [
    ['unknown option', { body: JSON.stringify({ option: 'cows' }) }, 400, /unknown option/],
    ['malformed JSON', { body: '{"option":' }, 400, /malformed/],
    ['missing option', { body: JSON.stringify({}) }, 400, /missing field "option"/],
    ['non-string option', { body: JSON.stringify({ option: 7 }) }, 400, /unknown option/],
    ['a voter field', { body: JSON.stringify({ option: 'cats', voter: 'x' }) }, 400, /comes from the voter_id cookie/],
    ['array body', { body: '[1,2]' }, 400, /JSON object/],
    ['body over 1 KiB', { body: JSON.stringify({ option: 'cats', pad: 'a'.repeat(1100) }) }, 413, /larger than 1024/],
    [
      'chunked body over 1 KiB',
      {
        body: new Blob([JSON.stringify({ option: 'cats', pad: 'a'.repeat(2000) })]).stream(),
        duplex: 'half',
      } as RequestInit,
      413,
      /larger than 1024/,
    ],
    [
      'unsupported content type',
      { body: 'option=cats', headers: { 'content-type': 'text/plain' } },
      415,
      /application\/json/,
    ],
  ];
  for (const [name, init, status, message] of bad) {
    it(`answers ${status} with a JSON error for ${name}, and enqueues nothing`, async () => {
      const before = await redis.llen(queue);
      const res = await fetch(`${base}/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...init,
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      expect(await redis.llen(queue)).toBe(before);
    });
  }

  it('answers a wrong method with 405 and an Allow header', async () => {
    const res = await fetch(`${base}/vote`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const del = await fetch(`${base}/results`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });

  it('echoes a valid X-Request-Id and invents one otherwise', async () => {
    const mine = await fetch(`${base}/health`, { headers: { 'x-request-id': 'req-123' } });
    expect(mine.headers.get('x-request-id')).toBe('req-123');
    const theirs = await fetch(`${base}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(theirs.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports ready while Redis answers; /results without a database is a 503, not a crash', async () => {
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    expect((await fetch(`${base}/results`)).status).toBe(503);
  });

  it('labels metrics by route template, never by raw URL, and passes promtool check metrics', async () => {
    for (let i = 0; i < 5; i++) await fetch(`${base}/no/such/path/${i}`);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} 5/);
    expect(text).not.toMatch(/no\/such/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/vote",status="413"\} 2/);
    expect(text).toMatch(/votes_total\{option="cats"\} 1/);
    expect(text).toMatch(/votes_total\{option="dogs"\} 1/);
    expect(text).toMatch(new RegExp(`queue_enqueued_total\\{queue="${queue}"\\} 2`));
    expect(text).toMatch(/http_requests_in_flight 1/);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/vote",status="202"\}/,
    );
    expect(text).toMatch(/process_cpu_seconds_total/);
    const check = await promtoolCheckMetrics(text);
    expect(check.output).toBe('');
    expect(check.code).toBe(0);
  });

  it('has no admin endpoint unless enabled', async () => {
    expect(
      (
        await fetch(`${base}/admin/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"errorRate":1}',
        })
      ).status,
    ).toBe(404);
  });

  it('injects 5xx and latency on demand through /admin/faults, and clears them', async () => {
    const set = await fetch(`${adminBase}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"errorRate":1,"latencyMs":150,"latencyRate":1}',
    });
    expect(set.status).toBe(200);
    const t0 = Date.now();
    const res = await postVote(adminBase, { option: 'cats' });
    expect(res.status).toBe(500);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(
      (
        await fetch(`${adminBase}/admin/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"errorRate":2}',
        })
      ).status,
    ).toBe(400);
    expect((await fetch(`${adminBase}/admin/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await postVote(adminBase, { option: 'cats' })).status).toBe(202);
  });
});
