// Auto-typed keys that change type between two scrapes, against a private redis-server, with the
// type cache on: the scrape that meets the change reads the key again with its new type (no gap
// in its series, no error), both through the heads script and through plain commands, and a
// scrape where nothing changed sends no TYPE at all.
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { queueItem as item, one, type Scrape, scrape, startCollector } from './test-support.js';

/** `key type=length` of every redis_queue_length series, sorted. */
function lengths(s: Scrape): string[] {
  return (s.get(metrics.redisQueueLength.name) ?? []).map((v) => `${v.labels.key} ${v.labels.type}=${v.value}`).sort();
}
const q = (name: string, key: string): QueueConfig => ({ ...queueDefaults, name, key, type: 'auto' });

let priv: PrivateRedis;
let admin: Redis;
const clients: Redis[] = [];

/** How many TYPE commands Redis ran since the last call. */
async function typeCalls(): Promise<number> {
  const stats = await admin.info('commandstats');
  await admin.config('RESETSTAT');
  return Number(/^cmdstat_type:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

async function collector(
  user: 'default' | 'noscripts',
): Promise<{ registry: Registry; warnings: Array<[object, string]> }> {
  const client = new Redis({
    port: priv.port,
    ...(user === 'noscripts' ? { username: 'noscripts', password: 'noscripts-pw' } : {}),
    lazyConnect: true,
    enableOfflineQueue: false,
  });
  clients.push(client);
  await client.connect();
  return startCollector(client, [q('plain', 'plain'), q('str', 'str'), q('m', 'm:*')]);
}

/** Every key as its first type. */
async function fill(): Promise<void> {
  const old = item(Date.now() - 60_000);
  await admin.lpush('plain', old, old);
  await admin.lpush('str', old);
  await admin.lpush('m:list', old);
  await admin.zadd('m:zset', Date.now() - 60_000, 'a', Date.now(), 'b');
  await admin.hset('m:hash', 'a', '1');
  await admin.xadd('m:stream', '*', 'f', 'v');
  await admin.sadd('m:set', 'a', 'b', 'c');
}

/** Every key replaced by one of another type (DEL + write, as a deploy that changes the format would). */
async function change(): Promise<void> {
  const old = item(Date.now() - 60_000);
  await admin.del('plain', 'str', 'm:list', 'm:zset', 'm:hash', 'm:stream', 'm:set');
  await admin.hset('plain', 'a', '1', 'b', '2', 'c', '3');
  await admin.set('str', 'x');
  await admin.hset('m:list', 'a', '1', 'b', '2');
  await admin.lpush('m:zset', old, old, old);
  await admin.lpush('m:hash', old);
  await admin.lpush('m:stream', old, old);
  await admin.zadd('m:set', Date.now() - 60_000, 'a');
}

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
  await admin.acl('SETUSER', 'noscripts', 'on', '>noscripts-pw', '~*', '+@all', '-@scripting');
});

beforeEach(async () => {
  await admin.flushall();
  for (const c of clients.splice(0)) c.disconnect();
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  admin?.disconnect();
  await priv?.stop();
});

describe.each(['default', 'noscripts'] as const)('a key that changed type (user %s)', (user) => {
  it('is read with its new type in the scrape that meets the change, with no error', async () => {
    const { registry, warnings } = await collector(user);
    await fill();
    let s = await scrape(registry);
    expect(lengths(s)).toEqual([
      'm:hash hash=1',
      'm:list list=1',
      'm:set set=3',
      'm:stream stream=1',
      'm:zset zset=2',
      'plain list=2',
      'str list=1',
    ]);
    await typeCalls();
    // Cached and unchanged: no TYPE at all.
    s = await scrape(registry);
    expect(await typeCalls()).toBe(0);

    await change();
    await typeCalls();
    s = await scrape(registry);
    expect(lengths(s)).toEqual([
      'm:hash list=1',
      'm:list hash=2',
      'm:set zset=1',
      'm:stream list=2',
      'm:zset list=3',
      'plain hash=3',
    ]);
    expect(one(s, metrics.redisQueueKeys.name, { queue: 'm' })).toBe(5);
    expect(one(s, metrics.redisQueueKeys.name, { queue: 'plain' })).toBe(1);
    expect(one(s, metrics.redisQueueOldestItemAgeSeconds.name, { key: 'm:zset' })).toBeGreaterThan(50);
    expect(one(s, metrics.redisQueueOldestItemAgeSeconds.name, { key: 'm:set' })).toBeGreaterThan(50);
    // Each key read once in the scrape (the read that met the change does not count).
    expect(one(s, metrics.exporterLastScrapeKeys.name)).toBe(6);
    for (const reason of ['command', 'auth'])
      expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason })).toBe(0);
    // A queue key turned into a string is no queue: reported in the same scrape too.
    expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(1);
    expect(warnings.map(([o]) => o).filter((o) => 'queue' in o)).toEqual([
      expect.objectContaining({ reason: 'wrong_type', key: 'str', expected: 'auto', actual: 'string' }),
    ]);
    // One TYPE per changed key, once: the extra round happens only because something changed.
    expect(await typeCalls()).toBe(7);

    // Settled: the new types are cached, no TYPE for them any more (the string is probed every scrape).
    s = await scrape(registry);
    expect(lengths(s)).toHaveLength(6);
    expect(await typeCalls()).toBe(1);
  });
});
