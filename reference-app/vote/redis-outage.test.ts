import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceRegistry } from 'voting-mixin/instrument';
import { type PrivateRedis, startPrivateRedis, waitFor } from '../../test/support/index.js';
import { createRedis } from '../shared/redis.js';
import { closeServer, listen } from '../shared/serve.js';
import { postVote, silentLogger } from '../test/helpers.js';
import { createVoteApp } from './app.js';

let redisServer: PrivateRedis;
let client: Redis;
let server: Server;
let base: string;
const registry = serviceRegistry();

beforeAll(async () => {
  redisServer = await startPrivateRedis();
  client = createRedis(redisServer.url, { name: 'outage-test', commandTimeoutMs: 1000, logger: silentLogger() });
  const { app } = createVoteApp({
    redis: client,
    registry,
    logger: silentLogger(),
    options: ['cats', 'dogs'],
    queueKey: 'votes',
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await waitFor('vote ready', async () => (await fetch(`${base}/ready`)).status === 200);
});

afterAll(async () => {
  await closeServer(server, 100);
  client.disconnect();
  await redisServer.stop();
});

it('answers 503 with Retry-After fast while Redis is down, then recovers without a restart', async () => {
  expect((await postVote(base, { option: 'cats' })).status).toBe(202);

  await redisServer.kill(); // as a crash would: SIGKILL
  const t0 = Date.now();
  const down = await postVote(base, { option: 'cats' });
  expect(down.status).toBe(503);
  expect(down.headers.get('retry-after')).toBe('1');
  expect(((await down.json()) as { reason: string }).reason).toBe('unavailable');
  expect(Date.now() - t0).toBeLessThan(1_500); // fails fast, does not hang on an offline queue
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(503);
  expect(ready.headers.get('retry-after')).toBe('1');
  expect((await fetch(`${base}/health`)).status).toBe(200); // alive, just not ready

  await redisServer.start();
  let after = '';
  await waitFor(
    'vote accepted again',
    async () => {
      const res = await postVote(base, { option: 'dogs' });
      if (res.status === 202) after = ((await res.json()) as { voter: string }).voter;
      return res.status === 202;
    },
    15_000,
    100,
  );
  expect((await fetch(`${base}/ready`)).status).toBe(200);

  const text = await registry.metrics();
  expect(text).toMatch(/vote_enqueue_failures_total\{reason="unavailable"\} [1-9]/);
  expect(text).toMatch(/http_requests_total\{method="POST",route="\/vote",status="503"\} [1-9]/);
  // Only the vote made after recovery is in the (restarted, empty) Redis: no 503'd vote sneaked in.
  const items = (await client.lrange('votes', 0, -1)).map((s) => JSON.parse(s) as { voter: string });
  expect(items.map((i) => i.voter)).toEqual([after]);
});
