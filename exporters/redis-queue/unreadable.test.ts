// Queue keys the exporter's Redis user may not read (ACL key patterns), against a private
// redis-server: such a queue is absent, never 0 (a 0 would tell QueueBacklogHigh all is well), the
// refusal is counted (reason `auth`) and logged once per queue, and the queues the user may read on
// the same Redis are reported as usual.
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig } from 'voting-mixin/config';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { queueItem as item, one, queue as q, queuesOf, scrape, startCollector } from './test-support.js';

let priv: PrivateRedis;
let admin: Redis;
const clients: Redis[] = [];

/** A collector reading as `lim`, who may read `jobs` and `work:*` only. */
async function limited(
  queues: QueueConfig[],
  pipelineSize = 100,
): Promise<{ registry: Registry; warnings: Array<[object, string]> }> {
  const client = new Redis({
    port: priv.port,
    username: 'lim',
    password: 'limpass-1',
    lazyConnect: true,
    enableOfflineQueue: false,
  });
  clients.push(client);
  await client.connect();
  return startCollector(client, queues, { pipelineSize });
}

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
  await admin.acl('SETUSER', 'lim', 'on', '>limpass-1', '~jobs', '~work:*', '+@all');
  const old = item(Date.now() - 60_000);
  await admin.lpush('morph', old, old, old);
  await admin.lpush('q:1', old);
  await admin.lpush('q:2', old, old);
  await admin.lpush('fixed', old);
  await admin.lpush('fq:1', old);
  await admin.lpush('proc:c1', old);
  await admin.lpush('jobs', old, item(Date.now()));
  await admin.lpush('work:1', old);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  admin?.disconnect();
  await priv?.stop();
});

describe('queue keys the user may not read', () => {
  it('are absent, never 0, counted as auth errors and logged once per queue; readable queues are reported', async () => {
    const { registry, warnings } = await limited([
      q('morph', 'morph'), // auto: TYPE is refused
      q('q', 'q:*'), // auto pattern: SCAN lists the keys, TYPE is refused
      q('fixed', 'fixed', { type: 'list' }), // the data commands are refused
      q('fq', 'fq:*', { type: 'list' }),
      q('jobs', 'jobs', { processingPattern: 'proc:*' }), // readable, its processing list is not
      q('work', 'work:*'),
    ]);
    const unreadableLogs = (): object[] =>
      warnings.filter(([o]) => (o as { queue?: string }).queue !== undefined).map(([o]) => o);

    for (let scrapeNo = 1; scrapeNo <= 2; scrapeNo++) {
      const s = await scrape(registry);
      // Nothing at all for what could not be read: no 0 length, age, key count or "empty pattern" series.
      expect(queuesOf(s, metrics.redisQueueLength.name)).toEqual(['jobs', 'work']);
      expect(queuesOf(s, metrics.redisQueueOldestItemAgeSeconds.name)).toEqual(['jobs', 'work']);
      expect(queuesOf(s, metrics.redisQueueKeys.name)).toEqual(['jobs', 'work']);
      expect(queuesOf(s, metrics.redisQueueProcessingLength.name)).toEqual([]);
      expect(queuesOf(s, metrics.redisQueueProcessingLists.name)).toEqual([]);
      // What could be read is reported as usual.
      expect(one(s, metrics.redisQueueLength.name, { queue: 'jobs', key: 'jobs', type: 'list' })).toBe(2);
      expect(one(s, metrics.redisQueueKeys.name, { queue: 'jobs' })).toBe(1);
      expect(one(s, metrics.redisQueueLength.name, { queue: 'work', key: 'work:1', type: 'list' })).toBe(1);
      expect(one(s, metrics.redisQueueKeys.name, { queue: 'work' })).toBe(1);
      expect(one(s, metrics.redisQueueOldestItemAgeSeconds.name, { queue: 'work' })).toBeGreaterThan(50);
      expect(one(s, metrics.redisUp.name)).toBe(1);
      // One `auth` error per collection, as for any refused command.
      expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'auth' })).toBe(scrapeNo);
      expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(0);
    }
    // One line per unreadable queue, not one per scrape.
    expect(
      unreadableLogs()
        .map((o) => (o as { queue: string }).queue)
        .sort(),
    ).toEqual(['fixed', 'fq', 'jobs', 'morph', 'q']);
    for (const o of unreadableLogs())
      expect(o).toMatchObject({ reason: 'auth', err: expect.stringMatching(/^NOPERM/) });
  });

  it('turn scripts off only for the pipeline that holds them: the readable keys are still read by script', async () => {
    // One key per pipeline, so the unreadable `fixed` is alone in its chunk.
    const { registry, warnings } = await limited(
      [q('fixed', 'fixed', { type: 'list' }), q('jobs', 'jobs', { type: 'list' }), q('work', 'work:*')],
      1,
    );
    const evalsha = async (): Promise<number> =>
      Number(/cmdstat_evalsha:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
    for (let scrapeNo = 1; scrapeNo <= 4; scrapeNo++) {
      const before = await evalsha();
      const s = await scrape(registry);
      expect(queuesOf(s, metrics.redisQueueLength.name)).toEqual(['jobs', 'work']);
      expect(one(s, metrics.redisQueueOldestItemAgeSeconds.name, { queue: 'work' })).toBeGreaterThan(50);
      expect(await evalsha()).toBeGreaterThan(before);
    }
    expect(warnings.filter(([o]) => (o as { command?: string }).command === 'scripts')).toEqual([]);
  });

  it('are reported again once the user may read them, and a later refusal is logged again', async () => {
    const { registry, warnings } = await limited([q('morph', 'morph'), q('q', 'q:*')]);
    const logs = (): number => warnings.filter(([o]) => (o as { queue?: string }).queue !== undefined).length;
    let s = await scrape(registry);
    expect(s.get(metrics.redisQueueLength.name) ?? []).toEqual([]);
    expect(logs()).toBe(2);
    await admin.acl('SETUSER', 'lim', '~morph', '~q:*');
    try {
      s = await scrape(registry);
      expect(one(s, metrics.redisQueueLength.name, { queue: 'morph', key: 'morph', type: 'list' })).toBe(3);
      expect(one(s, metrics.redisQueueKeys.name, { queue: 'q' })).toBe(2);
      expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'auth' })).toBe(1);
    } finally {
      await admin.acl('SETUSER', 'lim', 'resetkeys', '~jobs', '~work:*');
    }
    s = await scrape(registry);
    expect(s.get(metrics.redisQueueLength.name) ?? []).toEqual([]);
    expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'auth' })).toBe(2);
    expect(logs()).toBe(4);
  });
});
