/**
 * The fast POST /vote path (fast-vote.ts) answers exactly as the express route: the same requests
 * sent to an app using it and to one where express handles every vote (--behind-proxy turns the
 * fast path off; without X-Forwarded-* headers it changes nothing else) get the same status,
 * headers, body, cookies, metrics and access-log lines.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRegistry } from 'voting-mixin/instrument';
import { deleteKeys, SHARED_REDIS_URL, uniqueId } from '../../test/support/index.js';
import { createLogger } from '../shared/logger.js';
import { createRedis, whenReady } from '../shared/redis.js';
import { closeServer, listen } from '../shared/serve.js';
import { silentLogger } from '../test/helpers.js';
import { createVoteApp } from './app.js';
import { fastVote } from './fast-vote.js';
import { noFaults } from './faults.js';
import { voterSigner } from './voter-cookie.js';

const prefix = `${uniqueId('fastvote')}:`;
const signer = voterSigner(['fast-vote-test-secret-0123456789']);
let redis: Redis;

interface Side {
  base: string;
  server: Server;
  registry: ReturnType<typeof serviceRegistry>;
  logs: Record<string, unknown>[];
}
const sides: Record<'fast' | 'express', Side> = {} as never;

async function start(behindProxy: boolean): Promise<Side> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const registry = serviceRegistry();
  const { app } = createVoteApp({
    redis,
    registry,
    logger: createLogger('vote', 'info', sink),
    options: ['cats', 'dogs'],
    queueKey: `${prefix}${behindProxy ? 'express' : 'fast'}`,
    signer,
    behindProxy,
  });
  const server = await listen(app, 0, '127.0.0.1');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, registry, logs };
}

beforeAll(async () => {
  redis = createRedis(SHARED_REDIS_URL, { name: 'fast-vote-test', commandTimeoutMs: 1000, logger: silentLogger() });
  expect(await whenReady(redis, 10_000)).toBe(true);
  sides.fast = await start(false);
  sides.express = await start(true);
});

afterAll(async () => {
  for (const s of Object.values(sides)) await closeServer(s.server, 100);
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis.disconnect();
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** One answer with what varies per request (ids, MACs, dates) masked. */
async function answer(base: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${base}/vote`, { method: 'POST', body, headers, redirect: 'manual' });
  const text = await res.text();
  const h = Object.fromEntries(
    [...res.headers].filter(([k]) => !['date', 'keep-alive', 'connection'].includes(k)).map(([k, v]) => [k, v]),
  );
  h['x-request-id'] = UUID.test(h['x-request-id'] ?? '') ? '<uuid>' : `missing: ${h['x-request-id']}`;
  UUID.lastIndex = 0;
  const cookies = res.headers
    .getSetCookie()
    .map((c) => c.replace(/^voter_id=[^;]+/, 'voter_id=<signed>').replace(/Expires=[^;]+/, 'Expires=<date>'));
  delete h['set-cookie'];
  return { status: res.status, headers: h, cookies, body: text.replace(UUID, '<uuid>') };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const issued = signer.issue().value;

const CASES: [string, string | Buffer, Record<string, string>][] = [
  ['a vote', '{"option":"cats"}', JSON_TYPE],
  ['blank before the object', ' \r\n\t{"option":"dogs"}', JSON_TYPE],
  ['a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"option":"cats"}')]), JSON_TYPE],
  ['charset=UTF-8', '{"option":"cats"}', { 'content-type': 'application/json; charset=UTF-8' }],
  ['a string', '"cats"', JSON_TYPE],
  ['an array', '[{"option":"cats"}]', JSON_TYPE],
  ['truncated JSON', '{"option":"cats"', JSON_TYPE],
  ['a body voter', '{"option":"cats","voter":"alice"}', JSON_TYPE],
  ['no option', '{"choice":"cats"}', JSON_TYPE],
  ['an unknown option', '{"option":"fish"}', JSON_TYPE],
  ['a number option', '{"option":5}', JSON_TYPE],
  ['a cross-site Origin', '{"option":"cats"}', { ...JSON_TYPE, origin: 'http://evil.example' }],
  ['Sec-Fetch-Site cross-site', '{"option":"cats"}', { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' }],
  ['a same-origin Origin', '{"option":"cats"}', { ...JSON_TYPE, origin: 'http://HOST' }],
  ['a forged voter cookie', '{"option":"cats"}', { ...JSON_TYPE, cookie: 'voter_id=forged' }],
  ['our voter cookie', '{"option":"dogs"}', { ...JSON_TYPE, cookie: `theme=dark; voter_id=${issued}` }],
  ['over the body limit', `{"option":"cats","pad":"${'x'.repeat(1100)}"}`, JSON_TYPE],
  ['a form', 'option=cats', { 'content-type': 'application/x-www-form-urlencoded' }],
];

describe('POST /vote: fast path and express answer alike', () => {
  it.each(CASES)('%s', async (_name, body, headers) => {
    const got = await Promise.all(
      (['fast', 'express'] as const).map((k) => {
        const base = sides[k].base;
        const h = { ...headers };
        if (h.origin === 'http://HOST') h.origin = base;
        return answer(base, body, h);
      }),
    );
    expect(got[0]).toEqual(got[1]);
  });

  it('counts the same metrics and writes the same access-log lines', async () => {
    const series = async (s: Side) =>
      (await s.registry.getSingleMetricAsString('http_requests_total'))
        .split('\n')
        .filter((l) => l.includes('route="/vote"'));
    const [fast, express] = await Promise.all([series(sides.fast), series(sides.express)]);
    expect(fast.length).toBeGreaterThan(3);
    expect(fast).toEqual(express);
    const votes = async (s: Side) => (await s.registry.getSingleMetricAsString('votes_total')).split('\n');
    expect(await votes(sides.fast)).toEqual(await votes(sides.express));
    const lines = (s: Side) =>
      s.logs
        .filter((l) => l.msg === 'request')
        .map(({ time: _t, pid: _p, reqId, durationMs, ...rest }) => ({
          ...rest,
          reqId: typeof reqId === 'string' && reqId.length > 0,
          durationMs: typeof durationMs === 'number',
        }));
    expect(lines(sides.fast)).toEqual(lines(sides.express));
    expect(lines(sides.fast)).toHaveLength(CASES.length);
  });
});

describe('which requests take the fast path', () => {
  const faults = noFaults();
  const pushed: string[] = [];
  const fast = fastVote({
    redis: { lpush: async (_k: string, v: string) => pushed.push(v), status: 'ready' } as unknown as Redis,
    logger: silentLogger(),
    options: ['cats', 'dogs'],
    queueKey: 'q',
    signer,
    faults,
    vm: undefined,
    bodyLimit: 1024,
    observe: (_q, _s, next) => next(),
  });
  const vote = { 'content-type': 'application/json', 'content-length': '17' };
  const take = (method: string, url: string, headers: Record<string, string>): boolean => {
    const req = Object.assign(new PassThrough(), { method, url, headers, socket: {} });
    const res = { setHeader: () => {}, end: () => {} };
    const taken = fast(req as never, res as never);
    req.end('{"option":"cats"}');
    return taken;
  };

  it('takes a JSON vote of declared length', () => {
    expect(take('POST', '/vote', vote)).toBe(true);
    expect(take('POST', '/vote', { ...vote, 'content-type': 'application/json; charset=utf-8' })).toBe(true);
  });

  it.each([
    ['another method', 'PUT', '/vote', vote],
    ['another path', 'POST', '/vote/', vote],
    ['a query', 'POST', '/vote?x=1', vote],
    ['a form', 'POST', '/vote', { ...vote, 'content-type': 'application/x-www-form-urlencoded' }],
    ['another charset', 'POST', '/vote', { ...vote, 'content-type': 'application/json; charset=latin1' }],
    ['no length (chunked)', 'POST', '/vote', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
    ['an empty body', 'POST', '/vote', { ...vote, 'content-length': '0' }],
    ['over the limit', 'POST', '/vote', { ...vote, 'content-length': '1025' }],
    ['a compressed body', 'POST', '/vote', { ...vote, 'content-encoding': 'gzip' }],
  ])('leaves %s to express', (_n, method, url, headers) => {
    expect(take(method, url, headers as Record<string, string>)).toBe(false);
  });

  it('leaves every vote to express while a fault is injected', () => {
    faults.errorRate = 0.5;
    expect(take('POST', '/vote', vote)).toBe(false);
    Object.assign(faults, noFaults());
  });
});
