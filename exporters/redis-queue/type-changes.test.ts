// Keys whose type is not what the exporter expects, against the shared Redis (unique key prefix,
// cleaned up): an auto-typed key re-checks its type, in the same scrape, once it can no longer be
// read as the cached one (retype.test.ts has every change on a private Redis), and a key holding
// another type than configured is a counted, logged scrape error.
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { deleteKeys, SHARED_REDIS_URL, uniqueId } from '../../test/support/index.js';
import { startCollector } from './test-support.js';

const P = `${uniqueId('rqe-types')}:`;
const q = (name: string, type: QueueConfig['type'], key = `${P}${name}`): QueueConfig => ({
  ...queueDefaults,
  name,
  key,
  type,
});

let redis: Redis;
const clients: Redis[] = [];

type Values = Array<{ labels: Record<string, string | number>; value: number }>;
async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values as Values | undefined)?.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
    ?.value;
}
/** One scrape (one collection), then look-ups in what it returned. */
async function scrape(
  registry: Registry,
): Promise<(name: string, labels: Record<string, string>) => number | undefined> {
  const all = await registry.getMetricsAsJSON();
  return (name, labels) =>
    (all.find((x) => x.name === name)?.values as Values | undefined)?.find((v) =>
      Object.entries(labels).every(([k, x]) => v.labels[k] === x),
    )?.value;
}

function collector(queues: QueueConfig[]): { registry: Registry; warnings: Array<[object, string]> } {
  const client = redis.duplicate();
  clients.push(client);
  return startCollector(client, queues);
}

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true });
  await redis.connect();
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await deleteKeys(SHARED_REDIS_URL, P);
  redis.disconnect();
});

describe('type re-checks', () => {
  it('reports an auto-typed key first seen as a string once it becomes a list', async () => {
    const { registry } = collector([q('plain', 'auto'), q('pat', 'auto', `${P}pat:*`)]);
    await redis.set(`${P}plain`, 'x');
    await redis.set(`${P}pat:1`, 'x');
    await registry.metrics();
    await registry.metrics(); // the string type must not stick between scrapes
    await redis.del(`${P}plain`, `${P}pat:1`);
    await redis.lpush(`${P}plain`, 'a', 'b');
    await redis.lpush(`${P}pat:1`, 'a', 'b', 'c');
    await registry.metrics();
    expect(await value(registry, metrics.redisQueueLength.name, { queue: 'plain', type: 'list' })).toBe(2);
    expect(await value(registry, metrics.redisQueueLength.name, { queue: 'pat', key: `${P}pat:1`, type: 'list' })).toBe(
      3,
    );
  });

  it('re-detects an auto-typed key that changed from one queue type to another in the next scrape', async () => {
    const { registry } = collector([q('changes', 'auto')]);
    await redis.lpush(`${P}changes`, 'a');
    let s = await scrape(registry);
    expect(s(metrics.redisQueueLength.name, { queue: 'changes', type: 'list' })).toBe(1);
    await redis.del(`${P}changes`);
    await redis.hset(`${P}changes`, 'a', '1', 'b', '2');
    s = await scrape(registry);
    expect(s(metrics.redisQueueLength.name, { queue: 'changes', type: 'hash' })).toBe(2);
    expect(s(metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(0);
  });

  it('counts and logs (once) a `type: list` key that holds a hash, without crashing', async () => {
    const { registry, warnings } = collector([q('fixed', 'list'), q('fine', 'list')]);
    const wrongTypeLogs = (): number =>
      warnings.filter(([o]) => (o as { reason?: string }).reason === 'wrong_type').length;
    await redis.hset(`${P}fixed`, 'a', '1');
    await redis.lpush(`${P}fine`, 'x');
    // Every scrape (each `scrape()` is one collection) counts one error; the key is logged once.
    let s = await scrape(registry);
    expect(s(metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(1);
    s = await scrape(registry);
    expect(s(metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(2);
    expect(wrongTypeLogs()).toBe(1);
    expect(warnings.find(([o]) => (o as { reason?: string }).reason === 'wrong_type')?.[0]).toMatchObject({
      queue: 'fixed',
      key: `${P}fixed`,
      expected: 'list',
    });
    // The other queue is still reported, and so is Redis.
    expect(s(metrics.redisQueueLength.name, { queue: 'fine' })).toBe(1);
    expect(s(metrics.redisUp.name, {})).toBe(1);
    // Fixed: no more errors. Broken again: counted and logged again.
    await redis.del(`${P}fixed`);
    await redis.lpush(`${P}fixed`, 'a');
    s = await scrape(registry);
    expect(s(metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(2);
    expect(s(metrics.redisQueueLength.name, { queue: 'fixed', type: 'list' })).toBe(1);
    await redis.del(`${P}fixed`);
    await redis.sadd(`${P}fixed`, 'a');
    s = await scrape(registry);
    expect(s(metrics.exporterScrapeErrorsTotal.name, { reason: 'wrong_type' })).toBe(3);
    expect(wrongTypeLogs()).toBe(2);
  });
});
